import ConvMatrix
import Dispatch
import Foundation
import Synchronization
import Testing

@testable import ConvMatrixExplorer

/// Who may ask the explorer what, without HTTP: the Host names the server was started for, the
/// page's own Origin, browsers' Sec-Fetch-Site, the methods; every refusal is JSON.
@Suite struct ExplorerAccessTests {
    let explorer = Explorer(hostNames: ListeningAddress.hostNames(listeningOn: "127.0.0.1"), port: 8080)

    func status(_ request: Explorer.Request) throws -> (Int, String?) {
        let response: Explorer.Response
        switch explorer.route(request) {
        case .answer(let answer): response = answer
        case .view: return (200, nil)
        }
        #expect(response.contentType.hasPrefix(response.status == 200 ? response.contentType : "application/json"))
        if response.status != 200 {
            let json = try JSONValue(parsing: response.body)
            #expect(json["error"]?.stringValue?.isEmpty == false, "\(response.body)")
        }
        return (response.status, response.headers.first { $0.name == "Allow" }?.value)
    }

    @Test(arguments: ["127.0.0.1:8080", "localhost:8080", "[::1]:8080", "LOCALHOST.:8080", "127.0.0.1", "localhost"])
    func theServersOwnNamesAreAnswered(host: String) throws {
        #expect(try status(Explorer.Request(path: "/api/view", query: "input=5x5&kernel=3", host: host)).0 == 200)
        #expect(try status(Explorer.Request(path: "/", host: host)).0 == 200)
    }

    /// DNS rebinding: a page of another site whose name was made to point at 127.0.0.1 sends its own name.
    @Test(arguments: ["evil.example:8080", "evil.example", "127.0.0.1:9999", "127.0.0.1.evil.example:8080", "[::1", "localhost:0", "a@127.0.0.1:8080"])
    func otherHostsAreRefused(host: String) throws {
        #expect(try status(Explorer.Request(path: "/api/view", query: "input=5x5&kernel=3", host: host)).0 == 403)
        #expect(try status(Explorer.Request(path: "/", host: host)).0 == 403)
    }

    /// A client without Host (HTTP/1.0) cannot be a browser's rebound page, and is answered.
    @Test func aRequestWithoutHostIsAnswered() throws {
        #expect(try status(Explorer.Request(path: "/api/view", query: "input=5x5&kernel=3")).0 == 200)
    }

    @Test func onlyThePagesOwnOriginMayAsk() throws {
        let host = "127.0.0.1:8080"
        for origin in ["http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080"] {
            #expect(try status(Explorer.Request(path: "/api/view", query: "input=5x5&kernel=3", host: host, origin: origin)).0 == 200, "\(origin)")
        }
        for origin in ["http://evil.example", "null", "https://127.0.0.1:8080", "http://127.0.0.1:8081", "http://evil.example:8080"] {
            #expect(try status(Explorer.Request(path: "/api/view", query: "input=5x5&kernel=3", host: host, origin: origin)).0 == 403, "\(origin)")
        }
    }

