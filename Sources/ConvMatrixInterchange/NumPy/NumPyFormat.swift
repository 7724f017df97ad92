import ConvMatrixCore

/// NumPy's own file format for one array, `.npy`, version 1.0, as the
/// NumPy documentation (`numpy.lib.format`) specifies it:
///
/// 1. the magic string `\x93NUMPY` (6 bytes);
/// 2. the version, major 1 and minor 0 (2 bytes);
/// 3. the length of the header that follows, a little-endian unsigned 16-bit integer;
/// 4. the header: a Python dict literal in ASCII,
///    `{'descr': '<f8', 'fortran_order': False, 'shape': (R, C), }`, padded
///    with spaces and ended by `\n` so that magic, version, length and header
///    together fill a multiple of 64 bytes (the format asks for 16; `numpy.save`
///    aligns to 64 with 1 to 64 spaces, and so does this, byte for byte);
/// 5. the data: R·C little-endian float64 values (`'<f8'`), row-major
///    (`fortran_order` False).
///
/// `numpy.load(f)` reads such a file into an R×C float64 array.
package enum NumPyFormat {
    /// The bytes of the preamble (magic, version, length, header) of a
    /// row-major float64 array of shape `shape`.
    ///
    /// - Parameter shape: the array's sizes, e.g. [rows, columns]; 1-D
    ///   shapes are written `(n,)`, as Python writes a one-element tuple.
    /// - Returns: a multiple of 64 bytes, the last one `\n`.
    package static func header(shape: [Int]) -> [UInt8] {
        let tuple = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        let dictionary = "{'descr': '<f8', 'fortran_order': False, 'shape': \(tuple), }"
        let fixed = magic.count + 2 + 2
        // 1 to 64 spaces, as numpy.save pads (an aligned dict still gets 64), so that the
        // files are byte for byte those NumPy writes.
        let padding = alignment - (fixed + dictionary.utf8.count + 1) % alignment
        let headerLength = dictionary.utf8.count + padding + 1
        var bytes = magic + [1, 0, UInt8(headerLength & 0xFF), UInt8(headerLength >> 8)]
        bytes += Array(dictionary.utf8)
        bytes += [UInt8](repeating: 0x20, count: padding)
        bytes.append(0x0A)
        return bytes
    }

    /// `\x93NUMPY`.
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// The alignment of the data: the preamble's length is a multiple of it.
    static let alignment = 64

    /// Appends `value` as 8 little-endian bytes (`'<f8'`).
    package static func appendLittleEndian(_ value: Double, to bytes: inout [UInt8]) {
        let bits = value.bitPattern.littleEndian
        withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
    }
}
