import ConvMatrix
import Dispatch
#if canImport(Glibc)
    import Glibc
#endif

/// The machine's memory bandwidth, measured as STREAM measures it: the triad
/// a[i] = b[i] + s·c[i] over three arrays of Float64, each larger than the
/// last-level cache, timed as the best of several passes.
///
/// STREAM (McCalpin) counts 24 bytes per element of the triad: two arrays
/// read and one written. A cache that allocates on writes also reads the
/// written line first, so the bus moves 32; like STREAM, the count here is
/// 24, which makes the figure what a program that reads two arrays and
/// writes one sees. Each array holds 4 times the last-level cache (STREAM's
/// rule), so no pass can be served from the cache. The arrays are advised
/// to use transparent huge pages, as C's arrays are, and the threads each
/// take one contiguous share of every array, as a product's blocks do.
package struct MemoryBandwidth: Sendable {
    /// Bytes per second of the best pass, counting 24 bytes per element.
    package let bytesPerSecond: Double
    /// Bytes of each of the three arrays.
    package let arrayBytes: Int
    /// Threads that ran the triad.
    package let threads: Int

    /// The scalar s of the triad; with b = 1 and c = 2 every a[i] comes to 7, which `measure` checks.
    static let scalar = 3.0

    /// Bytes of the last-level cache: the largest cache of the highest level that
    /// /sys/devices/system/cpu/cpu0/cache lists, else glibc's `sysconf(_SC_LEVEL3_CACHE_SIZE)` (or level 2),
    /// else 32 MiB. (On virtual machines glibc may report the whole socket's L3 where the kernel lists the
    /// slice this machine shares; the kernel's figure comes first.)
    package static var lastLevelCacheBytes: Int {
        var best: (level: Int, bytes: Int) = (0, 0)
        for index in 0..<8 {
            let directory = "/sys/devices/system/cpu/cpu0/cache/index\(index)/"
            guard let levelText = firstLine(directory + "level"), let level = Int(levelText),
                let sizeText = firstLine(directory + "size"), let bytes = cacheSize(sizeText)
            else { continue }
            if firstLine(directory + "type") == "Instruction" { continue }
            if level > best.level || (level == best.level && bytes > best.bytes) { best = (level, bytes) }
        }
        if best.bytes > 0 { return best.bytes }
        #if canImport(Glibc)
            for name in [_SC_LEVEL3_CACHE_SIZE, _SC_LEVEL2_CACHE_SIZE] {
                let bytes = sysconf(Int32(name))
                if bytes > 0 { return bytes }
            }
        #endif
        return 32 << 20
    }

    /// Bytes of each array: 4 times the last-level cache, rounded up to whole MiB.
    ///
    /// - Parameter cacheBytes: the last-level cache.
    /// - Returns: 4 · cacheBytes rounded up to a multiple of 1 MiB.
    package static func arrayBytes(cacheBytes: Int) -> Int {
        let mebibyte = 1 << 20
        return (4 * max(cacheBytes, mebibyte) + mebibyte - 1) / mebibyte * mebibyte
    }

    /// The memory the measurement holds: three arrays of `arrayBytes` bytes.
    ///
    /// - Parameter arrayBytes: the size of each array.
    /// - Returns: a part of 3 · arrayBytes bytes, for the memory guard.
    package static func memoryPart(arrayBytes: Int) -> MemoryEstimate.Part {
        MemoryEstimate.items("memory-bandwidth arrays (3 × \(MemoryBudget.formatBytes(arrayBytes)))", count: 3, bytesEach: arrayBytes)
    }

    /// Runs the triad `repeats` times on each thread count of `threadCounts` over three fresh arrays of
    /// `arrayBytes` bytes each and keeps the best pass of each count.
    ///
    /// - Parameters:
    ///   - threadCounts: the thread counts to measure with, each at least 1.
    ///   - repeats: passes per thread count; the best is kept.
    ///   - arrayBytes: the size of each array (`arrayBytes(cacheBytes:)` for a real measurement).
    /// - Returns: one measurement per thread count, in the same order.
    /// - Throws: `BandwidthError` when an element of a is not 7 after a pass (the arithmetic went wrong).
    package static func measure(threadCounts: [Int], repeats: Int, arrayBytes: Int) throws(BandwidthError) -> [MemoryBandwidth] {
        let count = max(arrayBytes / 8, 1)
        let arrays = TriadArrays(count: count)
        defer { arrays.deallocate() }
        let clock = ContinuousClock()
        var results: [MemoryBandwidth] = []
        for threads in threadCounts {
            let threads = max(threads, 1)
            var best = Double.infinity
            for _ in 0..<max(repeats, 1) {
                let start = clock.now
                arrays.triad(threads: threads)
                let elapsed = start.duration(to: clock.now)
                best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            }
            if let wrong = arrays.firstWrongElement() { throw BandwidthError(index: wrong.index, value: wrong.value) }
            results.append(MemoryBandwidth(bytesPerSecond: best > 0 ? Double(24 * count) / best : 0, arrayBytes: count * 8, threads: threads))
        }
        return results
    }

    /// The first line of a small text file, without its newline, or nil.
    private static func firstLine(_ path: String) -> String? {
        #if canImport(Glibc)
            guard let file = fopen(path, "r") else { return nil }
            defer { fclose(file) }
            var buffer = [CChar](repeating: 0, count: 64)
            guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
            let line = String(decoding: buffer.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return line
        #else
            return nil
        #endif
    }

    /// Bytes of a cache size as sysfs writes it: "32768K", "1024K", "32M", or plain bytes.
    ///
    /// - Parameter text: the contents of a cache's `size` file.
    /// - Returns: the size in bytes, or nil when it is not such a size.
    static func cacheSize(_ text: String) -> Int? {
        let scales: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        if let last = text.last, let scale = scales[last], let number = Int(text.dropLast()), number > 0 { return number * scale }
        if let number = Int(text), number > 0 { return number }
        return nil
    }
}

/// The triad computed something other than b + s·c: a sign of broken arithmetic, not of a slow machine.
package struct BandwidthError: Error, CustomStringConvertible, Sendable {
    /// The element that came out wrong.
    package let index: Int
    /// What it held instead of 7.
    package let value: Double

    package var description: String { "the memory-bandwidth triad computed a[\(index)] = \(value) instead of 7" }
}

/// The three arrays of the triad, filled by the threads that will use them (so that each thread's
/// pages are its own from the start).
private struct TriadArrays: @unchecked Sendable {
    let a: UnsafeMutablePointer<Double>
    let b: UnsafeMutablePointer<Double>
    let c: UnsafeMutablePointer<Double>
    let count: Int

    init(count: Int) {
        self.count = count
        a = .allocate(capacity: count)
        b = .allocate(capacity: count)
        c = .allocate(capacity: count)
        for array in [a, b, c] { PageAdvice.adviseHugePages(array, bytes: count * 8) }
        let arrays = self
        DispatchQueue.concurrentPerform(iterations: ColumnWriter.processorCount) { [arrays] chunk in
            let range = arrays.share(chunk, of: ColumnWriter.processorCount)
            (arrays.a + range.lowerBound).initialize(repeating: 0, count: range.count)
            (arrays.b + range.lowerBound).initialize(repeating: 1, count: range.count)
            (arrays.c + range.lowerBound).initialize(repeating: 2, count: range.count)
        }
    }

    /// The elements of share `index` of `shares` equal, contiguous shares.
    func share(_ index: Int, of shares: Int) -> Range<Int> {
        (index * count / shares)..<((index + 1) * count / shares)
    }

    /// One pass of a[i] = b[i] + s·c[i], each of `threads` threads taking one share.
    func triad(threads: Int) {
        let arrays = self
        let body = { @Sendable (chunk: Int) in
            let range = arrays.share(chunk, of: threads)
            let a = arrays.a, b = arrays.b, c = arrays.c, s = MemoryBandwidth.scalar
            for i in range { a[i] = b[i] + s * c[i] }
        }
        if threads == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: threads, execute: body) }
    }

    /// The first element of a that is not 1 + 3·2 = 7, if any (checked at 4 096 places).
    func firstWrongElement() -> (index: Int, value: Double)? {
        let step = max(count / 4096, 1)
        for index in Swift.stride(from: 0, to: count, by: step) where a[index] != 7 { return (index, a[index]) }
        return a[count - 1] != 7 ? (count - 1, a[count - 1]) : nil
    }

    func deallocate() {
        a.deallocate()
        b.deallocate()
        c.deallocate()
    }
}
