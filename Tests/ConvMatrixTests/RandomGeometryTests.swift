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
        let operators = RandomGeometry.sweep(count: 400, seed: 1).map(\.convolutionOperator)
        let geometries = operators.map(\.convolution)
        for rank in 1...3 { #expect(geometries.contains { $0.spatialRank == rank }, "rank \(rank)") }
        #expect(geometries.contains { $0.groups > 1 })
        #expect(geometries.contains { $0.inChannels > 1 && $0.outChannels > 1 })
        #expect(geometries.contains { $0.stride.contains { $0 > 1 } })
        #expect(geometries.contains { $0.dilation.contains { $0 > 1 } })
        #expect(geometries.contains { $0.paddingBefore != $0.paddingAfter })
        #expect(geometries.contains { $0.padding == .same } && geometries.contains { $0.padding == .valid })
        #expect(
            operators.contains { op in
                guard case .transposed(let t) = op else { return false }
                return t.outputPadding.contains { $0 > 0 }
            })
        #expect(operators.contains(where: \.isTransposed) && operators.contains { !$0.isTransposed })
        // Every padding_mode with some padding to fill, and the copies only on convolutions (PyTorch's ConvTranspose takes zeros).
        for mode in PaddingMode.allCases {
            #expect(geometries.contains { $0.paddingMode == mode && ($0.paddingBefore + $0.paddingAfter).contains { $0 > 0 } }, "\(mode)")
        }
        #expect(!operators.contains { $0.isTransposed && $0.convolution.paddingMode != .zeros })
    }

    /// The replay command's flags, read back field by field with the syntax the CLI uses, give the same case.
    @Test func commandReplaysTheCase() throws {
        for item in RandomGeometry.sweep(count: 100, seed: 4) {
            let flags = item.arguments
            func value(_ flag: String) -> String? { flags.firstIndex(of: flag).map { flags[$0 + 1] } }
            var fields = ConvolutionFields(
                input: try FieldSyntax.sizes(try #require(value("--input")), field: "input"),
                kernel: try FieldSyntax.sizes(try #require(value("--kernel")), field: "kernel"))
            fields.stride = try FieldSyntax.sizes(value("--stride") ?? "1", field: "stride")
            fields.padding = try FieldSyntax.padding(value("--padding") ?? "0")
            fields.paddingMode = try FieldCodec.paddingMode(value("--padding-mode") ?? "zeros")
            fields.dilation = try FieldSyntax.sizes(value("--dilation") ?? "1", field: "dilation")
            fields.inChannels = value("--in-channels").flatMap { Int($0) } ?? 1
            fields.outChannels = value("--out-channels").flatMap { Int($0) } ?? 1
            fields.groups = value("--groups").flatMap { Int($0) } ?? 1
            fields.outputPadding = try value("--output-padding").map { try FieldSyntax.sizes($0, field: "output_padding") }
            fields.outputSize = try value("--output-size").map { try FieldSyntax.sizes($0, field: "output_size") }
            fields.transposed = flags.contains("--transposed")
            #expect(try ConvolutionOperator(fields) == item.convolutionOperator, "\(item.command)")
            #expect(value("--seed").flatMap { UInt64($0) } == item.seed)
            #expect(item.command.hasPrefix("convmat verify --input "))
        }
    }
}
