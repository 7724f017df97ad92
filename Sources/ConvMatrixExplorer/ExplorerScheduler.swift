import ConvMatrix
import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the explorer's views so that no request starves another and none runs
/// on after nobody wants it:
///
/// - **Lanes.** A request is light or heavy by its work estimate
///   (`ExplorerWork.isLight`). Heavy requests run on `cores − 1` threads (at
///   least one) at a lower priority (nice 10), light ones on a thread of their
///   own at normal priority, and on an idle heavy thread when no heavy request
///   waits for it: at most one computation per core, and a light request never
///   waits behind a heavy one.
/// - **Memory.** Every computation reserves its estimate (`ExplorerWork.memoryBytes`)
///   from the server's one budget (`--max-memory`), and its answer keeps its
///   bytes reserved until the last byte is handed to the connection
///   (`Reservation`), so slow readers count too: the server's total, not each
///   request's, stays within the budget.
/// - **Waiting.** A request that finds no free thread or not enough memory waits
///   at most `Configuration.queueWait`, in order of arrival within its lane; then
///   it is answered busy (HTTP 503 with Retry-After).
/// - **Time.** A computation that runs longer than `Configuration.timeBudget` is
///   stopped at the next view (`ExplorerView.json(stoppingWhen:)`) and answered busy.
/// - **Abandoned requests.** When the client goes away (`Cancellation.cancel()`,
///   which the server calls when the connection closes), a waiting request
///   leaves the queue at once and a running one stops at the next view.
package final class ExplorerScheduler: Sendable {
    /// How many computations run at once, how much memory they share, how long they wait and run.
    package struct Configuration: Sendable {
        /// Threads for heavy requests.
        package var heavyThreads: Int
        /// Threads for light requests.
        package var lightThreads = 1
        /// The memory all computations and unsent answers share: the server's `--max-memory`.
        package var memoryBytes: Int
        /// The longest a request waits for a thread and memory before it is answered busy.
        package var queueWait: Duration = .seconds(1)
        /// The longest a computation runs before it is stopped and answered busy: 2 s,
        /// about four times the heaviest accepted request on a loaded 2-core machine
        /// (20 s in a debug build, which computes 10–40 times slower).
        package var timeBudget: Duration = Self.defaultTimeBudget

        #if DEBUG
            /// 20 s in a debug build.
            package static let defaultTimeBudget: Duration = .seconds(20)
        #else
            /// 2 s in a release build.
            package static let defaultTimeBudget: Duration = .seconds(2)
        #endif

        /// `cores − 1` heavy threads (at least one) and one light thread, sharing `memoryBytes`.
        ///
        /// - Parameters:
        ///   - memoryBytes: the server's memory budget (`--max-memory`).
        ///   - cores: the processors online; by default `sysconf(_SC_NPROCESSORS_ONLN)`.
        package init(memoryBytes: Int, cores: Int = ExplorerScheduler.processors) {
            self.memoryBytes = memoryBytes
            heavyThreads = max(1, cores - 1)
        }
    }

    /// The processors online (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
    package static var processors: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// How a request ended.
    package enum Outcome: Sendable {
        /// The answer, with its bytes still reserved until the reservation is released.
        case answer(String, Reservation)
        /// No thread or memory within `queueWait`, or the time budget ran out: try again later.
        case busy(String)
        /// The client went away; nobody is waiting for an answer.
        case abandoned
    }

    /// The stop signal of one request: its client went away (`cancel()`), or its time ran out.
    package final class Cancellation: Sendable {
        private let state = Mutex<(cancelled: Bool, handlers: [@Sendable () -> Void])>((false, []))
        private let deadline = Mutex<ContinuousClock.Instant?>(nil)

        /// A request not yet cancelled, without a deadline.
        package init() {}

        /// Marks the request abandoned and runs the handlers registered so far (once).
        package func cancel() {
            let handlers = state.withLock { state -> [@Sendable () -> Void] in
                guard !state.cancelled else { return [] }
                state.cancelled = true
                defer { state.handlers = [] }
                return state.handlers
            }
            for handler in handlers { handler() }
        }

        /// Whether the client went away.
        package var isCancelled: Bool { state.withLock { $0.cancelled } }

        /// Whether the work should stop: the client went away or the deadline passed.
        var shouldStop: Bool { isCancelled || deadline.withLock { $0.map { ContinuousClock.now >= $0 } ?? false } }

        /// Starts the time budget.
        func setDeadline(_ instant: ContinuousClock.Instant) { deadline.withLock { $0 = instant } }

        /// Runs `handler` when the request is cancelled (at once if it already is).
        func onCancel(_ handler: @escaping @Sendable () -> Void) {
            let now = state.withLock { state -> Bool in
                if state.cancelled { return true }
                state.handlers.append(handler)
                return false
            }
            if now { handler() }
        }
    }

    /// Bytes held in the server's memory budget: a computation's estimate, then
    /// its answer's size until the answer has been written (or given up).
    /// Released at the latest when the value is gone.
    package final class Reservation: Sendable {
        private let scheduler: ExplorerScheduler
        private let bytes: Mutex<Int>

        init(_ scheduler: ExplorerScheduler, bytes: Int) {
            self.scheduler = scheduler
            self.bytes = Mutex(bytes)
        }

        /// Keeps only `count` bytes reserved (an answer smaller than its estimate).
        func shrink(to count: Int) {
            let freed = bytes.withLock { held -> Int in
                let freed = max(0, held - count)
                held -= freed
                return freed
            }
            if freed > 0 { scheduler.free(bytes: freed) }
        }

        /// Gives the bytes back to the budget; later calls do nothing.
        package func release() { shrink(to: 0) }

        /// The bytes still held.
        package var heldBytes: Int { bytes.withLock { $0 } }

        deinit { release() }
    }

    package let configuration: Configuration
    private let heavyWorkers: WorkerThreads
    private let lightWorkers: WorkerThreads

    /// The two sets of threads.
    private enum Threads {
        case light, heavy
    }

    private struct Waiter {
        let id: Int
        let light: Bool
        let bytes: Int
        let continuation: CheckedContinuation<Threads?, Never>
    }

    private struct State {
        var running = (heavy: 0, light: 0)
        var reservedBytes = 0
        var waiters = [Waiter]()
        var nextID = 0
    }

    private let state = Mutex(State())

    /// A scheduler with its worker threads (started here, kept for the life of the process).
    ///
    /// - Parameter configuration: threads, memory, waiting and time.
    package init(_ configuration: Configuration) {
        self.configuration = configuration
        heavyWorkers = WorkerThreads(count: configuration.heavyThreads, nice: 10)
        lightWorkers = WorkerThreads(count: configuration.lightThreads, nice: 0)
    }

    /// The bytes reserved now by computations and unsent answers.
    package var reservedBytes: Int { state.withLock { $0.reservedBytes } }

    /// Computes the views of `view`, within the lanes, the memory budget, the
    /// time budget and the client's patience (see the type's description).
    ///
    /// - Parameters:
    ///   - view: the checked settings.
    ///   - cancellation: cancelled by the server when the client goes away.
    /// - Returns: the answer with its reservation, busy, or abandoned.
    package func compute(_ view: ExplorerView, cancellation: Cancellation) async -> Outcome {
        let work = ExplorerWork(view.convolutionOperator, limits: view.limits)
        return await run(light: work.isLight, bytes: work.memoryBytes, cancellation: cancellation) { stop in
            view.json(stoppingWhen: stop)
        }
    }

    /// Runs `body` on a thread of its lane once a thread and `bytes` of the
    /// memory budget are free (see the type's description); `body` asks its
    /// argument between steps whether to stop, and returns nil when it stopped.
    ///
    /// - Parameters:
    ///   - light: the lane: light requests never wait behind heavy ones.
    ///   - bytes: the memory the work holds at its peak, answer included.
    ///   - cancellation: cancelled when the client goes away.
    ///   - body: the work; its argument is true once the work should end.
    /// - Returns: the answer with its bytes reserved, busy, or abandoned.
    package func run(
        light: Bool, bytes: Int, cancellation: Cancellation, _ body: @escaping @Sendable (_ stop: () -> Bool) -> String?
    ) async -> Outcome {
        guard bytes <= configuration.memoryBytes else {
            // ExplorerView refuses such settings first, under the same --max-memory; kept as a guard.
            return .busy("the views need more memory than the server's --max-memory")
        }
        guard let threads = await admit(light: light, bytes: bytes, cancellation: cancellation) else {
            if cancellation.isCancelled { return .abandoned }
            return .busy("the explorer is busy with other requests; try again in a moment")
        }
        let reservation = Reservation(self, bytes: bytes)
        defer { finish(threads) }
        cancellation.setDeadline(ContinuousClock.now + configuration.timeBudget)
        let answer = await (threads == .light ? lightWorkers : heavyWorkers).run { body { cancellation.shouldStop } }
        guard let answer else {
            reservation.release()
            if cancellation.isCancelled { return .abandoned }
            return .busy("these views took longer than the explorer's \(configuration.timeBudget) budget on this busy machine; try again in a moment")
        }
        reservation.shrink(to: answer.utf8.count)
        return .answer(answer, reservation)
    }

    /// Waits for a thread of the lane and `bytes` of memory, at most `queueWait`;
    /// the threads it may run on, or nil when that passed or the client went away first.
    private func admit(light: Bool, bytes: Int, cancellation: Cancellation) async -> Threads? {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        return await withCheckedContinuation { continuation in
            let started = state.withLock { state -> Threads? in
                let queued = state.waiters.contains { $0.light == light }
                if !queued, let threads = fits(light: light, bytes: bytes, in: state) {
                    start(threads, bytes: bytes, in: &state)
                    return threads
                }
                state.waiters.append(Waiter(id: id, light: light, bytes: bytes, continuation: continuation))
                return nil
            }
            if let started {
                continuation.resume(returning: started)
                return
            }
            cancellation.onCancel { [self] in give(up: id) }
            let wait = configuration.queueWait
            Task { [self] in
                try? await Task.sleep(for: wait)
                give(up: id)
            }
        }
    }

    /// The threads a computation of the lane and `bytes` can start on now, or nil:
    /// a light one takes the light thread, or an idle heavy thread no heavy request waits for.
    private func fits(light: Bool, bytes: Int, in state: State) -> Threads? {
        guard state.reservedBytes + bytes <= configuration.memoryBytes else { return nil }
        let heavyFree = state.running.heavy < configuration.heavyThreads
        if !light { return heavyFree ? .heavy : nil }
        if state.running.light < configuration.lightThreads { return .light }
        return heavyFree && !state.waiters.contains(where: { !$0.light }) ? .heavy : nil
    }

    private func start(_ threads: Threads, bytes: Int, in state: inout State) {
        if threads == .light { state.running.light += 1 } else { state.running.heavy += 1 }
        state.reservedBytes += bytes
    }

    /// Removes a waiter that is still waiting and tells it no.
    private func give(up id: Int) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(returning: nil)
    }

    /// A computation ended: its thread is free.
    private func finish(_ threads: Threads) {
        state.withLock { state in
            if threads == .light { state.running.light -= 1 } else { state.running.heavy -= 1 }
        }
        wakeWaiters()
    }

    /// Reserved bytes came back.
    fileprivate func free(bytes: Int) {
        state.withLock { $0.reservedBytes -= bytes }
        wakeWaiters()
    }

    /// Starts the waiters that fit now, the oldest of each lane first.
    private func wakeWaiters() {
        let started = state.withLock { state -> [(Waiter, Threads)] in
            var started = [(Waiter, Threads)]()
            var blocked = (heavy: false, light: false)
            var index = 0
            while index < state.waiters.count {
                let waiter = state.waiters[index]
                let laneBlocked = waiter.light ? blocked.light : blocked.heavy
                if !laneBlocked, let threads = fits(light: waiter.light, bytes: waiter.bytes, in: state) {
                    start(threads, bytes: waiter.bytes, in: &state)
                    started.append((state.waiters.remove(at: index), threads))
                } else {
                    if waiter.light { blocked.light = true } else { blocked.heavy = true }
                    index += 1
                }
            }
            return started
        }
        for (waiter, threads) in started { waiter.continuation.resume(returning: threads) }
    }
}

