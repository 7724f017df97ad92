import ConvMatrixCore
import ConvMatrixInterchange

/// X, the matrix of the weights, as printed: y = X·w for the weights w flattened in PyTorch order
/// [C_out, C_in/groups, k…], so ∂L/∂w = Xᵀ·g. Row r of one sample is output element r (as C's
/// row r); column e is kernel entry e; X[r, e] is the input element that kernel entry e of output
/// r reads (`WeightMatrix`: C[r, j] += w[e] in C is X[r, e] = x[j] in X). Several samples stack
/// their blocks of rows. X is block diagonal over the output channels: output channel o reads
/// only o's weights.
///
/// Over the padding (`show_padding`) every tap is shown, those that read the padding marked: with
/// zero padding they read a zero, which X does not store (named by its padded position, x₋₁);
/// with copies in the padding (`PaddingMode`) they read the element copied, which X stores.
///
/// In TensorFlow's layout (the case format's `"layout": "tensorflow"`) the rows are the outputs in
/// [N, o…, C_out] order, the columns the weights in TensorFlow's order [k…, C_in, C_out], and the
/// input values are read in [N, i…, C_in] order, so that y = X·w holds for TensorFlow's tensors
/// flattened as they are.
struct WeightMatrixView {
    /// The convolution.
    let geometry: ConvolutionGeometry
    /// The input values, `samples` blocks of C's `columnCount`, or nil for symbolic entries.
    let inputs: [Double]?
    /// Samples, one block of rows each.
    let samples: Int
    /// Whether the taps that read the padding are shown and marked.
    let showPadding: Bool
    /// Whose order the rows, columns and input values follow.
    let layout: ConvolutionCase.Layout
    /// The convolution walked: `geometry`, or over its padded input to see every tap.
    private let walked: ConvolutionGeometry

    /// One entry of a printed row: kernel entry `column` reads input element `element` (nil for a
    /// zero of the padding), at index `walkedIndex` of the walked input (the padded input when the
    /// padding is shown, where `onPadding` says whether it lies in the padding).
    struct Entry {
        let column: Int
        let element: Int?
        let walkedIndex: Int
        let onPadding: Bool
    }

    init(_ geometry: ConvolutionGeometry, inputs: [Double]?, showPadding: Bool, layout: ConvolutionCase.Layout) throws(RenderingError) {
        self.geometry = geometry
        self.inputs = inputs
        self.showPadding = showPadding
        self.layout = layout
        if layout == .tensorflow && geometry.groups > 1 {
            throw .invalid(
                field: "layout", reason: "tensorflow has no groups in the case format (its weights are [k…, C_in, C_out]); print X in the pytorch layout")
        }
        if layout == .tensorflow && geometry.paddingMode != .zeros {
            throw .invalid(
                field: "padding_mode",
                reason: "= \"\(geometry.paddingMode.rawValue)\" does not exist in TensorFlow, which pads with zeros only; print X in the pytorch layout")
        }
        let perSample = geometry.columnCount
        if let inputs {
            guard !inputs.isEmpty, inputs.count % perSample == 0 else {
                let order = layout == .pytorch ? [geometry.inChannels] + geometry.inputSize : geometry.inputSize + [geometry.inChannels]
                let shape = order.map(String.init).joined(separator: "×")
                throw .invalid(
                    field: "values",
                    reason:
                        "has \(inputs.count) numbers, but the input x of this convolution has \(perSample) per sample (\(layout == .pytorch ? "[C_in, spatial…]" : "[spatial…, C_in]") = \(shape)); give \(perSample), or a multiple of it for a batch (X stacks one block of rows per sample)"
                )
            }
            samples = inputs.count / perSample
        } else {
            samples = 1
        }
        if showPadding {
            do throws(GeometryError) { walked = try geometry.overPaddedInput() } catch {
                throw .tooLarge("the padded input is too large to print: \(error.description)")
            }
        } else {
            walked = geometry
        }
    }

