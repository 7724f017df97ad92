import ArgumentParser
import ConvMatrix

/// `convmat draw`: the pictures of the textbooks, for any geometry, as SVG or TikZ.
struct DrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draw",
        abstract: "Draw a convolution: sliding window, scatter, zero insertion, dilation or the sparsity pattern of C.",
        discussion: reflowed(
            """
            Pictures (input blue, padding grey, kernel window red, its output highlighted):
              sliding         the kernel window over the padded input (Dumoulin &
                              Visin, A guide to convolution arithmetic)
              scatter         transposed convolution as Dive into Deep Learning
                              draws it: each input times the kernel, placed at
                              stride spacing, summed, the padding cropped
              zero-insertion  Dumoulin & Visin's equivalent convolution: zeros
                              inserted, re-padded, kernel flipped
              dilation        a dilated kernel's taps next to a transposed
                              convolution's zero insertion
              spy             the nonzeros of C (Cᵀ with --transposed), channel
                              blocks outlined; large matrices are downsampled;
                              from \(DrawCommand.spyProgressFrom) nonzeros on, a progress line goes
                              to standard error

            sliding, scatter, zero-insertion and dilation show one input/output
            channel pair and refuse --in-channels, --out-channels and --groups above 1;
            spy shows every channel.
            scatter and zero-insertion draw a transposed convolution: give it with
            --transposed, or give the convolution whose transpose you want.

            Without --step, sliding, scatter and zero-insertion draw the steps as
            landscape contact sheets for a slide or an A4 page (1280×905 px at most,
            up to 3 × 3 panels, every text at least 12 px; --sheet n draws the n-th,
            the caption says how many there are);
            --weights and --values write numbers into the cells (the input, the
            kernel's taps, the products of the window and the outputs so far), as
            Dumoulin & Visin's numeric figures do; --flip draws a true convolution's
            rotated kernel; --animate writes an SVG that steps through them (SMIL), or
            with --format tikz one tikzpicture per step (for beamer or the animate
            package; with --standalone one page per step).

            Examples:
              convmat draw sliding --input 4x4 --kernel 3 > sliding.svg
              convmat draw sliding --input 5x5 --kernel 2 --stride 2 --padding same
              convmat draw sliding --input 5x5 --kernel 3 --stride 2 --padding 1 --animate
              convmat draw scatter --input 2x2 --kernel 2 --transposed --step 4
              convmat draw zero-insertion --input 3x3 --kernel 3 --stride 2 --padding 1 \\
                --transposed --step 6 --format tikz --standalone > z.tex
              convmat draw sliding --input 5x5 --kernel 3 --stride 2 --padding 1 \\
                  --animate --format tikz --fit slide > frames.tex
              convmat draw dilation --input 7x7 --kernel 3 --dilation 2 --stride 2
              convmat draw spy --input 1000x1000 --kernel 3 --padding 1 > spy.svg
              convmat draw sliding --input 5x5 --kernel 3 --weights 0,1,2,2,2,0,0,1,2 \\
                --values 3,3,2,1,0,0,0,1,3,1,3,1,2,2,3,2,0,0,2,2,2,0,0,0,1 --step 0
              convmat draw zero-insertion --input 3x3 --kernel 3 --stride 2 --padding 1 \\
                --transposed --sheet 2
              convmat draw scatter --case case.json
            """)
    )

    @Argument(help: ArgumentHelp("Which picture.", valueName: "picture"))
    var picture: ConvolutionPicture.Kind

    @Option(parsing: .unconditional, help: ArgumentHelp(SizeHelp.input + " Required unless --case.", valueName: "size"))
    var input: String?

    @Option(parsing: .unconditional, help: ArgumentHelp(SizeHelp.kernel + " Required unless --case.", valueName: "size"))
    var kernel: String?

    @OptionGroup var settings: GeometrySettings

    @Option(
        name: .customLong("case"),
        help: ArgumentHelp(
            "Draw a case file's computation (docs/case-format.md) with its numbers: its geometry, its weight as --weights and its input as --values (one sample, one channel pair); conv cases draw as sliding, conv_transpose and conv_input_grad as scatter or zero-insertion.",
            valueName: "file.json"))
    var caseFile: String?

    @Option(help: "svg (default) or tikz (a tikzpicture for LaTeX).")
    var format: Figure.Format = .svg

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Draw only step t (0-based, row-major over the outputs; for scatter over the transposed inputs).", valueName: "t"))
    var step: Int?

    @Flag(help: "An animated SVG stepping through every position (sliding, scatter, zero-insertion); with --format tikz, one tikzpicture per position.")
    var animate = false

    @Flag(help: "With --format tikz: a whole LaTeX document instead of a tikzpicture (with --fit slide, beamer frames).")
    var standalone = false

    @Option(
        help: ArgumentHelp(
            "With --format tikz: size the picture for a 4:3 beamer frame (slide), an article's text width (page) or a width such as 10cm by its unit length, its text never below \\scriptsize; captions and legend follow as paragraphs that wrap.",
            valueName: "slide|page|width"))
    var fit: String?

    @Option(
        name: .customLong("pixels"), parsing: .unconditional,
        help: "spy: the longest side in pixels (16 to 2000, default 400); larger matrices are downsampled to it.")
    var pixels: Int?

    @OptionGroup var weights: WeightOptions

    @OptionGroup var values: ValueOptions

    @Flag(
        help:
            "True convolution: the kernel rotated by 180° (MATLAB's conv2, SciPy's convolve2d); sliding, scatter and zero-insertion draw the rotated kernel, spy says so (the pattern is the same)."
    )
    var flip = false

    @Option(help: "spy: the order of rows and columns, row-major (default) or column-major (MATLAB's X(:), as convmtx2 has it).")
    var order: MatrixOrder = .rowMajor

    @Flag(
        name: .customLong("show-padding"),
        help:
            "spy: draw C over the padded input, its columns labelled x(−1) … and the padding columns grey (with --transposed: Cᵀ over the padded output, its rows labelled z(−1) …, the rows the padding crops grey, those output_padding adds teal); a legend says what each shade is."
    )
    var showPadding = false

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "The contact sheet to draw, from 1: each sheet is a landscape page (1280×905 px, for a slide or A4) of at most \(ConvolutionPicture.mostPanelsPerSheet) steps, 3 × 3 or fewer so that the labels stay at least 12 px (sliding, scatter, zero-insertion).",
            valueName: "n"))
    var sheet: Int?

    @OptionGroup var memory: MemoryOptions

    /// From this many nonzeros on (about half a second in a debug build, as for `bench`),
    /// `spy` says on standard error that it is binning them, so a long run is not silent.
    static let spyProgressFrom = 2_000_000

    func run() throws {
        let drawing: ConvolutionPicture
        let convolutionOperator: ConvolutionOperator
        if let caseFile {
            let given =
                [
                    ("--input", input != nil), ("--kernel", kernel != nil), ("--weights", weights.weights != nil),
                    ("--values", values.values != nil), ("--pixels", pixels != nil), ("--order", order != .rowMajor), ("--show-padding", showPadding),
                ]
                .filter(\.1).map(\.0) + settings.changedFlags
            if let flag = given.first { throw InputError("\(flag) cannot be combined with --case, which gives the geometry and the numbers") }
            let limit = try memory.limit() ?? MemoryBudget.defaultLimit
            let computation = try ConvolutionCase(
                json: FileInput.text(atPath: caseFile, limit: max(0, limit - MemoryEstimate.processBytes) / ConvolutionCase.parsingBytesPerByte))
            drawing = try ConvolutionPicture(picture, case: computation, step: step, animated: animate, flip: flip, sheet: sheet)
            convolutionOperator = drawing.convolutionOperator
        } else {
            guard let input else { throw InputError("--input is required (or use --case FILE)") }
            guard let kernel else { throw InputError("--kernel is required (or use --case FILE)") }
            convolutionOperator = try settings.resolve(input: input, kernel: kernel)
            drawing = try ConvolutionPicture(
                picture, of: convolutionOperator, step: step, animated: animate, pixels: pixels,
                weights: try weights.kernel(for: convolutionOperator), values: try values.numbers(), flip: flip, sheet: sheet, order: order,
                showPadding: showPadding)
        }
        try memory.check(drawing.memoryEstimate)
        if picture == .spy && convolutionOperator.convolution.nonzeroCount >= Self.spyProgressFrom {
            let op = convolutionOperator
            printError("spy: binning the \(op.convolution.nonzeroCount) nonzeros of \(op.matrixName) (\(op.rowCount)×\(op.columnCount))…")
        }
        let fitting = try fit.map { text throws(RenderingError) in try PageFit(parsing: text) }
        emit(try drawing.figure().rendered(as: format, standalone: standalone, fit: fitting), terminator: "")
    }
}
