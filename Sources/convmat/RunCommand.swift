import ArgumentParser
import ConvMatrix

#if canImport(Glibc)
import Glibc
#endif

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

    @Option(name: .customLong("max-memory"), parsing: .unconditional, help: ArgumentHelp("Refuse cases whose matrix and vectors would need more memory, e.g. 512M or 4G (default: half of physical memory).", valueName: "size"))
    var maxMemory: String?

    func run() throws {
        let text = try readText(file)
        let computation = try ConvolutionCase(json: text)
        let limit = try maxMemory.map { text throws(GeometryError) in try MemoryBudget.parse(text) }
        _ = try MemoryBudget.check(computation.geometry, limit: limit, samples: computation.batchSize)
        let result = try computation.evaluate()
        print("{\"output\": \(result.json)}")
    }
}

/// The whole content of `path` (or standard input for "-") as UTF-8 text.
func readText(_ path: String) throws(InputError) -> String {
    do { return try FileInput.text(atPath: path) } catch { throw InputError(error.description) }
}