    /// Printed rows: output elements times samples.
    var rowCount: Int { Checked.saturating { () throws(GeometryError) in try Checked.multiply(samples, geometry.rowCount, "rows of X") } }
    /// Printed columns: the weights.
    var columnCount: Int { geometry.weightCount }
    /// The entries X stores: every tap of every sample but those that read a zero of the padding.
    var nonzeroCount: Int {
        Checked.saturating { () throws(GeometryError) in try Checked.multiply(samples, geometry.readCount, "entries of X") }
    }

    /// Calls `body(row, sample, entries)` for every printed row, in order, with its entries (the
    /// taps of C's row, one per kernel entry).
    ///
    /// - Complexity: O(taps · samples) time (C's rows are walked once per sample); memory for one row.
    func forEachRow(_ body: (_ row: Int, _ sample: Int, _ entries: [Entry]) -> Void) {
        let g = geometry
        let inputVolume = g.inputSize.reduce(1, *)
        let walkedVolume = walked.inputSize.reduce(1, *)
        var entries = [Entry]()
        var source = [Int](repeating: 0, count: g.spatialRank)
        func collect(_ pairs: [(column: Int, weightIndex: Int)]) {
            entries.removeAll(keepingCapacity: true)
            for pair in pairs {
                let column = printedColumn(pair.weightIndex)
                guard showPadding else {
                    entries.append(Entry(column: column, element: pair.column, walkedIndex: pair.column, onPadding: false))
                    continue
                }
                let channel = pair.column / walkedVolume
                let padded = rowMajorCoordinates(of: pair.column % walkedVolume, in: walked.inputSize)
                var onPadding = false, isZero = false
                for d in 0..<g.spatialRank {
                    let inside = padded[d] - g.paddingBefore[d]
                    if inside < 0 || inside >= g.inputSize[d] { onPadding = true }
                    if let s = g.paddingMode.source(ofPadded: padded[d], inputSize: g.inputSize[d], paddingBefore: g.paddingBefore[d]) {
                        source[d] = s
                    } else {
                        isZero = true
                    }
                }
                let element = isZero ? nil : channel * inputVolume + rowMajorIndex(source, in: g.inputSize)
                entries.append(Entry(column: column, element: element, walkedIndex: pair.column, onPadding: onPadding))
            }
        }
        if layout == .pytorch {
            let lines = MatrixLines(walked)
            for sample in 0..<samples {
                lines.forEachRow { row, pairs in
                    collect(pairs)
                    body(sample * g.rowCount + row, sample, entries)
                }
            }
            return
        }
        // TensorFlow's row order [o…, C_out] visits C's rows out of order: each is found on its own.
        let access = MatrixLines.RandomAccess(.convolution(walked))
        var pairs = [(column: Int, weightIndex: Int)]()
        for sample in 0..<samples {
            for row in 0..<g.rowCount {
                access.entries(ofRow: pytorchRow(row), into: &pairs)
                collect(pairs)
                body(sample * g.rowCount + row, sample, entries)
            }
        }
    }

    /// C's row (PyTorch order [C_out, o…]) of printed row `row` of one sample.
    func pytorchRow(_ row: Int) -> Int {
        guard layout == .tensorflow else { return row }
        let channels = geometry.outChannels
        return (row % channels) * geometry.outputVolume + row / channels
    }

    /// The printed column of kernel entry `weightIndex` (PyTorch order [C_out, C_in/groups, k…]).
    func printedColumn(_ weightIndex: Int) -> Int {
        guard layout == .tensorflow else { return weightIndex }
        let g = geometry
        let perOutput = g.inChannelsPerGroup * g.kernelVolume
        let (o, c, t) = (weightIndex / perOutput, (weightIndex / g.kernelVolume) % g.inChannelsPerGroup, weightIndex % g.kernelVolume)
        return (t * g.inChannelsPerGroup + c) * g.outChannels + o
    }

    /// The kernel entry in PyTorch order of printed column `column`.
    func pytorchColumn(_ column: Int) -> Int {
        guard layout == .tensorflow else { return column }
        let g = geometry
        let (o, c, t) = (column % g.outChannels, (column / g.outChannels) % g.inChannelsPerGroup, column / (g.outChannels * g.inChannelsPerGroup))
        return (o * g.inChannelsPerGroup + c) * g.kernelVolume + t
    }

