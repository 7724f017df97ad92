internal import CSuiteSparse
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// How many threads a product with C uses when its call names none.
///
/// In order: the count a program chose for itself (`SparseMatrix.defaultThreadCount`, which
/// `convmat --threads` sets), else the environment variable `CONVMAT_THREADS` when it holds a
/// whole number from 1 to `maximum`, else the processors this process may run on: the CPUs of
/// its affinity mask (`sched_getaffinity`, so `taskset` and a container's CPU set count), at
/// most `sysconf(_SC_NPROCESSORS_ONLN)`. The library itself never sets the count; it reads the
/// environment and the machine once, at the first product large enough to use threads.
package enum ProductThreads {
    /// The environment variable that sets the default: `CONVMAT_THREADS`.
    package static let environmentVariable = "CONVMAT_THREADS"

    /// The most threads a product may be given: 1024.
    package static let maximum = 1024

    /// The count a program chose (`SparseMatrix.defaultThreadCount`'s setter), if any.
    private static let chosen = Mutex<Int?>(nil)

    /// The environment's count, read once: nil when `CONVMAT_THREADS` is unset or not a count.
    private static let environment: Int? = getenv(environmentVariable).flatMap { count(String(cString: $0)) }

    /// The count products use when their call gives none.
    package static var standard: Int {
        get { chosen.withLock { $0 } ?? environment ?? machine }
    }

    /// `available`, read once: `sysconf(_SC_NPROCESSORS_ONLN)` reads a file under /sys on every call,
    /// which would cost more than a small product.
    private static let machine = available

    /// Sets the count for the rest of the process, or with nil returns to the environment's or the machine's.
    ///
    /// - Parameter count: threads, clamped to 1 ... `maximum`; nil forgets an earlier choice.
    package static func choose(_ count: Int?) {
        chosen.withLock { $0 = count.map { min(max($0, 1), maximum) } }
    }

    /// The processors this process may run on: the CPUs of its affinity mask, at most those online, at least 1.
    ///
    /// The corresponding C functions are `sched_getaffinity` and `sysconf(_SC_NPROCESSORS_ONLN)`.
    package static var available: Int {
        let online = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        var mask = cpu_set_t()
        guard sched_getaffinity(0, MemoryLayout<cpu_set_t>.size, &mask) == 0 else { return online }
        let allowed = withUnsafeBytes(of: &mask) { bytes in bytes.reduce(0) { $0 + $1.nonzeroBitCount } }
        return min(max(allowed, 1), online)
    }

    /// The thread count a text such as the environment variable's names: a whole number from 1 to `maximum`
    /// in decimal digits, nothing else.
    ///
    /// - Parameter text: the variable's or an option's value.
    /// - Returns: the count, or nil when the text is anything but such a number.
    package static func count(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(text),
            (1...maximum).contains(value)
        else { return nil }
        return value
    }
}
