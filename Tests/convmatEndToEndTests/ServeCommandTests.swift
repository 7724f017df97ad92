import Foundation
import Testing
import ConvMatrixTestSupport
#if canImport(Glibc)
    import Glibc
#endif

/// `convmat serve`: it finds convmat-serve beside itself and becomes it, prints the URL, and
/// refuses as every command does. The server's answers are tested in Tests/Explorer (fuzz and browser).
/// Built without the package trait Explorer, convmat-serve has no HTTP server: then the tests
/// check that it says how to build one instead of the tests that need one.
@Suite struct ServeCommandTests {
    /// A listening socket on 127.0.0.1 at a port the system picks; closed by `close()`.
    struct Listener {
        let descriptor: Int32
        let port: Int

        init() throws {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
            }
            guard bound, listen(descriptor, 1) == 0 else { throw POSIXError(.EADDRINUSE) }
            self.descriptor = descriptor
            self.port = Int(UInt16(bigEndian: address.sin_port))
        }

        func close() { _ = Glibc.close(descriptor) }
    }

    #if Explorer
        @Test func servesAndPrintsTheURL() throws {
            let listener = try Listener()
            let port = listener.port
            listener.close()
            // The server runs until stopped: the time limit ends it after it has printed its line.
            let run = try CommandRunner.convmat(["serve", "--port", "\(port)"], timeLimit: 6)
            #expect(run.output == "ConvMatrix explorer: http://127.0.0.1:\(port)/  (Ctrl-C stops it)\n")
            #expect(run.timedOut)
        }

        @Test func aPortInUseIsRefused() throws {
            let listener = try Listener()
            defer { listener.close() }
            let run = try CommandRunner.convmat(["serve", "--port", "\(listener.port)"], timeLimit: 30)
            #expect(run.status == 2)
            #expect(run.output.isEmpty)
            #expect(run.error.hasPrefix("error: --port = \(listener.port) is in use on 127.0.0.1 by another program"))
            #expect(run.error.split(separator: "\n").count == 1)
        }

        /// A bind that fails names its real cause: an address of no interface here (192.0.2.1 is
        /// TEST-NET-1, never assigned) is about --host, a port below 1024 for a user who is not
        /// root is about privileges.
        @Test func aFailedBindNamesItsCause() throws {
            let elsewhere = try CommandRunner.convmat(["serve", "--host", "192.0.2.1", "--port", "8080"], timeLimit: 30)
            #expect(elsewhere.status == 2 && elsewhere.output.isEmpty)
            #expect(elsewhere.error.hasPrefix("error: --host = 192.0.2.1 is not an address of this machine"), "\(elsewhere.error)")
            let unprivileged =
                (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_unprivileged_port_start", encoding: .utf8))
                .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 1024
            guard unprivileged > 1 else {
                print("ServeCommandTests: every port is open to every user here (ip_unprivileged_port_start = \(unprivileged)); EACCES is not checked")
                return
            }
            let port = "\(unprivileged - 1)"
            // As root, the server runs as nobody (setpriv), to whom the port is closed.
            let run: CommandRunner.Outcome
            if getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
                run = try CommandRunner.execute(
                    URL(fileURLWithPath: "/usr/bin/setpriv"),
                    ["--reuid=65534", "--regid=65534", "--clear-groups", CommandRunner.executable.path, "serve", "--port", port], timeLimit: 30)
            } else {
                run = try CommandRunner.convmat(["serve", "--port", port], timeLimit: 30)
            }
            #expect(run.status == 2 && run.output.isEmpty)
            #expect(run.error.hasPrefix("error: --port = \(port) needs privileges this user does not have"), "\(run.error)")
        }

        /// Listening on every interface, the server warns that the page is reachable from the
        /// network, and names the Host names it answers to.
        @Test func aNonLoopbackAddressIsWarnedAbout() throws {
            let listener = try Listener()
            let port = listener.port
            listener.close()
            let run = try CommandRunner.convmat(["serve", "--host", "0.0.0.0", "--port", "\(port)"], timeLimit: 6)
            #expect(run.timedOut)
            #expect(run.output == "ConvMatrix explorer: http://0.0.0.0:\(port)/  (Ctrl-C stops it)\n")
            #expect(
                run.error.hasPrefix(
                    "warning: --host 0.0.0.0 makes the explorer reachable from the network: anyone who can reach this machine on port \(port) can use it (it answers to the names "
                ), "\(run.error)")
            #expect(run.error.contains("127.0.0.1") && run.error.contains("localhost"))
            let local = try CommandRunner.convmat(["serve", "--port", "\(port)"], timeLimit: 6)
            #expect(local.timedOut && local.error.isEmpty)
        }
    #else
        @Test func withoutTheTraitTheServerSaysHowToBuildIt() throws {
            let run = try CommandRunner.convmat(["serve", "--port", "8080"], timeLimit: 30)
            #expect(run.status == 2)
            #expect(run.output.isEmpty)
            #expect(
                run.error
                    == "error: this convmat-serve was built without the explorer's HTTP server (the package trait Explorer); build it with `swift build --traits Explorer --product convmat-serve` (or `make explorer`)\n"
            )
        }
    #endif

    @Test func withoutTheServerItSaysHowToBuildIt() throws {
        let folder = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("convmat")
        try FileManager.default.copyItem(at: CommandRunner.executable, to: copy)
        let run = try CommandRunner.execute(copy, ["serve"], timeLimit: 30)
        #expect(run.status == 2)
        #expect(run.output.isEmpty)
        #expect(
            run.error
                == "error: the explorer's server \(folder.path)/convmat-serve is not built; build it with `swift build --traits Explorer --product convmat-serve` (or `make explorer`), then run convmat serve again\n"
        )
    }

    @Test func anAddressItCannotListenOnIsRefused() throws {
        let run = try CommandRunner.convmat(["serve", "--host", "example.org", "--port", "8080"], timeLimit: 30)
        #expect(run.status == 2)
        #expect(run.output.isEmpty)
        #expect(run.error.hasPrefix("error: --host = \"example.org\" is not an address to listen on"))
    }
}