    /// The input channel and position (the user's coordinates, negative or past the end in the
    /// padding) that `entry` reads: the element it holds for a copy, where it is for a zero.
    func readPosition(_ entry: Entry) -> (channel: Int, position: [Int]) {
        let g = geometry
        if let element = entry.element {
            let volume = g.inputSize.reduce(1, *)
            return (element / volume, rowMajorCoordinates(of: element % volume, in: g.inputSize))
        }
        let volume = walked.inputSize.reduce(1, *)
        let padded = rowMajorCoordinates(of: entry.walkedIndex % volume, in: walked.inputSize)
        return (entry.walkedIndex / volume, (0..<g.spatialRank).map { padded[$0] - g.paddingBefore[$0] })
    }

    /// The value of `entry` in `sample`: the input element it reads, 0 on a zero of the padding.
    func value(_ entry: Entry, sample: Int) -> Double {
        guard let inputs, let element = entry.element else { return 0 }
        guard layout == .tensorflow else { return inputs[sample * geometry.columnCount + element] }
        let volume = geometry.inputVolume
        return inputs[sample * geometry.columnCount + (element % volume) * geometry.inChannels + element / volume]
    }

    /// Whether printed cell (row, column) is a tap that reads the padding (only over the padding).
    func readsPadding(row printedRow: Int, column printedColumn: Int) -> Bool {
        let g = geometry
        let outputRow = pytorchRow(printedRow % g.rowCount)
        let column = pytorchColumn(printedColumn)
        let perOutputChannel = g.inChannelsPerGroup * g.kernelVolume
        guard showPadding, column / perOutputChannel == outputRow / g.outputVolume else { return false }
        let output = rowMajorCoordinates(of: outputRow % g.outputVolume, in: g.outputSize)
        let tap = rowMajorCoordinates(of: column % g.kernelVolume, in: g.kernelSize)
        return (0..<g.spatialRank).contains { d in
            let position = output[d] * g.stride[d] + tap[d] * g.dilation[d] - g.paddingBefore[d]
            return position < 0 || position >= g.inputSize[d]
        }
    }

    /// The name of input `channel` at `position` of `sample`: x₀,₁ (x(c)₀,₁ with several channels,
    /// x(n,c)₀,₁ with several samples), `x[0,1]` in ASCII, `x_{0,1}` in LaTeX.
    func inputName(channel: Int, position: [Int], sample: Int, style: EntryNames.Style) -> String {
        let prefix = samples > 1 ? "\(sample),\(channel)" : (geometry.inChannels > 1 ? "\(channel)" : nil)
        let indices = position.map(String.init).joined(separator: ",")
        switch style {
        case .latex: return "x" + (prefix.map { "^{(\($0))}" } ?? "") + "_{\(indices)}"
        case .ascii: return "x" + (prefix.map { "(\($0))" } ?? "") + "[\(indices)]"
        case .unicode: return "x" + (prefix.map { "(\($0))" } ?? "") + subscripted(indices)
        }
    }
}

/// `text` in subscript digits (and ₋ for a minus sign); commas stay.
private func subscripted(_ text: String) -> String {
    let digits: [Character: Character] = [
        "0": "₀", "1": "₁", "2": "₂", "3": "₃", "4": "₄", "5": "₅", "6": "₆", "7": "₇", "8": "₈", "9": "₉", "-": "₋",
    ]
    return String(text.map { digits[$0] ?? $0 })
}

/// The row-major index of `position` in a grid of `size`.
private func rowMajorIndex(_ position: [Int], in size: [Int]) -> Int {
    zip(position, size).reduce(0) { $0 * $1.1 + $1.0 }
}

extension MatrixPrinter {
    /// The options that print only C (its views); X, the matrix of the weights, is printed as it is.
    private var optionsOfC: [(field: String, set: Bool)] {
        [("flip", flip), ("order", order != .rowMajor), ("block", channelBlock != nil)]
    }

