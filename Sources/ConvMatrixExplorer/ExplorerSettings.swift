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
/// | `weights` | `symbolic`, `numeric` (the kernel 1, 2, 3, …) or the kernel's numbers, `0,1,2,3` (the CLI's `--weights`) | `symbolic` |
/// | `values` | the drawn operation's input, `0,1,2,3` (the CLI's `--values`: x, or y when transposed), or empty for names | none |
/// | `order` | `row-major` or `column-major` | `row-major` |
/// | `row`, `column` | the printed row and column selected (pictures draw their step) | `0` |
/// | `present` | `true`/`false`: projector mode (the page's layout only) | `false` |
/// | `zoom` | `fit` or the projector's type size in percent, 50 to 400 (the page's layout only) | `fit` |
///
/// `present` and `zoom` change nothing the server computes; they are read and written here so
/// that the URL stays the page's whole state, in one syntax with one set of checks.
package struct ExplorerSettings: Hashable, Sendable {
    /// The convolution or transposed convolution, field by field.
    package var fields: ConvolutionFields
    /// The kernel's entries: names, the kernel 1, 2, 3, …, or the user's numbers.
    package var weights = Weights.symbolic
    /// The drawn operation's input (x, or y when transposed), row-major, written into the pictures; nil for names.
    package var values: [Double]?
    /// True convolution: the kernel rotated by 180° (the CLI's `--flip`).
    package var flip = false
    /// How positions are flattened in the printed matrix (the CLI's `--order`).
    package var order = MatrixOrder.rowMajor
    /// The printed row whose output the pictures draw (sliding, zero insertion).
    package var row = 0
    /// The printed column whose input the scatter picture draws.
    package var column = 0
    /// Projector mode: C and the linked picture side by side, large (the page's layout only).
    package var present = false
    /// The projector's type size in percent of the page's (`nil`: as large as fits); the page's layout only.
    package var zoom: Int?

    /// What the kernel's entries are.
    package enum Weights: Hashable, Sendable {
        /// Names: `w₀,₁`.
        case symbolic
        /// The kernel 1, 2, 3, … (`Kernel.counting`), so that every nonzero of C names its tap.
        case counting
        /// The user's numbers, PyTorch order, as the CLI's `--weights` takes them.
        case numbers([Double])
    }

    /// The keys a query may hold.
    package static let keys = Set(FieldCodec.keys).union(["weights", "values", "flip", "order", "row", "column", "present", "zoom"])

    /// The most numbers `weights` and `values` may hold, counted before any is read. A query of
    /// 2048 bytes holds at most 1024; the limit keeps the work bounded if that one ever grows.
    package static let numberLimit = 1024

    /// The zoom percentages accepted.
    package static let zoomRange = 50...400

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
            fields = try FieldCodec.decode(defaults: fields, empty: .absent) { query[$0] }
            flip = try FieldCodec.truth(query["flip"] ?? "false", field: "flip")
            present = try FieldCodec.truth(query["present"] ?? "false", field: "present")
            switch query["weights"] ?? "symbolic" {
            case "symbolic", "": weights = .symbolic
            case "numeric": weights = .counting
            case let text:
                try Self.checkCount(text, field: "weights")
                guard text.contains(where: \.isNumber) else {
                    throw .invalid(field: "weights", reason: "= \(quoted: text) is not a choice; give symbolic, numeric or the kernel's numbers, like 0,1,2,3")
                }
                weights = .numbers(try FieldSyntax.numbers(text, field: "weights"))
            }
            values = try Self.nonEmpty(query["values"]).map { text throws(GeometryError) in try Self.numbers(text, field: "values") }
            switch query["zoom"] ?? "fit" {
            case "fit", "": zoom = nil
            case let text:
                guard let percent = Int(text), Self.zoomRange.contains(percent) else {
                    throw .invalid(
                        field: "zoom",
                        reason: "= \(quoted: text) must be fit or a whole percentage from \(Self.zoomRange.lowerBound) to \(Self.zoomRange.upperBound)")
                }
                zoom = percent
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

    /// Comma-separated numbers in the CLI's syntax (`FieldSyntax.numbers`), refused before
    /// they are read when there are more than `numberLimit`.
    private static func numbers(_ text: String, field: String) throws(GeometryError) -> [Double] {
        try checkCount(text, field: field)
        return try FieldSyntax.numbers(text, field: field)
    }

    /// Refuses a list of more than `numberLimit` entries, counted by its commas.
    private static func checkCount(_ text: String, field: String) throws(GeometryError) {
        let count = text.utf8.count { $0 == UInt8(ascii: ",") } + 1
        guard count <= numberLimit else {
            throw .invalid(field: field, reason: "has \(count) numbers; the explorer takes at most \(numberLimit) (convmat takes any number)")
        }
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// The settings as a query again (the page's URL): every key of the view written, `values`,
    /// `present` and `zoom` only when set, so that a plain link stays as short as before.
    package var query: ExplorerQuery {
        var pairs =
            FieldCodec.encode(fields, complete: true) + [
                ("weights", weightsText), ("flip", flip ? "true" : "false"),
                ("order", order.rawValue), ("row", "\(row)"), ("column", "\(column)"),
            ]
        if let values { pairs.insert(("values", Self.list(values)), at: pairs.count - 2) }
        if present { pairs.append(("present", "1")) }
        if let zoom { pairs.append(("zoom", "\(zoom)")) }
        return ExplorerQuery(pairs: pairs)
    }

    /// `weights` as the query writes it: `symbolic`, `numeric` or the numbers.
    var weightsText: String {
        switch weights {
        case .symbolic: return "symbolic"
        case .counting: return "numeric"
        case .numbers(let numbers): return Self.list(numbers)
        }
    }

    /// Numbers as the CLI's flags take them: `0,1,2.5,-3`.
    static func list(_ numbers: [Double]) -> String {
        numbers.map(formatNumber).joined(separator: ",")
    }
}
