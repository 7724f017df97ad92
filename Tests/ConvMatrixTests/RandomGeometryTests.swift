import Testing
@testable import ConvMatrix

/// The seeded geometry generator and the replay commands it prints.
@Suite struct RandomGeometryTests {
    /// SplitMix64's published first outputs for seed 0 (Vigna's reference implementation, splitmix64.c).
    @Test func splitMixReferenceValues() {
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }

    /// The same seed gives the same cases; another seed gives others.
    @Test func deterministic() {
        let sweep = RandomGeometry.sweep(count: 50, seed: 9)
        #expect(Array(sweep) == Array(sweep))
        #expect(Array(sweep) == Array(RandomGeometry.sweep(count: 50, seed: 9)))
        #expect(Array(sweep) != Array(RandomGeometry.sweep(count: 50, seed: 10)))
        #expect(Array(sweep).count == 50)
    }

    /// A sweep covers every feature the issue lists: 1–3 dimensions, channels, groups, strides,
    /// symmetric, asymmetric, SAME and VALID padding, dilation, output_padding, transposed or not.
    @Test func coversTheFeatures() throws {
        let cases = Array(RandomGeometry.sweep(count: 400, seed: 1))
        let geometries = try cases.map { try $0.geometry() }
        for rank in 1...3 { #expect(geometries.contains { $0.convolution.spatialRank == rank }, "rank \(rank)") }
        #expect(geometries.contains { $0.convolution.groups > 1 })
        #expect(geometries.contains { $0.convolution.inChannels > 1 && $0.convolution.outChannels > 1 })
        #expect(geometries.contains { $0.convolution.stride.contains { $0 > 1 } })
        #expect(geometries.contains { $0.convolution.dilation.contains { $0 > 1 } })
        #expect(geometries.contains { $0.convolution.paddingBefore != $0.convolution.paddingAfter })
        #expect(cases.contains { $0.padding == "same" } && cases.contains { $0.padding == "valid" })
        #expect(cases.contains { $0.padding.contains(":") })
        #expect(geometries.contains { $0.transposed?.outputPadding.contains { $0 > 0 } == true })
        #expect(cases.contains { $0.transposed } && cases.contains { !$0.transposed })
    }

    /// The replay command's flags, parsed back the way the CLI parses them, give the same case.
    @Test func commandReplaysTheCase() throws {
        for item in RandomGeometry.sweep(count: 100, seed: 4) {
            let flags = item.arguments
            func value(_ flag: String) -> String? { flags.firstIndex(of: flag).map { flags[$0 + 1] } }
            let replayed = VerificationCase(
                input: value("--input") ?? "", kernel: value("--kernel") ?? "", stride: value("--stride") ?? "1",
                padding: value("--padding") ?? "0", dilation: value("--dilation") ?? "1",
                inChannels: value("--in-channels").flatMap { Int($0) } ?? 1,
                outChannels: value("--out-channels").flatMap { Int($0) } ?? 1,
                groups: value("--groups").flatMap { Int($0) } ?? 1,
                outputPadding: value("--output-padding") ?? "0", transposed: flags.contains("--transposed"),
                seed: value("--seed").flatMap { UInt64($0) } ?? 0)
            #expect(try replayed.geometry().convolution == item.geometry().convolution, "\(item.command)")
            #expect(replayed.seed == item.seed)
            #expect(item.command.hasPrefix("convmat verify --input "))
        }
    }
}
