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

    /// Why a listening socket cannot be bound here now: the `errno` of `bind`
    /// (EADDRINUSE, EACCES, EADDRNOTAVAIL, …), or nil when it can (the
    /// corresponding C function is `bind`).
    package var bindFailure: Int32? {
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return errno }
        defer { close(descriptor) }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = storage
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 }
        }
        return bound ? nil : errno
    }

    /// Whether a listening socket can be bound here now.
    package var isFree: Bool { bindFailure == nil }

    /// What a failed bind means for `--port` and `--host`, in words: the port is
    /// taken, needs privileges, or the address is not this machine's.
    ///
    /// - Parameters:
    ///   - failure: the `errno` of `bind`.
    ///   - host: the address as the user gave it.
    ///   - port: the port.
    /// - Returns: the flag the message is about and the message.
    package static func explain(bindFailure failure: Int32, host: String, port: Int) -> (flag: String, message: String) {
        switch failure {
        case EADDRINUSE:
            return ("--port", "--port = \(port) is in use on \(host) by another program; give another --port, or leave it out to take the first free one")
        case EACCES:
            return (
                "--port",
                "--port = \(port) needs privileges this user does not have (ports below 1024 are reserved for root); give a --port of 1024 or more, or leave it out"
            )
        case EADDRNOTAVAIL:
            return (
                "--host", "--host = \(host) is not an address of this machine, so nothing can listen on it; give one of its addresses, 127.0.0.1 or 0.0.0.0"
            )
        default:
            return ("--port", "cannot listen on \(host) port \(port) (\(String(cString: strerror(failure)))); give another --port or --host")
        }
    }

    /// Whether `host` reaches only this machine: `localhost`, 127.0.0.0/8 or ::1.
    ///
    /// - Parameter host: an address as `--host` takes it.
    /// - Returns: false for every other address, wildcards (0.0.0.0, ::) included.
    package static func isLoopback(_ host: String) -> Bool {
        let literal = host == "localhost" ? "127.0.0.1" : host
        var v4 = in_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, literal, &v6) == 1 {
            return withUnsafeBytes(of: v6) { bytes in bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1 }
        }
        return false
    }

    /// Whether `host` is a wildcard that listens on every interface (0.0.0.0 or ::).
    static func isWildcard(_ host: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return v4.s_addr == 0 }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 { return withUnsafeBytes(of: v6) { $0.allSatisfy { $0 == 0 } } }
        return false
    }

    /// The names a browser may put in `Host` to reach a server started with
    /// `--host host`: the loopback names (`localhost`, `127.0.0.1`, `::1`), the
    /// address given, and for a wildcard every address of the machine's
    /// interfaces with the machine's name (and that name under `.local`, as
    /// mDNS announces it). Anything else in `Host` is a page on another site
    /// whose name was made to point here (DNS rebinding), and is refused.
    ///
    /// - Parameter host: the address the server listens on.
    /// - Returns: the names, lowercased, IPv6 addresses without brackets.
    package static func hostNames(listeningOn host: String) -> Set<String> {
        var names: Set<String> = ["localhost", "127.0.0.1", "::1", host.lowercased()]
        guard isWildcard(host) else { return names }
        var list: UnsafeMutablePointer<ifaddrs>?
        if getifaddrs(&list) == 0 {
            var next = list
            while let entry = next {
                if let address = entry.pointee.ifa_addr, let text = numericHost(address) { names.insert(text.lowercased()) }
                next = entry.pointee.ifa_next
            }
            freeifaddrs(list)
        }
        var buffer = [CChar](repeating: 0, count: 256)
        if gethostname(&buffer, buffer.count - 1) == 0 {
            let name = Self.text(buffer).lowercased()
            if !name.isEmpty { names.formUnion([name, name + ".local"]) }
        }
        return names
    }

    /// The characters of a C buffer up to its first NUL.
    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// An interface address as text (the corresponding C function is `inet_ntop`), or nil for other families.
    private static func numericHost(_ address: UnsafeMutablePointer<sockaddr>) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                var raw = v4.pointee.sin_addr
                return inet_ntop(AF_INET, &raw, &buffer, socklen_t(buffer.count)).map { _ in Self.text(buffer) }
            }
        case AF_INET6:
            return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                var raw = v6.pointee.sin6_addr
                return inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)).map { _ in Self.text(buffer) }
            }
        default:
            return nil
        }
    }

    /// The name and port of a `Host` header (`127.0.0.1:8080`, `[::1]:8080`,
    /// `Localhost.`): the name lowercased, without IPv6 brackets or a final dot;
    /// nil when it is not of that form (a port that is not 1…65535, stray brackets).
    ///
    /// - Parameter host: the header's value.
    /// - Returns: the name and the port, if one is given.
    package static func authority(_ host: String) -> (name: String, port: Int?)? {
        var name = Substring(host.lowercased())
        var port: Int?
        if name.hasPrefix("[") {
            guard let close = name.firstIndex(of: "]") else { return nil }
            let rest = name[name.index(after: close)...]
            name = name[name.index(after: name.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let number = Int(rest.dropFirst()), (1...65535).contains(number) else { return nil }
                port = number
            }
        } else if let colon = name.lastIndex(of: ":") {
            guard !name[..<colon].contains(":"), let number = Int(name[name.index(after: colon)...]), (1...65535).contains(number) else { return nil }
            port = number
            name = name[..<colon]
        }
        if name.hasSuffix(".") { name = name.dropLast() }
        guard !name.isEmpty, !name.contains("[") && !name.contains("]") && !name.contains("/") && !name.contains("@") else { return nil }
        return (String(name), port)
    }

    /// The name and port of an `Origin` header (`http://127.0.0.1:8080`), or
    /// nil when it is not an `http://` origin (`null`, `https://…`, a path).
    ///
    /// - Parameter origin: the header's value.
    /// - Returns: the name and the port, if one is given.
    package static func origin(_ origin: String) -> (name: String, port: Int?)? {
        let lowered = origin.lowercased()
        guard lowered.hasPrefix("http://") else { return nil }
        return authority(String(lowered.dropFirst("http://".count)))
    }
}
