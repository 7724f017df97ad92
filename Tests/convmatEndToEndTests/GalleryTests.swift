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

    /// The folder holds generate.sh, the figures it lists, and the matrix PNG that its
    /// pdflatex step makes from 001-matrix-4x4-k3.tex.
    @Test func theFolderHoldsExactlyTheListedFigures() throws {
        let listed = Set(try Self.figures().map(\.name))
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: Self.gallery.path))
        #expect(present == listed.union(["generate.sh", "001-matrix-4x4-k3.png"]))
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
