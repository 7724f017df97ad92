internal import CSuiteSparse
import Synchronization

/// The last message CHOLMOD's error handler received; read and cleared after each call.
private let lastCholmodMessage = Mutex<String?>(nil)

/// Receives CHOLMOD's errors instead of letting it print them.
private let recordCholmodError: @convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?) -> Void = {
    _, _, _, message in
    let text = message.map { String(cString: $0) } ?? "no message"
    lastCholmodMessage.withLock { $0 = text }
}

/// One started CHOLMOD workspace (`cholmod_common`) for the 64-bit API.
///
/// The corresponding CHOLMOD routines are `cholmod_l_start` and
/// `cholmod_l_finish`. CHOLMOD keeps status and workspace in the common
/// object, so every call through it is serialised by a lock. Printing is off:
/// CHOLMOD never writes to standard output; its errors become `CholmodError`.
/// Every SuiteSparse call ConvMatrix makes goes through a context. Starting
/// one changes nothing outside it: SuiteSparse's process-wide allocator stays
/// whatever the program chose (see `HugePageAllocation` for the opt-in policy).
final class CholmodContext: @unchecked Sendable {
    /// The context that `SparseMatrix` uses unless given another.
    static let shared = CholmodContext()

    /// Contexts lent to the threads of a parallel product (`withSpare`), kept for the next one.
    private static let spares = Mutex<[CholmodContext]>([])

    /// Runs `body` with a context no other thread uses meanwhile: one returned by an earlier call,
    /// or a new one. A parallel product gives each of its threads its own, since a common object
    /// holds one call's status and workspace; the shared context's lock would serialise them.
    static func withSpare<Result, Failure: Error>(_ body: (CholmodContext) throws(Failure) -> Result) throws(Failure) -> Result {
        let context = spares.withLock { $0.popLast() } ?? CholmodContext()
        defer { spares.withLock { $0.append(context) } }
        return try body(context)
    }

    private let common: UnsafeMutablePointer<cholmod_common>
    private let lock = Mutex(())

    init() {
        common = .allocate(capacity: 1)
        cholmod_l_start(common)
        common.pointee.print = 0
        common.pointee.error_handler = recordCholmodError
    }

    deinit {
        cholmod_l_finish(common)
        common.deallocate()
    }

    /// Runs `body` with exclusive use of the common object, then turns a
    /// negative status (or a positive warning, when `warningsAreErrors`) into an error.
    func call<Result>(
        warningsAreErrors: Bool = false,
        _ body: (UnsafeMutablePointer<cholmod_common>) -> Result
    ) throws(CholmodError) -> Result {
        let (result, status, message): (Result, Int32, String?) = lock.withLock { _ in
            common.pointee.status = CHOLMOD_OK
            lastCholmodMessage.withLock { $0 = nil }
            let result = body(common)
            let message = lastCholmodMessage.withLock { value -> String? in
                defer { value = nil }
                return value
            }
            return (result, common.pointee.status, message)
        }
        if status < 0 || (warningsAreErrors && status > 0) {
            throw CholmodError(status: status, message: message ?? Self.describe(status))
        }
        return result
    }

    private static func describe(_ status: Int32) -> String {
        switch status {
        case CHOLMOD_NOT_INSTALLED: return CholmodError.notInstalled.message
        case CHOLMOD_OUT_OF_MEMORY: return CholmodError.outOfMemory.message
        case CHOLMOD_TOO_LARGE: return CholmodError.tooLarge.message
        case CHOLMOD_INVALID: return CholmodError.invalid.message
        case CHOLMOD_NOT_POSDEF: return CholmodError.notPositiveDefinite.message
        default: return "status \(status)"
        }
    }
}
