#if canImport(Glibc)
    import Glibc
#endif

/// The guard that refuses work that would not fit into memory, so that a
/// too-large geometry or file ends with a message instead of an
/// out-of-memory kill.
///
/// Every command that can grow computes its whole peak (`MemoryEstimate`:
/// C, dense vectors, the verifier's gradient, a parsed file, a picture's
/// grid, the program itself) from sizes alone and calls `check` before it
/// allocates anything:
///
///     let limit = try maxMemory.map { text throws(GeometryError) in try MemoryBudget.parse(text) }
///     try MemoryBudget.check(Verifier.memoryEstimate(op), limit: limit)
///
/// The default limit is half of the physical memory.
public enum MemoryBudget {
    /// Physical memory in bytes (`sysconf(_SC_PHYS_PAGES) · sysconf(_SC_PAGESIZE)`), or nil if unknown.
    package static var physicalMemory: Int? {
        #if canImport(Glibc)
            let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
            if pages > 0 && pageSize > 0 { return Checked.saturating { () throws(GeometryError) in try Checked.multiply(pages, pageSize, "physical memory") } }
        #endif
        return nil
    }

    /// What the machine can give at most: its physical memory and swap together
    /// (`sysconf(_SC_PHYS_PAGES)` and /proc/meminfo's SwapTotal), or nil if
    /// unknown. An allocation larger than this fails whatever limit a user sets,
    /// and Swift ends the process on a failed allocation, so `check` refuses such
    /// work under any `--max-memory`.
    package static var machineMemory: Int? {
        guard let physical = physicalMemory else { return nil }
        return Checked.saturating { () throws(GeometryError) in try Checked.add(physical, swapBytes ?? 0, "machine memory") }
    }

    /// The swap space in bytes (/proc/meminfo's `SwapTotal:  N kB`), or nil if it cannot be read.
    static var swapBytes: Int? {
        #if canImport(Glibc)
            let descriptor = open("/proc/meminfo", O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            defer { close(descriptor) }
            var bytes = [UInt8](repeating: 0, count: 8192)
            let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return nil }
            for line in bytes[0..<count].split(separator: UInt8(ascii: "\n")) where line.starts(with: Array("SwapTotal:".utf8)) {
                let fields = line.split(separator: UInt8(ascii: " "))
                guard fields.count >= 2, let kibibytes = Int(String(decoding: fields[1], as: UTF8.self)) else { return nil }
                return Checked.saturating { () throws(GeometryError) in try Checked.multiply(kibibytes, 1024, "swap") }
            }
        #endif
        return nil
    }

    /// Half of the physical memory, or 4 GiB when it cannot be read.
    public static var defaultLimit: Int {
        physicalMemory.map { $0 / 2 } ?? (4 << 30)
    }

    /// Refuses `geometry` when building its C and multiplying with it,
    /// `samples` columns at a time (`MemoryEstimate(geometry, samples:)`),
    /// would need more than `limit` bytes.
    ///
    /// - Parameters:
    ///   - geometry: the convolution to be built.
    ///   - limit: the most bytes allowed; nil means `defaultLimit`.
    ///   - samples: how many columns each product operand has.
    ///   - field: the setting named in the refusal, so the user knows what to raise.
    /// - Returns: the estimate that was checked, for `--show-memory`.
    /// - Throws: `GeometryError.invalid` naming `field` when the estimate exceeds the limit, or when a size overflows.
    @discardableResult
    public static func check(
        _ geometry: ConvolutionGeometry, limit: Int? = nil, samples: Int = 1, field: String = "max_memory"
    ) throws(GeometryError) -> MemoryEstimate {
        try check(MemoryEstimate(geometry, samples: samples), limit: limit, field: field)
    }

    /// Refuses work whose estimated peak exceeds `limit` bytes (default:
    /// `defaultLimit`), and returns the estimate otherwise. `field` names the
    /// setting that changes the limit. Costs nothing: the estimate was
    /// computed from sizes alone, and this compares two numbers.
    ///
    /// - Throws: `GeometryError.invalid` naming `field`, the limit, the
    ///   estimate with its largest parts, and a limit that would do.
    /// - Parameters:
    ///   - estimate: the peak bytes of the work, from sizes alone.
    ///   - limit: the most bytes allowed; nil means `defaultLimit`.
    ///   - field: the setting named in the refusal.
    /// - Returns: `estimate` unchanged, so a caller can check and print in one step.
    @discardableResult
    public static func check(_ estimate: MemoryEstimate, limit: Int? = nil, field: String = "max_memory") throws(GeometryError) -> MemoryEstimate {
        let origin = limit == nil ? " (half of physical memory)" : ""
        let limit = limit ?? defaultLimit
        // No limit admits more than the machine has: such an allocation could only fail (and a
        // failed allocation ends a Swift program), so --max-memory cannot lift the guard past it.
        if let machine = machineMemory, machine < limit, estimate.totalBytes > machine {
            throw .invalid(
                field: field,
                reason: """
                    = \(formatBytes(limit)), but this machine has \(formatBytes(machine)) of memory and swap, below the \
                    \(formatBytes(estimate.totalBytes)) this needs (\(estimate.itemised), and the program itself); \
                    no \(field: field) admits it; use a smaller geometry
                    """)
        }
        if estimate.totalBytes > limit {
            let remedy: FieldMessage =
                estimate.totalBytes == Int.max
                ? "no limit admits it; use a smaller geometry"
                : "give a larger \(field: field), e.g. \(field: field) \(suggestion(for: estimate.totalBytes)), or a smaller geometry"
            throw .invalid(
                field: field,
                reason: """
                    = \(formatBytes(limit))\(origin) is below the \(formatBytes(estimate.totalBytes)) this needs \
                    (\(estimate.itemised), and the program itself); \(remedy)
                    """)
        }
        return estimate
    }

