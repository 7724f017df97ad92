import Foundation
import Testing
import ConvMatrix

extension ConvolutionTestCase {
    /// Checks an implementation's output against C inside a Swift Testing
    /// test, recording an issue when it differs.
    ///
    /// The issue says everything needed to fix or replay the failure:
    /// the first differing element with the expected and actual values and
    /// the allowed difference (`compare(_:shape:tolerance:)`), the case's
    /// geometry, the path of a case file holding exactly this case with its
    /// expected output (`convmat run FILE` computes it again through C), and
    /// the `convmat matrix` command that prints this operation's matrix with
    /// the case's kernel. Inside `propertyCheck` the last failing call is the
    /// one on the shrunk case, so the file left behind is the smallest failing case.
    ///
    /// - Parameters:
    ///   - output: the implementation's output, flat, row-major in the case's layout.
    ///   - shape: the output's shape, when the implementation reports one.
    ///   - tolerance: the implementation's arithmetic (default `.float64`).
    ///   - sourceLocation: where the issue is attributed.
    /// - Returns: true when the output agrees with C.
    /// - Complexity: O(nnz(C)) time and memory to compute the expected output through C, plus O(output) for the
    ///   comparison; writing the case file on failure is proportional to its size.
    @discardableResult
    public func verify(
        _ output: [Double], shape: [Int]? = nil, tolerance: OracleTolerance = .float64,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Bool {
        let comparison: OracleComparison
        do {
            comparison = try compare(output, shape: shape, tolerance: tolerance)
        } catch {
            Issue.record("the oracle could not compute C for \(self): \(error)", sourceLocation: sourceLocation)
            return false
        }
        if comparison.passed { return true }
        Issue.record(
            Comment(rawValue: comparison.description + "\n" + replayLines(expected: comparison.expected)),
            sourceLocation: sourceLocation)
        return false
    }

    /// Where a failing case is saved: `CONVMAT_REPLAY_DIRECTORY` when it is set,
    /// otherwise `convmat-replay` in the system's temporary directory.
    public static var replayDirectory: String {
        if let chosen = ProcessInfo.processInfo.environment["CONVMAT_REPLAY_DIRECTORY"], !chosen.isEmpty { return chosen }
        return (NSTemporaryDirectory() as NSString).appendingPathComponent("convmat-replay")
    }

    /// Writes this case with `expected` as a case file named after the
    /// running test (module, suite and name) and the operation, and returns the replay lines: the
    /// `convmat run` command for the file (or the document itself when it
    /// could not be written) and the `convmat matrix` command.
    ///
    /// - Parameter expected: the correct output, saved under `"expected"`.
    /// - Returns: two lines of text.
    package func replayLines(expected: Tensor) -> String {
        let text = convolutionCase.document(expected: expected) + "\n"
        // Module, suite and test name: two suites may hold tests of the same name.
        let testName = Test.current.map { ([$0.id.moduleName] + $0.id.nameComponents).joined(separator: ".") } ?? "convolution-case"
        let stem = String(testName.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
            .trimmingCharacters(in: CharacterSet(charactersIn: "_"))
        let directory = Self.replayDirectory
        let path = (directory as NSString).appendingPathComponent("\(stem.isEmpty ? "case" : stem)-\(operation.rawValue).json")
        var run = "replay: convmat run \(path)"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let file = try TextOutput(creatingFileAt: path)
            file.write(text)
            try file.finish()
        } catch {
            run = "replay: the case file could not be written to \(path) (\(error)); save this line as case.json and run convmat run case.json:\n\(text)"
        }
        return run + "\nmatrix: \(matrixCommand)"
    }
}
