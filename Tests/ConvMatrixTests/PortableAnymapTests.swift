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

/// PGM/PPM reading and writing against files written out by hand.
@Suite struct PortableAnymapTests {
    @Test func readsATextPGMWithAComment() throws {
        let file = "P2\n# made by hand\n3 2\n4\n0 1 2\n3 4 4\n"
        let image = try PortableAnymap(bytes: Array(file.utf8), name: "a.pgm")
        #expect(image.width == 3 && image.height == 2 && image.channels == 1)
        #expect(image.values == [0, 0.25, 0.5, 0.75, 1, 1])
    }

    /// A binary PPM interleaves red, green, blue per pixel; the values come back one plane per channel.
    @Test func readsABinaryPPMIntoPlanes() throws {
        let bytes = Array("P6 2 1 255\n".utf8) + [255, 0, 51, 0, 255, 102]
        let image = try PortableAnymap(bytes: bytes, name: "a.ppm")
        #expect(image.channels == 3)
        #expect(image.values == [1, 0, 0, 1, 0.2, 0.4])
    }

    /// Sixteen-bit samples: most significant byte first; 0x0100 / 1023 and 0x03FF / 1023.
    @Test func readsSixteenBitPGM() throws {
        let bytes = Array("P5\n2 1\n1023\n".utf8) + [0x01, 0x00, 0x03, 0xFF]
        let image = try PortableAnymap(bytes: bytes, name: "a.pgm")
        #expect(image.values == [256.0 / 1023, 1])
    }

    /// 0.25·255 = 63.75 → 64, 0.5·255 = 127.5 → 128, 0.75·255 = 191.25 → 191; −1 and 2 are clamped.
    @Test func writesBinaryPGMWithRoundingAndClamping() {
        let image = PortableAnymap(height: 2, width: 3, values: [0, 0.25, 0.5, 0.75, -1, 2])
        #expect(image.pgm() == Array("P5\n3 2\n255\n".utf8) + [0, 64, 128, 191, 0, 255])
        // With the range [−1, 2]: (v + 1)/3·255.
        #expect(image.pgm(low: -1, high: 2).suffix(6) == [85, 106, 128, 149, 0, 255])
    }

    @Test func writtenFilesReadBack() throws {
        let values = (0..<12).map { Double($0) / 11 }
        let image = PortableAnymap(height: 3, width: 4, values: values)
        let back = try PortableAnymap(bytes: image.pgm(), name: "round.pgm")
        #expect(back.height == 3 && back.width == 4)
        for (value, original) in zip(back.values, values) { #expect(abs(value - original) <= 0.5 / 255) }
    }

    @Test func refusesMalformedFiles() {
        let cases: [([UInt8], String)] = [
            (Array("JFIF".utf8), "a.jpg is not a PGM or PPM image (it must start with P2, P3, P5 or P6)"),
            (Array("P5\n2 2\n255\n".utf8) + [1, 2, 3], "a.jpg has 3 bytes of pixels but 2×2×1 at 1 byte each needs 4"),
            (Array("P2\n2 1\n9\n3 12\n".utf8), "a.jpg has pixel 1 = 12; it must be between 0 and 9"),
            (Array("P2\n2".utf8), "a.jpg ends before its height"),
            (Array("P2\n0 1\n9\n".utf8), "a.jpg has width = 0; it must be between 1 and 1048576"),
        ]
        for (bytes, message) in cases {
            #expect(throws: ImageError(file: "a.jpg", reason: String(message.dropFirst(6)))) {
                try PortableAnymap(bytes: bytes, name: "a.jpg")
            }
        }
    }
}
