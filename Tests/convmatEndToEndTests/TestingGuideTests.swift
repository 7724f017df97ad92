import Foundation
import Testing
import ConvMatrix
import ConvMatrixTesting
import ConvMatrixTestSupport

/// docs/testing-your-convolution.md and the code `make test` runs stay the same text:
/// every Swift block of the page is in the files of Tests/Downstream, every Python block
/// in Tests/Downstream/check_cases_numpy.py. And a failing case's replay is real: the
/// saved case file gives C's answer through `convmat run`, and the `convmat matrix`
/// command prints the matrix of the same operation.
@Suite struct TestingGuideTests {
    static let page = "docs/testing-your-convolution.md"

    /// The fenced blocks of `language` in `text`, without their fences.
    static func blocks(_ language: String, in text: String) -> [String] {
        let pieces = text.components(separatedBy: "```")
        return pieces.enumerated().filter { $0.offset % 2 == 1 }.compactMap { _, block in
            guard block.hasPrefix(language + "\n") else { return nil }
            return String(block.dropFirst(language.count + 1))
        }
    }

    static func read(_ path: String) throws -> String {
        try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func swiftBlocksAreTheDownstreamPackage() throws {
        let page = try Self.read(Self.page)
        let sources = try [
            "Tests/Downstream/Package.swift", "Tests/Downstream/Sources/SmallConvolutions/Convolution2D.swift",
            "Tests/Downstream/Tests/SmallConvolutionsTests/Convolution2DTests.swift",
        ].map(Self.read).joined(separator: "\n")
        let blocks = Self.blocks("swift", in: page)
        #expect(blocks.count >= 5)
        // The dependency on a tagged release names the version convmat has (Tests/Downstream depends by path).
        let version = try CommandRunner.convmat(["--version"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let release = blocks.filter { $0.contains("ConvMatrix.git") }
        #expect(release.count == 1 && release.allSatisfy { $0.contains("from: \"\(version)\")") }, "\(release)")
        for block in blocks where !block.contains("ConvMatrix.git") {
            #expect(sources.contains(block), "a Swift block of \(Self.page) is not in Tests/Downstream:\n\(block)")
        }
    }

    @Test func pythonBlocksAreTheNumpyCheck() throws {
        let page = try Self.read(Self.page)
        let script = try Self.read("Tests/Downstream/check_cases_numpy.py")
        let blocks = Self.blocks("python", in: page)
        #expect(!blocks.isEmpty)
        for block in blocks {
            #expect(script.contains(block), "a Python block of \(Self.page) is not in check_cases_numpy.py:\n\(block)")
        }
        // The page's `convmat cases` line is the one `make downstream` runs for each layout.
        let makefile = try Self.read("Makefile")
        #expect(page.contains("convmat cases --random 1000 --seed 15 --layout pytorch"))
        #expect(makefile.contains("convmat cases --random 1000 --seed 15 --layout $$layout"))
    }

    /// For drawn cases of every operation and layout: the saved document, run by `convmat run`,
    /// prints C's answer, and `matrixCommand` prints the matrix of the same operation (C for conv,
    /// Cᵀ otherwise) with the case's sizes.
    @Test(arguments: ConvolutionCase.Operation.allCases)
    func replaysReproduceTheCase(_ operation: ConvolutionCase.Operation) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("convmat-replay-test-\(operation.rawValue)-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for layout in [ConvolutionCase.Layout.pytorch, .tensorflow] {
            await seededPropertyCheck(count: 8, input: ConvolutionGenerators.cases(operation, layout: layout, limits: ConvolutionLimits(maxWork: 300))) {
                testCase in
                let expected = try testCase.expectedOutput()
                let file = directory.appendingPathComponent("case.json").path
                try (testCase.convolutionCase.document(expected: expected) + "\n").write(toFile: file, atomically: true, encoding: .utf8)
                let run = try CommandRunner.convmat(["run", file])
                #expect(run.status == 0, "\(run.error)")
                #expect(run.output == "{\"output\": \(expected.json)}\n")
                let words = testCase.matrixCommand.split(separator: " ").map(String.init)
                #expect(Array(words.prefix(2)) == ["convmat", "matrix"])
                let matrix = try CommandRunner.convmat(Array(words.dropFirst()) + ["--force"])
                #expect(matrix.status == 0, "\(testCase.matrixCommand): \(matrix.error)")
                let o = testCase.convolutionOperator
                let header = "\(o.matrixName): \(o.rowCount)×\(o.columnCount), \(testCase.convolution.nonzeroCount) nonzeros (\(o.name) \(o.equation))"
                #expect(matrix.output.hasPrefix(header), "\(testCase.matrixCommand)")
                #expect(operation.readsInput ? !o.isTransposed : o.isTransposed)
            }
        }
    }
}
