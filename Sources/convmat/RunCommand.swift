import ArgumentParser
import ConvMatrix

/// `convmat run`: compute a case in PyTorch or TensorFlow layout through C.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Compute a conv, conv_transpose or conv_input_grad case (JSON) through the matrix C.",
        discussion: """
        The case format is described in docs/case-format.md. The result is printed as
        {"output": {"shape": [...], "data": [...]}} in the case's layout.

        Examples:
          convmat run case.json
          echo '{"op": "conv", "input": {"shape": [1, 1, 3], "data": [1, 2, 3]},' \\
               '"weight": {"shape": [1, 1, 2], "data": [1, -1]}}' | convmat run -
        """
    )

    @Argument(help: "The case file, or - for standard input.")
    var file: String

    @OptionGroup var memory: MemoryOptions

    func run() throws {
        let computation = try ConvolutionCase(json: FileInput.text(atPath: file))
        try memory.check(computation.geometry, samples: computation.batchSize)
        let result = try computation.evaluate()
        var output = console
        output.write("{\"output\": ")
        result.writeJSON(to: &output)
        output.write("}\n")
    }
}
