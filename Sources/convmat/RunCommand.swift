import ArgumentParser
import ConvMatrix

/// `convmat run`: compute a case in PyTorch or TensorFlow layout through C.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Compute a conv, conv_transpose, conv_input_grad or conv_weight_grad case (JSON) through a matrix.",
        discussion: reflowed(
            """
            The case format is described in docs/case-format.md. The result is printed as
            {"output": {"shape": [...], "data": [...]}} in the case's layout, or with
            --format grid as a grid of numbers per sample and channel.

            The products use --threads threads (default: $CONVMAT_THREADS, else the processors this
            process may run on); with 1 the result is CHOLMOD's to the last bit.

            Examples:
              convmat run case.json
              convmat run case.json --threads 1
              convmat run case.json --format grid
              echo '{"op": "conv", "input": {"shape": [1, 1, 3], "data": [1, 2, 3]},' \\
                   '"weight": {"shape": [1, 1, 2], "data": [1, -1]}}' | convmat run -
            """)
    )

    @Argument(help: "The case file, or - for standard input.")
    var file: String

    /// How the result is printed.
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case json, grid
    }

    @Option(
        help:
            "json (the default: {\"output\": {\"shape\", \"data\"}}, for programs) or grid (a grid of numbers per sample and channel, last axis across, to read as matrices)."
    )
    var format: OutputFormat = .json

    @OptionGroup var memory: MemoryOptions

    @OptionGroup var threads: ThreadOptions

    func run() throws {
        let computation = try memory.readCase(file)
        try memory.check(computation.memoryEstimate)
        // Only C·x keeps partial results per thread; Cᵀ·y's threads write disjoint parts of the result.
        let forwardRows = computation.operation == .conv ? computation.geometry.rowCount : 0
        try threads.apply(rows: forwardRows, samples: computation.batchSize, beside: computation.memoryEstimate, memory: memory)
        let result = try computation.evaluate()
        var output = console
        if format == .grid { return output.write(result.grids(layout: computation.layout)) }
        output.write("{\"output\": ")
        result.writeJSON(to: &output)
        output.write("}\n")
    }
}

extension MemoryOptions {
    /// Reads and parses the case file `path` (or standard input, `-`) within the
    /// memory guard: reading is bounded before it starts, by the file's size when
    /// it has one, and for standard input by refusing the first byte past what the
    /// limit allows (`ConvolutionCase.parsingEstimate`, naming --max-memory).
    func readCase(_ path: String) throws -> ConvolutionCase {
        let limit = try self.limit() ?? MemoryBudget.defaultLimit
        if let size = FileInput.size(atPath: path) {
            try check(ConvolutionCase.parsingEstimate(fileBytes: size))
        }
        let readable = max(0, limit - MemoryEstimate.processBytes) / ConvolutionCase.parsingBytesPerByte
        let text: String
        do { text = try FileInput.text(atPath: path, limit: readable) } catch {
            guard case .tooLarge = error else { throw error }
            try check(ConvolutionCase.parsingEstimate(fileBytes: readable + 1))
            throw error
        }
        return try ConvolutionCase(json: text)
    }
}
