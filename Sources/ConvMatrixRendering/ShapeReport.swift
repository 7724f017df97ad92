import ConvMatrixCore
import ConvMatrixInterchange

/// The sizes of an operation with the formula filled in, per dimension, as
/// `convmat shape` prints them (text or JSON). For a transposed convolution
/// it also lists, per dimension, each set of output sizes under its own
/// rule (`TransposedOutputSizes`: PyTorch's `output_padding` and
/// `output_size`, TensorFlow's `output_shape` under SAME and VALID, and the
/// sizes a convolution maps back to the input), each as a range, and says in
/// one sentence why they differ when they do.
public struct ShapeReport: Sendable {
    /// The operation described.
    package let convolutionOperator: ConvolutionOperator
    /// For a transposed convolution, the output-size sets of every dimension; empty for a convolution.
    package let outputSizes: [TransposedOutputSizes]
    /// The convolution's input x, [C_in, i…] row-major, to print padded (`setValues`); nil prints no values.
    package private(set) var values: [Double]?

    /// The most positions of a padded input the report prints with values.
    package static let paddedValueLimit = 10_000

    /// Adds the input x, whose padded form the report then prints (the padding
    /// filled as the geometry's `PaddingMode` fills it).
    ///
    /// - Parameter values: C_in · Π i_j numbers, [C_in, i…] row-major.
    /// - Throws: `RenderingError.invalid` naming `values` for a transposed convolution, a wrong count, or a padded input too large to print.
    package mutating func setValues(_ values: [Double]) throws(RenderingError) {
        guard case .convolution(let c) = convolutionOperator else {
            throw .invalid(field: "values", reason: "applies to a convolution's input, which shape prints padded; a transposed convolution has no padded input")
        }
        guard values.count == c.columnCount else {
            throw .invalid(
                field: "values",
                reason:
                    "has \(values.count) number\(values.count == 1 ? "" : "s") but the input [\(c.inChannels), \(formatSize(c.inputSize))] needs \(c.columnCount)"
            )
        }
        let padded = Checked.saturating { () throws(GeometryError) in
            try Checked.product((0..<c.spatialRank).map { c.paddingBefore[$0] + c.inputSize[$0] + c.paddingAfter[$0] } + [c.inChannels], "padded input")
        }
        guard padded <= Self.paddedValueLimit else {
            throw .invalid(field: "values", reason: "would print a padded input of \(padded) positions; shape prints at most \(Self.paddedValueLimit)")
        }
        self.values = values
    }

    /// The report for `convolutionOperator`.
    ///
    /// - Throws: `GeometryError.overflow` when an end of an output-size set does not fit into 64 bits.
    /// - Parameter convolutionOperator: the convolution or transposed convolution to explain.
    public init(_ convolutionOperator: ConvolutionOperator) throws(GeometryError) {
        self.convolutionOperator = convolutionOperator
        if case .transposed(let t) = convolutionOperator {
            outputSizes = try t.outputSizes()
        } else {
            outputSizes = []
        }
    }

    /// The names of the output-size sets, in the order the report lists them.
    static let setNames = [
        "PyTorch output_padding (below max(s, d))",
        "PyTorch output_size",
        "TensorFlow output_shape, SAME",
        "TensorFlow output_shape, VALID",
        "a convolution maps back to the input",
    ]

