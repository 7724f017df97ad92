import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// A grayscale or colour image in the Netpbm formats (PGM and PPM, together
/// PNM): the simplest files that every image viewer opens, written and read
/// without any library.
///
/// Pixels are held as numbers in [0, 1] (the file's value / maxval), laid out
/// as [channels, rows, columns] row-major — the [C_in, spatial…] order of a
/// convolution's input. A PGM has one channel, a PPM three (red, green, blue).
public struct PortableAnymap: Hashable, Sendable {
    /// Image rows (the file's height).
    public let height: Int
    /// Image columns (the file's width).
    public let width: Int
    /// 1 for PGM, 3 for PPM.
    public let channels: Int
    /// channels·height·width values in [0, 1], channel by channel, row by row.
    public let values: [Double]

    /// An image from its values; `values.count` must be channels·height·width.
    ///
    /// - Parameters:
    ///   - height: rows of pixels.
    ///   - width: pixels per row.
    ///   - channels: 1 for grey, 3 for colour.
    ///   - values: the samples as [channels, height, width] in row-major order.
    public init(height: Int, width: Int, channels: Int = 1, values: [Double]) {
        precondition(values.count == channels * height * width, "PortableAnymap: values do not match the size")
        self.height = height
        self.width = width
        self.channels = channels
        self.values = values
    }

    /// Reads a PGM (P2 text, P5 binary) or PPM (P3 text, P6 binary) file's
    /// bytes. `name` names the file in messages. Maxval may be 1…65535;
    /// binary files with maxval > 255 use two bytes per sample, most significant first.
    ///
    /// - Parameters:
    ///   - bytes: the file's whole content.
    ///   - name: the file named in a refusal.
    /// - Throws: `ImageError` naming the file and what is wrong: an unknown magic number, a bad header, a maxval
    ///   out of range, too few pixel bytes, a pixel above maxval, or an image too large.
    public init(bytes: [UInt8], name: String) throws(ImageError) {
        var reader = HeaderReader(bytes: bytes, name: name)
        let magic = try reader.magic()
        let width = try reader.number("width", range: 1...(1 << 20))
        let height = try reader.number("height", range: 1...(1 << 20))
        let maxval = try reader.number("maxval", range: 1...65535)
        let channels = magic == "P3" || magic == "P6" ? 3 : 1
        let count = channels * width * height
        guard count <= 1 << 28 else { throw ImageError(file: name, reason: "is \(width)×\(height), too large") }
        var samples = [Int]()
        samples.reserveCapacity(count)
        if magic == "P2" || magic == "P3" {
            for n in 0..<count { samples.append(try reader.number("pixel \(n)", range: 0...maxval)) }
        } else {
            try reader.singleWhitespace()
            let size = maxval > 255 ? 2 : 1
            let start = reader.offset
            guard bytes.count - start >= count * size else {
                throw ImageError(
                    file: name,
                    reason:
                        "has \(bytes.count - start) bytes of pixels but \(width)×\(height)×\(channels) at \(size) byte\(size == 1 ? "" : "s") each needs \(count * size)"
                )
            }
            for n in 0..<count {
                let value = size == 1 ? Int(bytes[start + n]) : Int(bytes[start + 2 * n]) << 8 | Int(bytes[start + 2 * n + 1])
                guard value <= maxval else { throw ImageError(file: name, reason: "pixel \(n) = \(value) exceeds maxval \(maxval)") }
                samples.append(value)
            }
        }
        // Files interleave the channels per pixel; convolutions want one plane per channel.
        var planar = [Double](repeating: 0, count: count)
        let scale = 1 / Double(maxval)
        for pixel in 0..<(width * height) {
            for channel in 0..<channels {
                planar[channel * width * height + pixel] = Double(samples[pixel * channels + channel]) * scale
            }
        }
        self.init(height: height, width: width, channels: channels, values: planar)
    }

    /// The image as an 8-bit binary PGM (P5), channels stacked top to bottom.
    ///
    /// A value v becomes round(255·(v − low)/(high − low)), clamped to 0…255,
    /// so that several images written with the same range can be compared by eye.
    ///
    /// - Parameters:
    ///   - low: the value shown black.
    ///   - high: the value shown white.
    /// - Returns: the bytes of the PGM file.
    package func pgm(low: Double = 0, high: Double = 1) -> [UInt8] {
        let header = "P5\n\(width) \(height * channels)\n255\n"
        let span = high > low ? high - low : 1
        let pixels = values.map { value -> UInt8 in
            let level = ((value - low) / span * 255).rounded()
            return level.isNaN ? 0 : UInt8(min(255, max(0, level)))
        }
        return Array(header.utf8) + pixels
    }
}

/// Why an image file was refused.
public struct ImageError: UserFacingError, Equatable, Sendable {
    /// The file as the user named it.
    package let file: String
    /// What is wrong, completing the sentence after the file name.
    package let reason: String

    /// A refusal of `file` because it `reason`.
    ///
    /// - Parameters:
    ///   - file: the file's name as the user gave it.
    ///   - reason: the rest of the sentence, starting with a verb ("is not a PGM or PPM image").
    package init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    /// "photo.pgm is not a PGM or PPM image …": the file, then the reason.
    ///
    /// - Parameter spell: unused: an image error names a file, not a field.
    /// - Returns: one line without a trailing newline.
    public func message(spellingFields spell: (String) -> String) -> String { "\(file) \(reason)" }
}

/// Reads the whitespace-separated header fields of a PNM file, skipping `#` comments.
private struct HeaderReader {
    let bytes: [UInt8]
    let name: String
    var offset = 0

    init(bytes: [UInt8], name: String) {
        self.bytes = bytes
        self.name = name
    }

    mutating func magic() throws(ImageError) -> String {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"),
            [UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "5"), UInt8(ascii: "6")].contains(bytes[1])
        else { throw ImageError(file: name, reason: "is not a PGM or PPM image (it must start with P2, P3, P5 or P6)") }
        offset = 2
        return "P" + String(UnicodeScalar(bytes[1]))
    }

    mutating func number(_ field: String, range: ClosedRange<Int>) throws(ImageError) -> Int {
        skipSpaceAndComments()
        var value = 0
        var digits = 0
        let start = offset
        while offset < bytes.count, bytes[offset] >= UInt8(ascii: "0"), bytes[offset] <= UInt8(ascii: "9") {
            value = min(value * 10 + Int(bytes[offset] - UInt8(ascii: "0")), Int(Int32.max))
            digits += 1
            offset += 1
        }
        // The value is capped while reading so that it cannot overflow; messages quote the file's own digits.
        let written = String(decoding: bytes[start..<offset].prefix(40), as: UTF8.self) + (digits > 40 ? "…" : "")
        guard digits > 0 else {
            throw ImageError(file: name, reason: offset < bytes.count ? "has no number where its \(field) should be" : "ends before its \(field)")
        }
        guard range.contains(value) else {
            throw ImageError(file: name, reason: "has \(field) = \(written); it must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    mutating func singleWhitespace() throws(ImageError) {
        guard offset < bytes.count, isSpace(bytes[offset]) else {
            throw ImageError(file: name, reason: "lacks the whitespace byte between its header and its pixels")
        }
        offset += 1
    }

    private mutating func skipSpaceAndComments() {
        while offset < bytes.count {
            if isSpace(bytes[offset]) {
                offset += 1
            } else if bytes[offset] == UInt8(ascii: "#") {
                while offset < bytes.count, bytes[offset] != UInt8(ascii: "\n") { offset += 1 }
            } else {
                return
            }
        }
    }

    private func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }
}
