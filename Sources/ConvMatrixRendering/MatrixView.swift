import ConvMatrixCore
import ConvMatrixInterchange

/// What a printed row or column stands for, beyond its position.
enum LineMark: Equatable {
    /// An ordinary input or output element.
    case plain
    /// A zero of the padding: a column of C over the padded input, or a row
    /// of Cᵀ that the transposed convolution computes and then crops.
    case padding
    /// A row of Cᵀ that PyTorch's `output_padding` adds at the end of the output.
    case outputPadding
}

/// The rows or columns of one side of a printed matrix: which channels,
/// which spatial size (padded or not), in which order, and what each line is.
struct LineSpace {
    /// The tensor's letter (x, y, z).
    let letter: String
    /// Channels of the walked matrix on this side.
    let channels: Int
    /// The channel printed when one block is shown, else nil (all channels).
    let onlyChannel: Int?
    /// Spatial size of the walked matrix's side (the padded size when padding is shown).
    let size: [Int]
    /// Subtracted from a walked position to give the user's coordinate
    /// (the padding before, so padding positions read −1, −2, … and i, i + 1, …).
    let offset: [Int]
    /// The unpadded size: positions outside 0..<inner are padding.
    let inner: [Int]
    /// The last positions of the unpadded range that `output_padding` adds, per dimension (0 = none).
    let added: [Int]
    /// The printed order.
    let order: MatrixOrder
    /// Whether labels carry the channel (the operator has several on this side).
    let namesChannel: Bool
    /// The convolution whose padding holds copies (a `PaddingMode` other than
    /// zeros), else nil: the labels of padding lines then say which element
    /// they copy, x(-1)=x(1), worked out line by line (`PaddingMode.source`).
    var copies: ConvolutionGeometry? = nil

    /// Spatial positions per channel.
    var volume: Int { size.reduce(1, *) }
    /// Printed lines.
    var count: Int { (onlyChannel == nil ? channels : 1) * volume }

    /// The channel and walked position of printed line `printed`.
    func decode(_ printed: Int) -> (channel: Int, position: [Int]) {
        let channel = (onlyChannel ?? 0) + printed / volume
        return (channel, order.coordinates(of: printed % volume, in: size))
    }

    /// The walked (row-major) index of printed line `printed`.
    func walkedIndex(_ printed: Int) -> Int {
        let (channel, position) = decode(printed)
        return channel * volume + MatrixOrder.rowMajor.index(of: position, in: size)
    }

    /// The printed line of walked (row-major) index `walked`, or nil when its channel is not shown.
    func printedIndex(_ walked: Int) -> Int? {
        let channel = walked / volume
        if let onlyChannel, channel != onlyChannel { return nil }
        let spatial = walked % volume
        if order == .rowMajor { return (channel - (onlyChannel ?? 0)) * volume + spatial }
        return (channel - (onlyChannel ?? 0)) * volume + order.index(of: rowMajorCoordinates(of: spatial, in: size), in: size)
    }

    /// What printed line `printed` stands for.
    func mark(_ printed: Int) -> LineMark {
        let position = decode(printed).position
        var isAdded = false
        for d in 0..<size.count {
            let p = position[d] - offset[d]
            if p < 0 || p >= inner[d] { return .padding }
            if p >= inner[d] - added[d] { isAdded = true }
        }
        return isAdded ? .outputPadding : .plain
    }

    /// The label of printed line `printed`: letter, channel when several, and the position (negative in the padding).
    func label(_ printed: Int, latex: Bool) -> String {
        let (channel, position) = decode(printed)
        func name(_ coordinates: [Int]) -> String {
            let text = coordinates.map(String.init).joined(separator: ",")
            if latex { return namesChannel ? "\(letter)^{(\(channel))}_{(\(text))}" : "\(letter)_{(\(text))}" }
            return "\(letter)\(namesChannel ? String(channel) : "")(\(text))"
        }
        let own = name((0..<size.count).map { position[$0] - offset[$0] })
        guard let copies, mark(printed) == .padding else { return own }
        let copied = (0..<size.count).map { d in
            copies.paddingMode.source(ofPadded: position[d], inputSize: copies.inputSize[d], paddingBefore: copies.paddingBefore[d]) ?? position[d]
        }
        return own + (latex ? "{=}" : "=") + name(copied)
    }
}

/// The matrix a `MatrixPrinter` prints, as a walk over its rows: the
/// operator's C or Cᵀ, optionally over the padded input (padding columns
/// present, or for Cᵀ the cropped rows), with the kernel rotated by 180°
/// (true convolution), in column-major order, or one channel block only.
///
/// Every view is computed one row at a time from the geometry (`MatrixLines`),
/// never as a whole matrix: over the padded input the matrix is that of the
/// same convolution applied to an input that already holds its padding
/// (padding VALID), whose kernel entries are the same.
struct MatrixView {
    /// The operator as described.
    let convolutionOperator: ConvolutionOperator
    /// The operator whose matrix is walked: the same, or over the padded input.
    let walked: ConvolutionOperator
    /// Kernel rotated by 180°.
    let flip: Bool
    /// The printed rows and columns.
    let rows: LineSpace, columns: LineSpace

