import ConvMatrixCore
import ConvMatrixVerification

/// `ConvolutionFields` ⇄ key/value text, written once: the CLI's flags, the
/// explorer's query, replay lines (`convmat verify --input 3 --kernel 2 …`)
/// and the `% command:` line of a matrix file all read and write the fields
/// through it.
///
/// Keys are the library's field names (`input`, `in_channels`,
/// `output_padding`, …); values use `FieldSyntax`: sizes `4x4` (or `3` for
/// every dimension), padding `1`, `1x0`, `0:1x1:0`, `same` or `valid`,
/// `padding_mode` `zeros`, `reflect`, `replicate` or `circular`, whole
/// numbers for channels and groups, `true`/`false` for `transposed`.
/// A key's command-line flag is the key with dashes (`--in-channels`).
package enum FieldCodec {
    /// Every key, in the order a person reads them and the codec writes them.
    package static let keys = [
        "input", "kernel", "stride", "padding", "padding_mode", "dilation", "in_channels", "out_channels", "groups",
        "transposed", "output_padding", "output_size",
    ]

    /// How absent and empty values read.
    package enum EmptyValue: Sendable {
        /// An empty text is a value like any other, and usually refused (the CLI: `--stride ''`).
        case refused
        /// An empty text means "not given" (a form's empty box).
        case absent
    }

    /// The fields that `value(key)` spells; keys it has no text for keep
    /// their value in `defaults`.
    ///
    /// - Parameters:
    ///   - defaults: the fields before reading (a command's required sizes, the explorer's first view).
    ///   - empty: whether an empty text is refused or stands for an absent key (never for `input` and `kernel`).
    ///   - value: the text of a key, or nil when it is not given.
    /// - Returns: the fields; whether they make an operation is `ConvolutionOperator(_:)`'s judgement.
    /// - Throws: `GeometryError.invalid` naming the first key whose text is not of its syntax.
    package static func decode(
        defaults: ConvolutionFields, empty: EmptyValue = .refused, _ value: (String) -> String?
    ) throws(GeometryError) -> ConvolutionFields {
        func text(_ key: String) -> String? {
            guard let text = value(key) else { return nil }
            return text.isEmpty && empty == .absent && key != "input" && key != "kernel" ? nil : text
        }
        var fields = defaults
        if let input = text("input") { fields.input = try FieldSyntax.sizes(input, field: "input") }
        if let kernel = text("kernel") { fields.kernel = try FieldSyntax.sizes(kernel, field: "kernel") }
        if let stride = text("stride") { fields.stride = try FieldSyntax.sizes(stride, field: "stride") }
        if let padding = text("padding") { fields.padding = try FieldSyntax.padding(padding, field: "padding") }
        if let mode = text("padding_mode") { fields.paddingMode = try paddingMode(mode) }
        if let dilation = text("dilation") { fields.dilation = try FieldSyntax.sizes(dilation, field: "dilation") }
        if let count = text("in_channels") { fields.inChannels = try wholeNumber(count, field: "in_channels") }
        if let count = text("out_channels") { fields.outChannels = try wholeNumber(count, field: "out_channels") }
        if let count = text("groups") { fields.groups = try wholeNumber(count, field: "groups") }
        if let flag = text("transposed") { fields.transposed = try truth(flag, field: "transposed") }
        if let sizes = text("output_padding") { fields.outputPadding = try FieldSyntax.sizes(sizes, field: "output_padding") }
        if let sizes = text("output_size") { fields.outputSize = try FieldSyntax.sizes(sizes, field: "output_size") }
        return fields
    }

    /// The fields as (key, text) pairs in `keys` order.
    ///
    /// - Parameters:
    ///   - fields: the fields to write.
    ///   - complete: true to write every key (an absent `output_padding` or
    ///     `output_size` as empty text, lists as given); false for the short
    ///     form of a replay line: keys at their defaults left out, a list
    ///     whose values all agree written once (`3` for 3×3), padding pairs
    ///     whose sides agree as one amount.
    /// - Returns: the pairs; `decode` of them gives `fields` back.
    package static func encode(_ fields: ConvolutionFields, complete: Bool) -> [(key: String, value: String)] {
        let sizes = { (values: [Int]) in complete ? values.map(String.init).joined(separator: "x") : compact(values) }
        let isDefault = { (values: [Int], value: Int) in values.allSatisfy { $0 == value } }
        var pairs: [(key: String, value: String)] = [
            ("input", fields.input.map(String.init).joined(separator: "x")), ("kernel", sizes(fields.kernel)),
        ]
        if complete || !isDefault(fields.stride, 1) { pairs.append(("stride", sizes(fields.stride))) }
        switch fields.padding {
        case .same: pairs.append(("padding", "same"))
        case .valid: pairs.append(("padding", "valid"))
        case .symmetric(let amounts):
            if complete || !isDefault(amounts, 0) { pairs.append(("padding", sizes(amounts))) }
        case .explicit(let before, let after):
            if before != after {
                pairs.append(("padding", zip(before, after).map { "\($0):\($1)" }.joined(separator: "x")))
            } else if complete || !isDefault(before, 0) {
                pairs.append(("padding", complete ? zip(before, after).map { "\($0):\($1)" }.joined(separator: "x") : sizes(before)))
            }
        }
        if complete || fields.paddingMode != .zeros { pairs.append(("padding_mode", fields.paddingMode.rawValue)) }
        if complete || !isDefault(fields.dilation, 1) { pairs.append(("dilation", sizes(fields.dilation))) }
        for (key, count) in [("in_channels", fields.inChannels), ("out_channels", fields.outChannels), ("groups", fields.groups)]
        where complete || count != 1 {
            pairs.append((key, "\(count)"))
        }
        if complete || fields.transposed { pairs.append(("transposed", fields.transposed ? "true" : "false")) }
        if let outputPadding = fields.outputPadding, complete || !isDefault(outputPadding, 0) {
            pairs.append(("output_padding", sizes(outputPadding)))
        } else if complete {
            pairs.append(("output_padding", ""))
        }
        if let outputSize = fields.outputSize {
            pairs.append(("output_size", outputSize.map(String.init).joined(separator: "x")))
        } else if complete {
            pairs.append(("output_size", ""))
        }
        return pairs
    }

    /// The command-line flag of a key: `in_channels` → `--in-channels`.
    ///
    /// - Parameter key: a field name.
    /// - Returns: `--` and the name with dashes for underscores.
    package static func flag(_ key: String) -> String { "--" + key.replacing("_", with: "-") }

    /// How a program that takes some field names as flags spells a field in a
    /// message: `stride[0]` → `--stride[0]` when `stride` is one of `flagKeys`,
    /// any other name as it is.
    ///
    /// - Parameters:
    ///   - field: a field name as library messages use it, such as `stride[0]` or `output_padding`.
    ///   - flagKeys: the field names the program takes as flags of the same name.
    /// - Returns: the flag with any index kept, or `field` itself.
    package static func spelling(_ field: String, flagKeys: Set<String>) -> String {
        let base = String(field.prefix { ("a"..."z").contains($0) || $0 == "_" })
        let rest = field.dropFirst(base.count)
        guard flagKeys.contains(base), rest.isEmpty || rest.hasPrefix("[") || rest.hasPrefix(" ") else { return field }
        return flag(base) + rest
    }

    /// A padding mode by its PyTorch name.
    ///
    /// - Parameter text: `zeros`, `reflect`, `replicate` or `circular`.
    /// - Returns: the mode.
    /// - Throws: `GeometryError.invalid` naming `padding_mode` for any other text.
    package static func paddingMode(_ text: String) throws(GeometryError) -> PaddingMode {
        guard let mode = PaddingMode(rawValue: text) else {
            throw .invalid(
                field: "padding_mode",
                reason: "= \(quoted: text) must be \(PaddingMode.allCases.map(\.rawValue).joined(separator: ", ")) (PyTorch's padding_mode)")
        }
        return mode
    }

    /// A channel or group count: a whole number (whether it is at least 1 is the operator's rule).
    private static func wholeNumber(_ text: String, field: String) throws(GeometryError) -> Int {
        guard let value = Int(text) else { throw .invalid(field: field, reason: "= \(quoted: text) is not a whole number") }
        return value
    }

    /// `true`/`false`, as a checkbox sends them (also `1`/`0`, `on`/`off`, and empty for false).
    ///
    /// - Parameters:
    ///   - text: the value.
    ///   - field: the field named in a refusal.
    /// - Returns: the truth value.
    /// - Throws: `GeometryError.invalid` naming `field` for any other text.
    package static func truth(_ text: String, field: String) throws(GeometryError) -> Bool {
        switch text {
        case "true", "1", "on": return true
        case "false", "0", "off", "": return false
        default: throw .invalid(field: field, reason: "= \(quoted: text) must be true or false")
        }
    }

    /// "2" for [2, 2, 2], "2x1" for [2, 1].
    private static func compact(_ values: [Int]) -> String {
        Set(values).count == 1 ? "\(values[0])" : values.map(String.init).joined(separator: "x")
    }
}

