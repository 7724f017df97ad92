import Testing
import PropertyBased
import ConvMatrix
@testable import ConvMatrixCore
@testable import ConvMatrixInterchange
@testable import ConvMatrixTesting
@testable import ConvMatrixPooling
@testable import ConvMatrixSpectrum
@testable import ConvMatrixVerification

/// `GeometryDraw`, the one geometry draw: `convmat cases` draws what it drew
/// before there was one; every draw stays within its limits; and every
/// candidate the testing generators shrink a draw to is smaller, so that
/// shrinking ends, while SAME or VALID written as amounts is the same geometry.
@Suite struct GeometryDrawTests {
    /// FNV-1a (64 bits) of the bytes of every document, in order.
    static func fingerprint(_ documents: [String]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in documents.flatMap(\.utf8) {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// One setting of `convmat cases` and the fingerprint of its files.
    struct Pinned: Sendable, CustomTestStringConvertible {
        /// The command's options.
        let options: String
        let count: Int
        let seed: UInt64
        let fingerprint: UInt64
        /// A set written before bias and conv_weight_grad were drawn: drawn again with `--bias off`
        /// and the three operations there were (`--ops conv,conv_transpose,conv_input_grad` unless `--op` is given).
        var legacy = true
        let change: @Sendable (inout CaseGenerator) -> Void

        var testDescription: String {
            "convmat cases \(options)" + (legacy ? (options.contains("--op ") ? "" : " --ops conv,conv_transpose,conv_input_grad") + " --bias off" : "")
        }
    }

    /// Files `convmat cases` wrote before its draw moved into the core, fingerprinted from that
    /// version's own output (`convmat cases OPTIONS --output DIR`, the files `case-0001.json` …
    /// in order). Lessons, fixtures and bug reports may name a case by its seed and index, so a
    /// change of the drawing order must be a decision, not an accident. Drawing PyTorch's padding
    /// modes was one: the pytorch sets drawn with `--padding-modes zeros` are still those files
    /// byte for byte, the tensorflow sets (which take only zeros) are unchanged, and the pytorch
    /// sets with every mode (the default) are pinned again as they are since. Drawing a bias and
    /// conv_weight_grad was another: every earlier set is still drawn, byte for byte, with `--bias off`
    /// and the three earlier operations, and the new default sets are pinned as they are now.
    static let pinned = [
        Pinned(options: "--random 200 --seed 1", count: 200, seed: 1, fingerprint: 0xd46238ee65d1a8e3, legacy: false) { _ in },
        Pinned(options: "--random 200 --seed 1 --layout tensorflow", count: 200, seed: 1, fingerprint: 0x416cee80b5d749ad, legacy: false) {
            $0.layout = .tensorflow
        },
        Pinned(options: "--random 200 --seed 1 --padding-modes zeros", count: 200, seed: 1, fingerprint: 0x5154_989F_699B_3957) {
            $0.paddingModes = [.zeros]
        },
        Pinned(options: "--random 200 --seed 1", count: 200, seed: 1, fingerprint: 0xA695_D616_2158_3818) { _ in },
        Pinned(options: "--random 200 --seed 1 --layout tensorflow", count: 200, seed: 1, fingerprint: 0x7EEF_1A4F_3633_5786) {
            $0.layout = .tensorflow
        },
        Pinned(
            options: "--random 100 --seed 7 --layout tensorflow --dims 2 --op conv_transpose", count: 100, seed: 7,
            fingerprint: 0xC94E_6F8C_B0D5_1349
        ) {
            $0.layout = .tensorflow
            $0.ranks = [2]
            $0.operations = [.convTranspose]
        },
        Pinned(
            options: "--random 100 --seed 3 --max-size 5 --max-channels 1 --op conv --padding-modes zeros", count: 100, seed: 3,
            fingerprint: 0xAE40_BD1C_F237_9EEB
        ) {
            $0.maxSize = 5
            $0.maxChannels = 1
            $0.operations = [.conv]
            $0.paddingModes = [.zeros]
        },
        Pinned(
            options: "--random 100 --seed 3 --max-size 5 --max-channels 1 --op conv", count: 100, seed: 3,
            fingerprint: 0xB13B_5533_190F_2A76
        ) {
            $0.maxSize = 5
            $0.maxChannels = 1
            $0.operations = [.conv]
        },
        Pinned(
            options: "--random 100 --seed 4 --max-channels 6 --dims 1,3 --padding-modes zeros", count: 100, seed: 4, fingerprint: 0x80BB_1BB8_B420_F796
        ) {
            $0.maxChannels = 6
            $0.ranks = [1, 3]
            $0.paddingModes = [.zeros]
        },
        Pinned(options: "--random 100 --seed 4 --max-channels 6 --dims 1,3", count: 100, seed: 4, fingerprint: 0x662C_B081_3F1B_36A2) {
            $0.maxChannels = 6
            $0.ranks = [1, 3]
        },
    ]

    @Test(arguments: pinned)
    func casesDrawWhatTheyDrewBefore(_ pinned: Pinned) throws {
        var generator = CaseGenerator()
        if pinned.legacy {
            generator.drawsBias = false
            generator.operations = [.conv, .convTranspose, .convInputGrad]
        }
        pinned.change(&generator)
        let documents = try (0..<pinned.count).map { try generator.document(seed: pinned.seed, index: $0) + "\n" }
        #expect(Self.fingerprint(documents) == pinned.fingerprint)
    }

    /// Draws with `convmat cases`' and `verify --random`'s limits give operators whose every
    /// number comes from its list and whose every extent lies within `size`.
    @Test func drawsStayWithinTheirLimits() {
        var cases = CaseGenerator()
        cases.maxSize = 6
        for limits in [cases.geometryLimits, RandomGeometry.limits] {
            var random = SplitMix64(seed: 17)
            var made = 0
            for _ in 0..<2000 {
                guard let draw = GeometryDraw.draw(limits, using: &random), let found = draw.convolutionOperator(limits) else { continue }
                made += 1
                let c = found.convolution
                #expect(limits.ranks.contains(c.spatialRank))
                #expect(c.kernelSize.allSatisfy(limits.kernel.contains) && c.stride.allSatisfy(limits.stride.contains))
                #expect(c.dilation.allSatisfy(limits.dilation.contains))
                let padded = (0..<c.spatialRank).map { c.paddingBefore[$0] + c.inputSize[$0] + c.paddingAfter[$0] }
                #expect((c.inputSize + c.outputSize + padded).allSatisfy(limits.size.contains), "\(found)")
                #expect(found.isTransposed == (draw.operation != .convolution && draw.operation != .weightGradient))
                if case .perGroup(let groups, let channels) = limits.channels {
                    #expect(groups.contains(c.groups) && channels.contains(c.inChannelsPerGroup) && channels.contains(c.outChannels / c.groups))
                }
                if draw.paddingForm == .symmetric { #expect(c.paddingBefore == c.paddingAfter) }
            }
            #expect(made > 200, "only \(made) of 2000 draws made a case")
        }
    }

    /// Every shrinking candidate of a drawn case is smaller in (rank, padding form, padding mode,
    /// sum of the numbers above their low ends), so shrinking ends; SAME or VALID written as amounts
    /// describes the same convolution.
    @Test(arguments: ConvolutionCase.Operation.allCases, [false, true])
    func shrinkingCandidatesAreSmaller(_ operation: ConvolutionCase.Operation, _ tensorflow: Bool) {
        let limits = ConvolutionLimits()
        let drawn = limits.geometryLimits(operation, tensorflow: tensorflow)
        func measure(_ draw: GeometryDraw) -> (Int, Int, Int, Int) {
            let scalars = [draw.groups - limits.groups.lowerBound, draw.inPerGroup - 1, draw.outPerGroup - 1, draw.batch - 1]
            let lists = [
                draw.kernel.map { $0 - 1 }, draw.stride.map { $0 - 1 }, draw.dilation.map { $0 - 1 },
                draw.before, draw.after, draw.extraInput, draw.extraOutput,
            ]
            return (
                draw.rank, drawn.paddingForms.firstIndex(of: draw.paddingForm) ?? 0, drawn.paddingModes.firstIndex(of: draw.paddingMode) ?? 0,
                (scalars + lists.joined()).reduce(0, +)
            )
        }
        var generator = Xoshiro(seed: (5, 6, 7, 8))
        var explicitSeen = 0
        for _ in 0..<300 {
            guard let draw = GeometryDraw.draw(drawn, generator: &generator), let found = draw.convolutionOperator(drawn) else { continue }
            for candidate in draw.shrunk(limits, drawn).compactMap({ $0 }) {
                let (rank, form, mode, sum) = measure(candidate), (rank0, form0, mode0, sum0) = measure(draw)
                #expect((rank, form, mode, sum) < (rank0, form0, mode0, sum0), "\(draw) → \(candidate)")
                if (draw.paddingForm == .same || draw.paddingForm == .valid) && candidate.paddingForm == .asymmetric
                    && candidate.rank == draw.rank && candidate.before.contains(where: { $0 > 0 })
                {
                    explicitSeen += 1
                    let c = found.convolution, e = candidate.convolutionOperator(drawn)?.convolution
                    #expect(e?.inputSize == c.inputSize && e?.outputSize == c.outputSize, "\(draw) → \(candidate)")
                    #expect(e?.paddingBefore == c.paddingBefore && e?.paddingAfter == c.paddingAfter, "\(draw) → \(candidate)")
                }
            }
        }
        #expect(explicitSeen > 0, "no SAME or VALID case was written as amounts")
    }
}