    /// Refuses what X, the matrix of the weights, cannot be printed with: C's views (`flip`,
    /// `order`, `block`), an option the format ignores, a format of numbers without input values,
    /// input values that are not whole samples, and a matrix too large for the format.
    ///
    /// - Parameters:
    ///   - geometry: the convolution whose X would be printed.
    ///   - inputs: the input values (one or more samples of C's `columnCount`), or nil for symbolic entries.
    ///   - layout: whose order the rows, columns and input values follow.
    /// - Throws: `RenderingError` naming the option and what would be valid.
    package func check(weightMatrixOf geometry: ConvolutionGeometry, inputs: [Double]?, layout: ConvolutionCase.Layout = .pytorch) throws(RenderingError) {
        _ = try checkedWeightView(geometry, inputs: inputs, layout: layout)
    }

    /// `check(weightMatrixOf:inputs:layout:)`, returning the view it checked.
    private func checkedWeightView(_ geometry: ConvolutionGeometry, inputs: [Double]?, layout: ConvolutionCase.Layout) throws(RenderingError)
        -> WeightMatrixView
    {
        for option in optionsOfC where option.set {
            throw .invalid(
                field: option.field,
                reason:
                    "applies to printing C; X, the matrix of the weights (\(field: "of") weights), is printed as it is: rows by output element, columns by weight in PyTorch order"
            )
        }
        for (field, formats) in Self.applicableFormats where setOptions.contains(field) && !formats.contains(format) {
            throw .invalid(
                field: field,
                reason: "does not apply to \(field: "format") \(format.rawValue); it works with \(formats.map(\.rawValue).joined(separator: ", "))")
        }
        if format.needsNumbers && inputs == nil {
            throw .invalid(
                field: "format",
                reason:
                    "\(format.rawValue) holds numbers, and without \(field: "values") the entries of X are symbolic names (x₀, x₁, …); give the input's values with \(field: "values"), or write the positions alone with \(field: "format") mtx"
            )
        }
        if layout == .tensorflow && blockSeparators {
            throw .invalid(
                field: "blocks", reason: "draws X's output-channel blocks, which TensorFlow's order interleaves; print X in the pytorch layout to see them")
        }
        let view = try WeightMatrixView(geometry, inputs: inputs, showPadding: showPadding, layout: layout)
        try checkSize(rows: view.rowCount, columns: view.columnCount, nonzeros: view.nonzeroCount, drawable: false)
        return view
    }

    /// The peak memory of printing X: the rows of one sample's taps (48 bytes a tap), one printed
    /// row, and for `npy` the dense matrix that `numpy.load` holds.
    ///
    /// - Parameters:
    ///   - geometry: the convolution whose X would be printed.
    ///   - samples: the samples stacked (the input values given, in blocks of C's `columnCount`).
    /// - Returns: the estimate, for the memory guard before anything is walked.
    package func memoryEstimate(weightMatrixOf geometry: ConvolutionGeometry, samples: Int) -> MemoryEstimate {
        let walked = showPadding ? ((try? geometry.overPaddedInput()) ?? geometry) : geometry
        var parts = [
            MemoryEstimate.items("one printed row", count: Self.sparseLineEntries(walked) + geometry.weightCount, bytesEach: 48),
            MemoryEstimate.Part("tap tables", bytes: Self.tapTableBytes(walked)),
        ]
        if format == .npy {
            let rows = Checked.saturating { () throws(GeometryError) in try Checked.multiply(max(samples, 1), geometry.rowCount, "rows") }
            parts.append(
                MemoryEstimate.Part("the dense matrix numpy.load holds", bytes: (try? Self.denseBytes(rows: rows, columns: geometry.weightCount)) ?? Int.max))
        }
        return MemoryEstimate(parts)
    }

    /// A lower bound on the bytes X takes in this format (see `outputBytes(_:)` for C).
    ///
    /// - Parameters:
    ///   - geometry: the convolution whose X would be printed.
    ///   - samples: the samples stacked.
    /// - Returns: bytes, saturating at `Int.max`.
    package func outputBytes(weightMatrixOf geometry: ConvolutionGeometry, samples: Int) -> Int {
        Checked.saturating { () throws(GeometryError) in
            let rows = try Checked.multiply(max(samples, 1), geometry.rowCount, "rows")
            return outputBytes(rows: rows, columns: geometry.weightCount, nonzeros: try Checked.multiply(max(samples, 1), geometry.readCount, "entries"))
        }
    }

