import ConvMatrixTestSupport
import Foundation
import Testing

/// docs/architecture.md is the map of the code: these tests keep its table of targets true to
/// Package.swift, and hold the core to the size issue 21 set for it.
@Suite struct ArchitectureTests {
    /// Every target Package.swift declares, with the names of the package's own targets it depends
    /// on (products of other packages left out).
    static func declaredTargets() throws -> [String: Set<String>] {
        let manifest = try String(
            contentsOf: CommandRunner.packageRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        var targets: [String: Set<String>] = [:]
        // Each declaration runs from `.target(` (or its kin) to the next one.
        let pieces = manifest.components(separatedBy: "\n        .")
        for piece in pieces.dropFirst() {
            guard let nameRange = piece.range(of: #"name: "([A-Za-z-]+)""#, options: .regularExpression),
                piece.hasPrefix("target(") || piece.hasPrefix("executableTarget(") || piece.hasPrefix("testTarget(")
                    || piece.hasPrefix("systemLibrary(")
            else { continue }
            let name = piece[nameRange].dropFirst("name: \"".count).dropLast()
            var dependencies: Set<String> = []
            if let list = piece.range(of: #"dependencies: \[[^\]]*\]"#, options: .regularExpression) {
                // Quoted names at the top level of the list are targets; `.product(name: …)` entries are not.
                let text = piece[list].replacingOccurrences(
                    of: #"\.product\([^)]*\)"#, with: "", options: .regularExpression)
                for match in text.matches(of: /"([A-Za-z-]+)"/) { dependencies.insert(String(match.output.1)) }
            }
            targets[String(name)] = dependencies
        }
        return targets
    }

    /// The rows of the layer table: target name → the backquoted names in its "depends on" cell.
    static func tableRows() throws -> [String: Set<String>] {
        let page = try String(
            contentsOf: CommandRunner.packageRoot.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        var rows: [String: Set<String>] = [:]
        for line in page.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cells.count >= 4, let first = cells[1].matches(of: /`([A-Za-z-]+)`/).first else { continue }
            let names = cells[3].matches(of: /`([A-Za-z-]+)`/).map { String($0.output.1) }
            rows[String(first.output.1)] = Set(names)
        }
        return rows
    }

    @Test func everyTargetHasARowInTheMap() throws {
        let targets = try Self.declaredTargets()
        let rows = try Self.tableRows()
        // Read from Package.swift by the test itself: at least the layers, the products and the C modules.
        #expect(targets.count >= 18)
        for name in targets.keys.sorted() {
            #expect(rows[name] != nil, "docs/architecture.md has no row for the target \(name)")
        }
    }

    /// Where a row names its dependencies one by one, they are the ones Package.swift gives:
    /// a dependency added in code but not on the map (or the other way round) fails here.
    @Test func theMapNamesEachLayersDependencies() throws {
        let targets = try Self.declaredTargets()
        let rows = try Self.tableRows()
        let layers = [
            "ConvMatrixCore", "ConvMatrixPooling", "ConvMatrixVerification", "ConvMatrixSpectrum",
            "ConvMatrixInterchange", "ConvMatrixRendering", "ConvMatrixTeaching",
        ]
        for layer in layers {
            let declared = try #require(targets[layer], "Package.swift has no target \(layer)")
            let drawn = (rows[layer] ?? []).filter { targets[$0] != nil }
            #expect(drawn == declared, "\(layer): the map says \(drawn.sorted()), Package.swift \(declared.sorted())")
        }
    }

    /// Issue 21 bounded the mathematics' core target at 7 000 lines so that it stays readable as
    /// one module; when a feature would take it past that, the feature gets a target of its own
    /// beside the core, as pooling, verification and the spectrum did.
    @Test func theCoreStaysWithinItsSize() throws {
        let folder = CommandRunner.packageRoot.appendingPathComponent("Sources/ConvMatrixCore")
        let files = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
        var lines = 0
        var swiftFiles = 0
        for case let file as URL in files where file.pathExtension == "swift" {
            swiftFiles += 1
            lines +=
                try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                .count - 1
        }
        #expect(swiftFiles > 20)
        #expect(lines <= 7_000, "Sources/ConvMatrixCore has \(lines) lines, more than the 7 000 of issue 21")
    }
}
