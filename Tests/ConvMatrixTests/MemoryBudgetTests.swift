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

/// The memory estimate computed by hand, and the guard refusing what would not fit.
@Suite struct MemoryBudgetTests {
    /// 4×4 input, 3×3 kernel: 36 nonzeros, 16 columns, 4 rows.
    /// matrix = 16·36 + 8·(16 + 1) = 576 + 136 = 712 bytes;
    /// vectors for one sample = 8·1·3·(4 + 16) = 480 bytes; for 5 samples 2400;
    /// the writer's tables: per dimension 6 (output, tap) pairs (outputs 0 and 1 read
    /// taps 0–2) × 32 + 4 positions × 17 = 260 bytes, 520 for both;
    /// and the program itself, 20 MiB = 20 971 520 bytes.
    @Test func estimateByHand() throws {
        let geometry = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])
        let one = MemoryEstimate(geometry)
        #expect(one.nonzeroCount == 36)
        #expect(one.matrixBytes == 712)
        #expect(one.parts.map(\.bytes) == [20_971_520, 712, 520, 480])
        #expect(one.totalBytes == 20_971_520 + 712 + 520 + 480)
        #expect(MemoryEstimate(geometry, samples: 5).totalBytes == 20_971_520 + 712 + 520 + 2400)
    }

    /// 10⁵×10⁵ pixels, 64 → 64 channels, 3×3 kernel: about 3.7·10¹⁴ nonzeros, petabytes.
    /// Refused at once with the estimate, the limit and the flag in the message.
    @Test func absurdGeometryIsRefused() throws {
        let geometry = try ConvolutionGeometry(inputSize: [100_000, 100_000], kernelSize: [3], inChannels: 64, outChannels: 64)
        #expect(throws: GeometryError.self) { try MemoryBudget.check(geometry, limit: 4 << 30) }
        do {
            try MemoryBudget.check(geometry, limit: 4 << 30)
        } catch {
            let message = error.description
            #expect(message.hasPrefix("max_memory = 4 GiB is below the "))
            #expect(message.contains("PiB this needs (C (368625254547456 nonzeros) 5.2 PiB, vectors"))
            #expect(message.contains("give a larger max_memory"))
        }
    }

    /// 2²⁰×2²⁰ pixels, 1×1 kernel, 2¹⁰ → 2¹⁰ channels: 2⁶⁰ nonzeros fit into 64 bits but
    /// their 16·2⁶⁰ = 2⁶⁴ bytes do not; the estimate saturates and no limit admits it.
    @Test func overflowingEstimateIsRefused() throws {
        let geometry = try ConvolutionGeometry(inputSize: [1 << 20, 1 << 20], kernelSize: [1], inChannels: 1 << 10, outChannels: 1 << 10)
        #expect(MemoryEstimate(geometry).nonzeroCount == 1 << 60)
        #expect(MemoryEstimate(geometry).totalBytes == Int.max)
        #expect(throws: GeometryError.self) { try MemoryBudget.check(geometry, limit: Int.max - 1) }
    }

    /// What fits is returned with its estimate.
    @Test func smallGeometryPasses() throws {
        let geometry = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])
        let total = 20_971_520 + 712 + 520 + 480
        #expect(try MemoryBudget.check(geometry, limit: total).totalBytes == total)
        #expect(throws: GeometryError.self) { try MemoryBudget.check(geometry, limit: total - 1) }
    }

    /// Sizes in binary units: 512M = 512·2²⁰, 4G = 4·2³⁰, 1.5K = 1536.
    @Test func parsesSizes() throws {
        #expect(try MemoryBudget.parse("512M") == 536_870_912)
        #expect(try MemoryBudget.parse("4G") == 4_294_967_296)
        #expect(try MemoryBudget.parse("4gib") == 4_294_967_296)
        #expect(try MemoryBudget.parse("1.5K") == 1536)
        #expect(try MemoryBudget.parse("2T") == 2_199_023_255_552)
        #expect(try MemoryBudget.parse("1000") == 1000)
        for bad in ["", "0", "-1G", "abc", "4X", "G", "1e400", "nan"] {
            #expect(throws: GeometryError.self, "\(bad)") { try MemoryBudget.parse(bad) }
        }
    }

    /// Messages use binary units with one decimal.
    @Test func formatsBytes() {
        #expect(MemoryBudget.formatBytes(900) == "900 bytes")
        #expect(MemoryBudget.formatBytes(1536) == "1.5 KiB")
        #expect(MemoryBudget.formatBytes(4 << 30) == "4 GiB")
    }

    /// The default is half of the physical memory the system reports.
    @Test func defaultLimitIsHalfOfPhysicalMemory() throws {
        let physical = try #require(MemoryBudget.physicalMemory)
        #expect(MemoryBudget.defaultLimit == physical / 2)
    }
}