    /// One line naming X: "X: 4×9, 36 nonzeros (the matrix of the weights: y = X·w, ∂L/∂w = Xᵀ·g; …)",
    /// and how the taps on the padding read when they are shown.
    ///
    /// - Parameters:
    ///   - geometry: the convolution whose X is printed.
    ///   - inputs: the input values, or nil for symbolic entries.
    ///   - layout: whose order the rows and columns follow.
    /// - Returns: the line, without a trailing newline.
    package func summary(weightMatrixOf geometry: ConvolutionGeometry, inputs: [Double]?, layout: ConvolutionCase.Layout = .pytorch) -> String {
        guard let view = try? WeightMatrixView(geometry, inputs: inputs, showPadding: showPadding, layout: layout) else {
            return "X: the matrix of the weights (y = X·w, ∂L/∂w = Xᵀ·g)"
        }
        let samples = view.samples > 1 ? " × \(view.samples) samples" : ""
        let order =
            layout == .pytorch
            ? "rows: outputs y\(samples), columns: weights w in PyTorch order [C_out, C_in/groups, k…]; X is F.unfold(x) transposed, one block per output channel"
            : "rows: outputs y\(samples) in TensorFlow's order [o…, C_out], columns: weights w in TensorFlow order [k…, C_in, C_out]; X is tf.image.extract_patches(x) spread over the output channels"
        var line = "X: \(view.rowCount)×\(view.columnCount), \(view.nonzeroCount) nonzeros (the matrix of the weights: y = X·w, ∂L/∂w = Xᵀ·g; \(order))"
        if showPadding {
            let mode = geometry.paddingMode
            line +=
                mode == .zeros
                ? "; every tap shown: (entries) read zeros of the padding, which X does not store"
                : "; every tap shown: (entries) read copies in the padding (padding_mode \(mode.rawValue)), named by the element copied"
        }
        return line
    }

    /// X, the matrix of the weights of `geometry` (y = X·w, ∂L/∂w = Xᵀ·g), as one string in this
    /// printer's format: what a lecturer shows beside C (y = C·x), the same convolution acting on the
    /// weights instead of the input.
    ///
    /// Rows are the output elements [C_out, spatial…] (one block per sample when `inputs` holds
    /// several), columns the weights in PyTorch order [C_out, C_in/groups, k…] (in the `tensorflow`
    /// layout: rows [spatial…, C_out], columns [k…, C_in, C_out], inputs [spatial…, C_in], as the
    /// case format's tensors are flattened); X[r, e] is the input
    /// element kernel entry e of output r reads, so X is `torch.nn.functional.unfold(x)` transposed,
    /// one block per output channel. Entries are the input's names (x₀,₁) without `inputs`, its values
    /// with them. `showPadding` shows the taps that read the padding, marked. `flip`, `order` and
    /// `channelBlock` are views of C and are refused.
    ///
    /// - Parameters:
    ///   - geometry: the convolution.
    ///   - inputs: the input x, [C_in, spatial…] row-major, one or more samples; nil for symbolic entries.
    ///   - layout: whose order the rows, columns and input values follow (PyTorch's by default).
    /// - Returns: the whole printed matrix, ending with a newline.
    /// - Throws: `RenderingError` when an option does not apply, the values are not whole samples,
    ///   the format needs numbers and there are none, or the matrix is too large for the format;
    ///   `npy` is binary and is refused here; TensorFlow's layout refuses groups and block lines.
    /// - Complexity: O(rows × columns) for the table formats, O(nonzeros) for Matrix Market and COO JSON.
    public func render(
        weightMatrixOf geometry: ConvolutionGeometry, inputs: [Double]? = nil, layout: ConvolutionCase.Layout = .pytorch
    ) throws(RenderingError) -> String {
        var text = ""
        try render(weightMatrixOf: geometry, inputs: inputs, layout: layout, to: &text)
        return text
    }

