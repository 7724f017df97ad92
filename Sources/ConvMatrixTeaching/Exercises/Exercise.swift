import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// One generated question: its text, and the answer parts the library computed.
package struct Exercise: Hashable, Sendable {
    /// 1-based position on the sheet; answer lines start with it.
    package let number: Int
    /// The kind of question.
    package let kind: ExerciseKind
    /// The setting, kept so that tests can recompute every answer by a second route.
    package let problem: Problem
    /// The question text.
    package let prompt: [PromptBlock]
    /// The answers, one per answer line.
    package let parts: [AnswerPart]

    /// The settings of a question, one case per kind.
    package enum Problem: Hashable, Sendable {
        /// See `ExerciseKind.outputSize`.
        case outputSize(OutputSizeProblem)
        /// See `ExerciseKind.matrixLine`.
        case matrixLine(MatrixLineProblem)
        /// See `ExerciseKind.transposedByHand`.
        case transposedByHand(TransposedByHandProblem)
        /// See `ExerciseKind.restoreSize`.
        case restoreSize(RestoreSizeProblem)
        /// See `ExerciseKind.samePadding`.
        case samePadding(SamePaddingProblem)
        /// See `ExerciseKind.spotTransposed`.
        case spotTransposed(SpotTransposedProblem)
        /// See `ExerciseKind.dilatedVersusTransposed`.
        case dilatedVersusTransposed(DilatedVersusTransposedProblem)
    }

    /// Generates question `number` of `kind` from `random`, retrying settings that
    /// turn out impossible (a kernel larger than the padded input, say).
    static func generate(
        number: Int, kind: ExerciseKind, difficulty: Difficulty, random: inout SplitMix64
    ) throws(ExerciseError) -> Exercise {
        var lastError = GeometryError.invalid(field: "exercise", reason: "could not be generated")
        for _ in 0..<200 {
            let problem: Problem
            do throws(GeometryError) {
                switch kind {
                case .outputSize: problem = .outputSize(try OutputSizeProblem(difficulty, &random))
                case .matrixLine: problem = .matrixLine(try MatrixLineProblem(difficulty, &random))
                case .transposedByHand: problem = .transposedByHand(try TransposedByHandProblem(difficulty, &random))
                case .restoreSize: problem = .restoreSize(try RestoreSizeProblem(difficulty, &random))
                case .samePadding: problem = .samePadding(try SamePaddingProblem(difficulty, &random))
                case .spotTransposed: problem = .spotTransposed(try SpotTransposedProblem(difficulty, &random))
                case .dilatedVersusTransposed:
                    problem = .dilatedVersusTransposed(try DilatedVersusTransposedProblem(difficulty, &random))
                }
            } catch {
                lastError = error
                continue
            }
            return Exercise(number: number, kind: kind, problem: problem, prompt: problem.prompt, parts: try problem.solve())
        }
        throw .geometry(lastError)
    }
}

extension Exercise.Problem {
    /// The question text of the setting.
    var prompt: [PromptBlock] {
        switch self {
        case .outputSize(let p): return p.prompt
        case .matrixLine(let p): return p.prompt
        case .transposedByHand(let p): return p.prompt
        case .restoreSize(let p): return p.prompt
        case .samePadding(let p): return p.prompt
        case .spotTransposed(let p): return p.prompt
        case .dilatedVersusTransposed(let p): return p.prompt
        }
    }

    /// The answers, computed by the library (geometry, matrix C, CHOLMOD products).
    func solve() throws(ExerciseError) -> [AnswerPart] {
        switch self {
        case .outputSize(let p): return try p.solve()
        case .matrixLine(let p): return try p.solve()
        case .transposedByHand(let p): return try p.solve()
        case .restoreSize(let p): return try p.solve()
        case .samePadding(let p): return try p.solve()
        case .spotTransposed(let p): return try p.solve()
        case .dilatedVersusTransposed(let p): return try p.solve()
        }
    }
}
