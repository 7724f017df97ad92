import ConvMatrix

/// Every view of the explorer for one set of settings, rendered by the
/// library code the CLI uses, as the one JSON object the page swaps in:
///
/// - `summary`, `rows`, `columns`: `MatrixPrinter.summary` ("C: 9×25, 81 nonzeros …");
/// - `weightCount`, `valueCount`: how many numbers `weights` and `values` take, and `kernel`, the
///   numbers of the kernel shown (when not names), for the page's boxes;
/// - `shape`: `ShapeReport`'s text (the output-size formula filled in and,
///   transposed, every valid output-size set) and its JSON;
/// - `matrix`: C or Cᵀ as an HTML table (`MatrixTable`, from `MatrixPrinter`'s
///   cells with labels, flip and order), each row's nonzero columns, and
///   for each printed row and column the tensor element it stands for;
/// - `latex`: `MatrixPrinter`'s LaTeX (channel blocks ruled), for export;
/// - `pictures`: `ConvolutionPicture` SVGs with `data-link` cells: sliding for
///   a convolution at the selected row's output, scatter at the selected
///   column's input and zero insertion at the selected row's output for a
///   transposed one (one channel pair);
/// - `spy`: the sparsity pattern when the table is too large to print, or
///   when there are several channels;
/// - `verdict`: `Verifier`'s brief report (Cᵀ is the transposed convolution, by four routes);
/// - `command`, `case`: the equivalent `convmat matrix` line and a case file (docs/case-format.md).
/// - `timings`: the milliseconds each view took (what docs/explorer.md's latency table breaks down).
///
/// A view that cannot be shown for these settings (too large, several
/// channels) is replaced by a `…Note` saying why and what to run instead.
package struct ExplorerView: Sendable {
    /// The settings shown, with `row` and `column` moved into the matrix.
    package let settings: ExplorerSettings
    /// The operation the settings describe.
    package let convolutionOperator: ConvolutionOperator

    /// The limits that bound each request's memory, time and response size.
    package struct Limits: Hashable, Sendable {
        /// The memory of the whole server (`--max-memory`, default 512 MiB): a request
        /// alone must fit (its views, its answer and the program itself), and the
        /// server's `ExplorerScheduler` keeps all computations and unsent answers together within it.
        package var memoryBytes = 512 << 20
        /// The most nonzeros of C the explorer works with (spy and the case's product walk them).
        package var nonzeros = 2_000_000
        /// The most nonzeros the verifier runs on in a request.
        package var verifiedNonzeros = 4_000
        /// The most multiply-adds of the verifier's costliest route (`Verifier.work`) in a request.
        package var verifiedWork = 30_000
        /// The most output positions of a transposed convolution whose scatter and
        /// zero-insertion pictures are drawn (18×18): their grids grow with the stride.
        package var transposedPicturePositions = 324
        /// The most cells of a matrix printed as a table.
        package var tableCells = 8_192
        /// The most cells of a matrix written as LaTeX for the export button (a slide holds far fewer).
        package var latexCells = 2_048
        /// The most numbers (input, weights and expected output) of the case file
        /// offered for export: about 3 MB of JSON. A larger case is left out with
        /// a note (`convmat cases` and `convmat run` handle such sizes).
        package var caseNumbers = 200_000
        /// The largest JSON answer, in bytes: refused before work when the estimate
        /// (`ExplorerWork.answerBytes`) exceeds it, and checked again once written.
        package var responseBytes = 8 << 20
        /// The limits above.
        package init() {}
    }

    let limits: Limits

    /// Checks the settings against the library's rules and the explorer's limits, before any work.
    ///
    /// - Throws: `ExplorerError.refused` with the CLI's message and the field to mark.
    package init(_ settings: ExplorerSettings, limits: Limits = Limits()) throws(ExplorerError) {
        let op: ConvolutionOperator
        do { op = try ConvolutionOperator(settings.fields) } catch { throw .refusal(error) }
        for (field, value) in [("in_channels", settings.fields.inChannels), ("out_channels", settings.fields.outChannels)]
        where value > ExplorerSettings.channelLimit {
            throw .refusal(
                GeometryError.invalid(
                    field: field,
                    reason: "= \(value) is more than the explorer shows (\(ExplorerSettings.channelLimit)); print such a matrix with convmat matrix"))
        }
        let c = op.convolution
        if c.nonzeroCount > limits.nonzeros {
            throw .refusal(
                GeometryError.invalid(
                    field: "input",
                    reason:
                        "gives a \(op.matrixName) with \(c.nonzeroCount) nonzeros, more than the explorer draws (\(limits.nonzeros)); use a smaller input or kernel, or convmat draw spy"
                ))
        }
        let work = ExplorerWork(op, limits: limits)
        if work.steps > ExplorerWork.stepLimit || work.answerBytes > limits.responseBytes {
            throw .refusal(
                GeometryError.invalid(
                    field: "input",
                    reason:
                        "gives views too large to compute in a request (about \(work.steps) steps and \(MemoryBudget.formatBytes(work.answerBytes)) of answer; at most \(ExplorerWork.stepLimit) and \(MemoryBudget.formatBytes(limits.responseBytes))); use a smaller input or kernel, or convmat matrix and convmat draw"
                ))
        }
        do {
            try MemoryBudget.check(work.memory, limit: limits.memoryBytes, field: "max_memory")
        } catch {
            throw .refusal(error)
        }
        do throws(GeometryError) {
            switch settings.weights {
            case .symbolic: kernel = nil
            case .counting: kernel = Kernel.counting(c)
            case .numbers(let numbers): kernel = try Kernel(numbers, geometry: c)
            }
            if let values = settings.values { try Self.check(values: values, for: op) }
        } catch {
            throw .refusal(error)
        }
        var settings = settings
        settings.row = min(settings.row, op.rowCount - 1)
        settings.column = min(settings.column, op.columnCount - 1)
        self.settings = settings
        self.convolutionOperator = op
        self.limits = limits
    }

    /// The kernel the views write: nil for names, else the kernel 1, 2, 3, … or the user's numbers.
    let kernel: Kernel?

    /// Refuses `values` that are not the drawn operation's input: x of a convolution, y of a
    /// transposed one, every channel ([channels, spatial…], row-major), with the words of
    /// `convmat draw --values` for one channel.
    static func check(values: [Double], for op: ConvolutionOperator) throws(GeometryError) {
        let size = (op.inChannels > 1 ? [op.inChannels] : []) + op.inputSize
        let what = op.isTransposed ? "the transposed input y" : "the input x"
        if values.count != op.columnCount {
            throw .invalid(
                field: "values",
                reason: "has \(values.count) number\(values.count == 1 ? "" : "s") but \(what) \(formatSize(size)) needs \(op.columnCount), row-major")
        }
    }

    /// The spy picture's longest side in pixels: 640 while C has at most 320 rows and columns, so
    /// that every entry is a square of 2 to 24 px (a 2-channel C of a 5×5 input, 18×50, gets
    /// 12 px squares and is 600 px wide, where a fixed 160 gave 3 px squares, 150×54); 160 beyond
    /// that, where the picture bins blocks of entries and more pixels would only make the
    /// answer larger (up to one rectangle per pixel).
    static func spyPixels(_ op: ConvolutionOperator) -> Int {
        max(op.rowCount, op.columnCount) <= 320 ? 640 : 160
    }

    /// The printed row `row` (or column) as the tensor element it stands
    /// for: its row-major index within its channel, whatever the printed order
    /// (`MatrixOrder.rowMajorIndex(ofPrinted:size:)`, the printer's own mapping).
    func element(_ printed: Int, size: [Int]) -> Int {
        settings.order.rowMajorIndex(ofPrinted: printed, size: size)
    }

    /// Every view as one JSON object (see the type's description).
    ///
    /// - Complexity: O(rows × columns) for the table (at most `Limits.tableCells`),
    ///   O(nnz) for spy and the case, a few O(nnz) passes for the verifier.
    package var json: String { json(stoppingWhen: { false }) ?? "" }

    /// Every view as one JSON object, one view after another, asking `stop`
    /// before each: a request whose client went away or whose time budget ran
    /// out stops at the next view (`ExplorerScheduler`), so the longest single
    /// view bounds how long abandoned work goes on.
    ///
    /// - Parameter stop: true when the work should end now.
    /// - Returns: the answer, or nil when `stop` said so.
    /// - Complexity: that of `json`.
    package func json(stoppingWhen stop: () -> Bool) -> String? {
        let op = convolutionOperator
        let c = op.convolution
        let printer = MatrixPrinter(format: .text, flip: settings.flip, order: settings.order)
        var fields: [(String, String)] = [
            ("ok", "true"),
            ("query", JSONWriting.string(settings.query.encoded)),
            ("summary", JSONWriting.string(printer.summary(op))),
            ("matrixName", JSONWriting.string(op.matrixName)),
            ("rows", "\(op.rowCount)"), ("columns", "\(op.columnCount)"),
            ("row", "\(settings.row)"), ("column", "\(settings.column)"),
            ("weightCount", "\(c.weightCount)"), ("valueCount", "\(op.columnCount)"),
        ]
        if let kernel { fields.append(("kernel", JSONWriting.string(ExplorerSettings.list(kernel.values)))) }
        // Each view's time, in milliseconds, goes into the answer: what the latency table in docs/explorer.md breaks down.
        let clock = ContinuousClock()
        var timings = [(String, String)]()
        var stopped = false
        func timed(_ name: String, _ view: () -> [(String, String)]) {
            if stopped || stop() {
                stopped = true
                return
            }
            let start = clock.now
            fields += view()
            let elapsed = start.duration(to: clock.now)
            timings.append((name, JSONWriting.number(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)))
        }
        timed("shape") {
            guard let report = try? ShapeReport(op) else { return [] }
            return [("shape", JSONWriting.object([("text", JSONWriting.string(report.text)), ("report", report.json)]))]
        }
        timed("matrix") { matrixFields(kernel: kernel) }
        timed("pictures") { pictureFields(kernel: kernel) }
        timed("verdict") { verdictFields(kernel: kernel) }
        timed("case") { [("command", JSONWriting.string(command))] + caseFields }
        if stopped { return nil }
        fields.append(("timings", JSONWriting.object(timings)))
        let text = JSONWriting.object(fields)
        if text.utf8.count > limits.responseBytes {
            return Self.refusalJSON(
                .refused(
                    field: "input",
                    message:
                        "the views of this geometry would take \(text.utf8.count) bytes, more than the explorer sends (\(limits.responseBytes)); use a smaller input"
                ))
        }
        return text
    }

    /// The printed matrix (table and LaTeX), or notes saying why not.
    private func matrixFields(kernel: Kernel?) -> [(String, String)] {
        let op = convolutionOperator
        let cells = op.rowCount.multipliedReportingOverflow(by: op.columnCount)
        var fields = [(String, String)]()
        let markdown = MatrixPrinter(format: .markdown, labels: true, flip: settings.flip, order: settings.order)
        if cells.overflow || cells.partialValue > limits.tableCells {
            fields.append(
                (
                    "matrixNote",
                    JSONWriting.string(
                        "\(op.matrixName) is \(op.rowCount)×\(op.columnCount), more than the \(limits.tableCells) cells the page prints; its sparsity pattern is drawn below (convmat matrix prints it with --force)"
                    )
                ))
        } else {
            do {
                let table = MatrixTable(try markdown.cells(op, kernel: kernel))
                fields.append(
                    (
                        "matrix",
                        JSONWriting.object([
                            ("html", JSONWriting.string(table.html)),
                            ("pattern", JSONWriting.array(table.pattern.map(JSONWriting.integers))),
                            ("rowElements", JSONWriting.integers((0..<op.rowCount).map { element($0, size: op.outputSize) })),
                            ("columnElements", JSONWriting.integers((0..<op.columnCount).map { element($0, size: op.inputSize) })),
                        ])
                    ))
            } catch {
                fields.append(("matrixNote", JSONWriting.string(error.message(spellingFields: flagName))))
            }
        }
        let latex = MatrixPrinter(
            format: .latex, labels: true, blockSeparators: op.inChannels > 1 || op.outChannels > 1,
            flip: settings.flip, order: settings.order)
        do throws(RenderingError) {
            try latex.check(op)
            if cells.overflow || cells.partialValue > limits.latexCells {
                throw .tooLarge(
                    "the page exports the LaTeX of matrices up to \(limits.latexCells) cells; \(op.matrixName) has \(op.rowCount)×\(op.columnCount): print it with \(command.replacing("--labels", with: "--format latex --labels"))"
                )
            }
            fields.append(("latex", JSONWriting.string(try latex.render(op, kernel: kernel))))
        } catch {
            fields.append(("latexNote", JSONWriting.string(error.message(spellingFields: flagName))))
        }
        return fields
    }

    /// The pictures of one channel pair at the selected row and column, and spy.
    private func pictureFields(kernel: Kernel?) -> [(String, String)] {
        let op = convolutionOperator
        var fields = [(String, String)]()
        let kinds: [(ConvolutionPicture.Kind, Int)] =
            op.isTransposed
            ? [(.scatter, element(settings.column, size: op.inputSize)), (.zeroInsertion, element(settings.row, size: op.outputSize))]
            : [(.sliding, element(settings.row, size: op.outputSize))]
        var pictures = [String](), notes = [String]()
        let positions = max(op.inputSize.reduce(1, *), op.outputSize.reduce(1, *))
        if op.isTransposed && positions > limits.transposedPicturePositions {
            notes.append(
                "scatter and zero-insertion are drawn on the page up to \(limits.transposedPicturePositions) positions of y and z (this one has \(positions)); convmat draw scatter \(settings.fields.commandLineArguments.joined(separator: " ")) draws them"
            )
        }
        for (kind, step) in kinds where !(op.isTransposed && positions > limits.transposedPicturePositions) {
            do {
                let picture = try ConvolutionPicture(kind, of: op, step: step, weights: kernel, values: settings.values, flip: settings.flip)
                pictures.append(
                    JSONWriting.object([
                        ("kind", JSONWriting.string(kind.rawValue)), ("step", "\(step)"),
                        ("svg", JSONWriting.string(try picture.figure().svg(linked: true))),
                    ]))
            } catch {
                notes.append("\(kind.rawValue): \(error.message(spellingFields: flagName))")
            }
        }
        fields.append(("pictures", JSONWriting.array(pictures)))
        if !notes.isEmpty { fields.append(("picturesNote", JSONWriting.string(notes.joined(separator: "; ")))) }
        let cells = op.rowCount.multipliedReportingOverflow(by: op.columnCount)
        let large = cells.overflow || cells.partialValue > limits.tableCells
        if large || op.inChannels > 1 || op.outChannels > 1 {
            do {
                let spy = try ConvolutionPicture(.spy, of: op, pixels: Self.spyPixels(op), flip: settings.flip, order: settings.order)
                fields.append(("spy", JSONWriting.string(try spy.figure().svg())))
            } catch {
                fields.append(("spyNote", JSONWriting.string(error.message(spellingFields: flagName))))
            }
        }
        return fields
    }

    /// The verifier's brief verdict, when C is small enough to verify in a request.
    private func verdictFields(kernel: Kernel?) -> [(String, String)] {
        let op = convolutionOperator
        let nonzeros = op.convolution.nonzeroCount
        guard nonzeros <= limits.verifiedNonzeros, let work = Verifier.work(op.convolution), work <= limits.verifiedWork else {
            return [
                (
                    "verdictNote",
                    JSONWriting.string(
                        "the page verifies matrices up to \(limits.verifiedNonzeros) nonzeros and \(limits.verifiedWork) multiply-adds per route (C has \(nonzeros) nonzeros) — run convmat verify \(settings.fields.commandLineArguments.joined(separator: " ")) --brief"
                    )
                )
            ]
        }
        do {
            let report = try Verifier().verify(op, weights: kernel, seed: 1)
            return [("verdict", JSONWriting.object([("passed", report.passed ? "true" : "false"), ("text", JSONWriting.string(report.briefText))]))]
        } catch {
            return [("verdictNote", JSONWriting.string(error.message(spellingFields: flagName)))]
        }
    }

    /// The `convmat matrix` line that prints the matrix the page shows.
    package var command: String {
        var arguments = ["convmat", "matrix"] + settings.fields.commandLineArguments
        if let kernel { arguments += ["--weights", ExplorerSettings.list(kernel.values)] }
        if settings.flip { arguments.append("--flip") }
        if settings.order != .rowMajor { arguments += ["--order", settings.order.rawValue] }
        arguments.append("--labels")
        return arguments.joined(separator: " ")
    }

    /// The case file, or a note saying why it is left out: more numbers than `Limits.caseNumbers`.
    private var caseFields: [(String, String)] {
        let numbers = ExplorerWork.caseNumbers(convolutionOperator)
        guard numbers <= limits.caseNumbers else {
            return [
                ("case", "null"),
                (
                    "caseNote",
                    JSONWriting.string(
                        "the case file would hold \(numbers) numbers, more than the page exports (\(limits.caseNumbers)); convmat cases writes cases of any size"
                    )
                ),
            ]
        }
        return [("case", caseDocument.map(JSONWriting.string) ?? "null")]
    }

    /// A case file for these settings (PyTorch layout): the page's kernel (1, 2, 3, … when the
    /// entries are names), its input `values` (else 1, 2, …, 9, 1, 2, …) and the expected
    /// result; nil when it cannot be written.
    var caseDocument: String? {
        let op = convolutionOperator
        let c = op.convolution
        let operand = DenseMatrix(column: settings.values ?? (0..<op.columnCount).map { Double($0 % 9 + 1) })
        guard
            let computation = try? ConvolutionCase(
                operation: op.isTransposed ? .convTranspose : .conv, layout: .pytorch, kernel: kernel ?? Kernel.counting(c), operand: operand),
            let expected = try? computation.evaluate()
        else { return nil }
        return computation.document(expected: expected)
    }

    /// The JSON of a refusal: `{"ok": false, "field": …, "message": …}`, or for a malformed query `{"error": …}`.
    package static func refusalJSON(_ error: ExplorerError) -> String {
        switch error {
        case .malformed(let reason):
            return JSONWriting.object([("error", JSONWriting.string(reason))])
        case .refused(let field, let message):
            return JSONWriting.object([("ok", "false"), ("field", JSONWriting.string(field)), ("message", JSONWriting.string(message))])
        }
    }
}
