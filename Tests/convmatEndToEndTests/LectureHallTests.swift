import Foundation
import Testing
import ConvMatrixTestSupport

/// The small traps of issue 22 (point 6), run as a lecturer runs them.
@Suite struct LectureHallTests {
    /// `--input 4x4 --kernel 3 --transposed` is the transpose of the 6×6 → 4×4 convolution
    /// ((6 − 3)/1 + 1 = 4), so Cᵀ is 36×16; the note says so and gives the command for the
    /// transpose of the 4×4 → 2×2 convolution, whose Cᵀ is 16×4.
    @Test func theTransposedMatrixSaysWhichConvolutionItTransposes() throws {
        let result = try CommandRunner.convmat(["matrix", "--input", "4x4", "--kernel", "3", "--transposed"])
        let lines = result.output.split(separator: "\n")
        #expect(lines[0].hasPrefix("Cᵀ: 36×16"))
        #expect(lines[1] == "note: Cᵀ of the 6×6 → 4×4 convolution (--input is its output y); for Cᵀ of the 4×4 → 2×2 convolution: --input 2x2 --transposed")
        let suggested = try CommandRunner.convmat(["matrix", "--input", "2x2", "--kernel", "3", "--transposed"])
        #expect(suggested.output.hasPrefix("Cᵀ: 16×4"))
        // A convolution prints no note.
        #expect(!(try CommandRunner.convmat(["matrix", "--input", "4x4", "--kernel", "3"]).output.contains("note:")))
    }

    /// Dive into Deep Learning's matrix example: X = arange(9) as 3×3, K = [[1, 2], [3, 4]]:
    /// 0·1 + 1·2 + 3·3 + 4·4 = 27, 1 + 4 + 12 + 20 = 37, 3 + 8 + 18 + 28 = 57, 4 + 10 + 21 + 32 = 67.
    @Test func runPrintsTheResultAsGrids() throws {
        let d2l =
            #"{"op": "conv", "input": {"shape": [1, 1, 3, 3], "data": [0, 1, 2, 3, 4, 5, 6, 7, 8]}, "weight": {"shape": [1, 1, 2, 2], "data": [1, 2, 3, 4]}}"#
        let result = try CommandRunner.convmat(["run", "-", "--format", "grid"], input: d2l)
        #expect(result.status == 0)
        #expect(
            result.output == """
                output: shape [1, 1, 2, 2] (pytorch layout: N, C, H, W)

                sample 0, channel 0 (2×2):
                  27  37
                  57  67

                """)
    }

    /// TensorFlow's layout keeps the channel last: x = [1, 2, 3] (N W C), a kernel of 2 taps
    /// for 2 output channels, w[·][0] = [1, 10] and [2, 20]: channel 0 is 1·1 + 2·2 = 5 and
    /// 2·1 + 3·2 = 8, channel 1 ten times that; the grids take them apart.
    @Test func gridsOfATensorFlowCaseArePerChannel() throws {
        let tf =
            #"{"op": "conv", "layout": "tensorflow", "input": {"shape": [1, 3, 1], "data": [1, 2, 3]}, "weight": {"shape": [2, 1, 2], "data": [1, 10, 2, 20]}, "padding": "VALID"}"#
        let result = try CommandRunner.convmat(["run", "-", "--format", "grid"], input: tf)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("sample 0, channel 0 (2):\n  5  8\n"))
        #expect(result.output.contains("sample 0, channel 1 (2):\n  50  80\n"))
    }
}
