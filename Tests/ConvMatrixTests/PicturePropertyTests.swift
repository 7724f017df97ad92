import PropertyBased
import Testing
import ConvMatrix
@testable import ConvMatrixCore
@testable import ConvMatrixInterchange
@testable import ConvMatrixRendering
@testable import ConvMatrixTeaching
import ConvMatrixTestSupport
@testable import ConvMatrixPooling
@testable import ConvMatrixSpectrum
@testable import ConvMatrixVerification

/// Properties of the pictures over random 1-D and 2-D geometries (stride,
/// dilation, asymmetric padding, channels and groups), each checked against
/// a count that follows from the geometry alone or from C as the core builds it.
@Suite struct PicturePropertyTests {
    /// Geometries the pictures draw: 1-D and 2-D, kernels up to 3, up to 2 groups.
    static var geometry: Generator<ConvolutionGeometry?, some SendableSequenceType> { TestGenerators.geometries(ranks: 1...2, kernels: 1...3, groups: 1...2) }

    /// Binning the nonzeros enumerated from the geometry gives the same counts as binning C's entries.
    @Test func spyCountsAreCsEntries() async {
        await seededPropertyCheck(count: 60, input: Self.geometry, Gen<Int>.value(in: 16...40), Gen<Bool>.bool) { geometry, pixels, transposed in
            guard let g = geometry else { Issue.record("the generator made an invalid geometry"); return }
            let (counts, factor) = SpyPicture(transposed ? .transposing(g) : .convolution(g), pixels: pixels).binnedCounts()
            var expected = [[Int]](repeating: [Int](repeating: 0, count: counts.first?.count ?? 0), count: counts.count)
            for entry in ConvolutionMatrix(geometry: g).entries {
                let (r, c) = transposed ? (entry.column, entry.row) : (entry.row, entry.column)
                expected[r / factor][c / factor] += 1
            }
            #expect(counts == expected)
        }
    }

    /// One step of the sliding picture: every input cell drawn once (read or dropped), every
    /// padding cell once, one window with one tap per kernel entry, one highlighted output of
    /// as many output cells as the geometry has, and well-formed XML throughout.
    @Test func slidingPictureCellsMatchTheGeometry() async throws {
        await seededPropertyCheck(count: 60, input: Self.geometry, Gen<Int>.value(in: 0...1000)) { geometry, draw in
            guard let g = geometry else { Issue.record("the generator made an invalid geometry"); return }
            let step = draw % g.outputVolume
            let root = try TinyXML.parse(try SlidingPicture(geometry: g).figure(step: step).svg())
            let classes = root.all.map { ($0.name, $0.attributes["class"] ?? "") }
            func count(_ name: String, _ role: String) -> Int { classes.filter { $0 == (name, role) }.count }
            let padded = (0..<g.spatialRank).reduce(1) { $0 * (g.paddingBefore[$1] + g.inputSize[$1] + g.paddingAfter[$1]) }
            #expect(count("rect", "input") + count("rect", "dropped") == g.inputVolume)
            #expect(count("rect", "padding") + count("rect", "padding extra") == padded - g.inputVolume)
            #expect(count("rect", "window") == 1 && count("rect", "highlight") == 1)
            #expect(count("rect", "tap") == g.kernelVolume)
            #expect(count("rect", "output") == g.outputVolume)
        }
    }

    /// The zero-insertion grid holds each transposed input value once (read or cropped), and
    /// (s − 1) zeros between neighbours: Π((o − 1)s + 1) − Π o inserted zeros, read or cropped.
    @Test func zeroInsertionGridMatchesTheGeometry() async throws {
        await seededPropertyCheck(count: 60, input: Self.geometry) { geometry in
            guard let g = geometry else { Issue.record("the generator made an invalid geometry"); return }
            let root = try TinyXML.parse(try ZeroInsertionPicture(geometry: g).figure(step: 0).svg())
            let cells = root.all.filter { $0.name == "rect" }
            let values = cells.filter { ["input"].contains($0.attributes["class"]) }.count
            let zeros = cells.filter { $0.attributes["class"] == "zero" }.count
            let dropped = cells.filter { $0.attributes["class"] == "dropped" }.count
            let inserted = (0..<g.spatialRank).reduce(1) { $0 * ((g.outputSize[$1] - 1) * g.stride[$1] + 1) }
            #expect(values + zeros + dropped == inserted)
            #expect(values <= g.outputVolume && values + dropped >= g.outputVolume)
        }
    }
}
