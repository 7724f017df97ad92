/// The compact spellings of sizes, padding and numbers used on the command
/// line: `4x4` (or `4×4`, `4,4`) for per-dimension sizes, a single number
/// for "the same in every dimension", `same`/`valid` or `1x0` or `0:1x1:0`
/// (before:after per dimension) for padding, and `1,-2,0.5` for values.
public enum GeometrySyntax {
    /// Whole numbers separated by `x`, `×` or `,`; `field` names the flag in errors.
    public static func sizes(_ text: String, field: String) throws(GeometryError) -> [Int] {
        let parts = split(text)
        guard !parts.isEmpty else { throw .invalid(field: field, reason: "= \"\(text)\" is not a list of whole numbers like 4x4") }
        var result = [Int]()
        for part in parts {
            guard let value = Int(part) else {
                throw .invalid(field: field, reason: "= \"\(text)\" is not a list of whole numbers like 4x4")
            }
            result.append(value)
        }
        return result
    }

    /// `same`, `valid`, `2`, `1x0`, or `before:after` per dimension such as `0:1x1:0`.
    public static func padding(_ text: String, field: String = "--padding") throws(GeometryError) -> Padding {
        switch text.lowercased() {
        case "same": return .same
        case "valid": return .valid
        default: break
        }
        let parts = split(text)
        guard !parts.isEmpty else { throw .invalid(field: field, reason: "= \"\(text)\" is not valid; write 1, 1x0, 0:1x1:0, same or valid") }
        if parts.contains(where: { $0.contains(":") }) {
            var before = [Int](), after = [Int]()
            for part in parts {
                let sides = part.split(separator: ":", omittingEmptySubsequences: false)
                guard sides.count == 2, let b = Int(sides[0]), let a = Int(sides[1]) else {
                    throw .invalid(field: field, reason: "= \"\(text)\": write before:after for each dimension, like 0:1x1:0")
                }
                before.append(b)
                after.append(a)
            }
            return .explicit(before: before, after: after)
        }
        return .symmetric(try sizes(text, field: field))
    }

    /// Comma-separated real numbers (negative values and exponents allowed).
    public static func numbers(_ text: String, field: String) throws(GeometryError) -> [Double] {
        var result = [Double]()
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { part in
            String(part.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
        }
        for (n, part) in parts.enumerated() {
            if part.isEmpty {
                throw .invalid(field: "\(field)[\(n)]", reason: "is empty; write numbers separated by single commas, like 1,-2,0.5")
            }
            // Decimal notation only: Swift would also read hexadecimal (0x10) and words.
            let decimal = part.allSatisfy { "0123456789.eE+-".contains($0) }
            guard let value = Double(part), decimal || !value.isFinite else {
                throw .invalid(field: "\(field)[\(n)]", reason: "= \"\(part)\" is not a decimal number")
            }
            guard value.isFinite else {
                throw .invalid(field: "\(field)[\(n)]", reason: "= \(part) is not a finite number")
            }
            if value == 0 && part.contains(where: { "123456789".contains($0) }) && part.contains(where: { $0 == "e" || $0 == "E" }) {
                throw .invalid(field: "\(field)[\(n)]", reason: "= \(part) is too small for Float64 (it would become 0)")
            }
            result.append(value)
        }
        return result
    }

    /// The convolution (and, when `transposed`, the transposed convolution)
    /// that the command-line spellings describe: `input` and `kernel` sizes,
    /// `stride`, `padding`, `dilation`, channels and groups, and for a
    /// transposed convolution `outputPadding` or `outputSize`. Messages name
    /// the flags (`--input`, `--output-padding`, …).
    public static func geometry(
        input: String, kernel: String, stride: String = "1", padding: String = "0", dilation: String = "1",
        inChannels: Int = 1, outChannels: Int = 1, groups: Int = 1,
        outputPadding: String = "0", outputSize: String? = nil, transposed: Bool = false
    ) throws(GeometryError) -> (convolution: ConvolutionGeometry, transposed: TransposedConvolutionGeometry?) {
        let inputSize = try sizes(input, field: "--input")
        let kernelSize = try sizes(kernel, field: "--kernel")
        let strides = try sizes(stride, field: "--stride")
        let dilations = try sizes(dilation, field: "--dilation")
        let paddingValue = try self.padding(padding)
        let extra = try sizes(outputPadding, field: "--output-padding")
        if transposed {
            let requested = try outputSize.map { text throws(GeometryError) in try sizes(text, field: "--output-size") }
            let geometry = try TransposedConvolutionGeometry(
                inputSize: inputSize, kernelSize: kernelSize, stride: strides, dilation: dilations,
                padding: paddingValue, outputPadding: extra, outputSize: requested,
                inChannels: inChannels, outChannels: outChannels, groups: groups)
            return (geometry.convolution, geometry)
        }
        if extra.contains(where: { $0 != 0 }) {
            throw .invalid(field: "--output-padding", reason: "applies only with --transposed")
        }
        if outputSize != nil {
            throw .invalid(field: "--output-size", reason: "applies only with --transposed")
        }
        let geometry = try ConvolutionGeometry(
            inputSize: inputSize, kernelSize: kernelSize, stride: strides, dilation: dilations,
            padding: paddingValue, inChannels: inChannels, outChannels: outChannels, groups: groups)
        return (geometry, nil)
    }

    /// The parts between `x`, `×` or `,`; an empty part (as in `4x`, `4xx4`) makes the whole list invalid.
    private static func split(_ text: String) -> [String] {
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "x" || $0 == "X" || $0 == "×" || $0 == "," })
            .map { String($0.filter { $0 != " " }) }
        return parts.contains(where: \.isEmpty) ? [] : parts
    }
}
