import ConvMatrixCore

/// A target for bytes, as `TextOutputStream` is for text: where a binary
/// file such as an `.npy` array is written. `TextOutput` (a file or standard
/// output) is one; so is `[UInt8]`, for tests and for programs that keep the
/// bytes in memory.
package protocol BinaryOutputStream {
    /// Appends `bytes`.
    ///
    /// - Parameter bytes: the bytes, in the order they belong in the file.
    mutating func write(bytes: [UInt8])
}

extension TextOutput: BinaryOutputStream {}

extension Array: BinaryOutputStream where Element == UInt8 {
    /// Appends `bytes` to the array.
    ///
    /// - Parameter bytes: the bytes to append.
    package mutating func write(bytes: [UInt8]) { append(contentsOf: bytes) }
}
