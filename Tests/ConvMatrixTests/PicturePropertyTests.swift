import PropertyBased
import Testing
@testable import ConvMatrix
import ConvMatrixTestSupport

/// Properties of the pictures over random 1-D and 2-D geometries (stride,
/// dilation, asymmetric padding, channels and groups), each checked against
/// a count that follows from the geometry alone or from C as the core builds it.
@Suite struct PicturePropertyTests {
    /// A valid geometry of rank 1–2 with every parameter small and shrinkable; nil when the
    /// drawn numbers do not make one (the input is grown to fit the kernel, so that is rare).
    static let geometry = zip(
        Gen<Int>.value(in: 1...2),
        Gen<Int>.value(in: 1...3).array(of: 2),
        Gen<Int>.value(in: 1...3).array(of: 2),
        Gen<Int>.value(in: 1...2).array(of: 2),
        Gen<Int>.value(in: 0...2).array(of: 4),
        Gen<Int>.value(in: 0...4).array(of: 2),
        Gen<Int>.value(in: 1...2),
        Gen<Int>.value(in: 1...2).array(of: 2)
    ).map { rank, kernel, stride, dilation, padding, extra, groups, perGroup in
        makeGeometry(rank: rank, kernel: kernel, stride: stride, dilation: dilation, padding: padding,
                     extra: extra, groups: groups, perGroup: perGroup)
    }

    static func makeGeometry(rank: Int, kernel: [Int], stride: [Int], dilation: [Int], padding: [Int],
                             extra: [Int], groups: Int, perGroup: [Int]) -> ConvolutionGeometry? {
        let k = Array(kernel[0..<rank]), d = Array(dilation[0..<rank])
        let before = Array(padding[0..<rank]), after = Array(padding[2..<(2 + rank)])
        var input = [Int]()
        for j in 0..<rank { input.append(max(1, d[j] * (k[j] - 1) + 1 - before[j] - after[j] + extra[j])) }
        return try? ConvolutionGeometry(
            inputSize: input, kernelSize: k, stride: Array(stride[0..<rank]), dilation: d,
            padding: .explicit(before: before, after: after),
            inChannels: groups * perGroup[0], outChannels: groups * perGroup[1], groups: groups)
    }

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