    /// The report as lines of text, ending with a newline.
    public var text: String {
        var lines = [String]()
        let c = convolutionOperator.convolution
        func settings(_ d: Int) -> String {
            "k=\(c.kernelSize[d]) s=\(c.stride[d]) d=\(c.dilation[d]) padding \(c.paddingBefore[d])+\(c.paddingAfter[d])"
        }
        switch convolutionOperator {
        case .convolution:
            lines.append(
                "convolution: input \(formatSize(c.inputSize)) → output \(formatSize(c.outputSize)), channels \(c.inChannels) → \(c.outChannels), groups \(c.groups)"
            )
            lines.append("o = ⌊(i + p_before + p_after − d·(k − 1) − 1) / s⌋ + 1")
            for d in 0..<c.spatialRank {
                lines.append(
                    "  dim \(d) (\(settings(d))): ⌊(\(c.inputSize[d]) + \(c.paddingBefore[d]) + \(c.paddingAfter[d]) − \(c.dilation[d])·\(c.kernelSize[d] - 1) − 1) / \(c.stride[d])⌋ + 1 = \(c.outputSize[d])"
                )
            }
        case .transposed(let t):
            lines.append(
                "transposed convolution: input \(formatSize(t.inputSize)) → output \(formatSize(t.outputSize)), channels \(t.inChannels) → \(t.outChannels), groups \(c.groups)"
            )
            lines.append("o′ = (i′ − 1)·s − p_before − p_after + d·(k − 1) + 1 + output_padding")
            for d in 0..<c.spatialRank {
                lines.append(
                    "  dim \(d) (\(settings(d))): (\(t.inputSize[d]) − 1)·\(c.stride[d]) − \(c.paddingBefore[d]) − \(c.paddingAfter[d]) + \(c.dilation[d])·\(c.kernelSize[d] - 1) + 1 + \(t.outputPadding[d]) = \(t.outputSize[d])"
                )
            }
            lines.append("output sizes that go with input \(formatSize(t.inputSize)), each set as first … last (count):")
            lines += table(t)
            if let difference { lines.append(difference) }
        }
        if c.paddingMode != .zeros {
            lines.append(
                "padding_mode \(c.paddingMode.rawValue): the padding holds copies of input elements; the element each padded position holds, per dimension (| around the data):"
            )
            for d in 0..<c.spatialRank { lines.append("  dim \(d): " + copiedPositions(d)) }
        }
        if let values, case .convolution = convolutionOperator { lines += paddedValues(values) }
        let op = convolutionOperator
        lines.append("matrix \(op.matrixName): \(op.rowCount)×\(op.columnCount), \(c.nonzeroCount) nonzeros")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The input index each padded position of dimension `d` holds, the data
    /// between bars, long runs of the data shortened to their ends: `2 1 | 0 1 2 | 1 0`.
    private func copiedPositions(_ d: Int) -> String {
        let c = convolutionOperator.convolution
        let (i, before, after) = (c.inputSize[d], c.paddingBefore[d], c.paddingAfter[d])
        func held(_ q: Int) -> String { c.paddingMode.source(ofPadded: q, inputSize: i, paddingBefore: before).map(String.init) ?? "0" }
        func run(_ range: Range<Int>) -> String {
            guard range.count > 12 else { return range.map(held).joined(separator: " ") }
            return (range.prefix(4).map(held) + ["…"] + range.suffix(4).map(held)).joined(separator: " ")
        }
        return [run(0..<before), run(before..<(before + i)), run((before + i)..<(before + i + after))].filter { !$0.isEmpty }.joined(separator: " | ")
    }

    /// The padded input of `values`, channel by channel: one line per row of the last dimension.
    private func paddedValues(_ values: [Double]) -> [String] {
        let c = convolutionOperator.convolution
        let rank = c.spatialRank
        let padded = (0..<rank).map { c.paddingBefore[$0] + c.inputSize[$0] + c.paddingAfter[$0] }
        let strides = rowMajorStrides(c.inputSize)
        var lines = ["padded input (padding \(c.paddingMode == .zeros ? "zeros" : "copies, padding_mode \(c.paddingMode.rawValue)")):"]
        for channel in 0..<c.inChannels {
            var rows = [String]()
            var row = [String]()
            forEachIndex(of: padded) { q in
                if rank > 2 && q[(rank - 2)...].allSatisfy({ $0 == 0 }) {
                    rows.append("  [" + (q.prefix(rank - 2).map(String.init) + [":", ":"]).joined(separator: ", ") + "]")
                }
                var offset = channel * c.inputVolume
                var zero = false
                for d in 0..<rank {
                    guard let x = c.paddingMode.source(ofPadded: q[d], inputSize: c.inputSize[d], paddingBefore: c.paddingBefore[d]) else {
                        zero = true
                        break
                    }
                    offset += x * strides[d]
                }
                row.append(zero ? "0" : formatNumber(values[offset]))
                if q[rank - 1] == padded[rank - 1] - 1 {
                    rows.append("  " + row.joined(separator: " "))
                    row.removeAll()
                }
            }
            if c.inChannels > 1 { lines.append(" channel \(channel):") }
            lines += rows
        }
        return lines
    }

    /// The sets as a table: one row per rule, one column per dimension.
    private func table(_ t: TransposedConvolutionGeometry) -> [String] {
        let missing = t.padding == .same ? "— (PyTorch has no SAME)" : "none"
        func cell(_ range: ClosedRange<Int>?) -> String {
            guard let range else { return missing }
            return "\(range.lowerBound) … \(range.upperBound) (\(range.count))"
        }
        let rows: [[String]] = [
            outputSizes.map { cell($0.pytorchOutputPadding) },
            outputSizes.map { cell($0.pytorchOutputSize) },
            outputSizes.map { cell($0.tensorflowSame) },
            outputSizes.map { cell($0.tensorflowValid) },
            outputSizes.map { cell($0.convolutionMapsBack) },
        ]
        let nameWidth = Self.setNames.map(\.count).max() ?? 0
        let columnWidths = outputSizes.indices.map { d in max(rows.map { $0[d].count }.max() ?? 0, "dim \(d)".count) }
        func line(_ name: String, _ cells: [String]) -> String {
            let padded = cells.enumerated().map { d, text in text.padding(to: columnWidths[d]) }
            return ("  " + name.padding(to: nameWidth) + "  " + padded.joined(separator: "   ")).trimmingTrailingSpaces()
        }
        var lines = [line("", outputSizes.indices.map { "dim \($0)" })]
        for (name, cells) in zip(Self.setNames, rows) { lines.append(line(name, cells)) }
        return lines
    }

    /// One sentence saying why the sets of a transposed convolution differ,
    /// or nil when they agree (and for a convolution). The sets can differ
    /// for two reasons only: `output_padding` may exceed the stride when the
    /// dilation is larger, reaching sizes from which a convolution gives
    /// more outputs than the input has; and SAME, VALID and numeric padding
    /// are different paddings of the convolution that must map back.
    public var difference: String? {
        guard case .transposed(let t) = convolutionOperator else { return nil }
        let c = t.convolution
        let rank = c.spatialRank
        func inDimension(_ d: Int) -> String { rank == 1 ? "" : "in dim \(d), " }
        var clauses = [String]()
        // output_padding past the stride (dilation > stride).
        if let d = outputSizes.indices.first(where: { d in
            guard let reached = outputSizes[d].pytorchOutputPadding else { return false }
            return reached.upperBound > (outputSizes[d].convolutionMapsBack?.upperBound ?? 0)
        }), let natural = outputSizes[d].naturalSize, let reached = outputSizes[d].pytorchOutputPadding {
            let beyond = max(natural + c.stride[d], reached.lowerBound)
            let gives = t.inputSize[d] + (beyond - natural) / c.stride[d]
            clauses.append(
                "\(inDimension(d))output_padding reaches max(s, d) − 1 = \(max(c.stride[d], c.dilation[d]) - 1) past the natural size \(natural), but a convolution of size \(beyond) gives \(gives) outputs, not \(t.inputSize[d])"
            )
        }
        let sameDiffers = outputSizes.contains { $0.tensorflowSame != $0.convolutionMapsBack }
        let validDiffers = outputSizes.contains { $0.tensorflowValid != $0.convolutionMapsBack }
        switch t.padding {
        case .same:
            if validDiffers { clauses.append("VALID does not pad, while SAME pads as much as ⌈o′/s⌉ = i′ needs") }
        case .valid:
            if sameDiffers { clauses.append("SAME pads as much as ⌈o′/s⌉ = i′ needs, while VALID does not pad") }
        case .symmetric, .explicit:
            switch (sameDiffers, validDiffers) {
            case (true, true):
                clauses.append("TensorFlow's SAME pads as much as ⌈o′/s⌉ = i′ needs and VALID not at all, instead of the padding given")
            case (true, false):
                clauses.append("TensorFlow's SAME pads as much as ⌈o′/s⌉ = i′ needs, instead of the padding given")
            case (false, true):
                clauses.append("TensorFlow's VALID does not pad, unlike the padding given")
            case (false, false):
                break
            }
        }
        guard !clauses.isEmpty else { return nil }
        return "They differ because " + clauses.joined(separator: ", and because ") + "."
    }

    /// The report as one JSON object: the operation's sizes and settings per
    /// dimension, its matrix, and for a transposed convolution its
    /// `output_padding`, the output-size sets of every dimension
    /// (`{"first", "last", "count"}`, or null for a set that is empty or
    /// does not apply) and the sentence `why` they differ (or null).
    public var json: String {
        let op = convolutionOperator
        let c = op.convolution
        let rule: String
        switch c.padding {
        case .same: rule = "same"
        case .valid: rule = "valid"
        case .symmetric, .explicit: rule = "explicit"
        }
        var fields: [(String, String)] = [
            ("operation", JSONWriting.string(op.name)),
            ("input", JSONWriting.integers(op.inputSize)),
            ("output", JSONWriting.integers(op.outputSize)),
            ("in_channels", "\(op.inChannels)"),
            ("out_channels", "\(op.outChannels)"),
            ("groups", "\(c.groups)"),
            ("kernel", JSONWriting.integers(c.kernelSize)),
            ("stride", JSONWriting.integers(c.stride)),
            ("dilation", JSONWriting.integers(c.dilation)),
            ("padding", JSONWriting.string(rule)),
            ("padding_before", JSONWriting.integers(c.paddingBefore)),
            ("padding_after", JSONWriting.integers(c.paddingAfter)),
            ("padding_mode", JSONWriting.string(c.paddingMode.rawValue)),
        ]
        if case .transposed(let t) = op {
            func range(_ range: ClosedRange<Int>?) -> String {
                guard let range else { return "null" }
                return JSONWriting.object([("first", "\(range.lowerBound)"), ("last", "\(range.upperBound)"), ("count", "\(range.count)")])
            }
            fields.append(("output_padding", JSONWriting.integers(t.outputPadding)))
            fields.append(
                (
                    "output_sizes",
                    JSONWriting.array(
                        outputSizes.map { sets in
                            JSONWriting.object([
                                ("natural", sets.naturalSize.map(String.init) ?? "null"),
                                ("pytorch_output_padding", range(sets.pytorchOutputPadding)),
                                ("pytorch_output_size", range(sets.pytorchOutputSize)),
                                ("tensorflow_same", range(sets.tensorflowSame)),
                                ("tensorflow_valid", range(sets.tensorflowValid)),
                                ("convolution_maps_back", range(sets.convolutionMapsBack)),
                            ])
                        })
                ))
            fields.append(("why", difference.map(JSONWriting.string) ?? "null"))
        }
        fields.append(
            (
                "matrix",
                JSONWriting.object([
                    ("name", JSONWriting.string(op.matrixName)), ("rows", "\(op.rowCount)"),
                    ("columns", "\(op.columnCount)"), ("nonzeros", "\(c.nonzeroCount)"),
                ])
            ))
        return JSONWriting.object(fields)
    }
}

private extension String {
    /// The text followed by spaces up to `width` characters.
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// The text without spaces at its end.
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
