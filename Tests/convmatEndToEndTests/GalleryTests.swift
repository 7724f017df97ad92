import Foundation
import Testing
import ConvMatrixTestSupport

/// docs/gallery against the script that makes it and the pages that link it:
/// every figure `generate.sh` lists is committed and is what today's `convmat`
/// draws, nothing else lies in the folder, and every gallery link in docs/ and
/// notebooks-text/ points at a file that exists.
@Suite struct GalleryTests {
    private static let root = CommandRunner.packageRoot
    private static let gallery = root.appendingPathComponent("docs/gallery")

    /// The `draw NAME ARGUMENTS…` lines of generate.sh: file name and convmat arguments.
    private static func figures() throws -> [(name: String, arguments: [String])] {
        let script = try String(contentsOf: gallery.appendingPathComponent("generate.sh"), encoding: .utf8)
        return script.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ").map(String.init)
            guard words.first == "draw", words.count > 2 else { return nil }
            return (words[1], Array(words.dropFirst(2)))
        }
    }

    /// The folder holds generate.sh, the figures it lists, and the PNG that its pdflatex step
    /// makes from each LaTeX matrix (every listed .tex written by `convmat matrix`).
    @Test func theFolderHoldsExactlyTheListedFigures() throws {
        let figures = try Self.figures()
        let listed = Set(figures.map(\.name))
        let typeset = figures.filter { $0.name.hasSuffix(".tex") && $0.arguments.first == "matrix" }.map { String($0.name.dropLast(4)) + ".png" }
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: Self.gallery.path))
        #expect(present == listed.union(["generate.sh"]).union(typeset))
    }

    /// Each listed figure, drawn again with the built convmat, is byte for byte the committed file.
    @Test func everyFigureIsWhatConvmatDrawsToday() throws {
        for (name, arguments) in try Self.figures() {
            let drawn = try CommandRunner.convmat(arguments)
            // Large spies say on standard error that they are binning (a progress line); nothing else may appear there.
            let unexpected = drawn.error.split(separator: "\n").filter { !$0.hasPrefix("spy: binning the ") }
            #expect(drawn.status == 0 && unexpected.isEmpty, "\(name): \(drawn.error)")
            let committed = try String(contentsOf: Self.gallery.appendingPathComponent(name), encoding: .utf8)
            #expect(drawn.output == committed, "docs/gallery/\(name) is stale: run make gallery")
        }
    }

    /// Every command docs/pictures.md shows right before a gallery figure (a fenced block holding one
    /// `convmat draw …` line, then `![…](gallery/NAME)`) is the command generate.sh draws NAME with,
    /// so the figure the page shows is that command's output, which the test above keeps byte-identical.
    @Test func picturesPageCommandsDrawTheirFigures() throws {
        let figures = Dictionary(try Self.figures().map { ($0.name, $0.arguments) }, uniquingKeysWith: { first, _ in first })
        let page = try String(contentsOf: Self.root.appendingPathComponent("docs/pictures.md"), encoding: .utf8)
        let pieces = page.components(separatedBy: "```")
        var checked = 0
        for index in stride(from: 1, to: pieces.count - 1, by: 2) {
            let lines = pieces[index].split(separator: "\n").map(String.init).filter { $0.hasPrefix("convmat draw ") }
            let after = pieces[index + 1].trimmingCharacters(in: .whitespacesAndNewlines)
            guard lines.count == 1, after.hasPrefix("!["), let open = after.range(of: "](gallery/"),
                let close = after[open.upperBound...].firstIndex(of: ")")
            else { continue }
            let name = String(after[open.upperBound..<close])
            let arguments = Array(lines[0].split(separator: " ").dropFirst().map(String.init))
            #expect(
                figures[name] == arguments, "docs/pictures.md shows `\(lines[0])` for gallery/\(name), but generate.sh draws it with \(figures[name] ?? [])")
            checked += 1
        }
        #expect(checked >= 15)
    }

    /// Links such as `](../docs/gallery/NAME.svg)` in the lessons and `](gallery/NAME.svg)`
    /// in docs/ resolve from the page that holds them.
    @Test func galleryLinksResolve() throws {
        var checked = 0
        for folder in ["docs", "notebooks-text"] {
            let directory = Self.root.appendingPathComponent(folder)
            for page in try FileManager.default.contentsOfDirectory(atPath: directory.path) where page.hasSuffix(".md") {
                let text = try String(contentsOf: directory.appendingPathComponent(page), encoding: .utf8)
                for link in text.split(separator: "](").dropFirst() {
                    guard let end = link.firstIndex(of: ")") else { continue }
                    let target = String(link[..<end])
                    // docs/lessons.md shows the pattern itself, ../docs/gallery/NAME.svg.
                    guard target.contains("gallery/"), target.contains("."), !target.contains("NAME") else { continue }
                    let file = directory.appendingPathComponent(target).standardizedFileURL
                    #expect(FileManager.default.fileExists(atPath: file.path), "\(folder)/\(page) links \(target), which does not exist")
                    checked += 1
                }
            }
        }
        // pictures.md alone links more than twenty figures; zero would mean the links were not found.
        #expect(checked > 20)
    }
}
