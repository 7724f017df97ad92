import Foundation
import Testing
import ConvMatrix
import ConvMatrixTestSupport

/// The ```swift blocks of the docs pages (other than docs/library.md, mirrored by
/// LibraryGuideTests, and docs/testing-your-convolution.md, run by TestingGuideTests),
/// run as written against the public API (no @testable).
///
/// Each test below holds one block, line for line, after a `// mirrors PAGE` marker;
/// `blocksAreMirroredHere` reads the pages and this file and checks that every code line
/// of every block appears here in order after its marker, so neither can change alone.
/// The tests may add lines between (the checks); `print` is captured by a local function
/// so that what a block prints can be checked. Expected values are worked out by hand in
/// the comments, from the geometry, not copied from a run.
@Suite struct DocumentationSwiftExampleTests {
    typealias Element = TinyXML.Element

    /// The pages with ```swift blocks that this suite mirrors.
    static let pages = [
        "docs/pictures.md", "docs/printing.md", "docs/deconvolution.md",
        "docs/exercises.md", "docs/performance.md", "docs/verification.md", "README.md",
    ]
    /// Pages whose ```swift blocks other suites run.
    static let checkedElsewhere = ["docs/library.md", "docs/testing-your-convolution.md"]

    // MARK: docs/pictures.md

    @Test func picturesFromSwift() throws {
        // mirrors docs/pictures.md
        let geometry = try ConvolutionGeometry(inputSize: [5, 5], kernelSize: [2, 2], stride: [2], padding: .same)
        let svg = try ConvolutionPicture(.sliding, of: .convolution(geometry), step: 8).figure().svg()
        // SAME: ⌈5/2⌉ = 3 outputs per dimension, total padding (3 − 1)·2 + 2 − 5 = 1, all of it
        // after, so the padded input is 6×6: 25 input cells, 36 − 25 = 11 extra padding cells,
        // a 3×3 output and one window (a single step).
        let sliding = try TinyXML.parse(svg)
        #expect(Self.count(sliding, "rect", "input") == 25)
        #expect(Self.count(sliding, "rect", "padding extra") == 11)
        #expect(Self.count(sliding, "rect", "output") == 9)
        #expect(Self.count(sliding, "rect", "window") == 1)
        let tikz = try ConvolutionPicture(.zeroInsertion, of: .transposing(geometry), step: 0).figure().tikz(standalone: true)
        // One step, so one picture in a document pdflatex can compile on its own.
        #expect(tikz.contains("\\documentclass"))
        #expect(tikz.components(separatedBy: "\\begin{tikzpicture}").count - 1 == 1)
        #expect(tikz.hasSuffix("\\end{document}\n"))
        let animated = try ConvolutionPicture(.scatter, of: .transposing(geometry), animated: true).figure().svg()
        // Scatter steps through the transposed input y, which is C's 3×3 output: 9 products,
        // then one step for their sum, so 10 frames.
        let frames = try TinyXML.parse(animated).children.filter { $0.attributes["class"] == "frame" }
        #expect(frames.count == 10)
        let spy = try ConvolutionPicture(.spy, of: .transposing(geometry), pixels: 400).figure().svg()
        // Cᵀ is 25×9. Stride 2 = kernel 2 and the one padding cell at the end: every input lies in
        // exactly one window, so C has 25 nonzeros, each drawn as one cell (25 ≤ 400 pixels).
        #expect(Self.count(try TinyXML.parse(spy), "rect", "nonzero") == 25)
        // With numbers (the kernel's weights and the input x), the kernel flipped, and one page of a contact sheet:
        let kernel = try Kernel([1, 2, 3, 4], geometry: geometry)
        let x = (1...25).map(Double.init)
        let numbers = try ConvolutionPicture(.sliding, of: .convolution(geometry), step: 4, weights: kernel, values: x, flip: true).figure().svg()
        // Step 4 is y(1,1): the window covers x(2,2), x(2,3), x(3,2), x(3,3) = 13, 14, 18, 19
        // (x(r,c) = 5r + c + 1); flipped, the kernel is [[4, 3], [2, 1]]:
        // 4·13 + 3·14 + 2·18 + 1·19 = 52 + 42 + 36 + 19 = 149.
        let caption = try TinyXML.parse(numbers).all.first { $0.name == "text" && $0.attributes["class"] == "step-caption" }
        #expect(caption?.text.hasSuffix("= 149") == true)
        let sheet = try ConvolutionPicture(.zeroInsertion, of: .transposing(geometry), sheet: 2).figure().svg()
        // Zero insertion steps through z, the 5×5 input of C: 25 steps. A panel is the 6×6 grid (y with
        // one zero between values, one cell of padding before), two cells of gap and z, 13 × 6 cells; a
        // tap's name over y₀,₀ needs 40 px cells, so three panels across would be 3 · 13 · 40 + 68 =
        // 1628 px and three rows 126 + 3 · (240 + 30) = 936 px, both beyond the 1280 × 905 page: a
        // landscape sheet holds 2 × 2, and the 25 steps fill 7 sheets, the second showing steps 4–7.
        let page = try TinyXML.parse(sheet)
        #expect(Self.count(page, "rect", "highlight") == 4)
        #expect(page.all.first { $0.attributes["class"] == "sheet-note" }?.text.hasPrefix("sheet 2 of 7: steps 4–7") == true)
    }

