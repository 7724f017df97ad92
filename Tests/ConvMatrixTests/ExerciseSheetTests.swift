import PropertyBased
import Testing
import ConvMatrix
@testable import ConvMatrixCore
@testable import ConvMatrixInterchange
@testable import ConvMatrixRendering
@testable import ConvMatrixTeaching
import ConvMatrixTestSupport
@testable import ConvMatrixPooling
@testable import ConvMatrixSpectrum
@testable import ConvMatrixVerification

/// Every generated answer, recomputed by a second route that does not use the
/// code that produced it: sizes by counting sliding windows, rows and columns
/// of C by convolving unit vectors, transposed convolutions by scattering.
@Suite struct ExerciseSheetTests {
    /// Windows of `span` elements that start at 0, s, 2s, … and end inside `length` elements.
    static func windowCount(length: Int, span: Int, stride: Int) -> Int {
        var count = 0, start = 0
        while start + span <= length { count += 1; start += stride }
        return count
    }

    /// Starting positions 0, s, 2s, … below `length` (TensorFlow's SAME output size, counted).
    static func startCount(length: Int, stride: Int) -> Int {
        Array(Swift.stride(from: 0, to: length, by: stride)).count
    }

    static func unit(_ index: Int, _ count: Int) -> [Double] {
        (0..<count).map { $0 == index ? 1 : 0 }
    }

    static func numbers(_ part: AnswerPart) -> [Double] {
        if case .numbers(let values) = part.expected { return values }
        return []
    }

    /// Recomputes the answers of `exercise` and compares.
    static func verify(_ exercise: Exercise) throws {
        switch exercise.problem {
        case .outputSize(let p):
            let span = p.dilation * (p.kernelSize - 1) + 1
            let expected: Int
            if p.transposed {
                // Every size the convolution maps back to the transposed input, smallest first.
                let sizes = (1...200).filter { windowCount(length: $0 + 2 * p.padding, span: span, stride: p.stride) == p.inputSize }
                expected = sizes[p.outputPadding]
            } else if p.convention == .tensorflow {
                expected =
                    p.same
                    ? startCount(length: p.inputSize, stride: p.stride)
                    : windowCount(length: p.inputSize, span: span, stride: p.stride)
            } else {
                expected = windowCount(length: p.inputSize + 2 * p.padding, span: span, stride: p.stride)
            }
            #expect(numbers(exercise.parts[0]) == [Double(expected)], "\(p)")
        case .matrixLine(let p):
            let kernel = try Kernel(p.weights, geometry: p.geometry)
            let g = p.geometry
            let line =
                p.asksRow
                ? (0..<g.columnCount).map { directConvolution(unit($0, g.columnCount), kernel: kernel)[p.index] }
                : directConvolution(unit(p.index, g.columnCount), kernel: kernel)
            #expect(numbers(exercise.parts[0]) == line, "\(p)")
        case .transposedByHand(let p):
            let kernel = try Kernel(p.weights, geometry: p.geometry.convolution)
            #expect(numbers(exercise.parts[0]) == scatterTransposedConvolution(p.input, kernel: kernel), "\(p)")
        case .restoreSize(let p):
            if p.convention == .tensorflow {
                let sizes = (1...60).filter { o in
                    (p.same
                        ? startCount(length: o, stride: p.stride)
                        : windowCount(length: o, span: p.kernelSize, stride: p.stride)) == p.size
                }
                #expect(numbers(exercise.parts[0]) == sizes.map(Double.init), "\(p)")
            } else {
                let o = windowCount(length: p.size + 2 * p.padding, span: p.kernelSize, stride: p.stride)
                let answer = numbers(exercise.parts[0])
                #expect(answer.count == 1)
                let a = Int(answer.first ?? -1)
                #expect((0..<p.stride).contains(a) && (o - 1) * p.stride - 2 * p.padding + p.kernelSize + a == p.size, "\(p)")
            }
        case .samePadding(let p):
            let span = p.dilation * (p.kernelSize - 1) + 1
            let o = startCount(length: p.inputSize, stride: p.stride)
            // The least total padding that fits o windows, split with the odd zero at the end.
            let total = (0...100).first { windowCount(length: p.inputSize + $0, span: span, stride: p.stride) >= o } ?? -1
            #expect(numbers(exercise.parts[0]) == [Double(o)], "\(p)")
            #expect(numbers(exercise.parts[1]) == [Double(total / 2), Double(total - total / 2)], "\(p)")
        case .spotTransposed(let p):
            let kernel = try Kernel(p.weights, geometry: p.geometry.convolution)
            let rows = p.geometry.convolution.columnCount, columns = p.geometry.convolution.rowCount
            func scatters(_ matrix: [Double]) -> Bool {
                (0..<columns).allSatisfy { j in
                    (0..<rows).map { matrix[$0 * columns + j] } == scatterTransposedConvolution(unit(j, columns), kernel: kernel)
                }
            }
            let (a, b) = p.matrices
            #expect(scatters(a) != scatters(b), "exactly one matrix is the transposed convolution's: \(p)")
            #expect(exercise.parts[0].expected == .choice(scatters(a) ? "A" : "B"), "\(p)")
        case .dilatedVersusTransposed(let p):
            let (x, w, f) = (p.input, p.weights, p.factor)
            let dilated = (0..<(x.count - f * (w.count - 1))).map { q in w.indices.reduce(0.0) { $0 + w[$1] * x[q + f * $1] } }
            var scattered = [Double](repeating: 0, count: (x.count - 1) * f + w.count)
            for q in x.indices { for u in w.indices { scattered[f * q + u] += x[q] * w[u] } }
            if p.asksValues {
                #expect(numbers(exercise.parts[0]) == dilated && numbers(exercise.parts[1]) == scattered, "\(p)")
            } else {
                #expect(numbers(exercise.parts[0]) == [Double(dilated.count)] && numbers(exercise.parts[1]) == [Double(scattered.count)], "\(p)")
            }
        }
    }

