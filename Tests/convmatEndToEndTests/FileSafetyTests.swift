import ConvMatrix
import ConvMatrixTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Nothing is lost when convmat is killed while it writes, or when its disk fills up
/// (docs/reliability.md, "Writing"): after kill -9 at any moment a set's folder holds the old
/// set or the new one, complete; the next run removes what the killed one left; a user's file is
/// never removed; a full disk is status 74 naming the user's path; output that cannot fit is
/// refused before a byte is written.
@Suite(.serialized) struct FileSafetyTests {
    /// The files of a folder, by name (hidden ones included).
    static func contents(of folder: String) throws -> [String: Data] {
        var files = [String: Data]()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        return files
    }

    /// The names in `folder` that a writer of `target` leaves while it writes: `.target.convmat-…`.
    static func temporaries(in folder: String, of target: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".\(target).convmat-") }.sorted()
    }

    /// The random kill times: a fixed, printed seed (`CONVMAT_KILL_SEED` replays or explores others).
    static func killSeed(_ test: String) -> UInt64 {
        let seed = ProcessInfo.processInfo.environment["CONVMAT_KILL_SEED"].flatMap { UInt64($0) } ?? 20_261_207
        print("FileSafetyTests.\(test): seed \(seed) (CONVMAT_KILL_SEED)")
        return seed
    }

    /// A number in `range`, in steps of a thousandth of it.
    static func draw(_ random: inout SplitMix64, _ range: ClosedRange<Double>) -> Double {
        range.lowerBound + Double(random.int(in: 0...1000)) / 1000 * (range.upperBound - range.lowerBound)
    }

    /// Runs `arguments` and kills it with SIGKILL after `seconds` (if it is still running).
    static func killed(_ arguments: [String], after seconds: Double) throws -> CommandRunner.Outcome {
        try CommandRunner.convmat(arguments, timeLimit: max(seconds, 0.001))
    }

    /// kill -9 at random moments of `convmat cases`: the folder always holds the set that was
    /// there before or the set being written, whole (every file, byte for byte, as a run that was
    /// not killed writes it), and the next complete run leaves no temporary folder behind.
    /// Half of the kills fall in the last third of a run, where the set is flushed and swapped.
    @Test func casesKilledAtRandomLeaveTheOldSetOrTheNew() throws {
        var random = SplitMix64(seed: Self.killSeed("casesKilledAtRandomLeaveTheOldSetOrTheNew"))
        let folder = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let count = "1500"
        var references = [String: [String: Data]]()
        for seed in ["1", "2"] {
            let run = try CommandRunner.convmat(["cases", "--random", count, "--seed", seed, "--output", folder.path + "/reference-" + seed])
            #expect(run.status == 0, "\(run.error)")
            references[seed] = try Self.contents(of: folder.path + "/reference-" + seed)
        }
        let target = folder.path + "/cases"
        #expect(try CommandRunner.convmat(["cases", "--random", count, "--seed", "1", "--output", target]).status == 0)
        // How long a run that replaces a set takes here and now: the kills are drawn relative to it.
        let started = Date()
        #expect(try CommandRunner.convmat(["cases", "--random", count, "--seed", "2", "--output", target]).status == 0)
        let duration = Date().timeIntervalSince(started)
        var current = "2"
        var outcomes = (old: 0, new: 0, completed: 0)
        for trial in 0..<14 {
            let next = current == "1" ? "2" : "1"
            let fraction = trial % 2 == 0 ? Self.draw(&random, 0.6...1.15) : Self.draw(&random, 0...1.3)
            let run = try Self.killed(["cases", "--random", count, "--seed", next, "--output", target], after: fraction * duration)
            let found = try Self.contents(of: target)
            if found == references[next] {
                current = next
                if run.status == 0 { outcomes.completed += 1 } else { outcomes.new += 1 }
            } else {
                #expect(
                    found == references[current],
                    "trial \(trial) (killed after \(fraction) of a run): the folder holds neither set whole (\(found.count) files)")
                outcomes.old += 1
            }
            #expect(try Self.temporaries(in: folder.path, of: "cases").count <= 1, "trial \(trial): the sweep left more than the last run's temporary")
        }
        print("FileSafetyTests: cases killed 14 times: old set \(outcomes.old), new set \(outcomes.new), finished \(outcomes.completed)")
        let last = current == "1" ? "2" : "1"
        #expect(try CommandRunner.convmat(["cases", "--random", count, "--seed", last, "--output", target]).status == 0)
        #expect(try Self.contents(of: target) == references[last])
        #expect(try Self.temporaries(in: folder.path, of: "cases").isEmpty)
    }

    /// The same for `convmat exercise --output`, whose set is three small files: 24 kills at
    /// random moments of a run.
    @Test func exerciseKilledAtRandomLeavesTheOldSetOrTheNew() throws {
        var random = SplitMix64(seed: Self.killSeed("exerciseKilledAtRandomLeavesTheOldSetOrTheNew"))
        let folder = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var references = [String: [String: Data]]()
        var duration = 0.0
        for seed in ["1", "2"] {
            let started = Date()
            #expect(try CommandRunner.convmat(["exercise", "--seed", seed, "--count", "40", "--output", folder.path + "/reference-" + seed]).status == 0)
            duration = max(duration, Date().timeIntervalSince(started))
            references[seed] = try Self.contents(of: folder.path + "/reference-" + seed)
        }
        let target = folder.path + "/sheet"
        #expect(try CommandRunner.convmat(["exercise", "--seed", "1", "--count", "40", "--output", target]).status == 0)
        var current = "1"
        for trial in 0..<24 {
            let next = current == "1" ? "2" : "1"
            let fraction = Self.draw(&random, 0.2...1.2)
            _ = try Self.killed(["exercise", "--seed", next, "--count", "40", "--output", target], after: fraction * duration)
            let found = try Self.contents(of: target)
            if found == references[next] {
                current = next
            } else {
                #expect(found == references[current], "trial \(trial) (killed after \(fraction) of a run): neither set whole: \(found.keys.sorted())")
            }
        }
        let last = current == "1" ? "2" : "1"
        #expect(try CommandRunner.convmat(["exercise", "--seed", last, "--count", "40", "--output", target]).status == 0)
        #expect(try Self.contents(of: target) == references[last])
        #expect(try Self.temporaries(in: folder.path, of: "sheet").isEmpty)
    }

    /// kill -9 during `matrix --format npy --output C.npy` (a 20 MB file): C.npy is the earlier
    /// file or absent, never a part; the next run removes the killed runs' temporary files.
    @Test func aKilledFileWriterLeavesNothingTheNextRunKeeps() throws {
        var random = SplitMix64(seed: Self.killSeed("aKilledFileWriterLeavesNothingTheNextRunKeeps"))
        let folder = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.path + "/C.npy"
        let arguments = ["matrix", "--input", "40x40", "--kernel", "3", "--weights", "1,2,3,4,5,6,7,8,9", "--format", "npy", "--output", target]
        let started = Date()
        #expect(try CommandRunner.convmat(arguments).status == 0)
        let duration = Date().timeIntervalSince(started)
        let whole = try Data(contentsOf: URL(fileURLWithPath: target))
        #expect(whole.count == 128 + 1444 * 1600 * 8)
        for _ in 0..<6 {
            _ = try Self.killed(arguments, after: Self.draw(&random, 0.3...0.95) * duration)
            #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == whole)
        }
        #expect(try CommandRunner.convmat(arguments).status == 0)
        #expect(try Self.temporaries(in: folder.path, of: "C.npy").isEmpty)
    }

    /// This test process's start time, field 22 of /proc/self/stat (what a writer puts in its temporary's name).
    static func ownStartTime() throws -> UInt64 {
        let stat = try String(contentsOfFile: "/proc/self/stat", encoding: .utf8)
        let fields = stat[stat.index(after: try #require(stat.lastIndex(of: ")")))...].split(separator: " ")
        return try #require(UInt64(fields[19]))
    }

    /// The sweep removes a temporary only when its writer is certainly gone: its process id no
    /// longer exists, or belongs to a process that started at another time (the id was reused);
    /// not while the writer runs, not while someone holds its lock (a writer in another PID
    /// namespace), never a name of another pattern, and never a user's file inside a set's folder.
    @Test func theSweepRemovesOnlyWhatDeadWritersLeft() throws {
        let folder = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pidMax = Int(try String(contentsOfFile: "/proc/sys/kernel/pid_max", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 4_194_304
        let dead = pidMax + 1  // no process can have it
        let me = getpid(), start = try Self.ownStartTime()
        let names = [
            "gone": ".C.mtx.convmat-\(dead)-1234.aaaaaa", "reused": ".C.mtx.convmat-\(me)-\(start + 1).bbbbbb",
            "alive": ".C.mtx.convmat-\(me)-\(start).cccccc", "locked": ".C.mtx.convmat-\(dead)-99.dddddd",
            "oldStyle": ".C.mtx.eeeeee", "otherTarget": ".D.mtx.convmat-\(dead)-1.ffffff",
        ]
        for name in names.values { try Data("partial".utf8).write(to: folder.appendingPathComponent(name)) }
        let lock = open(folder.path + "/" + names["locked"]!, O_RDONLY)
        defer { close(lock) }
        #expect(flock(lock, LOCK_EX) == 0)
        let run = try CommandRunner.convmat(["matrix", "--input", "4", "--kernel", "3", "--format", "mtx", "--output", folder.path + "/C.mtx"])
        #expect(run.status == 0, "\(run.error)")
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(!left.contains(names["gone"]!) && !left.contains(names["reused"]!))
        #expect(left.isSuperset(of: [names["alive"]!, names["locked"]!, names["oldStyle"]!, names["otherTarget"]!, "C.mtx"]))
        // A set's folder: its files go, a file of someone else's stays, and the folder with it.
        let stale = folder.path + "/.sheet.convmat-\(dead)-5.gggggg"
        try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: false)
        for name in ["sheet.md", "key.json", "notes.txt"] { try Data("x".utf8).write(to: URL(fileURLWithPath: stale + "/" + name)) }
        let emptyStale = folder.path + "/.sheet.convmat-\(dead)-6.hhhhhh"
        try FileManager.default.createDirectory(atPath: emptyStale, withIntermediateDirectories: false)
        try Data("x".utf8).write(to: URL(fileURLWithPath: emptyStale + "/key.md"))
        #expect(try CommandRunner.convmat(["exercise", "--count", "1", "--output", folder.path + "/sheet"]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: stale) == ["notes.txt"])
        #expect(!FileManager.default.fileExists(atPath: emptyStale))
    }

    /// A file put into the target folder while a set is written is not removed: the set is not
    /// put in place (status 74, one line naming the folder and the file), the earlier set and the
    /// user's file stay, and no temporary folder is left.
    @Test func aFileAddedWhileTheSetIsWrittenIsKept() throws {
        let folder = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.path + "/results"
        #expect(try CommandRunner.convmat(["cases", "--random", "20", "--seed", "2", "--output", target]).status == 0)
        let earlier = try Self.contents(of: target)
        for attempt in [4000, 12000, 40000] {
            nonisolated(unsafe) var outcome: CommandRunner.Outcome?
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) {
                outcome = try? CommandRunner.convmat(["cases", "--random", "\(attempt)", "--seed", "1", "--output", target])
            }
            // The run has started writing when its temporary folder appears.
            let deadline = Date().addingTimeInterval(20)
            while try Self.temporaries(in: folder.path, of: "results").isEmpty && Date() < deadline { usleep(2000) }
            try Data("mine\n".utf8).write(to: URL(fileURLWithPath: target + "/important.txt"))
            group.wait()
            let run = try #require(outcome)
            if run.status == 0 {
                // The run finished before the file was written: try a longer one.
                #expect(try Self.contents(of: target)["important.txt"] == Data("mine\n".utf8))
                try FileManager.default.removeItem(atPath: target + "/important.txt")
                continue
            }
            #expect(run.status == 74)
            #expect(run.error.hasPrefix("error: \(target): cannot be written (other files appeared in it while the set was written (important.txt)"))
            #expect(run.error.split(separator: "\n").count == 1 && run.output.isEmpty)
            var expected = earlier
            expected["important.txt"] = Data("mine\n".utf8)
            #expect(try Self.contents(of: target) == expected)
            #expect(try Self.temporaries(in: folder.path, of: "results").isEmpty)
            return
        }
        Issue.record("every run finished before the file could be added")
    }

    /// Runs `script` in a private mount namespace (`unshare -rm`) with a 1 MiB tmpfs mounted on
    /// `$D`, so that a full disk is real; nil (and the test says why) where namespaces are not allowed.
    static func onSmallDisk(_ script: String) throws -> CommandRunner.Outcome? {
        let folder = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let wrapped = "mount -t tmpfs -o size=1m tmpfs \"$D\" || exit 99; C=\"$0\"; " + script
        let run = try CommandRunner.execute(
            URL(fileURLWithPath: "/usr/bin/unshare"), ["-rm", "sh", "-c", wrapped, CommandRunner.executable.path], environment: ["D": folder.path])
        if run.status == 99 || run.error.contains("unshare:") {
            print("FileSafetyTests: no private mount namespace here (\(run.error.prefix(120))); the full-disk checks are skipped")
            return nil
        }
        return run
    }

    /// A full disk: status 74 with the user's path (a file, a set's file, standard output), never
    /// the hidden temporary's, and nothing left behind.
    @Test func aFullDiskIsStatus74NamingTheUsersPath() throws {
        guard
            let run = try Self.onSmallDisk(
                """
                "$C" matrix --input 320x320 --kernel 1 --format mtx --output "$D/C.mtx"; echo "file $?"
                "$C" cases --random 2000 --output "$D/cases"; echo "set $?"
                "$C" matrix --input 320x320 --kernel 1 --format mtx > "$D/out.mtx"; echo "stdout $?"
                rm -f "$D/out.mtx"; ls -A "$D"; echo "listed"
                """)
        else { return }
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.prefix(3) == ["file 74", "set 74", "stdout 74"], "\(run.output) \(run.error)")
        #expect(lines.dropFirst(3) == ["listed"], "left on the disk: \(lines.dropFirst(3))")
        let errors = run.error.split(separator: "\n").map(String.init)
        let folder = errors.first?.split(separator: " ").dropFirst().first.map { String($0.dropLast("/C.mtx:".count)) } ?? ""
        #expect(errors.count == 3, "\(run.error)")
        #expect(errors.first == "error: \(folder)/C.mtx: cannot be written (No space left on device)")
        #expect(
            errors.dropFirst().first?.hasPrefix("error: \(folder)/cases/case-") == true
                && errors.dropFirst().first?.hasSuffix(".json: cannot be written (No space left on device)") == true)
        #expect(errors.last == "error: standard output: cannot be written (No space left on device)")
    }

    /// Dense output larger than the free space of its file system (`npy`, `csv --zeros`) is
    /// refused before anything is written (status 2, naming the sizes), to a file and to a
    /// standard output redirected into one.
    @Test func denseOutputLargerThanTheFreeSpaceIsRefusedBeforeWriting() throws {
        guard
            let run = try Self.onSmallDisk(
                """
                "$C" matrix --input 22x22 --kernel 3 --weights 1,2,3,4,5,6,7,8,9 --format npy --output "$D/C.npy"; echo "npy $?"
                "$C" matrix --input 30x30 --kernel 3 --format csv --zeros --force > "$D/C.csv"; echo "csv $?"
                rm -f "$D/C.csv"; ls -A "$D"; echo "listed"
                """)
        else { return }
        #expect(run.output == "npy 2\ncsv 2\nlisted\n", "\(run.error)")
        let errors = run.error.split(separator: "\n")
        #expect(errors.count == 2)
        #expect(errors.first?.hasPrefix("error: the matrix takes 1.5 MiB as npy, more than the ") == true, "\(run.error)")
        #expect(errors.last?.hasPrefix("error: the matrix takes at least 1.3 MiB as csv, more than the ") == true, "\(run.error)")
        #expect(errors.allSatisfy { $0.contains("free on the file system of") })
    }
}
