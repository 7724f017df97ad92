import ArgumentParser
import ConvMatrix

/// `convmat draw`: the pictures of the seeds, for any geometry, as SVG or TikZ.
struct DrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draw",
        abstract: "Draw a convolution: sliding window, scatter, zero insertion, dilation or the sparsity pattern of C.",
        discussion: """
        Pictures (input blue, padding grey, kernel window red, its output highlighted):
          sliding         the kernel window over the padded input (seed 003)
          scatter         transposed convolution the d2l way: each input times
                          the kernel, placed at stride spacing, summed, the
                          padding cropped (seed 000)
          zero-insertion  Dumoulin's equivalent convolution: zeros inserted,
                          re-padded, kernel flipped (seed 001)
          dilation        a dilated kernel's taps next to a transposed
                          convolution's zero insertion (seed 003)
          spy             the nonzeros of C (Cᵀ with --transposed), channel
                          blocks outlined; large matrices are downsampled;
                          from \(DrawCommand.spyProgressFrom) nonzeros on, a progress line goes
                          to standard error
        sliding, scatter, zero-insertion and dilation show one input/output
        channel pair and refuse --in-channels, --out-channels and --groups above 1;
        spy shows every channel.
        scatter and zero-insertion draw a transposed convolution: give it with
        --transposed, or give the convolution whose transpose you want.
        Without --step, sliding, scatter and zero-insertion draw every step as a
        contact sheet; --animate writes an SVG that steps through them (SMIL), or
        with --format tikz one tikzpicture per step (for beamer or the animate
        package; with --standalone one page per step).

        Examples:
          convmat draw sliding --input 4x4 --kernel 3 > sliding.svg
          convmat draw sliding --input 5x5 --kernel 2 --stride 2 --padding same
          convmat draw sliding --input 5x5 --kernel 3 --stride 2 --padding 1 --animate
          convmat draw scatter --input 2x2 --kernel 2 --transposed --step 4
          convmat draw zero-insertion --input 3x3 --kernel 3 --stride 2 --padding 1 \\
            --transposed --step 6 --format tikz --standalone > z.tex
          convmat draw dilation --input 7x7 --kernel 3 --dilation 2 --stride 2
          convmat draw spy --input 1000x1000 --kernel 3 --padding 1 > spy.svg
        """
    )

    /// The pictures `draw` knows.
    enum Picture: String, CaseIterable, ExpressibleByArgument {
        case sliding, scatter, zeroInsertion = "zero-insertion", dilation, spy
    }

    /// The file formats `draw` writes.
    enum Format: String, CaseIterable, ExpressibleByArgument {
        case svg, tikz
    }

    @Argument(help: ArgumentHelp("Which picture.", valueName: "picture"))
    var picture: Picture

    @OptionGroup var geometry: GeometryOptions

    @Option(help: "svg (default) or tikz (a tikzpicture for LaTeX).")
    var format: Format = .svg

    @Option(parsing: .unconditional, help: ArgumentHelp("Draw only step t (0-based, row-major over the outputs; for scatter over the transposed inputs).", valueName: "t"))
    var step: Int?

    @Flag(help: "An animated SVG stepping through every position (sliding, scatter, zero-insertion); with --format tikz, one tikzpicture per position.")
    var animate = false

    @Flag(help: "With --format tikz: a whole LaTeX document instead of a tikzpicture.")
    var standalone = false

    @Option(name: .customLong("pixels"), parsing: .unconditional, help: "spy: the longest side in pixels (16 to 2000, default 400); larger matrices are downsampled to it.")
    var pixels: Int?

    func validate() throws {
        if animate && step != nil { throw ValidationError("--animate and --step exclude each other: the animation shows every step") }
        if standalone && format != .tikz { throw ValidationError("--standalone applies to --format tikz (an SVG file is already standalone)") }
        if animate && (picture == .dilation || picture == .spy) { throw ValidationError("--animate applies to sliding, scatter and zero-insertion") }
        if step != nil && (picture == .dilation || picture == .spy) { throw ValidationError("--step applies to sliding, scatter and zero-insertion") }
        if picture != .spy {
            let settings = geometry.settings
            for (flag, value) in [("--in-channels", settings.inChannels), ("--out-channels", settings.outChannels), ("--groups", settings.groups)] where value > 1 {
                throw ValidationError("\(flag) = \(value) does not apply to \(picture.rawValue): it shows one input/output channel pair; `convmat draw spy` shows every channel")
            }
        }
        if let pixels {
            if picture != .spy { throw ValidationError("--pixels applies to spy only") }
            if !(16...2000).contains(pixels) { throw ValidationError("--pixels = \(pixels) must be between 16 and 2000") }
        }
    }

    /// The most nonzeros `spy` bins (about half a minute in a debug build).
    static let spyNonzeroLimit = 100_000_000
    /// From this many nonzeros on (about half a second in a debug build, as for `bench`),
    /// `spy` says on standard error that it is binning them, so a long run is not silent.
    static let spyProgressFrom = 2_000_000

    func run() throws {
        // Pictures never build C (spy counts its entries per pixel), so no memory check here.
        let described = try geometry.resolve(checkingMemory: false)
        let convolution = described.convolution
        let figure: Figure
        switch picture {
        case .sliding:
            if described.isTransposed {
                throw InputError("sliding draws a convolution; for --transposed use scatter or zero-insertion (or drop --transposed)")
            }
            figure = try SlidingPicture(geometry: convolution).figure(step: step, animated: animate)
        case .zeroInsertion:
            figure = try ZeroInsertionPicture(geometry: convolution).figure(step: step, animated: animate)
        case .scatter:
            figure = try ScatterPicture(geometry: convolution).figure(step: step, animated: animate)
        case .dilation:
            figure = try DilationPicture(geometry: convolution).figure()
        case .spy:
            // Spy visits every nonzero once to bin it; beyond this it would run for minutes.
            guard convolution.nonzeroCount <= Self.spyNonzeroLimit else {
                throw InputError("spy bins every nonzero, and this C has \(convolution.nonzeroCount) (at most \(Self.spyNonzeroLimit)); draw a smaller geometry or fewer channels")
            }
            if convolution.nonzeroCount >= Self.spyProgressFrom {
                let name = described.isTransposed ? "Cᵀ" : "C"
                let shape = described.isTransposed ? "\(convolution.columnCount)×\(convolution.rowCount)" : "\(convolution.rowCount)×\(convolution.columnCount)"
                printError("spy: binning the \(convolution.nonzeroCount) nonzeros of \(name) (\(shape))…")
            }
            figure = SpyPicture(geometry: convolution, transposed: described.isTransposed, pixels: pixels ?? 400).figure()
        }
        switch format {
        case .svg: print(figure.svg(), terminator: "")
        case .tikz: print(figure.tikz(standalone: standalone), terminator: "")
        }
    }
}