    @Test func everyAnswerAgreesWithASecondRoute() async {
        await seededPropertyCheck(
            count: 300, input: Gen.uint64(), Gen.int(in: 0...6).map { ExerciseKind.allCases[$0] }, Gen.int(in: 0...2).map { Difficulty.allCases[$0] }
        ) { seed, kind, difficulty in
            let sheet = try ExerciseSheet(seed: seed, count: 1, difficulty: difficulty, kinds: [kind])
            try Self.verify(sheet.exercises[0])
        }
    }

    /// A fixed sweep as well, so that every kind and difficulty is covered on every run (seed printed in the names).
    @Test(arguments: ExerciseKind.allCases, Difficulty.allCases)
    func fixedSeedsAgreeWithASecondRoute(_ kind: ExerciseKind, _ difficulty: Difficulty) throws {
        let sheet = try ExerciseSheet(seed: 20_261_124, count: 12, difficulty: difficulty, kinds: [kind])
        for exercise in sheet.exercises { try Self.verify(exercise) }
    }

    @Test func theSameSeedGivesTheSameSheetAndLongerSheetsExtendShorterOnes() throws {
        let short = try ExerciseSheet(seed: 42, count: 3, difficulty: .hard)
        let long = try ExerciseSheet(seed: 42, count: 9, difficulty: .hard)
        #expect(try ExerciseSheet(seed: 42, count: 3, difficulty: .hard).problems(format: .markdown) == short.problems(format: .markdown))
        #expect(Array(long.exercises.prefix(3)) == short.exercises)
        #expect(try ExerciseSheet(seed: 43, count: 3, difficulty: .hard).exercises != short.exercises)
        #expect(long.exercises.map(\.kind) == Array(ExerciseKind.allCases.prefix(7)) + Array(ExerciseKind.allCases.prefix(2)))
    }

    /// The PyTorch ConvTranspose2d documentation's case: Conv2d(k=3, s=2, p=1) on 6×6 needs output_padding 1 to come back.
    @Test func restoreSizeReproducesPyTorchsExample() throws {
        var found = false
        for seed in UInt64(0)..<200 {
            let sheet = try ExerciseSheet(seed: seed, count: 1, difficulty: .easy, kinds: [.restoreSize])
            guard case .restoreSize(let p) = sheet.exercises[0].problem, p.size == 6 else { continue }
            #expect(sheet.exercises[0].parts[0].expected == .numbers([1]))
            found = true
            break
        }
        #expect(found)
    }

    @Test func countOutsideItsRangeIsRefused() {
        #expect(throws: ExerciseError.invalid(field: "count", reason: "= 0 must be between 1 and 500")) {
            try ExerciseSheet(seed: 1, count: 0, difficulty: .easy)
        }
    }

    /// No exercise kernel has a zero tap (a kernel like [1 0] would make the question trivial), in
    /// any kind, difficulty or seed; and the dilated-versus-transposed key names the dilation d.
    @Test func exerciseKernelsAreNeverDegenerate() throws {
        var kernels = 0
        for seed in UInt64(1)...60 {
            for difficulty in Difficulty.allCases {
                let sheet = try ExerciseSheet(seed: seed, count: 7, difficulty: difficulty)
                for exercise in sheet.exercises {
                    let weights: [Double]
                    switch exercise.problem {
                    case .matrixLine(let p): weights = p.weights
                    case .transposedByHand(let p): weights = p.weights
                    case .spotTransposed(let p): weights = p.weights
                    case .dilatedVersusTransposed(let p):
                        weights = p.weights
                        #expect(exercise.parts[0].working.contains("spans d·(k − 1) + 1 = "), "seed \(seed)")
                        #expect(!exercise.parts[0].working.contains("f·"), "seed \(seed)")
                    default: continue
                    }
                    kernels += 1
                    #expect(!weights.contains(0), "seed \(seed), \(difficulty), question \(exercise.number): w = \(weights)")
                }
            }
        }
        #expect(kernels > 300)
    }

    @Test func latexSheetsEscapeTheirText() throws {
        let sheet = try ExerciseSheet(seed: 4, count: 7, difficulty: .medium)
        let latex = sheet.problems(format: .latex)
        #expect(latex.hasPrefix("% Compile with pdflatex (lualatex and xelatex work too).\n\\documentclass{article}"))
        #expect(latex.hasSuffix("\\end{document}\n"))
        #expect(!latex.contains("×") && !latex.contains("·") && !latex.contains("output_padding"))
        #expect(LaTeXText.escape("`a_b` ⌊x⌋ 50%") == "\\texttt{a\\_b} $\\lfloor$x$\\rfloor$ 50\\%")
    }
}