    /// Writes X to `target` a row (or an entry) at a time (see `render(weightMatrixOf:inputs:)`).
    ///
    /// - Parameters:
    ///   - geometry: the convolution.
    ///   - inputs: the input values, or nil for symbolic entries.
    ///   - layout: whose order the rows, columns and input values follow.
    ///   - target: where the text goes.
    /// - Throws: `RenderingError` as `render(weightMatrixOf:inputs:layout:)`.
    package func render<Target: TextOutputStream>(
        weightMatrixOf geometry: ConvolutionGeometry, inputs: [Double]?, layout: ConvolutionCase.Layout, to target: inout Target
    ) throws(RenderingError) {
        let view = try checkedWeightView(geometry, inputs: inputs, layout: layout)
        switch format {
        case .mtx: return weightMatrixMarket(view, to: &target)
        case .cooJSON: return weightCoordinateJSON(view, to: &target)
        case .npy: throw .invalid(field: "format", reason: "npy is binary: write it with writeBinary(weightMatrixOf:inputs:layout:to:), not into text")
        default: break
        }
        if format == .latex, let fit {
            let plain = weightGrid(view, style: .latex, joined: false)
            let joined = weightGrid(view, style: .latex, joined: true)
            fittedLaTeX(
                [
                    FittingCandidate(grid: plain, note: nil, superscripts: view.samples > 1 || geometry.inChannels > 1),
                    FittingCandidate(grid: joined, note: nil, superscripts: view.samples > 1 || geometry.inChannels > 1),
                ], fallback: 1, fit: fit, to: &target)
            return
        }
        write(weightGrid(view, style: format == .latex ? .latex : (ascii ? .ascii : .unicode), joined: false), to: &target)
    }

    /// Writes X as NumPy's `.npy` (float64, row-major, a row at a time), for `numpy.load`.
    ///
    /// - Parameters:
    ///   - geometry: the convolution.
    ///   - inputs: the input values (a `.npy` file holds numbers only).
    ///   - layout: whose order the rows, columns and input values follow.
    ///   - target: where the bytes go.
    /// - Throws: `RenderingError` from the checks, or when the format is not binary.
    package func writeBinary<Target: BinaryOutputStream>(
        weightMatrixOf geometry: ConvolutionGeometry, inputs: [Double], layout: ConvolutionCase.Layout, to target: inout Target
    ) throws(RenderingError) {
        let view = try checkedWeightView(geometry, inputs: inputs, layout: layout)
        guard format.isBinary else {
            throw .invalid(field: "format", reason: "\(format.rawValue) is text: write it with render(weightMatrixOf:inputs:layout:)")
        }
        target.write(bytes: NumPyFormat.header(shape: [view.rowCount, view.columnCount]))
        var values = [Double](repeating: 0, count: view.columnCount)
        var bytes = [UInt8]()
        bytes.reserveCapacity(8 * view.columnCount)
        view.forEachRow { _, sample, entries in
            for entry in entries { values[entry.column] = view.value(entry, sample: sample) }
            bytes.removeAll(keepingCapacity: true)
            for value in values { NumPyFormat.appendLittleEndian(value, to: &bytes) }
            target.write(bytes: bytes)
            for entry in entries { values[entry.column] = 0 }
        }
    }

