#if canImport(Glibc)
    import Glibc
#endif

/// A socket address to listen on, IPv4 or IPv6, from a literal or `localhost`:
/// what `--host` must name (`ServeOptions.validate`), and what `convmat-serve`
/// probes for a free port before it starts.
package struct ListeningAddress {
    /// `AF_INET` or `AF_INET6`.
    let family: Int32
    var storage = sockaddr_storage()
    let length: socklen_t

    /// The address of `host` at `port`, or nil when `host` is neither an IP
    /// literal nor `localhost` (the corresponding C function is `inet_pton`);
    /// `port` is 0 to 65535.
    package init?(host: String, port: Int) {
        let literal = host == "localhost" ? "127.0.0.1" : host
        var v4 = sockaddr_in()
        var v6 = sockaddr_in6()
        if inet_pton(AF_INET, literal, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(port).bigEndian)
            family = AF_INET
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutableBytes(of: &storage) { target in withUnsafeBytes(of: v4) { target.copyMemory(from: $0) } }
        } else if inet_pton(AF_INET6, literal, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(port).bigEndian)
            family = AF_INET6
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeMutableBytes(of: &storage) { target in withUnsafeBytes(of: v6) { target.copyMemory(from: $0) } }
        } else {
            return nil
        }
    }

    /// Whether a listening socket can be bound here now (the corresponding C function is `bind`).
    package var isFree: Bool {
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = storage
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 }
        }
    }
}