    init(_ op: ConvolutionOperator, flip: Bool, order: MatrixOrder, showPadding: Bool, block: ChannelBlock?) throws(RenderingError) {
        convolutionOperator = op
        self.flip = flip
        let c = op.convolution
        let rank = c.spatialRank
        let zeros = [Int](repeating: 0, count: rank)
        var walked = op
        if showPadding {
            do throws(GeometryError) {
                let geometry = try c.overPaddedInput()
                walked = op.isTransposed ? .transposing(geometry) : .convolution(geometry)
            } catch {
                throw .tooLarge("the padded input is too large to print: \(error.description)")
            }
        }
        self.walked = walked
        let inputSide = (offset: showPadding ? c.paddingBefore : zeros, inner: c.inputSize)
        let added: [Int]
        if showPadding, case .transposed(let t) = op { added = t.outputPadding.map { max($0, 0) } } else { added = zeros }
        // C's columns (x) are the padded side; for Cᵀ they are its rows (z).
        var padded = LineSpace(
            letter: op.isTransposed ? "z" : "x", channels: c.inChannels, onlyChannel: nil,
            size: walked.convolution.inputSize, offset: inputSide.offset, inner: inputSide.inner,
            added: added, order: order, namesChannel: c.inChannels > 1)
        // Every padded position holds a copy of an element; its label names it.
        if showPadding && c.paddingMode != .zeros { padded.copies = c }
        let outputs = LineSpace(
            letter: "y", channels: c.outChannels, onlyChannel: nil, size: c.outputSize, offset: zeros,
            inner: c.outputSize, added: zeros, order: order, namesChannel: c.outChannels > 1)
        var (rows, columns) = op.isTransposed ? (padded, outputs) : (outputs, padded)
        if let block {
            for (field, value, limit) in [("block", block.output, op.outChannels), ("block", block.input, op.inChannels)]
            where !(0..<limit).contains(value) {
                throw .invalid(
                    field: field,
                    reason:
                        "= \(block.output),\(block.input) names channel \(value), but the \(op.matrixName) has \(limit == op.outChannels ? "output" : "input") channels 0 to \(limit - 1)"
                )
            }
            rows = LineSpace(
                letter: rows.letter, channels: rows.channels, onlyChannel: block.output, size: rows.size, offset: rows.offset,
                inner: rows.inner, added: rows.added, order: order, namesChannel: rows.namesChannel, copies: rows.copies)
            columns = LineSpace(
                letter: columns.letter, channels: columns.channels, onlyChannel: block.input, size: columns.size,
                offset: columns.offset, inner: columns.inner, added: columns.added, order: order, namesChannel: columns.namesChannel,
                copies: columns.copies)
        }
        self.rows = rows
        self.columns = columns
    }

    /// Printed rows and columns.
    var rowCount: Int { rows.count }
    var columnCount: Int { columns.count }

    /// Whether the printed matrix is the operator's own, row by row, with nothing reordered or left out.
    private var isPlainWalk: Bool {
        rows.order == .rowMajor && rows.onlyChannel == nil && columns.onlyChannel == nil
    }

    /// The kernel entry printed for entry `weightIndex` of C: itself, or
    /// rotated by 180° (the spatial part of the row-major index reversed).
    func printedWeight(_ weightIndex: Int) -> Int {
        guard flip else { return weightIndex }
        let volume = convolutionOperator.convolution.kernelVolume
        let base = weightIndex - weightIndex % volume
        return base + volume - 1 - weightIndex % volume
    }

    /// Calls `body(row, entries)` for every printed row in order, with the
    /// row's nonzeros as (printed column, kernel entry as printed).
    ///
    /// - Complexity: O(nnz) time for the whole walk; memory for one row.
    func forEachRow(_ body: (_ row: Int, _ entries: [(column: Int, weightIndex: Int)]) -> Void) {
        var mapped = [(column: Int, weightIndex: Int)]()
        if isPlainWalk {
            walked.forEachMatrixRow { row, entries in
                mapped.removeAll(keepingCapacity: true)
                for entry in entries {
                    guard let column = columns.printedIndex(entry.column) else { continue }
                    mapped.append((column, printedWeight(entry.weightIndex)))
                }
                body(row, mapped)
            }
            return
        }
        let access = MatrixLines.RandomAccess(walked)
        var entries = [(column: Int, weightIndex: Int)]()
        for row in 0..<rowCount {
            access.entries(ofRow: rows.walkedIndex(row), into: &entries)
            mapped.removeAll(keepingCapacity: true)
            for entry in entries {
                guard let column = columns.printedIndex(entry.column) else { continue }
                mapped.append((column, printedWeight(entry.weightIndex)))
            }
            body(row, mapped)
        }
    }

    /// The nonzeros of the printed matrix.
    var nonzeroCount: Int {
        if rows.onlyChannel == nil && columns.onlyChannel == nil { return walked.convolution.nonzeroCount }
        var count = 0
        forEachRow { _, entries in forEachEntry(of: entries) { _, _ in count += 1 } }
        return count
    }
}