    /// The grid of X for the table formats: entries named in `style` (indices run together when
    /// `joined`, the fitted LaTeX's shorter names) or the input's values; rows labelled as C's
    /// rows, columns by the weights' names.
    private func weightGrid(_ view: WeightMatrixView, style: EntryNames.Style, joined: Bool) -> PrintedGrid {
        let g = view.geometry
        let latex = style == .latex
        func text(_ entry: WeightMatrixView.Entry, _ sample: Int) -> String {
            if view.inputs != nil { return formatNumber(view.value(entry, sample: sample)) }
            // A copy is named by the element it holds; a zero of the padding by where it is.
            let read = view.readPosition(entry)
            let name = view.inputName(channel: read.channel, position: read.position, sample: sample, style: style)
            return joined ? joiningIndices(name) : name
        }
        var cellTexts = [String](), seen = Set<String>(), nonzeros = 0
        view.forEachRow { _, sample, entries in
            for entry in entries {
                nonzeros += 1
                let cell = text(entry, sample)
                if seen.insert(cell).inserted { cellTexts.append(cell) }
            }
        }
        let outputs = LineSpace(
            letter: "y", channels: g.outChannels, onlyChannel: nil, size: g.outputSize, offset: [Int](repeating: 0, count: g.spatialRank),
            inner: g.outputSize, added: [Int](repeating: 0, count: g.spatialRank), order: .rowMajor, namesChannel: g.outChannels > 1)
        // Labels in LaTeX math (latex: true), or as text that the fitted LaTeX also sets in math (ASCII there).
        let columnNames = EntryNames(geometry: g, weights: nil, style: latex ? .latex : (ascii ? .ascii : .unicode)).names
        let plainColumnNames = latex ? EntryNames(geometry: g, weights: nil, style: .ascii).names : columnNames
        let samples = view.samples
        let columns = view.columnCount
        var grid = PrintedGrid(
            rowCount: view.rowCount, columnCount: columns,
            forEachRow: { body in
                var cells = [String?](repeating: nil, count: columns)
                view.forEachRow { row, sample, entries in
                    for entry in entries { cells[entry.column] = text(entry, sample) }
                    body(row, cells)
                    for entry in entries { cells[entry.column] = nil }
                }
            },
            rowLabel: { row, latex in
                let label = outputs.label(view.pytorchRow(row % g.rowCount), latex: latex)
                guard samples > 1 else { return label }
                return latex ? "{\\scriptstyle n=\(row / g.rowCount)}\\,\(label)" : "n\(row / g.rowCount) \(label)"
            },
            columnLabel: { column, latex in latex ? columnNames[view.pytorchColumn(column)] : plainColumnNames[view.pytorchColumn(column)] },
            rowMark: { _ in .plain }, columnMark: { _ in .plain },
            rowBlock: view.layout == .pytorch ? g.outputVolume : g.rowCount,
            columnBlock: view.layout == .pytorch ? g.inChannelsPerGroup * g.kernelVolume : g.weightCount,
            cellTexts: cellTexts, hasZeros: view.rowCount.multipliedReportingOverflow(by: columns).partialValue > nonzeros)
        if view.showPadding {
            grid.cellMark = { row, column in view.readsPadding(row: row, column: column) ? .padding : .plain }
            grid.cellMarkMeaning =
                g.paddingMode == .zeros
                ? "taps that read zeros of the padding" : "taps that read copies in the padding"
        }
        return grid
    }

    /// X in Matrix Market: `real` with the input's values, `pattern` without, entries row by row,
    /// after `%` lines that say what the file holds and the command that writes it again.
    private func weightMatrixMarket<Target: TextOutputStream>(_ view: WeightMatrixView, to target: inout Target) {
        target.write("%%MatrixMarket matrix coordinate \(view.inputs == nil ? "pattern" : "real") general\n")
        for line in weightCommentLines(view) { target.write(line + "\n") }
        target.write("\(view.rowCount) \(view.columnCount) \(view.nonzeroCount)\n")
        view.forEachRow { row, sample, entries in
            for entry in entries where entry.element != nil {
                if view.inputs != nil {
                    target.write("\(row + 1) \(entry.column + 1) \(view.value(entry, sample: sample))\n")
                } else {
                    target.write("\(row + 1) \(entry.column + 1)\n")
                }
            }
        }
    }

