import ConvMatrixCore
import ConvMatrixInterchange

/// One drawing of a convolution or transposed convolution, as SVG or TikZ
/// (`Figure`): what `convmat draw` writes. Every picture kind is reached
/// through this type, which also decides which options apply to which kind,
/// so a program using the library gets the same refusals as the command line.
///
/// - `sliding`: the kernel window over the padded input (a convolution).
/// - `scatter`: the transposed convolution as in *Dive into Deep Learning*:
///   each input times the kernel, placed at stride spacing, summed, the
///   padding cropped.
/// - `zeroInsertion`: Dumoulin & Visin's equivalent convolution: zeros
///   inserted, re-padded, the kernel flipped.
/// - `dilation`: a dilated kernel's taps next to a transposed convolution's
///   zero insertion.
/// - `spy`: the nonzeros of the operator's matrix (C or Cᵀ), channel blocks
///   outlined; large matrices are binned.
///
/// `scatter` and `zeroInsertion` draw a transposed convolution: the
/// operator's own, or for a convolution the one that transposes it. All
/// kinds but `spy` show one input/output channel pair in one or two
/// dimensions.
public struct ConvolutionPicture: Sendable {
    /// The kinds of picture.
    public enum Kind: String, Sendable, CaseIterable {
        case sliding, scatter, zeroInsertion = "zero-insertion", dilation, spy

        /// Whether the picture steps through windows or products (`step`, `animated`).
        package var hasSteps: Bool { self == .sliding || self == .scatter || self == .zeroInsertion }
    }

    /// Which picture.
    package let kind: Kind
    /// The operation drawn.
    package let convolutionOperator: ConvolutionOperator
    /// Draw only this step (0-based, row-major over the outputs; for scatter over the transposed inputs).
    package let step: Int?
    /// Step through every position: SMIL in SVG, one picture per frame in TikZ.
    package let animated: Bool
    /// The spy picture's longest side in pixels.
    package let pixels: Int
    /// The kernel's values, written into the taps (sliding, scatter, zero-insertion).
    package let weights: Kernel?
    /// The drawn operation's input values, written into the cells: x for
    /// sliding, the transposed input y for scatter and zero-insertion
    /// (row-major); with `weights` the pictures also write the products and outputs.
    package let values: [Double]?
    /// True convolution: the kernel rotated by 180° (MATLAB's `conv2`, SciPy's `convolve2d`).
    package let flip: Bool
    /// Which contact sheet (from 1) when the steps fill more than one.
    package let sheet: Int?
    /// spy: the order of the matrix's rows and columns (column-major as MATLAB's `convmtx2`).
    package let order: MatrixOrder
    /// spy: draw C over the padded input, the padding columns (for Cᵀ the cropped rows) grey.
    package let showPadding: Bool

    /// The most steps on one contact sheet; `sheet` pages through the rest.
    package static var panelsPerSheet: Int { SlidingScene.panelsPerSheet }
    /// The pixels a spy picture gets unless told otherwise.
    package static let defaultPixels = 400
    /// The range of `pixels`.
    package static let pixelRange = 16...2000
    /// The most nonzeros a spy picture bins (about half a minute in a debug build).
    package static let spyNonzeroLimit = 100_000_000

