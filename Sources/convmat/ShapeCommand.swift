import ArgumentParser
import ConvMatrix

/// `convmat shape`: output sizes with the formula filled in.
struct ShapeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shape",
        abstract: "Output size of a convolution or transposed convolution, with the formula filled in.",
        discussion: reflowed(
            """
            For --transposed it also lists, per dimension, the output sizes that go with the input under
            each rule, as first … last (count): those PyTorch's output_padding reaches (below
            max(stride, dilation)), those PyTorch's output_size accepts (natural size … natural size +
            stride − 1), those TensorFlow's output_shape accepts under SAME and under VALID (the sizes whose
            convolution with that padding gives the input back), and those a convolution with the given
            settings maps back to the input; one sentence says why the sets differ when they do.

            With --padding-mode reflect, replicate or circular it shows, per dimension, which input element
            each padded position holds; with --values it prints the padded input itself.
            With --pool avg|max it gives a pooling layer's output size as PyTorch computes it,
            --ceil-mode included.

            Examples:
              convmat shape --input 5x5 --kernel 3 --stride 2 --padding 1
              convmat shape --input 3x3 --kernel 3 --stride 2 --padding 1 --transposed
              convmat shape --input 3 --kernel 3 --dilation 2 --transposed --json
              convmat shape --input 5x5 --kernel 2 --stride 2 --padding same
              convmat shape --input 4 --kernel 3 --padding 2 --padding-mode reflect \\
                  --values 1,2,3,4
              convmat shape --input 5x5 --kernel 2 --pool max --ceil-mode
            """)
    )

    @OptionGroup var geometry: GeometryOptions

    @Flag(help: "Print the report as one JSON object (sizes, settings, matrix, and for --transposed every output-size set).")
    var json = false

    @OptionGroup var pooling: PoolOptions

    @OptionGroup var values: ValueOptions

    func run() throws {
        if let layer = try pooling.geometry(geometry.settings, input: geometry.input, kernel: geometry.kernel), let kind = pooling.pool {
            if values.values != nil { throw InputError("--values applies to a convolution's shape, which prints the padded input, not to --pool") }
            if geometry.settings.transposed {
                throw InputError("--transposed does not apply to shape --pool: the backward pass of pooling has the input's size")
            }
            let report = PoolingShapeReport(layer, kind: kind)
            emit(json ? report.json : report.text, terminator: json ? "\n" : "")
            return
        }
        var report = try ShapeReport(try geometry.resolve())
        if let numbers = try values.numbers() { try report.setValues(numbers) }
        emit(json ? report.json : report.text, terminator: json ? "\n" : "")
    }
}