    /// The `%` lines of X's Matrix Market file, each ASCII and at most 1024 characters.
    private func weightCommentLines(_ view: WeightMatrixView) -> [String] {
        let g = view.geometry
        let description = MatrixFileDescription(convolutionOperator: .convolution(g), weights: nil)
        let fields = ConvolutionFields(describing: .convolution(g))
        let values = view.inputs.map { $0.map(formatNumber).joined(separator: ",") }
        let pytorch = view.layout == .pytorch
        let shape = ([view.samples] + (pytorch ? [g.inChannels] + g.inputSize : g.inputSize + [g.inChannels])).map(String.init).joined(separator: "x")
        let inputOrder = pytorch ? "[samples, in_channels, positions...]" : "[samples, positions..., in_channels]"
        let layoutFlags = pytorch ? [] : ["--layout", "tensorflow"]
        var lines = [
            "% ConvMatrix: the matrix of the weights X (y = X w, dL/dw = X^T g; F.unfold(x) transposed, one block per output channel)",
            "% command: "
                + fields.matrixCommand(
                    weights: nil, extra: ["--of", "weights"] + layoutFlags + (values.map { ["--values", $0] } ?? []) + ["--format", "mtx"]),
            "% geometry: \(description.fieldsLine)",
            pytorch
                ? "% rows: outputs y [samples, out_channels, positions...], columns: weights w [out_channels, in_channels/groups, kernel...] (PyTorch order), row-major, 1-based"
                : "% rows: outputs y [samples, positions..., out_channels], columns: weights w [kernel..., in_channels, out_channels] (TensorFlow order), row-major, 1-based",
        ]
        guard let values else {
            lines.append("% input: none, the entries are symbolic (a pattern file: positions only)")
            return lines
        }
        let single = "% input: \(values) (shape \(shape), \(inputOrder))"
        if lines[1].utf8.count <= MatrixMarketWriter.lineLimit && single.utf8.count <= MatrixMarketWriter.lineLimit {
            lines.append(single)
            return lines
        }
        // Too long for one line: the command names them, and they follow over several lines.
        lines[1] =
            "% command: " + fields.matrixCommand(weights: nil, extra: ["--of", "weights"] + layoutFlags + ["--values", "V", "--format", "mtx"])
            + " (V: the input below, joined)"
        lines.append("% input (shape \(shape), \(inputOrder)), \(view.inputs?.count ?? 0) values:")
        lines += MatrixMarketWriter.commentLines(continuing: values)
        return lines
    }

    /// X as COO JSON for `scipy.sparse.coo_matrix`: shape, what it is, the geometry, the input and
    /// its shape, the command, then the row, col and data lists, each from its own walk.
    private func weightCoordinateJSON<Target: TextOutputStream>(_ view: WeightMatrixView, to target: inout Target) {
        let g = view.geometry
        let inputs = view.inputs ?? []
        let description = MatrixFileDescription(convolutionOperator: .convolution(g), weights: nil)
        let command = ConvolutionFields(describing: .convolution(g)).matrixCommand(
            weights: nil,
            extra: ["--of", "weights"] + (view.layout == .pytorch ? [] : ["--layout", "tensorflow"]) + [
                "--values", inputs.map(formatNumber).joined(separator: ","), "--format", "coo-json",
            ])
        let head = JSONWriting.object([
            ("shape", JSONWriting.integers([view.rowCount, view.columnCount])),
            ("matrix", JSONWriting.string("X")),
            ("geometry", description.fieldsJSON),
            ("input", JSONWriting.numbers(inputs)),
            ("layout", JSONWriting.string(view.layout.rawValue)),
            ("input_shape", JSONWriting.integers([view.samples] + (view.layout == .pytorch ? [g.inChannels] + g.inputSize : g.inputSize + [g.inChannels]))),
            ("command", JSONWriting.string(command)),
        ])
        target.write(String(head.dropLast()))
        let lists: [(String, (Int, Int, WeightMatrixView.Entry, Int) -> String)] = [
            ("row", { row, _, _, _ in "\(row)" }),
            ("col", { _, column, _, _ in "\(column)" }),
            ("data", { _, _, entry, sample in JSONWriting.number(view.value(entry, sample: sample)) }),
        ]
        for (key, text) in lists {
            target.write(",\n \(JSONWriting.string(key)): [")
            var first = true
            var line = ""
            view.forEachRow { row, sample, entries in
                line.removeAll(keepingCapacity: true)
                for entry in entries where entry.element != nil {
                    if !first { line += ", " }
                    first = false
                    line += text(row, entry.column, entry, sample)
                }
                target.write(line)
            }
            target.write("]")
        }
        target.write("}\n")
    }
}
