import Foundation
import Testing
import ConvMatrixTestSupport

/// `--threads` and `CONVMAT_THREADS` on the commands that multiply, beyond `bench` (BenchCommandTests).
@Suite struct ThreadOptionsTests {
    /// A conv case: a 64×64 input of the integers (r + c) mod 7, kernel 3×3 of 1, 2, …, 9, no padding.
    /// Every product sums integers exactly, so one thread and two give the same numbers.
    static let conv: String = {
        let input = (0..<64).flatMap { r in (0..<64).map { c in "\((r + c) % 7)" } }.joined(separator: ", ")
        return """
            {"op": "conv", "input": {"shape": [1, 1, 64, 64], "data": [\(input)]},
             "weight": {"shape": [1, 1, 3, 3], "data": [1, 2, 3, 4, 5, 6, 7, 8, 9]}}
            """
    }()

    /// `run` falls back to one thread, with a note, where two threads' partial results would not fit. By
    /// hand: the case needs the program (20 971 520), C (16·34 596 + 8·4 097 = 586 312), the writer's tables
    /// (2·(32·186 + 17·64) = 14 080) and the vectors (8·1·3·(3 844 + 4 096) = 190 560): 21 762 472 bytes; two
    /// threads add 8·2·1·3 844 = 61 504 for C·x's partial results.
    @Test func runFallsBackToOneThread() throws {
        let short = try CommandRunner.convmat(["run", "-", "--threads", "2", "--max-memory", "21823975"], input: Self.conv)
        #expect(short.status == 0, "\(short.error)")
        #expect(short.error == "note: 1 thread instead of 2: more would not fit under the memory limit\n")
        let enough = try CommandRunner.convmat(["run", "-", "--threads", "2", "--max-memory", "21823976"], input: Self.conv)
        #expect(enough.status == 0 && enough.error.isEmpty, "\(enough.error)")
        #expect(enough.output == short.output)
        // The first output, y(0, 0) = Σ w·x over the top-left 3×3 window: x(r, c) = (r + c) mod 7 there is
        // [[0, 1, 2], [1, 2, 3], [2, 3, 4]], so 1·0 + 2·1 + 3·2 + 4·1 + 5·2 + 6·3 + 7·2 + 8·3 + 9·4 = 114.
        let head = String(enough.output.prefix(60))
        #expect(head.hasPrefix("{\"output\": {\"shape\": [1, 1, 62, 62], \"data\": [114.0, "), "\(head)")
    }

    /// Every command that takes --threads refuses 0 with one line naming it, and CONVMAT_THREADS that is
    /// not a count with one line naming the variable; an empty variable counts as unset.
    @Test func everyCommandChecksTheCount() throws {
        let commands: [[String]] = [
            ["run", "-"],
            ["verify", "--input", "4x4", "--kernel", "3"],
            ["deconvolve", "--input", "8x8", "--kernel", "3", "--padding", "same", "--kernel-preset", "box", "--no-times"],
            ["bench", "--input", "8", "--kernel", "3", "--repeat", "1"],
        ]
        for command in commands {
            let zero = try CommandRunner.convmat(command + ["--threads", "0"], input: Self.conv)
            #expect(zero.status == 2 && zero.output.isEmpty, "\(command)")
            #expect(zero.error == "error: --threads = 0 must be a whole number from 1 to 1024\n", "\(command): \(zero.error)")
            let variable = try CommandRunner.convmat(command, input: Self.conv, environment: ["CONVMAT_THREADS": "0"])
            #expect(variable.status == 2 && variable.output.isEmpty, "\(command)")
            #expect(variable.error == "error: CONVMAT_THREADS = \"0\" must be a whole number from 1 to 1024, or unset\n", "\(command): \(variable.error)")
        }
        let empty = try CommandRunner.convmat(["verify", "--input", "4x4", "--kernel", "3", "--brief"], environment: ["CONVMAT_THREADS": ""])
        #expect(empty.status == 0, "\(empty.error)")
    }
}
