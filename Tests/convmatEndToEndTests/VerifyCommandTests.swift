import Foundation
import Testing
import ConvMatrixTestSupport

/// `convmat verify` run as a program: exit statuses, the textbook examples, sweeps and replay commands.
@Suite struct VerifyCommandTests {
    /// Dive into Deep Learning: the three worked examples pass, and every route prints the book's numbers.
    @Test func seedExamplesPass() throws {
        let base = ["verify", "--input", "2x2", "--kernel", "2x2", "--transposed", "--weights", "0,1,2,3", "--y", "0,1,2,3"]
        let one = try CommandRunner.convmat(base)
        #expect(one.status == 0)
        #expect(one.output.components(separatedBy: "Cᵀy = [[0, 0, 1], [0, 4, 6], [4, 12, 9]]").count == 5)
        let two = try CommandRunner.convmat(base + ["--stride", "2"])
        #expect(two.status == 0)
        #expect(two.output.contains("backward pass  Cᵀy = [[0, 0, 0, 1], [0, 0, 2, 3], [0, 2, 0, 3], [4, 6, 6, 9]]"))
        let padded = try CommandRunner.convmat(base + ["--padding", "1"])
        #expect(padded.status == 0)
        #expect(padded.output.contains("zero-insertion Cᵀy = [[4]]"))
        #expect(padded.output.hasSuffix("PASS\n"))
    }

    /// Dumoulin & Visin: i = 6, k = 3, s = 2, p = 1 passes and names output_padding 1 for the round trip.
    @Test func seedOneRoundTrip() throws {
        let result = try CommandRunner.convmat(["verify", "--input", "6x6", "--kernel", "3", "--stride", "2", "--padding", "1"])
        #expect(result.status == 0)
        #expect(result.output.contains("6×6 → conv → 3×3 → transposed conv → 6×6 with output_padding 1×1"))
    }

    /// output_padding 1 at stride 1 (allowed by dilation 2): the header says what C really is — the
    /// first 3 of the 4 outputs a convolution of 8 gives — and the four routes still agree.
    /// By hand: a convolution of 8 with k = 3, d = 2 has ⌊(8 − 5)/1⌋ + 1 = 4 outputs.
    @Test func headerTellsTheCutConvolution() throws {
        let result = try CommandRunner.convmat(["verify", "--input", "3", "--kernel", "3", "--dilation", "2", "--transposed", "--output-padding", "1"])
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.count > 4)
        #expect(lines[2] == "convolution C: input 1×8 → output 1×3 [channels×spatial], the first 3 of the 4 outputs a convolution of 8 gives")
        #expect(lines[3].hasPrefix("  cut because output_padding[0] = 1 is not below stride 1 (PyTorch allows it below dilation 2)"))
        // Without the cut (output_padding 0, size 7) the header has no such line.
        let plain = try CommandRunner.convmat(["verify", "--input", "3", "--kernel", "3", "--dilation", "2", "--transposed"])
        #expect(plain.output.contains("convolution C: input 1×7 → output 1×3 [channels×spatial]\n  kernel 3"))
    }

    /// A sweep prints the summary line exactly.
    @Test func sweepPasses() throws {
        let result = try CommandRunner.convmat(["verify", "--random", "150", "--seed", "11"])
        #expect(result.status == 0)
        #expect(result.output == "150 passed, 0 failed\n")
    }

    /// A broken route: exit 1, one FAIL line per case with a replay command that fails again on its own.
    @Test func brokenRouteFailsWithReplayCommand() throws {
        let result = try CommandRunner.convmat(["verify", "--random", "5", "--seed", "2", "--break-route", "scatter"])
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.last == "0 passed, 5 failed")
        let failures = lines.filter { $0.hasPrefix("FAIL") }
        #expect(failures.count == 5)
        guard let replay = failures.first?.components(separatedBy: "replay: convmat ").last else {
            Issue.record("no replay command"); return
        }
        let again = try CommandRunner.convmat(replay.split(separator: " ").map(String.init))
        #expect(again.status == 1)
        #expect(again.output.hasSuffix("FAIL\n"))
        let withoutBreak = replay.components(separatedBy: " --break-route")[0]
        let repaired = try CommandRunner.convmat(withoutBreak.split(separator: " ").map(String.init))
        #expect(repaired.status == 0)
    }

    /// Bad input: exit 2 and one `error:` line naming the flag.
    @Test func badInputExitsTwo() throws {
        for arguments in [
            ["verify", "--input", "4", "--kernel", "7"],
            ["verify", "--kernel", "3"],
            ["verify", "--input", "4", "--kernel", "3", "--weights", "1,2"],
            ["verify", "--input", "4", "--kernel", "3", "--y", "1"],
            ["verify", "--random", "0"],
            ["verify", "--random", "3", "--input", "4"],
            ["verify", "--random", "3", "--stride", "2"],
            ["verify", "--input", "512x512", "--kernel", "3", "--in-channels", "64", "--out-channels", "64"],
            ["verify", "--input", "20000x20000", "--kernel", "1", "--stride", "20000"],
            ["verify", "--input", "4", "--kernel", "3", "--output-padding", "1"],
            ["verify", "--input", "4", "--kernel", "3", "--seed", "-1"],
            ["verify", "--input", "4", "--kernel", "3", "--break-route", "everything"],
        ] {
            let result = try CommandRunner.convmat(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.error.hasPrefix("error: "), "\(arguments)")
            #expect(result.error.split(separator: "\n").count == 1, "\(arguments)")
        }
    }

    /// `--json` gives one JSON document with the verdict.
    @Test func json() throws {
        let result = try CommandRunner.convmat(["verify", "--input", "5", "--kernel", "3", "--stride", "2", "--json"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        #expect(object?["passed"] as? Bool == true)
        let sweep = try CommandRunner.convmat(["verify", "--random", "4", "--json"])
        let summary = try JSONSerialization.jsonObject(with: Data(sweep.output.utf8)) as? [String: Any]
        #expect(summary?["passed"] as? Int == 4)
    }
}

/// Runs the built `convmat` (`.build/debug/convmat`, built by `make test` before the tests).