    /// The most threads, at most `requested`, that a product y = C·X may use beside the work of
    /// `estimate` under `limit`: each thread beyond the first needs partial results
    /// (`MemoryEstimate.partialResults`), so where they do not fit the product runs on fewer threads,
    /// down to one, which needs none, rather than being refused. The guard refuses only what does not
    /// fit on one thread (`check`).
    ///
    /// - Parameters:
    ///   - requested: the threads the product would use.
    ///   - rows: the rows of C.
    ///   - samples: columns of the operand.
    ///   - estimate: everything else the work holds at the same time.
    ///   - limit: the most bytes allowed; nil means `defaultLimit`.
    /// - Returns: a thread count from 1 to `requested` (1 when `requested` is below 1).
    package static func productThreads(_ requested: Int, rows: Int, samples: Int, beside estimate: MemoryEstimate, limit: Int?) -> Int {
        let limit = limit ?? defaultLimit
        var threads = max(requested, 1)
        while threads > 1 {
            let total = estimate.adding(MemoryEstimate.partialResults(rows: rows, samples: samples, threads: threads)).totalBytes
            if total <= limit { break }
            threads = threads > 8 ? threads / 2 : threads - 1
        }
        return threads
    }

    /// Bytes from a size such as 512M, 4G, 1.5G, 64K, 2T or 1000000 (plain
    /// bytes); the suffixes are binary (K = 1024) and may end in B or iB,
    /// in either case. Refuses anything that is not a positive size.
    ///
    /// - Parameters:
    ///   - text: the size as the user typed it.
    ///   - field: the setting named in a refusal.
    /// - Returns: the size in bytes, at least 1.
    /// - Throws: `GeometryError.invalid` naming `field` with `text` when it is not a positive number with an
    ///   optional K, M, G, T or P suffix, or comes to 0 bytes or more than `Int` holds.
    package static func parse(_ text: String, field: String = "max_memory") throws(GeometryError) -> Int {
        var digits = text.trimmingPrefixAndSuffixSpaces.uppercased()
        for ending in ["IB", "B"] where digits.hasSuffix(ending) && digits.count > ending.count {
            digits.removeLast(ending.count)
            break
        }
        var scale = 1.0
        if let unit = digits.last, let power = ["K": 1, "M": 2, "G": 3, "T": 4, "P": 5][unit] {
            scale = Double(1 << (10 * power))
            digits.removeLast()
        }
        guard let number = Double(digits), number.isFinite, number > 0,
            let bytes = Int(exactly: (number * scale).rounded(.down)), bytes > 0
        else {
            throw .invalid(
                field: field, reason: "= \(text) is not a memory size; use a positive number of bytes with an optional K, M, G or T suffix, e.g. 512M or 4G")
        }
        return bytes
    }

    /// "11.7 GiB", "512 MiB", "900 bytes": bytes in binary units for messages.
    ///
    /// - Parameter bytes: a byte count, 0 or more.
    /// - Returns: the count in the largest binary unit that keeps it ≥ 1, rounded to at most one decimal;
    ///   `Int.max` (a saturated estimate) reads "more than 8 EiB".
    package static func formatBytes(_ bytes: Int) -> String {
        if bytes == Int.max { return "more than 8 EiB" }
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes), unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) bytes" }
        let tenths = (value * 10).rounded() / 10
        let text = tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
        return "\(text) \(units[unit])"
    }

    /// A --max-memory value (power of two, G or T) that admits `bytes`.
    static func suggestion(for bytes: Int) -> String {
        var gibibytes = 1
        while gibibytes < (1 << 40) && Double(gibibytes) * Double(1 << 30) < Double(bytes) { gibibytes *= 2 }
        if gibibytes >= 1 << 20 { return "\(gibibytes >> 20)P" }
        return gibibytes >= 1024 ? "\(gibibytes / 1024)T" : "\(gibibytes)G"
    }
}

extension String {
    /// The string without leading and trailing spaces.
    fileprivate var trimmingPrefixAndSuffixSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