    /// Checks that `kind` can show `convolutionOperator` with these options.
    ///
    /// - Parameters:
    ///   - kind: which picture.
    ///   - convolutionOperator: the operation to draw.
    ///   - step: one step only; without it (and without `animated`) a contact sheet of every step.
    ///   - animated: every step as an animation.
    ///   - pixels: the spy picture's size (16…2000).
    ///   - weights: the kernel's values (sliding, scatter, zero-insertion).
    ///   - values: the drawn operation's input (sliding: x; scatter and zero-insertion: y).
    ///   - flip: true convolution, the kernel rotated by 180° (every kind but dilation).
    ///   - sheet: the contact sheet to draw, from 1 (steps beyond `SlidingScene.panelsPerSheet` fill more sheets).
    ///   - order: spy only: row-major, or column-major as MATLAB.
    ///   - showPadding: spy only: C over the padded input, its padding grey.
    /// - Throws: `RenderingError` naming the option (or the field of the
    ///   operation) that this picture cannot show.
    public init(
        _ kind: Kind, of convolutionOperator: ConvolutionOperator,
        step: Int? = nil, animated: Bool = false, pixels: Int? = nil,
        weights: Kernel? = nil, values: [Double]? = nil, flip: Bool = false, sheet: Int? = nil, order: MatrixOrder = .rowMajor,
        showPadding: Bool = false
    ) throws(RenderingError) {
        let mode = convolutionOperator.convolution.paddingMode
        if mode != .zeros && kind != .sliding && kind != .spy {
            throw .invalid(
                field: "padding_mode",
                reason:
                    "= \(mode.rawValue) applies to the sliding and spy pictures; scatter, zero-insertion and dilation draw zero padding only"
            )
        }
        if showPadding && kind != .spy {
            throw .invalid(field: "show_padding", reason: "applies to spy; the other pictures draw the padding as grey cells already")
        }
        self.showPadding = showPadding
        if order != .rowMajor && kind != .spy {
            throw .invalid(field: "order", reason: "applies to spy, the picture of the matrix; the other pictures draw the tensors themselves")
        }
        self.order = order
        let numbered = [("weights", weights != nil), ("values", values != nil)].filter(\.1).map(\.0)
        if let field = numbered.first, !kind.hasSteps {
            throw .invalid(field: field, reason: "applies to sliding, scatter and zero-insertion, which write numbers into their cells")
        }
        if flip && kind == .dilation {
            throw .invalid(field: "flip", reason: "applies to sliding, scatter, zero-insertion and spy; the dilation picture compares the frameworks' layers")
        }
        if let sheet {
            if !kind.hasSteps { throw .invalid(field: "sheet", reason: "applies to sliding, scatter and zero-insertion") }
            if step != nil || animated {
                throw .invalid(field: "sheet", reason: "pages through a contact sheet, which \(field: step != nil ? "step" : "animate") replaces")
            }
            if sheet < 1 { throw .invalid(field: "sheet", reason: "= \(sheet) must be at least 1") }
        }
        if let weights, weights.geometry != convolutionOperator.convolution {
            throw .invalid(field: "weights", reason: "belong to another convolution than the one drawn")
        }
        if let values {
            let c = convolutionOperator.convolution
            let (count, what) =
                kind == .sliding
                ? (c.inputVolume, "the input x \(formatSize(c.inputSize))") : (c.outputVolume, "the transposed input y \(formatSize(c.outputSize))")
            if values.count != count {
                throw .invalid(field: "values", reason: "has \(values.count) number\(values.count == 1 ? "" : "s") but \(what) needs \(count), row-major")
            }
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw .invalid(field: "values[\(bad)]", reason: "= \(values[bad]) is not a finite number")
            }
        }
        self.weights = weights
        self.values = values
        self.flip = flip
        self.sheet = sheet
        if animated && step != nil {
            throw .invalid(field: "animate", reason: "and \(field: "step") exclude each other: the animation shows every step")
        }
        if !kind.hasSteps {
            if animated { throw .invalid(field: "animate", reason: "applies to sliding, scatter and zero-insertion") }
            if step != nil { throw .invalid(field: "step", reason: "applies to sliding, scatter and zero-insertion") }
        }
        if let pixels {
            if kind != .spy { throw .invalid(field: "pixels", reason: "applies to spy only") }
            if !Self.pixelRange.contains(pixels) {
                throw .invalid(field: "pixels", reason: "= \(pixels) must be between \(Self.pixelRange.lowerBound) and \(Self.pixelRange.upperBound)")
            }
        }
        if kind == .spy {
            let c = convolutionOperator.convolution
            guard c.nonzeroCount <= Self.spyNonzeroLimit else {
                throw .tooLarge(
                    "spy bins every nonzero, and this \(convolutionOperator.matrixName) has \(c.nonzeroCount) (at most \(Self.spyNonzeroLimit)); draw a smaller geometry or fewer channels"
                )
            }
            if showPadding {
                // Over the padded input every row holds all its taps.
                let all = Checked.saturating { () throws(GeometryError) in
                    try Checked.multiply(c.rowCount, try Checked.multiply(c.inChannelsPerGroup, c.kernelVolume, "taps"), "taps")
                }
                guard all <= Self.spyNonzeroLimit else {
                    throw .tooLarge(
                        "spy bins every nonzero, and over the padded input this \(convolutionOperator.matrixName) has \(all) (at most \(Self.spyNonzeroLimit)); draw a smaller geometry or fewer channels"
                    )
                }
            }
            // Finding the nonzeros walks the shorter of input and output in every dimension (with copies in
            // the padding, every tap of every output).
            let search = Checked.saturating { () throws(GeometryError) in
                try Checked.sum(
                    try (0..<c.spatialRank).map { d throws(GeometryError) in
                        c.paddingMode == .zeros
                            ? NonzeroCount.pairSearchLength(input: c.inputSize[d], output: c.outputSize[d])
                            : try Checked.multiply(c.outputSize[d], c.kernelSize[d], "search")
                    }, "search")
            }
            guard search <= Self.spyNonzeroLimit else {
                throw .tooLarge(
                    "spy would walk \(search) positions to find the nonzeros of this \(convolutionOperator.matrixName) (at most \(Self.spyNonzeroLimit)); draw a smaller input or less padding"
                )
            }
        } else {
            let channels = [
                ("in_channels", convolutionOperator.inChannels), ("out_channels", convolutionOperator.outChannels),
                ("groups", convolutionOperator.convolution.groups),
            ]
            for (field, value) in channels where value > 1 {
                throw .invalid(
                    field: field,
                    reason: "= \(value) does not apply to \(kind.rawValue): it shows one input/output channel pair; the spy picture shows every channel")
            }
        }
        if kind == .sliding && convolutionOperator.isTransposed {
            throw .invalid(
                field: "transposed", reason: "does not apply to sliding, which draws a convolution; draw scatter or zero-insertion for a transposed convolution"
            )
        }
        self.kind = kind
        self.convolutionOperator = convolutionOperator
        self.step = step
        self.animated = animated
        self.pixels = pixels ?? Self.defaultPixels
    }

    /// The picture of a case file's computation (docs/case-format.md), with
    /// its numbers: the case's kernel as `weights` and its operand as
    /// `values`. A `conv` case is drawn as its convolution (sliding), a
    /// `conv_transpose` or `conv_input_grad` case as the transposed
    /// convolution (scatter, zero-insertion); a picture shows one sample
    /// and one channel pair.
    ///
    /// - Throws: `RenderingError` naming the case's field when the case has
    ///   several samples, or when the kind cannot draw it (see `init`).
    /// - Parameters:
    ///   - kind: the picture to draw.
    ///   - computation: the case whose operation, kernel and operand are drawn.
    ///   - step: one step only; without it (and without `animated`) a contact sheet of every step.
    ///   - animated: every step as an animation.
    ///   - flip: true convolution, the kernel rotated by 180°.
    ///   - sheet: the contact sheet to draw, from 1.
    public init(
        _ kind: Kind, case computation: ConvolutionCase, step: Int? = nil, animated: Bool = false,
        flip: Bool = false, sheet: Int? = nil
    ) throws(RenderingError) {
        if computation.batchSize != 1 {
            throw .invalid(field: "input.shape[0]", reason: "= \(computation.batchSize): a picture draws one sample; give the case a batch of 1")
        }
        let op: ConvolutionOperator = computation.operation == .conv ? .convolution(computation.geometry) : .transposing(computation.geometry)
        if kind == .sliding && op.isTransposed {
            throw .invalid(
                field: "the case's op",
                reason: "= \(computation.operation.rawValue) is a transposed convolution; draw scatter or zero-insertion for it, sliding for a conv case")
        }
        try self.init(
            kind, of: op, step: step, animated: animated, weights: computation.kernel,
            values: computation.operand.values, flip: flip, sheet: sheet)
    }

    /// The peak memory of drawing: for spy, each dimension's (output, input)
    /// pairs (16 bytes each) and the binned grid with its shapes (40 bytes a
    /// pixel); the other pictures are at most 64 cells a side, with at most
    /// 64 panels, so a fixed 32 MiB covers them.
    public var memoryEstimate: MemoryEstimate {
        guard kind == .spy else { return MemoryEstimate([MemoryEstimate.Part("the picture", bytes: 32 << 20)]) }
        let c = convolutionOperator.convolution
        let pairs = Checked.saturating { () throws(GeometryError) in
            try Checked.sum(
                (0..<c.spatialRank).map { d in
                    let count =
                        (try? NonzeroCount.pairsInDimension(
                            mode: c.paddingMode, input: c.inputSize[d], output: c.outputSize[d], kernel: c.kernelSize[d],
                            stride: c.stride[d], dilation: c.dilation[d], paddingBefore: c.paddingBefore[d], paddingAfter: c.paddingAfter[d],
                            dimension: d)) ?? Int128(Int.max)
                    return Int(exactly: count) ?? Int.max
                }, "pairs")
        }
        let side = min(max(convolutionOperator.rowCount, convolutionOperator.columnCount), pixels)
        return MemoryEstimate([
            MemoryEstimate.items("the nonzeros' positions per dimension", count: pairs, bytesEach: 16),
            MemoryEstimate.items("the binned pixels", count: side * side, bytesEach: 40),
        ])
    }

    /// The picture, ready for `svg()` or `tikz()`.
    ///
    /// - Throws: `RenderingError` when the geometry is too large to draw cell
    ///   by cell, a step is out of range, or an animation or contact sheet
    ///   would have too many frames.
    /// - Complexity: O(cells drawn) for the grid pictures; O(nnz) for spy,
    ///   which enumerates the nonzeros without building C.
    /// - Returns: the figure; a contact sheet or an animation holds every step drawn.
    public func figure() throws(RenderingError) -> Figure {
        let geometry = convolutionOperator.convolution
        let numbers = PictureNumbers(weights: weights?.values, values: values, flip: flip)
        switch kind {
        case .sliding: return try SlidingPicture(geometry: geometry, numbers: numbers).figure(step: step, animated: animated, sheet: sheet)
        case .scatter: return try ScatterPicture(geometry: geometry, numbers: numbers).figure(step: step, animated: animated, sheet: sheet)
        case .zeroInsertion: return try ZeroInsertionPicture(geometry: geometry, numbers: numbers).figure(step: step, animated: animated, sheet: sheet)
        case .dilation: return try DilationPicture(geometry: geometry).figure()
        case .spy:
            guard showPadding else { return SpyPicture(convolutionOperator, pixels: pixels, flip: flip, order: order).figure() }
            let view = try MatrixView(convolutionOperator, flip: flip, order: order, showPadding: true, block: nil)
            var spy = SpyPicture(view.walked, pixels: pixels, flip: flip, order: order)
            spy.paddingLines = ((0..<view.rows.count).map(view.rows.mark), (0..<view.columns.count).map(view.columns.mark))
            return spy.figure()
        }
    }
}