    /// Another site may link to the page (a slide does), but not load views or files with a fetch, an image or a script.
    @Test func anotherSiteMayOnlyNavigateToThePage() throws {
        let host = "127.0.0.1:8080"
        #expect(try status(Explorer.Request(path: "/", host: host, fetchSite: "cross-site", fetchMode: "navigate")).0 == 200)
        #expect(try status(Explorer.Request(path: "/", host: host, fetchSite: "none", fetchMode: "navigate")).0 == 200)
        #expect(try status(Explorer.Request(path: "/api/view", query: "input=5x5&kernel=3", host: host, fetchSite: "same-origin", fetchMode: "cors")).0 == 200)
        for (site, mode, path) in [
            ("cross-site", "no-cors", "/api/view"), ("cross-site", "navigate", "/api/view"), ("same-site", "cors", "/api/view"),
            ("cross-site", "no-cors", "/explorer.js"), ("cross-site", "no-cors", "/"),
        ] {
            #expect(
                try status(Explorer.Request(path: path, query: "input=5x5&kernel=3", host: host, fetchSite: site, fetchMode: mode)).0 == 403,
                "\(site) \(mode) \(path)")
        }
    }

    @Test func otherMethodsAndPathsAreJSONRefusals() throws {
        let host = "127.0.0.1:8080"
        for method in ["POST", "PUT", "DELETE", "OPTIONS", "TRACE"] {
            let (code, allow) = try status(Explorer.Request(method: method, path: "/api/view", query: "input=5x5", host: host))
            #expect(code == 405 && allow == "GET, HEAD", "\(method)")
        }
        #expect(try status(Explorer.Request(method: "HEAD", path: "/", host: host)).0 == 200)
        #expect(try status(Explorer.Request(path: "/favicon.ico", host: host)).0 == 404)
        #expect(try status(Explorer.Request(path: "/api/view", query: "colour=red", host: host)).0 == 400)
    }

    /// The policy lets the page run only its own files: no inline script or style, no eval, no framing.
    @Test func everyAnswerCarriesTheSecurityHeaders() {
        let headers = Dictionary(uniqueKeysWithValues: Explorer.securityHeaders.map { ($0.name, $0.value) })
        let policy = headers["Content-Security-Policy"] ?? ""
        for directive in ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"] {
            #expect(policy.contains(directive + ";") || policy.hasSuffix(directive), "\(directive)")
        }
        #expect(!policy.contains("unsafe"))
        #expect(headers["X-Content-Type-Options"] == "nosniff")
    }

    /// The names of a wildcard server are the machine's: its name and its interfaces' addresses (lo's 127.0.0.1 at least).
    @Test func aWildcardServerAnswersToTheMachinesNames() {
        let names = ListeningAddress.hostNames(listeningOn: "0.0.0.0")
        let machine = ProcessInfo.processInfo.hostName.lowercased()
        #expect(names.contains("127.0.0.1") && names.contains("localhost") && names.contains("0.0.0.0"))
        #expect(names.contains(machine) || machine.contains("."), "\(machine) not in \(names.sorted())")
        #expect(!ListeningAddress.hostNames(listeningOn: "127.0.0.1").contains(machine) || machine == "localhost")
    }

    @Test func loopbackAddressesAreTold() {
        for host in ["127.0.0.1", "127.3.4.5", "::1", "localhost"] { #expect(ListeningAddress.isLoopback(host), "\(host)") }
        for host in ["0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "::ffff:192.168.1.1"] { #expect(!ListeningAddress.isLoopback(host), "\(host)") }
    }
}

/// The work estimate, made before any work: the answer is never larger than estimated, what
/// cannot be answered within the limits is refused before work, and the case file of a
/// geometry whose output is huge is left out rather than written.
@Suite struct ExplorerWorkTests {
    /// Geometries from the first page to the largest accepted, transposed and not.
    static let queries = [
        "input=5x5&kernel=3", "input=32x32&kernel=5&padding=2&in_channels=4&out_channels=4", "input=4x4&kernel=3&stride=2&transposed=true",
        "input=18x18&kernel=3&stride=2&transposed=true&weights=numeric", "input=90x90&kernel=3", "input=1x1&kernel=1&padding=1100x1100",
        "input=7&kernel=3&dilation=2&in_channels=2&out_channels=4&groups=2", "input=64x64&kernel=5&in_channels=4&out_channels=4",
        "input=100x100&kernel=3&weights=numeric&order=column-major",
    ]

    @Test(arguments: queries)
    func theAnswerIsNeverLargerThanItsEstimate(query: String) throws {
        guard case .view(let view) = Explorer().route(Explorer.Request(path: "/api/view", query: query)) else {
            Issue.record("\(query) was not accepted")
            return
        }
        let work = ExplorerWork(view.convolutionOperator, limits: view.limits)
        let answer = view.json
        #expect(answer.utf8.count <= work.answerBytes, "\(query): \(answer.utf8.count) bytes, estimated \(work.answerBytes)")
        #expect(work.memoryBytes >= 3 * answer.utf8.count)
    }

    /// `input=1x1&kernel=1&padding=1100x1100`: C has one nonzero but 4 844 401 rows; the case file
    /// (the output's every number) is left out with a note instead of 1.5 s of work and 50 MB.
    @Test func aHugeOutputLeavesOutTheCaseFile() throws {
        let answer = Explorer().respond(path: "/api/view", query: "input=1x1&kernel=1&padding=1100x1100")
        let json = try JSONValue(parsing: answer.body)
        #expect(answer.status == 200 && json["ok"] == .bool(true))
        #expect(json["case"] == .null)
        #expect(json["caseNote"]?.stringValue?.contains("4844403 numbers") == true, "\(json["caseNote"]?.stringValue ?? "no note")")
        #expect(answer.body.utf8.count < 100_000)
    }

    /// Steps beyond `ExplorerWork.stepLimit` are refused before work, naming `input`.
    @Test func tooMuchWorkIsRefusedBeforeItStarts() throws {
        var limits = ExplorerView.Limits()
        limits.nonzeros = 100_000_000
        let answer = Explorer(limits: limits).respond(path: "/api/view", query: "input=2000x2000&kernel=2")
        let json = try JSONValue(parsing: answer.body)
        #expect(json["ok"] == .bool(false) && json["field"]?.stringValue == "input")
        #expect(json["message"]?.stringValue?.contains("too large to compute in a request") == true, "\(answer.body)")
    }

    @Test func teachingSizesAreLightAndTheLargestAcceptedAreHeavy() throws {
        func work(_ query: String) throws -> ExplorerWork {
            guard case .view(let view) = Explorer().route(Explorer.Request(path: "/api/view", query: query)) else { throw ExplorerError.malformed(query) }
            return ExplorerWork(view.convolutionOperator, limits: view.limits)
        }
        #expect(try work("input=5x5&kernel=3").isLight)
        #expect(try work("input=32x32&kernel=5&padding=2&in_channels=4&out_channels=4").isLight)
        #expect(try !work("input=256x256&kernel=5").isLight)
    }
}

/// The scheduler with jobs the test controls: light jobs never wait behind heavy ones, at most
/// one job per thread, waiting is bounded, a client that goes away frees its place at once, the
/// time budget stops a job, and memory (answers not yet sent included) is shared within the budget.
@Suite(.serialized) struct ExplorerSchedulerTests {
    static func scheduler(memory: Int = 1 << 30, wait: Duration = .seconds(5), budget: Duration = .seconds(30)) -> ExplorerScheduler {
        var configuration = ExplorerScheduler.Configuration(memoryBytes: memory, cores: 2)
        configuration.queueWait = wait
        configuration.timeBudget = budget
        return ExplorerScheduler(configuration)
    }

    /// A job that waits until `gate` is signalled.
    static func blocked(_ gate: DispatchSemaphore) -> @Sendable (() -> Bool) -> String? {
        { _ in
            gate.wait()
            return "done"
        }
    }

    static func text(_ outcome: ExplorerScheduler.Outcome) -> String {
        switch outcome {
        case .answer(let text, _): return text
        case .busy: return "busy"
        case .abandoned: return "abandoned"
        }
    }

    @Test func aLightJobRunsWhileTheHeavyThreadIsBusy() async {
        let scheduler = Self.scheduler()
        let gate = DispatchSemaphore(value: 0)
        async let heavy = scheduler.run(light: false, bytes: 10, cancellation: .init(), Self.blocked(gate))
        try? await Task.sleep(for: .milliseconds(100))
        let light = await scheduler.run(light: true, bytes: 10, cancellation: .init()) { _ in "light" }
        #expect(Self.text(light) == "light")
        gate.signal()
        #expect(Self.text(await heavy) == "done")
    }

    @Test func aSecondHeavyJobWaitsThenIsAnsweredBusy() async {
        let scheduler = Self.scheduler(wait: .milliseconds(300))
        let gate = DispatchSemaphore(value: 0)
        async let first = scheduler.run(light: false, bytes: 10, cancellation: .init(), Self.blocked(gate))
        try? await Task.sleep(for: .milliseconds(100))
        let started = ContinuousClock.now
        let second = await scheduler.run(light: false, bytes: 10, cancellation: .init()) { _ in "second" }
        #expect(Self.text(second) == "busy")
        #expect(ContinuousClock.now - started >= .milliseconds(250))
        gate.signal()
        #expect(Self.text(await first) == "done")
    }

    @Test func heavyJobsNeverOverlapOnOneThread() async {
        let scheduler = Self.scheduler()
        final class Running: Sendable {
            let counts = Mutex((now: 0, most: 0))
        }
        let running = Running()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    _ = await scheduler.run(light: false, bytes: 1, cancellation: .init()) { _ in
                        running.counts.withLock {
                            $0.now += 1; $0.most = max($0.most, $0.now)
                        }
                        usleep(20_000)
                        running.counts.withLock { $0.now -= 1 }
                        return "x"
                    }
                }
            }
        }
        #expect(running.counts.withLock { $0.most } == 1)
    }

    /// A waiting request whose client goes away leaves the queue at once, not after the wait.
    @Test func anAbandonedWaiterLeavesAtOnce() async {
        let scheduler = Self.scheduler(wait: .seconds(20))
        let gate = DispatchSemaphore(value: 0)
        async let first = scheduler.run(light: false, bytes: 10, cancellation: .init(), Self.blocked(gate))
        try? await Task.sleep(for: .milliseconds(100))
        let cancellation = ExplorerScheduler.Cancellation()
        let started = ContinuousClock.now
        async let second = scheduler.run(light: false, bytes: 10, cancellation: cancellation) { _ in "never" }
        try? await Task.sleep(for: .milliseconds(100))
        cancellation.cancel()
        #expect(Self.text(await second) == "abandoned")
        #expect(ContinuousClock.now - started < .seconds(5))
        gate.signal()
        _ = await first
    }

    /// A running job stops at its next step when its client goes away, or when its time budget ends.
    @Test func aRunningJobStopsWhenAbandonedOrOutOfTime() async {
        let scheduler = Self.scheduler(budget: .milliseconds(300))
        let loop: @Sendable (() -> Bool) -> String? = { stop in
            while !stop() { usleep(1000) }
            return nil
        }
        let cancellation = ExplorerScheduler.Cancellation()
        async let abandoned = scheduler.run(light: false, bytes: 10, cancellation: cancellation, loop)
        try? await Task.sleep(for: .milliseconds(50))
        cancellation.cancel()
        #expect(Self.text(await abandoned) == "abandoned")
        let started = ContinuousClock.now
        #expect(Self.text(await scheduler.run(light: true, bytes: 10, cancellation: .init(), loop)) == "busy")
        #expect(ContinuousClock.now - started >= .milliseconds(250))
        #expect(scheduler.reservedBytes == 0)
    }

    /// Memory is one budget: a job waits while an earlier job and an answer not yet sent hold it,
    /// and starts when the answer's reservation is released.
    @Test func unsentAnswersHoldTheirMemory() async throws {
        let scheduler = Self.scheduler(memory: 1000, wait: .seconds(10))
        let held = await scheduler.run(light: true, bytes: 900, cancellation: .init()) { _ in String(repeating: "a", count: 700) }
        guard case .answer(_, let reservation) = held else {
            Issue.record("no answer")
            return
        }
        #expect(reservation.heldBytes == 700 && scheduler.reservedBytes == 700)
        async let next = scheduler.run(light: true, bytes: 500, cancellation: .init()) { _ in "next" }
        try await Task.sleep(for: .milliseconds(200))
        #expect(scheduler.reservedBytes == 700, "the next job started before the answer's memory was free")
        reservation.release()
        #expect(Self.text(await next) == "next")
    }
}