/// Threads of their own for the explorer's computations, outside Swift's
/// cooperative pool (whose few threads also carry the server's I/O), each at a
/// fixed niceness. Jobs never queue here: `ExplorerScheduler` starts at most one
/// per thread.
final class WorkerThreads: Sendable {
    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let signal = DispatchSemaphore(value: 0)

    /// Starts `count` threads at niceness `nice` (0: normal; 10: yields to other work).
    init(count: Int, nice: Int32) {
        for _ in 0..<count {
            let context = Unmanaged.passRetained(Start(pool: self, nice: nice)).toOpaque()
            var thread = pthread_t()
            if pthread_create(
                &thread, nil,
                { raw in
                    let start = Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue()
                    start.pool.loop(nice: start.nice)
                    return nil
                }, context) == 0
            {
                pthread_detach(thread)
            } else {
                Unmanaged<Start>.fromOpaque(context).release()
            }
        }
    }

    /// What a new thread needs.
    private final class Start {
        let pool: WorkerThreads
        let nice: Int32
        init(pool: WorkerThreads, nice: Int32) {
            self.pool = pool
            self.nice = nice
        }
    }

    /// Runs `work` on one of the threads and returns its result.
    func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            jobs.withLock { $0.append { continuation.resume(returning: work()) } }
            signal.signal()
        }
    }

    private func loop(nice: Int32) {
        if nice != 0, let thread = Self.threadID() {
            // Linux gives each thread its own niceness (setpriority with the thread's id).
            setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(thread), nice)
        }
        while true {
            signal.wait()
            guard let job = jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
            job()
        }
    }

    /// This thread's id, from the link /proc/thread-self → PID/task/TID (Swift's Glibc does not declare gettid).
    private static func threadID() -> Int32? {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = readlink("/proc/thread-self", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.split(separator: "/").last.flatMap { Int32($0) }
    }
}
