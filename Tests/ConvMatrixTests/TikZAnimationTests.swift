import Foundation
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

/// An animated figure as TikZ: one `tikzpicture` per frame, each after a
/// `% frame n of N` comment, with the frame's own window — the number of
/// frames worked out from the geometry by hand in each test.
@Suite struct TikZAnimationTests {
    private func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// The pictures of `tikz`, split at the frame comments (the header before frame 0 dropped).
    private func frames(_ tikz: String) -> [String] {
        Array(tikz.components(separatedBy: "\n% frame ").dropFirst())
    }

    /// The kernel window of one picture: the red outline wider than the legend's 12-pixel swatch,
    /// as (x, y, width) in the picture's pixel coordinates.
    private func window(_ picture: String) -> (x: Double, y: Double, width: Double)? {
        for line in picture.split(separator: "\n") where line.hasPrefix("\\path[draw=cmWindow") {
            let numbers = line.split(whereSeparator: { "(),".contains($0) }).compactMap { Double($0) }
            guard numbers.count == 4, numbers[2] - numbers[0] > 12 else { continue }
            return (numbers[0], numbers[1], numbers[2] - numbers[0])
        }
        return nil
    }

    /// Dumoulin & Visin's i = 5, k = 3, s = 2, p = 1: o = ⌊(5 + 1 + 1 − 3) / 2⌋ + 1 = 3 per dimension, so
    /// 9 windows and 9 pictures. Frame n is output (n / 3, n mod 3): its window lies s = 2 cells
    /// per output step right of and below frame 0's.
    @Test func slidingWritesOnePicturePerWindow() throws {
        let geometry = try ConvolutionGeometry(inputSize: [5, 5], kernelSize: [3, 3], stride: [2], padding: .symmetric([1]))
        let tikz = try SlidingPicture(geometry: geometry).figure(animated: true).tikz()
        let outputs = (5 + 1 + 1 - 3) / 2 + 1
        let expected = outputs * outputs
        #expect(count("\\begin{tikzpicture}", in: tikz) == expected)
        #expect(count("\\end{tikzpicture}", in: tikz) == expected)
        let pictures = frames(tikz)
        #expect(pictures.count == expected)
        let firstPicture = try #require(pictures.first)
        let first = try #require(window(firstPicture))
        let cell = first.width / 3
        for (n, picture) in pictures.enumerated() {
            #expect(picture.hasPrefix("\(n) of \(expected)\n\\begin{tikzpicture}"))
            #expect(count("\\begin{tikzpicture}", in: picture) == 1)
            let moved = try #require(window(picture))
            #expect(moved.x - first.x == Double(n % outputs * 2) * cell, "frame \(n)")
            #expect(moved.y - first.y == Double(n / outputs * 2) * cell, "frame \(n)")
        }
    }

    /// The frames have one size: each declares the same bounding box, the whole figure.
    @Test func framesShareOneBoundingBox() throws {
        let figure = try SlidingPicture(geometry: try ConvolutionGeometry(inputSize: [4], kernelSize: [2])).figure(animated: true)
        let tikz = figure.tikz()
        // 1-D, i = 4, k = 2: o = 4 − 2 + 1 = 3 frames.
        #expect(count("\\useasboundingbox (0,0) rectangle ", in: tikz) == 3)
        let boxes = Set(tikz.split(separator: "\n").filter { $0.hasPrefix("\\useasboundingbox") })
        #expect(boxes.count == 1)
    }

    /// From the command line, for the other two animated pictures. d2l's scatter, y 2×2, k = 2,
    /// s = 2: one frame per input element and one for the sum, 2·2 + 1 = 5. Zero insertion for
    /// the transpose of i = 5, k = 3, s = 2, p = 1: z is (3 − 1)·2 − 2 + 3 = 5 per dimension,
    /// one frame per output, 25.
    @Test(arguments: [
        (["scatter", "--input", "2x2", "--kernel", "2", "--stride", "2", "--transposed"], 5),
        (["zero-insertion", "--input", "3x3", "--kernel", "3", "--stride", "2", "--padding", "1", "--transposed"], 25),
    ])
    func commandLineWritesEveryFrame(arguments: [String], expected: Int) throws {
        let result = try CommandRunner.convmat(["draw"] + arguments + ["--animate", "--format", "tikz"])
        #expect(result.status == 0 && result.error.isEmpty, "\(result.error)")
        #expect(count("\\begin{tikzpicture}", in: result.output) == expected)
        #expect(frames(result.output).count == expected)
        #expect(result.output.contains("% frame \(expected - 1) of \(expected)\n"))
    }

    /// A still picture is unchanged: one tikzpicture, no frame comment, no declared bounding box.
    @Test func stillPicturesStayOnePicture() throws {
        let tikz = try SlidingPicture(geometry: try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])).figure(step: 3).tikz()
        #expect(tikz.hasPrefix("\\begin{tikzpicture}") && tikz.hasSuffix("\\end{tikzpicture}\n"))
        #expect(count("\\begin{tikzpicture}", in: tikz) == 1)
        #expect(!tikz.contains("% frame") && !tikz.contains("\\useasboundingbox"))
    }
}