    // MARK: docs/printing.md

    @Test func printingFromSwift() throws {
        var printed = ""
        func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
            printed += items.map { "\($0)" }.joined(separator: separator) + terminator
        }
        // mirrors docs/printing.md
        let geometry = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])
        let kernel = try Kernel([1, 0, -1, 2, 0, -2, 1, 0, -1], geometry: geometry)  // Sobel, PyTorch order
        let latex = try MatrixPrinter(format: .latex, highlightedRow: 1, standalone: true).render(.convolution(geometry))
        // C of Dumoulin & Visin's 4×4 input and 3×3 kernel is 4×16: four rows of 16 cells (15 `&` each).
        #expect(latex.hasPrefix("\\documentclass"))
        #expect(Self.rows(latex, ampersands: 15) == 4)
        // Lecture notes: one channel block with labels, the padded view, true convolution in MATLAB's order.
        let channels = try ConvolutionGeometry(inputSize: [3, 3], kernelSize: [2, 2], inChannels: 2, outChannels: 2)
        let block = try MatrixPrinter(format: .latex, labels: true, channelBlock: ChannelBlock(output: 1, input: 0)).render(.convolution(channels))
        // One block: the 2×2 outputs of channel 1 against the 3×3 inputs of channel 0, 4×9,
        // plus a label column and a label row: 5 lines of 10 cells (9 `&`).
        #expect(Self.rows(block, ampersands: 9) == 5)
        let padded = try MatrixPrinter(format: .text, labels: true, showPadding: true)
            .render(.convolution(try ConvolutionGeometry(inputSize: [3], kernelSize: [3], padding: .symmetric([1]))))
        // Over the padded input (0, x0, x1, x2, 0) each of the 3 rows holds all three taps w0 w1 w2.
        #expect(padded.components(separatedBy: "w₁").count - 1 == 3)
        let convmtx2 = try MatrixPrinter(format: .csv, flip: true, order: .columnMajor).render(.convolution(geometry), kernel: kernel)
        // Row 0 is y(0,0) of the true convolution: the kernel rotated by 180°,
        // [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], at x(u,v), which is column 4v + u in column-major order.
        #expect(Self.csvRows(convmtx2).first == [-1, -2, -1, nil, 0, 0, 0, nil, 1, 2, 1, nil, nil, nil, nil, nil])
        // For numpy and SciPy: the .npy bytes, COO JSON, csv with zeros.
        let npy = try MatrixPrinter(format: .npy).renderBytes(.convolution(geometry), kernel: kernel)
        // NumPy's format 1.0: \x93NUMPY, version 1.0, a header padded to a multiple of 64 bytes, then
        // 4·16 float64 values; row 0 is the Sobel kernel at x(0,0…2), x(1,0…2), x(2,0…2).
        #expect(Array(npy.prefix(8)) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        #expect(String(decoding: npy.prefix(npy.count - 4 * 16 * 8), as: UTF8.self).contains("'shape': (4, 16)"))
        #expect((npy.count - 4 * 16 * 8) % 64 == 0)
        let row0 = (0..<16).map { column in
            Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(npy[npy.count - 512 + 8 * column + $1]) << (8 * $1) })
        }
        #expect(row0 == [1, 0, -1, 0, 2, 0, -2, 0, 1, 0, -1, 0, 0, 0, 0, 0])
        let coo = try MatrixPrinter(format: .cooJSON).render(.convolution(geometry), kernel: kernel)
        // Every structural nonzero: 4 rows × 9 taps = 36 entries, the zeros of the kernel included.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(coo.utf8)) as? [String: Any])
        #expect(object["shape"] as? [Int] == [4, 16])
        #expect((object["row"] as? [Int])?.count == 36)
        #expect((object["data"] as? [Double])?.prefix(9) == [1, 0, -1, 2, 0, -2, 1, 0, -1])
        let csv = try MatrixPrinter(format: .csv, zerosAsDigits: true).render(.convolution(geometry), kernel: kernel)
        // With zeros written, every one of the 4 rows has 16 numbers.
        #expect(Self.csvRows(csv).count == 4 && Self.csvRows(csv).allSatisfy { $0.count == 16 && !$0.contains(nil) })
        // Pooling: A, S(x) and its transpose (the backward pass), and the check of both passes.
        let pooling = try PoolingGeometry(inputSize: [4, 4], kernelSize: [2])
        let x: [Double] = [1, 5, 2, 0, 3, 4, 8, 1, 0, 2, 6, 7, 9, 1, 3, 5]
        let a = try MatrixPrinter(format: .text).render(PoolingMatrix(averaging: pooling))
        // A averages 4 inputs per output: 4 rows with four entries 1/4 each; the first window
        // reads x(0,0), x(0,1), x(1,0), x(1,1), the flat columns 0, 1, 4 and 5.
        #expect(a.components(separatedBy: "1/4").count - 1 == 16)
        let firstRow = a.split(separator: "\n").first { $0.contains("1/4") }?.split(separator: " ") ?? []
        #expect(firstRow.indices.filter { firstRow[$0] == "1/4" } == [0, 1, 4, 5])
        let s = try PoolingMatrix(selectingMaximaOf: x, geometry: pooling)
        let sT = try MatrixPrinter(format: .latex, labels: true).render(s.transposed())
        // S(x)ᵀ is 16×4: 16 rows and a label row, each of 5 cells (4 `&`).
        #expect(Self.rows(sT, ampersands: 4) == 17)
        let check = try PoolingVerification(.maximum, geometry: pooling, x: x, g: [1, 2, 3, 4])
        print(check.text(brief: false))  // PASS when both passes agree with the matrix
        // The maxima of the windows 1 5 3 4 / 2 0 8 1 / 0 2 9 1 / 6 7 3 5 are x1, x6, x12 and x11.
        #expect(printed.contains("S(x) picks, per output (flat indices): y0←x1 y1←x6 y2←x12 y3←x11\n"))
        #expect(printed.hasSuffix("\nPASS\n"))
        // A Matrix Market text compared with C: C's own matches.
        let mtx = try MatrixPrinter(format: .mtx).render(.convolution(geometry), kernel: kernel)
        let verdict = try MatrixComparison(matrixMarket: mtx, against: .convolution(geometry), kernel: kernel)
        printed = ""
        print(verdict.report(limit: 10))  // YES: the file is C (4×16)
        #expect(verdict.matches)
        #expect(printed == "YES: the file is C (4×16)\n\n")
        // Cᵀ where C was asked for: the shapes differ, which the verdict says first.
        let transposed = try MatrixPrinter(format: .mtx).render(.transposing(geometry), kernel: kernel)
        printed = ""
        print(try MatrixComparison(matrixMarket: transposed, against: .convolution(geometry), kernel: kernel).report(limit: 10))
        // NO: the file is 16×4 but C is 4×16
        // Cᵀ is 16×4, and C 4×16.
        #expect(printed == "NO: the file is 16×4 but C is 4×16\n\n")
    }

    // MARK: docs/deconvolution.md

    @Test func deconvolutionFromSwift() throws {
        var printed = ""
        func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
            printed += items.map { "\($0)" }.joined(separator: separator) + terminator
        }
        // mirrors docs/deconvolution.md
        let geometry = try ConvolutionGeometry(inputSize: [64, 64], kernelSize: [5, 5], padding: .same)
        let kernel = try BlurKernel(name: "gaussian5").kernel(for: geometry)
        let deconvolution = try Deconvolution(kernel: kernel, lambda: nil)  // nil: the default λ
        let x = DenseMatrix(column: TestImage.checkerboardWithDisc(size: [64, 64]))
        let y = try deconvolution.convolve(x)  // C·x
        let xHat = try deconvolution.recover(y)  // (CᵀC + λI)⁻¹·Cᵀy
        let back = try deconvolution.transposedConvolution(y)  // Cᵀy
        print(deconvolution.factor.factorNonzeros)  // nnz(L)
        // SAME keeps 64×64, so C is 4096×4096. Per dimension the 64 windows of 5 taps lose 2 + 1 taps
        // at each end to the padding: 320 − 6 = 314 pairs, and C has 314² = 98596 nonzeros.
        #expect(y.values.count == 4096 && xHat.values.count == 4096 && back.values.count == 4096)
        #expect(deconvolution.matrix.nonzeroCount == 98596)
        // L holds at least the diagonal of the 4096×4096 CᵀC + λI.
        #expect((Int(printed.dropLast()) ?? 0) >= 4096)

        // Everything the command prints (DeconvolutionComparison(blurred: y, …) when x is unknown):
        let comparison = try DeconvolutionComparison(clean: x, deconvolution: deconvolution)
        print(DeconvolutionReport(deconvolution: deconvolution, comparison: comparison, kernelName: "gaussian5"))
        #expect(printed.contains("y = C·x: input 64×64 → output 64×64, kernel 5×5 (gaussian5), stride 1×1, padding 2:2x2:2"))
        #expect(printed.contains("C: 4096×4096, 98596 nonzeros; 1 sample"))
        // The point of the page: x̂ is closer to x than Cᵀy, which blurs a second time.
        let recoveredError = try #require(comparison.recoveredError), transposedError = try #require(comparison.transposedError)
        #expect(recoveredError < transposedError)
    }

    // MARK: docs/exercises.md

    @Test func exercisesFromSwift() throws {
        var printed = ""
        func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
            printed += items.map { "\($0)" }.joined(separator: separator) + terminator
        }
        // mirrors docs/exercises.md
        let sheet = try ExerciseSheet(seed: 7, count: 5, difficulty: .medium, kinds: [.outputSize, .restoreSize])
        print(sheet.problems(format: .markdown))
        print(sheet.answers(format: .latex))
        let key = sheet.key  // AnswerKey; key.json is the text of the key file
        let answers = try AnswerFile(text: "1: 4\n2: 1\n", source: "alice.txt")
        // The kinds are dealt in turn: output-size, restore-size, output-size, …
        #expect(key.questions.map(\.kind) == [.outputSize, .restoreSize, .outputSize, .restoreSize, .outputSize])
        #expect(key.questions.map(\.number) == [1, 2, 3, 4, 5])
        #expect(!printed.isEmpty)
        printed = ""
        print(GradeReport(answers: answers, key: key).text)
        // Questions 3 to 5 are not answered: one "not answered" line per part of theirs.
        let unanswered = key.questions.dropFirst(2).map(\.parts.count).reduce(0, +)
        #expect(printed.components(separatedBy: "not answered").count - 1 == unanswered)
        let total = key.questions.map(\.parts.count).reduce(0, +)
        #expect(printed.contains("score: ") && printed.hasSuffix("/\(total)\n\n"))
    }

    // MARK: docs/performance.md

    @Test func memoryGuardFromSwift() throws {
        var printed = ""
        func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
            printed += items.map { "\($0)" }.joined(separator: separator) + terminator
        }
        // mirrors docs/performance.md
        let limit = 64 << 20  // 64 MiB, as convmat's --max-memory 64M
        let geometry = try ConvolutionGeometry(inputSize: [256, 256], kernelSize: [3, 3], padding: .same)
        let estimate = try MemoryBudget.check(geometry, limit: limit, samples: 1)  // fits: 32.5 MiB with the program itself
        // The program 20 MiB = 20971520; C: 766 pairs per dimension (256·3 − 2), 766² = 586756
        // nonzeros, 16·586756 + 8·(65536 + 1) = 9912392; tap tables 2·(32·766 + 17·256) = 57728;
        // vectors 8·1·3·(65536 + 65536) = 3145728. Sum: 34087368 bytes.
        #expect(estimate.totalBytes == 34_087_368)
        let matrix = try SparseMatrix(convolution: Kernel.counting(geometry))
        #expect(matrix.nonzeroCount == 586_756)
        // 16 channels in and out need 2.3 GiB: refused before anything is allocated.
        let wide = try ConvolutionGeometry(inputSize: [256, 256], kernelSize: [3, 3], inChannels: 16, outChannels: 16)
        do {
            try MemoryBudget.check(wide, limit: limit, samples: 1)
            Issue.record("2.3 GiB passed a 64 MiB limit")
        } catch {
            print(error)  // a GeometryError naming max_memory (a CLI says --max-memory): exit 2
        }
        // 254² outputs · 16·16·9 taps = 148644864 nonzeros: C 16·148644864 + 8·(16·65536 + 1) = 2386706440,
        // tables 2·(32·762 + 17·256) = 57472, vectors 24·16·(64516 + 65536) = 49939968, and 20971520:
        // 2457675400 bytes ≈ 2.29 GiB.
        #expect(printed.contains("max_memory"))
        #expect(printed.contains("64 MiB"))
        #expect(printed.contains("2.3 GiB"))
    }

    // MARK: docs/verification.md

    @Test func verifierFromSwift() throws {
        var printed = ""
        func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
            printed += items.map { "\($0)" }.joined(separator: separator) + terminator
        }
        // mirrors docs/verification.md
        let geometry = try TransposedConvolutionGeometry(
            inputSize: [3, 3], kernelSize: [3], stride: [2],
            padding: .symmetric([1]), outputPadding: [1])
        let report = try Verifier().verify(.transposed(geometry), seed: 1)
        print(report.passed, report.roundTrip.outputPadding ?? [])  // true [1, 1]
        // 3 → (3 − 1)·2 − 2 + 3 + 1 = 6, and the convolution maps 6 back to ⌊(6 + 2 − 3)/2⌋ + 1 = 3;
        // from 3, (3 − 1)·2 − 2 + 3 = 5, so output_padding 1 restores 6 in both dimensions.
        #expect(printed == "true [1, 1]\n")

        // Routes are values: hand the verifier a wrong one and it fails.
        let wrong = Verifier(routes: [.matrix, TransposedConvolutionRoute.scatter.broken])
        print(try wrong.verify(.transposed(geometry), seed: 1).passed)  // false
        #expect(printed == "true [1, 1]\nfalse\n")
    }

    @Test func readmeFromSwift() throws {
        var printed = ""
        func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
            printed += items.map { "\($0)" }.joined(separator: separator) + terminator
        }
        // mirrors README.md
        let geometry = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])
        let kernel = try Kernel([1, 0, -1, 2, 0, -2, 1, 0, -1], geometry: geometry)
        let x = (0..<16).map(Double.init)  // the 4×4 input 0, 1, …, 15, row by row
        let C = try SparseMatrix(convolution: kernel)  // CHOLMOD, 64-bit indices
        let y = try C.multiply(DenseMatrix(column: x))  // convolution
        let z = try C.multiplyTransposed(y)  // transposed convolution, Cᵀ never formed
        print(try MatrixPrinter(format: .latex).render(.transposing(geometry)))  // Cᵀ for lecture notes
        // The Sobel kernel on x[r][c] = 4r + c: each window's columns differ by 1, so every output is
        // (1 + 2 + 1)·(c − (c + 2)) = −8.
        #expect(y.values == [-8, -8, -8, -8])
        // Cᵀ·y scatters −8·w over each window: z[0][0] = −8·w₀₀ = −8, z[0][1] = −8·(w₀₁ + w₀₀) = −8.
        #expect(z.values.count == 16 && z.values[0] == -8 && z.values[1] == -8)
        // Cᵀ is 16×4: sixteen LaTeX rows.
        #expect((15...16).contains(printed.components(separatedBy: "\\\\").count - 1))
    }

    // MARK: the pages and this file agree

    /// Every ```swift block of the pages is mirrored above: its code lines (trailing comments and
    /// blank lines aside, indentation ignored) appear in this file in order after the block's
    /// `// mirrors PAGE` marker, and its imports are this file's imports.
    @Test(arguments: pages)
    func blocksAreMirroredHere(_ page: String) throws {
        let blocks = Self.swiftBlocks(in: try Self.read(page))
        #expect(blocks.count == 1, "\(page) has \(blocks.count) swift blocks; mirror each one in a test here")
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        let raw = source.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let mine = raw.map(Self.code)
        let marker = try #require(raw.firstIndex(of: "// mirrors \(page)"), "no `// mirrors \(page)` marker in this file")
        // The block's test ends where the next one begins.
        let end = raw[(marker + 1)...].firstIndex { $0.hasPrefix("// mirrors ") } ?? raw.endIndex
        for block in blocks {
            var position = marker + 1
            for line in block.map(Self.code) where !line.isEmpty {
                if line.hasPrefix("import ") {
                    #expect(mine.prefix(10).contains(line), "\(page): `\(line)` is not among this file's imports")
                    continue
                }
                guard let found = mine[position..<end].firstIndex(of: line) else {
                    Issue.record("\(page): `\(line)` is not mirrored in order after `// mirrors \(page)`")
                    break
                }
                position = found + 1
            }
        }
    }

    /// Every docs page with a ```swift block is run by some suite: this one, LibraryGuideTests
    /// (docs/library.md) or TestingGuideTests (docs/testing-your-convolution.md).
    @Test func everyPageWithSwiftIsChecked() throws {
        let docs = CommandRunner.packageRoot.appendingPathComponent("docs")
        let names = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }
        var withSwift = [String]()
        for name in names where !Self.swiftBlocks(in: try Self.read("docs/\(name)")).isEmpty {
            withSwift.append("docs/\(name)")
        }
        #expect(Set(withSwift) == Set((Self.pages + Self.checkedElsewhere).filter { $0.hasPrefix("docs/") }))
    }

    /// The relative links of the pages that list their sources (`](../Sources/…)`, `](../Tests/…)`,
    /// other pages) lead to files that exist; inline code such as `](gallery/NAME.svg)` is not a link.
    @Test(arguments: pages)
    func relativeLinksResolve(_ page: String) throws {
        let text = try Self.read(page)
        let prose = text.components(separatedBy: "```").enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            .map { $0.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 0 }.map(\.element).joined() }
            .joined()
        let folder = CommandRunner.packageRoot.appendingPathComponent(page).deletingLastPathComponent()
        var checked = 0
        for piece in prose.components(separatedBy: "](").dropFirst() {
            guard let end = piece.firstIndex(of: ")") else { continue }
            let target = String(piece[..<end]).components(separatedBy: "#")[0]
            guard !target.isEmpty, !target.contains("://"), !target.hasPrefix("mailto:") else { continue }
            let file = folder.appendingPathComponent(target).standardizedFileURL
            #expect(FileManager.default.fileExists(atPath: file.path), "\(page) links \(target), which does not exist")
            checked += 1
        }
        #expect(checked > 0, "\(page): no relative links found")
    }

    // MARK: helpers

    static func read(_ page: String) throws -> String {
        try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent(page), encoding: .utf8)
    }

    /// The lines of each ```swift block of a Markdown page.
    static func swiftBlocks(in text: String) -> [[String]] {
        var blocks = [[String]]()
        var current: [String]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```swift" {
                current = []
            } else if let lines = current, line.trimmingCharacters(in: .whitespaces) == "```" {
                blocks.append(lines)
                current = nil
            } else if current != nil {
                current!.append(line)
            }
        }
        return blocks
    }

    /// A line of Swift without its `//` comment and surrounding spaces (`//` inside a string literal stays).
    static func code(_ line: String) -> String {
        var inString = false
        var previous: Character = " "
        var end = line.endIndex
        for index in line.indices {
            let character = line[index]
            if character == "\"" && previous != "\\" { inString.toggle() }
            if !inString && character == "/" && previous == "/" {
                end = line.index(before: index)
                break
            }
            previous = character
        }
        return line[..<end].trimmingCharacters(in: .whitespaces)
    }

    /// Elements named `name` whose class is exactly `role`.
    static func count(_ root: Element, _ name: String, _ role: String) -> Int {
        root.all.filter { $0.name == name && $0.attributes["class"] == role }.count
    }

    /// Lines of LaTeX with exactly `ampersands` column separators: the rows of a matrix of ampersands + 1 cells.
    static func rows(_ latex: String, ampersands: Int) -> Int {
        latex.split(separator: "\n").filter { $0.filter { $0 == "&" }.count == ampersands }.count
    }

    /// The rows of a csv text, each cell a number or nil when empty.
    static func csvRows(_ csv: String) -> [[Double?]] {
        csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) } }
    }
}
