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

/// The exercise generator's seeded PRNG.
@Suite struct SplitMix64Tests {
    /// The first outputs for seed 0 from the reference C implementation (Vigna, splitmix64.c).
    @Test func matchesTheReferenceSequence() {
        var random = SplitMix64(seed: 0)
        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
        #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(random.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func integersStayInTheirRangeAndCoverIt() async {
        await seededPropertyCheck(count: 200, input: Gen.uint64(), Gen.int(in: -5...5), Gen.int(in: 0...6)) { seed, low, width in
            var random = SplitMix64(seed: seed)
            var seen = Set<Int>()
            for _ in 0..<400 { seen.insert(random.int(in: low...(low + width))) }
            #expect(seen == Set(low...(low + width)))
        }
    }
}
