#if canImport(Glibc)
    import Glibc
#endif

/// Writes all of `bytes` to an open file descriptor, the one loop over partial writes in the
/// package (the corresponding C function is `write`): a short write continues where it stopped,
/// an interrupted one (EINTR) is tried again.
///
/// - Parameters:
///   - bytes: what to write.
///   - descriptor: an open file descriptor (1 for standard output, 2 for standard error).
/// - Returns: how many bytes were written, and why writing stopped early (`strerror`'s text, or
///   "nothing was written" for a write of 0 bytes), nil when all were written.
@discardableResult
package func writeAll(_ bytes: some Collection<UInt8>, to descriptor: Int32) -> (written: Int, failure: String?) {
    let bytes = Array(bytes)
    var offset = 0
    while offset < bytes.count {
        let count = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        if count > 0 { offset += count; continue }
        if count < 0 && errno == EINTR { continue }
        return (offset, count < 0 ? String(cString: strerror(errno)) : "nothing was written")
    }
    return (offset, nil)
}
