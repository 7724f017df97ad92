import ConvMatrixCore

/// The `convmat` command-line spelling of a description, for replay lines:
/// a failing case of a random sweep, or of a user's property test, is
/// printed as a command that reproduces it exactly. This is the one place
/// in the library that writes flag names; the CLI's tests parse these lines
/// back and check that they describe the same operation.
extension ConvolutionFields {
    /// The flags that describe these fields, defaults left out:
    /// `--input 3x3 --kernel 2 --stride 2 --padding 0:1 --transposed …`.
    /// Lists whose values all agree are written once (`--kernel 3` for 3×3).
    public var commandLineArguments: [String] {
        var flags = ["--input", input.map(String.init).joined(separator: "x"), "--kernel", Self.compact(kernel)]
        if stride.contains(where: { $0 != 1 }) { flags += ["--stride", Self.compact(stride)] }
        switch padding {
        case .same: flags += ["--padding", "same"]
        case .valid: flags += ["--padding", "valid"]
        case .symmetric(let amounts):
            if amounts.contains(where: { $0 != 0 }) { flags += ["--padding", Self.compact(amounts)] }
        case .explicit(let before, let after):
            if before == after {
                if before.contains(where: { $0 != 0 }) { flags += ["--padding", Self.compact(before)] }
            } else {
                flags += ["--padding", zip(before, after).map { "\($0):\($1)" }.joined(separator: "x")]
            }
        }
        if dilation.contains(where: { $0 != 1 }) { flags += ["--dilation", Self.compact(dilation)] }
        if inChannels != 1 { flags += ["--in-channels", "\(inChannels)"] }
        if outChannels != 1 { flags += ["--out-channels", "\(outChannels)"] }
        if groups != 1 { flags += ["--groups", "\(groups)"] }
        if transposed { flags.append("--transposed") }
        if let outputPadding, outputPadding.contains(where: { $0 != 0 }) { flags += ["--output-padding", Self.compact(outputPadding)] }
        if let outputSize { flags += ["--output-size", outputSize.map(String.init).joined(separator: "x")] }
        return flags
    }

    /// The flag that sets a library field: `stride[0]` → `--stride[0]`,
    /// `in_channels` → `--in-channels`; names that are not flags stay as they
    /// are. How `convmat` (and the explorer, which shows the CLI's messages)
    /// spells a field in an error message.
    ///
    /// - Parameter field: a field name as library messages use it, such as `stride[0]` or `output_padding`.
    /// - Returns: the flag that sets it, with any index kept, or `field` itself when no flag sets it.
    public static func flagName(_ field: String) -> String {
        let base = String(field.prefix { ("a"..."z").contains($0) || $0 == "_" })
        let rest = field.dropFirst(base.count)
        guard flagFields.contains(base), rest.isEmpty || rest.hasPrefix("[") || rest.hasPrefix(" ") else { return field }
        return "--" + base.replacing("_", with: "-") + rest
    }

    /// Library field names that convmat takes as flags of the same name (underscores as dashes).
    static let flagFields: Set<String> = [
        "input", "kernel", "stride", "padding", "dilation", "in_channels", "out_channels", "groups",
        "output_padding", "output_size", "transposed", "weights", "y", "max_memory",
        "format", "labels", "blocks", "zeros", "ascii", "highlight_row", "highlight_column", "standalone", "force",
        "max_differences", "step", "animate", "pixels", "seed", "random", "repeat", "batch",
        "count", "kind", "difficulty", "lambda", "ordering", "kernel_preset", "image", "blurred", "output",
        "op", "dims", "max_size", "max_channels", "max_work",
        "flip", "order", "show_padding", "block", "pool", "ceil_mode", "values", "case", "sheet", "brief",
    ]

    /// "2" for [2, 2, 2], "2x1" for [2, 1].
    private static func compact(_ values: [Int]) -> String {
        Set(values).count == 1 ? "\(values[0])" : values.map(String.init).joined(separator: "x")
    }
}

extension ConvolutionFields {
    /// The `convmat matrix` command that writes these fields' matrix again,
    /// as a matrix file records it: the geometry (`commandLineArguments`),
    /// the weights in `--weights` syntax, then `extra` (view and format
    /// flags, already spelled).
    ///
    /// - Parameters:
    ///   - weights: the kernel's values as written (`1,-2,0.5`), or nil for a symbolic matrix.
    ///   - extra: flags that follow, such as `["--format", "mtx"]`.
    /// - Returns: the command as one line, words separated by spaces.
    public func matrixCommand(weights: String?, extra: [String]) -> String {
        (["convmat", "matrix"] + commandLineArguments + (weights.map { ["--weights", $0] } ?? []) + extra).joined(separator: " ")
    }

    /// The flags of a printed view of C: `--flip`, `--order column-major`, `--block O,I`.
    package static func viewArguments(flip: Bool, order: MatrixOrder, block: ChannelBlock?) -> [String] {
        (flip ? ["--flip"] : []) + (order == .rowMajor ? [] : ["--order", order.rawValue])
            + (block.map { ["--block", "\($0.output),\($0.input)"] } ?? [])
    }
}

extension VerificationCase {
    /// The flags of `convmat verify` that replay this case.
    public var arguments: [String] {
        ConvolutionFields(describing: convolutionOperator).commandLineArguments + ["--seed", "\(seed)"]
    }

    /// `convmat verify --input … --seed …`.
    public var command: String { (["convmat", "verify"] + arguments).joined(separator: " ") }
}
