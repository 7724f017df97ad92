import ArgumentParser
import ConvMatrix

/// `convmat shape`: output sizes with the formula filled in.
struct ShapeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shape",
        abstract: "Output size of a convolution or transposed convolution, with the formula filled in.",
        discussion: """
        For --transposed it also lists every output size the transposed convolution can produce,
        each with the output_padding that selects it.

        Examples:
          convmat shape --input 5x5 --kernel 3 --stride 2 --padding 1
          convmat shape --input 3x3 --kernel 3 --stride 2 --padding 1 --transposed
          convmat shape --input 5x5 --kernel 2 --stride 2 --padding same
        """
    )

    @OptionGroup var geometry: GeometryOptions

    func run() throws {
        emit(ShapeReport(try geometry.resolve()).text, terminator: "")
    }
}