extension ConvolutionFields {
    /// The flags that describe these fields, defaults left out:
    /// `--input 3x3 --kernel 2 --stride 2 --padding 0:1 --transposed …`, the
    /// codec's short form with each key as its flag (`transposed` bare).
    package var commandLineArguments: [String] {
        FieldCodec.encode(self, complete: false).flatMap { pair in
            pair.key == "transposed" ? [FieldCodec.flag(pair.key)] : [FieldCodec.flag(pair.key), pair.value]
        }
    }

    /// The `convmat matrix` command that writes these fields' matrix again,
    /// as a matrix file records it: the geometry (`commandLineArguments`),
    /// the weights in `--weights` syntax, then `extra` (view and format
    /// flags, already spelled).
    ///
    /// - Parameters:
    ///   - weights: the kernel's values as written (`1,-2,0.5`), or nil for a symbolic matrix.
    ///   - extra: flags that follow, such as `["--format", "mtx"]`.
    /// - Returns: the command as one line, words separated by spaces.
    package func matrixCommand(weights: String?, extra: [String]) -> String {
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
    package var arguments: [String] {
        ConvolutionFields(describing: convolutionOperator).commandLineArguments + ["--seed", "\(seed)"]
    }

    /// `convmat verify --input … --seed …`.
    package var command: String { (["convmat", "verify"] + arguments).joined(separator: " ") }
}
