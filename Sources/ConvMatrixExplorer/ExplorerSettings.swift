import ConvMatrix

/// Every setting of the explorer's page, read from its query: the
/// convolution's fields under the library's names and syntax (the CLI's
/// flags with underscores: `input=5x5&stride=2&padding=same&in_channels=2`)
/// and the view's conventions.
///
/// | key | value | default |
/// | --- | --- | --- |
/// | `input`, `kernel` | sizes, `5x5` or `5` | `5x5`, `3` |
/// | `stride`, `dilation` | sizes | `1` |
/// | `padding` | `1`, `1x0`, `0:1x1:0`, `same`, `valid` | `0` |
/// | `in_channels`, `out_channels`, `groups` | whole numbers | `1` |
/// | `transposed`, `flip` | `true`/`false` (`1`/`0`) | `false` |
/// | `output_padding`, `output_size` | sizes, or empty for none | none |
/// | `weights` | `symbolic` or `numeric` (the kernel 1, 2, 3, …) | `symbolic` |
/// | `order` | `row-major` or `column-major` | `row-major` |
/// | `row`, `column` | the printed row and column selected (pictures draw their step) | `0` |
package struct ExplorerSettings: Hashable, Sendable {
    /// The convolution or transposed convolution, field by field.
    package var fields: ConvolutionFields
    /// Numbers (the kernel 1, 2, 3, … as `Kernel.counting`) instead of symbolic entries.
    package var numericWeights = false
    /// True convolution: the kernel rotated by 180° (the CLI's `--flip`).
    package var flip = false
    /// How positions are flattened in the printed matrix (the CLI's `--order`).
    package var order = MatrixOrder.rowMajor
    /// The printed row whose output the pictures draw (sliding, zero insertion).
    package var row = 0
    /// The printed column whose input the scatter picture draws.
    package var column = 0

    /// The keys a query may hold.
    package static let keys: Set<String> = [
        "input", "kernel", "stride", "padding", "dilation", "in_channels", "out_channels", "groups",
        "transposed", "output_padding", "output_size", "weights", "flip", "order", "row", "column",
    ]

    /// The most channels the explorer shows; the CLI has no such limit.
    package static let channelLimit = 64

    /// The page's first view: a 5×5 input and a 3×3 kernel.
    package init(fields: ConvolutionFields = ConvolutionFields(input: [5, 5], kernel: [3])) {
        self.fields = fields
    }

    /// The settings a query gives; keys it leaves out keep their defaults.
    ///
    /// - Throws: `ExplorerError.malformed` for a query that is not the
    ///   explorer's (unknown key, `row` not a whole number), and
    ///   `ExplorerError.refused` naming the field whose value the field
    ///   syntax refuses, with the CLI's message.
    package init(_ query: ExplorerQuery) throws(ExplorerError) {
        self.init()
        for (key, index) in [("row", \ExplorerSettings.row), ("column", \ExplorerSettings.column)] {
            if let text = query[key] {
                guard let value = Int(text), value >= 0 else { throw .malformed("\(key) = \(ExplorerQuery.quote(text)) is not a whole number ≥ 0") }
                self[keyPath: index] = value
            }
        }
        do throws(GeometryError) {
            fields.input = try FieldSyntax.sizes(query["input"] ?? "5x5", field: "input")
            fields.kernel = try FieldSyntax.sizes(query["kernel"] ?? "3", field: "kernel")
            fields.stride = try FieldSyntax.sizes(Self.nonEmpty(query["stride"]) ?? "1", field: "stride")
            fields.padding = try FieldSyntax.padding(Self.nonEmpty(query["padding"]) ?? "0", field: "padding")
            fields.dilation = try FieldSyntax.sizes(Self.nonEmpty(query["dilation"]) ?? "1", field: "dilation")
            fields.inChannels = try Self.count(query["in_channels"], field: "in_channels")
            fields.outChannels = try Self.count(query["out_channels"], field: "out_channels")
            fields.groups = try Self.count(query["groups"], field: "groups")
            fields.transposed = try Self.flag(query["transposed"], field: "transposed")
            fields.outputPadding = try Self.nonEmpty(query["output_padding"]).map { text throws(GeometryError) in try FieldSyntax.sizes(text, field: "output_padding") }
            fields.outputSize = try Self.nonEmpty(query["output_size"]).map { text throws(GeometryError) in try FieldSyntax.sizes(text, field: "output_size") }
            flip = try Self.flag(query["flip"], field: "flip")
            switch query["weights"] ?? "symbolic" {
            case "symbolic", "": numericWeights = false
            case "numeric": numericWeights = true
            case let other: throw .invalid(field: "weights", reason: "= \(quoted: other) is not a choice; give symbolic or numeric")
            }
            let orderText = Self.nonEmpty(query["order"]) ?? "row-major"
            guard let order = MatrixOrder(rawValue: orderText) else {
                throw .invalid(field: "order", reason: "= \(quoted: orderText) is not a choice; give row-major or column-major")
            }
            self.order = order
        } catch {
            throw ExplorerError.refusal(error)
        }
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// A channel or group count: a whole number (the operator checks that it is at least 1).
    private static func count(_ text: String?, field: String) throws(GeometryError) -> Int {
        guard let text = nonEmpty(text) else { return 1 }
        guard let value = Int(text) else { throw .invalid(field: field, reason: "= \(quoted: text) is not a whole number") }
        return value
    }

    /// `true`/`false`, as a checkbox sends them (also `1`/`0`, `on`/`off`).
    private static func flag(_ text: String?, field: String) throws(GeometryError) -> Bool {
        switch text ?? "false" {
        case "true", "1", "on": return true
        case "false", "0", "off", "": return false
        case let other: throw .invalid(field: field, reason: "= \(quoted: other) must be true or false")
        }
    }

    /// The settings as a query again, every key written (the page's URL).
    package var query: ExplorerQuery {
        let f = fields
        let sizes = { (values: [Int]) in values.map(String.init).joined(separator: "x") }
        let padding: String
        switch f.padding {
        case .same: padding = "same"
        case .valid: padding = "valid"
        case .symmetric(let amounts): padding = sizes(amounts)
        case .explicit(let before, let after): padding = zip(before, after).map { "\($0):\($1)" }.joined(separator: "x")
        }
        let pairs: [(key: String, value: String)] = [
            ("input", sizes(f.input)), ("kernel", sizes(f.kernel)), ("stride", sizes(f.stride)), ("padding", padding),
            ("dilation", sizes(f.dilation)), ("in_channels", "\(f.inChannels)"), ("out_channels", "\(f.outChannels)"),
            ("groups", "\(f.groups)"), ("transposed", f.transposed ? "true" : "false"),
            ("output_padding", f.outputPadding.map(sizes) ?? ""), ("output_size", f.outputSize.map(sizes) ?? ""),
            ("weights", numericWeights ? "numeric" : "symbolic"), ("flip", flip ? "true" : "false"),
            ("order", order.rawValue), ("row", "\(row)"), ("column", "\(column)"),
        ]
        return ExplorerQuery(pairs: pairs)
    }
}
