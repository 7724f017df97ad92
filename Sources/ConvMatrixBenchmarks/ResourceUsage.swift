import ConvMatrix
#if canImport(Glibc)
    import Glibc
#endif

/// The process's resident memory, read from the kernel, for the memory
/// columns of `convmat bench`.
///
/// Both values come from /proc/self/status (`VmHWM`, `VmRSS`). Not from
/// `getrusage`: Linux keeps `ru_maxrss` across `execve`, so a benchmark
/// started from a large process (Python with NumPy loaded) would report the
/// parent's peak.
package enum ResourceUsage {
    /// The largest resident set size of this process so far (`VmHWM`), in bytes; 0 if unreadable.
    package static var peakResidentBytes: Int { statusField("VmHWM:") ?? 0 }

    /// The resident set size now (`VmRSS`), in bytes; 0 if unreadable.
    package static var currentResidentBytes: Int { statusField("VmRSS:") ?? 0 }

    /// The value in bytes of a "Name:   1234 kB" line of /proc/self/status.
    static func statusField(_ name: String) -> Int? {
        #if canImport(Glibc)
            guard let file = fopen("/proc/self/status", "r") else { return nil }
            defer { fclose(file) }
            var buffer = [CChar](repeating: 0, count: 512)
            while fgets(&buffer, Int32(buffer.count), file) != nil {
                let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                guard line.hasPrefix(name) else { continue }
                let fields = line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
                guard let amount = fields.first.flatMap({ Int($0) }) else { return nil }
                return fields.count > 1 && fields[1] == "kB" ? amount * 1024 : amount
            }
        #endif
        return nil
    }
}
