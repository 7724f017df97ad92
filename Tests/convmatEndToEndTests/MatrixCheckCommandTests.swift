import Foundation
import Testing
import ConvMatrixTestSupport

/// `convmat matrix --check`: a Matrix Market file against C, from the command line.
/// The files are written by hand for the 1-D convolution with input 3 and kernel
/// [w₀, w₁], whose C is [[w₀, w₁, 0], [0, w₀, w₁]].
@Suite struct MatrixCheckCommandTests {
    /// C for w = [1, 2], with comments, a blank line, tabs and CRLF line ends as other tools write them.
    let right = "%%MatrixMarket matrix coordinate real general\r\n% a student's answer\r\n\r\n2 3 4\r\n1 1 1.0\r\n1\t2 2\r\n2 2 1e0\r\n2 3 2.0\r\n"

    /// The CLI: exit 0 and YES for the right file, exit 1 and the differences for a wrong one, exit 2 for a broken one.
    @Test func checkFromTheCommandLine() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let rightPath = directory.appendingPathComponent("right.mtx").path
        let brokenPath = directory.appendingPathComponent("broken.mtx").path
        try right.write(toFile: rightPath, atomically: true, encoding: .utf8)
        try "%%MatrixMarket matrix coordinate real general\n2 3 1\n1 9 1\n".write(toFile: brokenPath, atomically: true, encoding: .utf8)
        let yes = try CommandRunner.convmat(["matrix", "--input", "3", "--kernel", "2", "--check", rightPath])
        #expect(yes.status == 0)
        #expect(yes.output == "YES: the file is C (2×3)\nkernel read from the file (PyTorch order): 1,2\n")
        let no = try CommandRunner.convmat(["matrix", "--input", "3", "--kernel", "2", "--weights", "2,1", "--check", rightPath])
        #expect(no.status == 1)
        #expect(no.output.hasPrefix("NO: the file differs from C at 4 positions"))
        let broken = try CommandRunner.convmat(["matrix", "--input", "3", "--kernel", "2", "--check", brokenPath])
        #expect(broken.status == 2)
        #expect(broken.error == "error: \(brokenPath): Matrix Market line 3 has position (1, 9) outside the declared 2×3 matrix (indices are 1-based)\n")
    }

    /// A header that is wrong is answered from the first lines: 16 MB of junk after it,
    /// ending in bytes that are not UTF-8, are never read (reading them would refuse the file
    /// as not UTF-8, or at its first junk line).
    @Test func checkStopsAtAWrongSizeLineOrBanner() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var junk = Data(repeating: UInt8(ascii: "j"), count: 16 << 20)
        for offset in stride(from: 80, to: junk.count, by: 80) { junk[offset] = UInt8(ascii: "\n") }
        junk.append(contentsOf: [0xFF, 0xFE, 0x0A])
        func file(_ name: String, _ head: String) throws -> String {
            let path = directory.appendingPathComponent(name).path
            try (Data(head.utf8) + junk).write(to: URL(fileURLWithPath: path))
            return path
        }
        let wrongSize = try file("wrong-size.mtx", "%%MatrixMarket matrix coordinate real general\n% a 3×2 answer\n3 2 4\n")
        let sized = try CommandRunner.convmat(["matrix", "--input", "3", "--kernel", "2", "--check", wrongSize])
        #expect(sized.status == 1 && sized.error.isEmpty, "\(sized.error)")
        #expect(sized.output == "NO: the file is 3×2 but C is 2×3\n")
        let notMatrixMarket = try file("banner.mtx", "P6 800 600 255\n")
        let banner = try CommandRunner.convmat(["matrix", "--input", "3", "--kernel", "2", "--check", notMatrixMarket])
        #expect(banner.status == 2 && banner.output.isEmpty)
        #expect(
            banner.error == "error: \(notMatrixMarket): Matrix Market line 1 does not start with the header %%MatrixMarket matrix coordinate real general\n")
    }

    /// What the file reader refuses by itself: bytes that are not UTF-8, a line longer than 1 MiB.
    @Test func checkRefusesFilesThatAreNotText() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let binary = directory.appendingPathComponent("binary.mtx").path
        try (Data("%%MatrixMarket matrix coordinate real general\n2 3 1\n1 1 ".utf8) + [0xC3, 0x28, 0x0A]).write(to: URL(fileURLWithPath: binary))
        let notUTF8 = try CommandRunner.convmat(["matrix", "--input", "3", "--kernel", "2", "--check", binary])
        #expect(notUTF8.status == 2 && notUTF8.output.isEmpty)
        #expect(notUTF8.error == "error: \(binary): line 3 is not UTF-8 text\n")
        let oneLine = directory.appendingPathComponent("one-line.mtx").path
        try Data(repeating: UInt8(ascii: "%"), count: (1 << 20) + 1).write(to: URL(fileURLWithPath: oneLine))
        let tooLong = try CommandRunner.convmat(["matrix", "--input", "3", "--kernel", "2", "--check", oneLine])
        #expect(tooLong.status == 2 && tooLong.output.isEmpty)
        #expect(tooLong.error == "error: \(oneLine): line 1 is longer than 1048576 bytes; Matrix Market lines are short, so this is not a Matrix Market file\n")
    }
}
