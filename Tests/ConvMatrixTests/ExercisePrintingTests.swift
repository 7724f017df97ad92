import Testing
import ConvMatrix
@testable import ConvMatrixCore
@testable import ConvMatrixTeaching
@testable import ConvMatrixPooling
@testable import ConvMatrixSpectrum
@testable import ConvMatrixVerification

/// The sheet as a lecturer prints it and the key as a lecturer reads it (issue 22, point 7).
@Suite struct ExercisePrintingTests {
    /// English articles before sizes: "an" where the number is read with a vowel (eight, eleven, eighteen).
    @Test func articlesBeforeSizes() {
        #expect(withArticle("11×11") == "an 11×11")
        #expect(withArticle("8×8") == "an 8×8")
        #expect(withArticle("18") == "an 18")
        #expect(withArticle("80") == "an 80")
        #expect(withArticle("1×1") == "a 1×1")
        #expect(withArticle("110") == "a 110")
        #expect(withArticle("5×5") == "a 5×5")
    }

    /// No sheet of many seeds has the typos the issue quotes.
    @Test func noTyposOnManySheets() throws {
        for seed in UInt64(1)...40 {
            for difficulty in Difficulty.allCases {
                let sheet = try ExerciseSheet(seed: seed, count: 10, difficulty: difficulty)
                let text = sheet.problems(format: .markdown) + sheet.answers(format: .markdown)
                for typo in ["the the ", "a 11", "a 8", "a 18", "A 8", "A 11"] {
                    #expect(!text.contains(typo), "seed \(seed) \(difficulty): \(typo)")
                }
                #expect(text.range(of: #"its \d+ output"#, options: .regularExpression) == nil, "seed \(seed)")
            }
        }
    }

    /// Over many seeds the wrong matrix of spot-the-transposed is not always the flipped kernel,
    /// and every kind of mistake appears at the difficulties that allow it.
    @Test func spotTheTransposedDistractorsVary() throws {
        var seen = [Difficulty: Set<SpotTransposedProblem.Distractor>]()
        for seed in UInt64(1)...60 {
            for difficulty in Difficulty.allCases {
                for exercise in try ExerciseSheet(seed: seed, count: 3, difficulty: difficulty, kinds: [.spotTransposed]).exercises {
                    guard case .spotTransposed(let p) = exercise.problem else { continue }
                    seen[difficulty, default: []].insert(p.distractor)
                    let (a, b) = p.matrices
                    #expect(a != b, "seed \(seed): both matrices are the same")
                }
            }
        }
        #expect(seen[.easy] == [.flippedKernel])
        #expect(seen[.medium] == [.flippedKernel, .strideIgnored])
        #expect(seen[.hard] == Set(SpotTransposedProblem.Distractor.allCases))
    }

    /// A kernel that reads the same backwards (w = [1, 1]) would hide whether the student
    /// flipped it; dilated-versus-transposed never draws one.
    @Test func dilatedVersusTransposedKernelsAreNotPalindromes() throws {
        for seed in UInt64(1)...80 {
            for difficulty in Difficulty.allCases {
                for exercise in try ExerciseSheet(seed: seed, count: 3, difficulty: difficulty, kinds: [.dilatedVersusTransposed]).exercises {
                    guard case .dilatedVersusTransposed(let p) = exercise.problem else { continue }
                    #expect(p.weights != p.weights.reversed(), "seed \(seed) \(difficulty): w = \(p.weights)")
                }
            }
        }
    }

    /// The LaTeX key sets a sum over an index as \sum_{u}, never the characters Σ_u; the printed
    /// sheet has a name field and a ruled answer space for every answer line.
    @Test func printableSheetAndMathematicalKey() throws {
        let sheet = try ExerciseSheet(seed: 3, count: 4, difficulty: .medium, kinds: [.dilatedVersusTransposed, .outputSize])
        let key = sheet.answers(format: .latex)
        #expect(key.contains("$\\sum_{u}$") && !key.contains("Σ") && !key.contains("\\Sigma$\\_u"))
        let printed = sheet.problems(format: .latex)
        #expect(printed.contains("Name: \\rule{7cm}{0.4pt}"))
        let parts = sheet.exercises.reduce(0) { $0 + $1.parts.count }
        #expect(printed.components(separatedBy: "\\hrulefill").count - 1 >= parts)
        #expect(sheet.problems(format: .markdown).contains("Name: ____"))
    }
}
