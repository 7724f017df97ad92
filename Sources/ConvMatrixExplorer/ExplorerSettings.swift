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
    package static let keys = Set(FieldCodec.keys).union(["weights", "flip", "order", "row", "column"])

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

    /// The settings as a query again, every key written (the page's URL).
    package var query: ExplorerQuery {
        let pairs =
            FieldCodec.encode(fields, complete: true) + [
                ("weights", numericWeights ? "numeric" : "symbolic"), ("flip", flip ? "true" : "false"),
                ("order", order.rawValue), ("row", "\(row)"), ("column", "\(column)"),
            ]
        return ExplorerQuery(pairs: pairs)
    }
}
