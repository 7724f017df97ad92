import Foundation
import Testing
import ConvMatrix
import ConvMatrixTestSupport

/// `FileLines` splits a file as `String.split` splits its text (at "\n", "\r\n" and a lone
/// "\r"), whatever the chunk size, and stops with a reason at bytes that are not UTF-8
/// or at a line that is too long.
@Suite struct FileLinesTests {
    /// Writes `bytes` to a new temporary file and returns its path.
    static func file(_ bytes: [UInt8]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("convmat-lines-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        return url.path
    }

    static func lines(_ reader: FileLines) -> [String] {
        var result = [String]()
        while let line = reader.next() { result.append(String(line)) }
        return result
    }

    @Test(arguments: [
        "", "\n", "a", "a\n", "a\r\nb\r\n", "a\rb\r", "a\r\r\nb", "\r\n\r\n", "\n\r", "%%MatrixMarket x\n% é ✓\n\n2 3 4\r\n1 1 1.5",
        "one\ntwo\r\nthree\rfour\r\n\rfive",
    ])
    func splitsAsStringSplitDoes(text: String) throws {
        let path = try Self.file(Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        // "\r\n" is one Character, so it is named beside the single separators.
        let expected = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map(String.init)
        // Chunks of 1 and 2 bytes put a "\r\n" across two reads.
        for chunkSize in [1, 2, 3, 7, 65536] {
            let reader = try FileLines(path: path, chunkSize: chunkSize)
            #expect(Self.lines(reader) == expected, "chunk size \(chunkSize)")
            #expect(reader.failure == nil)
            #expect(reader.next() == nil)
        }
    }

    @Test func stopsAtALineThatIsNotUTF8() throws {
        let path = try Self.file(Array("ok\nstill ok\r\n".utf8) + [0x61, 0xFF, 0x0A] + Array("never reached\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try FileLines(path: path, chunkSize: 4)
        #expect(Self.lines(reader) == ["ok", "still ok"])
        #expect(reader.failure == .notUTF8(path: path, line: 3))
    }

    @Test func stopsAtALineLongerThanTheLimit() throws {
        let path = try Self.file(Array("short\n0123456789\nlater\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try FileLines(path: path, chunkSize: 3, lineLimit: 9)
        #expect(Self.lines(reader) == ["short"])
        #expect(reader.failure == .lineTooLong(path: path, line: 2, limit: 9))
        #expect(reader.failure?.description == "\(path): line 2 is longer than 9 bytes")
    }

    @Test func aMissingFileIsRefusedWithTheSystemsReason() {
        #expect(throws: FileError.unreadable(path: "/nonexistent/c.mtx", reason: "No such file or directory")) {
            _ = try FileLines(path: "/nonexistent/c.mtx")
        }
    }
}
