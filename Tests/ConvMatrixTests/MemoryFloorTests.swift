import Testing
import ConvMatrix
@testable import ConvMatrixCore
@testable import ConvMatrixInterchange
@testable import ConvMatrixRendering
@testable import ConvMatrixTeaching
import ConvMatrixTestSupport
@testable import ConvMatrixBenchmarks
@testable import ConvMatrixPooling
@testable import ConvMatrixSpectrum
@testable import ConvMatrixVerification

/// The memory-speed baseline of `convmat bench` writes every byte of arrays the size of C.
@Suite struct MemoryFloorTests {
    /// One thread (a 6×6 C below the parallel threshold) and many threads (256×256, 3×3,
    /// padding 1: 586756 nonzeros in 16 or more blocks): the arrays have C's sizes and no
    /// byte is left out between blocks.
    @Test(arguments: [[6, 6], [256, 256]])
    func everyByteIsWritten(size: [Int]) throws {
        let geometry = try ConvolutionGeometry(inputSize: size, kernelSize: [3, 3], padding: .symmetric([1]))
        let floor = try MemoryFloor(like: geometry)
        let checked = floor.withArrays { columnStarts, rowIndices, values in
            #expect(columnStarts.count == geometry.columnCount + 1)
            #expect(rowIndices.count == geometry.nonzeroCount)
            #expect(values.count == geometry.nonzeroCount)
            #expect(columnStarts.allSatisfy { $0 == -1 })
            #expect(rowIndices.allSatisfy { $0 == -1 })
            #expect(values.allSatisfy { $0.bitPattern == UInt64.max })
            return true
        }
        #expect(checked == true)
    }
}
