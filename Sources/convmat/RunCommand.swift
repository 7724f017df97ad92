import ArgumentParser
import ConvMatrix

/// `convmat run`: compute a case in PyTorch or TensorFlow layout through C.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Compute a conv, conv_transpose, conv_input_grad or conv_weight_grad case (JSON) through a matrix.",
        discussion: """
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
            """
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
        // Reading is bounded before it starts: by the file's size when it has one, and for
        // standard input by refusing the first byte past what the limit allows.
        let limit = try memory.limit() ?? MemoryBudget.defaultLimit
        if let size = FileInput.size(atPath: file) {
            try memory.check(ConvolutionCase.parsingEstimate(fileBytes: size))
        }
        let readable = max(0, limit - MemoryEstimate.processBytes) / ConvolutionCase.parsingBytesPerByte
        let computation = try ConvolutionCase(json: readCase(limit: readable))
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

    /// The case file's text, refused (naming --max-memory) past `limit` bytes.
    private func readCase(limit: Int) throws -> String {
        do { return try FileInput.text(atPath: file, limit: limit) } catch {
            guard case .tooLarge = error else { throw error }
            try memory.check(ConvolutionCase.parsingEstimate(fileBytes: limit + 1))
            throw error
        }
    }
}
