import Foundation
import Testing
import ConvMatrixTestSupport

/// The memory guard against the real thing: each command's estimate
/// (`--show-memory`) is refused just below it, and just above it the command
/// runs to the end inside an address-space limit (`ulimit -v`) of the
/// estimate plus the program's fixed virtual overhead — so the estimate
/// covers what the command really takes.
@Suite struct MemoryGuardTests {
    /// Address space a convmat process maps beyond its resident memory: shared
    /// libraries, thread stacks and allocator arenas (about 80 MiB measured), and
    /// for a factorization OpenBLAS's 128 MiB work buffer, which it maps whole on
    /// first use and touches only in part (it retries for ever when it cannot).
    static let virtualOverhead = 320 << 20

    static let commands: [[String]] = [
        ["verify", "--input", "48x48", "--kernel", "3", "--padding", "1"],
        ["bench", "--input", "64x64", "--kernel", "3", "--padding", "1", "--in-channels", "4", "--out-channels", "4", "--repeat", "1"],
        ["matrix", "--input", "64x64", "--kernel", "3", "--padding", "1", "--format", "mtx"],
        ["draw", "spy", "--input", "64x64", "--kernel", "3", "--in-channels", "2", "--out-channels", "2"],
        ["deconvolve", "--input", "32x32", "--kernel", "5", "--padding", "same", "--kernel-preset", "gaussian5", "--no-times"],
    ]

    @Test(arguments: commands)
    func estimateIsRefusedBelowAndEnoughAbove(command: [String]) throws {
        let shown = try CommandRunner.convmat(command + ["--show-memory"])
        #expect(shown.status == 0, "\(shown.error)")
        let estimates = shown.error.split(separator: "\n").compactMap { line -> Int? in
            guard line.hasPrefix("memory estimate: ") else { return nil }
            return Int(line.dropFirst("memory estimate: ".count).prefix { $0.isNumber })
        }
        let estimate = try #require(estimates.max(), "no estimate in \(shown.error)")
        let below = try CommandRunner.convmat(command + ["--max-memory", "\(estimate - 1)"])
        #expect(below.status == 2 && below.output.isEmpty && below.error.contains("is below the"), "\(below.error)")
        let kilobytes = (estimate + Self.virtualOverhead) / 1024
        let shell = "ulimit -v \(kilobytes) && exec \"$0\" \"$@\""
        let above = try CommandRunner.execute(
            URL(fileURLWithPath: "/bin/sh"), ["-c", shell, CommandRunner.executable.path] + command + ["--max-memory", "\(estimate)"])
        #expect(above.status == 0, "under ulimit -v \(kilobytes) with --max-memory \(estimate): \(above.error.prefix(300))")
    }
}
