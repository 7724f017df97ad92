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

/// Properties of the matrix C over shrinkable random geometries; expected values are computed
/// here from the definition, not taken from the builder.
@Suite struct ConvolutionMatrixPropertyTests {
    /// C has C_out·Π o_j rows and C_in·Π i_j columns, with o_j from ⌊(i + p_b + p_a − d(k−1) − 1)/s⌋ + 1.
    @Test func shapes() async {
        await seededPropertyCheck(count: 100, input: TestGenerators.geometry) { geometry in
            guard let g = geometry else { Issue.record("invalid geometry"); return }
            var outputVolume = 1
            for d in 0..<g.spatialRank {
                outputVolume *= (g.inputSize[d] + g.paddingBefore[d] + g.paddingAfter[d] - g.dilation[d] * (g.kernelSize[d] - 1) - 1) / g.stride[d] + 1
            }
            let matrix = try SparseMatrix(convolution: Kernel.counting(g))
            #expect(matrix.rowCount == g.outChannels * outputVolume)
            #expect(matrix.columnCount == g.inChannels * g.inputSize.reduce(1, *))
        }
    }

    /// nnz(C) equals a brute-force count of (output, input channel, tap) triples whose tap lands inside the input.
    @Test func nonzeroCountMatchesBruteForce() async {
        await seededPropertyCheck(count: 100, input: TestGenerators.geometry) { geometry in
            guard let g = geometry else { Issue.record("invalid geometry"); return }
            var count = 0
            forEachIndex(of: g.outputSize) { q in
                forEachIndex(of: g.kernelSize) { k in
                    let inside = (0..<g.spatialRank).allSatisfy { d in
                        let position = q[d] * g.stride[d] - g.paddingBefore[d] + k[d] * g.dilation[d]
                        return position >= 0 && position < g.inputSize[d]
                    }
                    if inside { count += 1 }
                }
            }
            count *= g.outChannels * g.inChannelsPerGroup
            let stored = try SparseMatrix(convolution: Kernel.counting(g)).nonzeroCount
            #expect(stored == count)
            #expect(ConvolutionMatrix(geometry: g).nonzeroCount == count)
        }
    }

    /// Every column of C is the convolution of the corresponding unit vector, exactly.
    @Test func columnsAreConvolvedUnitVectors() async {
        await seededPropertyCheck(count: 40, input: TestGenerators.geometry, TestGenerators.seed) { geometry, seed in
            guard let g = geometry else { Issue.record("invalid geometry"); return }
            let kernel = try TestGenerators.integerKernel(g, seed: seed)
            let matrix = try SparseMatrix(convolution: kernel)
            let columns = matrix.compressedColumns
            for column in 0..<g.columnCount {
                var unit = [Double](repeating: 0, count: g.columnCount)
                unit[column] = 1
                var dense = [Double](repeating: 0, count: g.rowCount)
                for n in columns.columnStarts[column]..<columns.columnStarts[column + 1] {
                    dense[columns.rowIndices[n]] = columns.values[n]
                }
                #expect(dense == directConvolution(unit, kernel: kernel), "column \(column)")
            }
        }
    }

    /// C(a·x + b·x′) = a·Cx + b·Cx′, exact on integer data.
    @Test func linearity() async {
        await seededPropertyCheck(count: 60, input: TestGenerators.geometry, TestGenerators.seed) { geometry, seed in
            guard let g = geometry else { Issue.record("invalid geometry"); return }
            let matrix = try SparseMatrix(convolution: try TestGenerators.integerKernel(g, seed: seed))
            let x = TestGenerators.integers(g.columnCount, seed: seed &+ 1)
            let x2 = TestGenerators.integers(g.columnCount, seed: seed &+ 2)
            let combined = zip(x, x2).map { 3 * $0 - 2 * $1 }
            let left = try matrix.multiply(DenseMatrix(column: combined)).values
            let cx = try matrix.multiply(DenseMatrix(column: x)).values
            let cx2 = try matrix.multiply(DenseMatrix(column: x2)).values
            #expect(left == zip(cx, cx2).map { 3 * $0 - 2 * $1 })
        }
    }

    /// C·0 = 0 and Cᵀ·0 = 0.
    @Test func zeroMapsToZero() async {
        await seededPropertyCheck(count: 60, input: TestGenerators.geometry, TestGenerators.seed) { geometry, seed in
            guard let g = geometry else { Issue.record("invalid geometry"); return }
            let matrix = try SparseMatrix(convolution: try TestGenerators.integerKernel(g, seed: seed))
            let forward = try matrix.multiply(DenseMatrix(zerosWithRows: g.columnCount, columns: 1)).values
            let backward = try matrix.multiplyTransposed(DenseMatrix(zerosWithRows: g.rowCount, columns: 1)).values
            #expect(forward.count == g.rowCount && forward.allSatisfy { $0 == 0 })
            #expect(backward.count == g.columnCount && backward.allSatisfy { $0 == 0 })
        }
    }

    /// Building C twice gives identical arrays, and products are reproducible bit for bit.
    @Test func determinism() async {
        await seededPropertyCheck(count: 40, input: TestGenerators.geometry, TestGenerators.seed) { geometry, seed in
            guard let g = geometry else { Issue.record("invalid geometry"); return }
            var generator = SplitMix64(seed: seed)
            let w = (0..<g.weightCount).map { _ in generator.signedUnit() }
            let x = (0..<g.columnCount).map { _ in generator.signedUnit() }
            let first = try SparseMatrix(convolution: try Kernel(w, geometry: g))
            let second = try SparseMatrix(convolution: try Kernel(w, geometry: g))
            #expect(first.compressedColumns.columnStarts == second.compressedColumns.columnStarts)
            #expect(first.compressedColumns.rowIndices == second.compressedColumns.rowIndices)
            #expect(first.compressedColumns.values == second.compressedColumns.values)
            let once = try first.multiply(DenseMatrix(column: x))
            let twice = try second.multiply(DenseMatrix(column: x))
            #expect(once == twice)
        }
    }

    /// A grouped convolution is the per-group convolutions side by side: output channels of group g
    /// equal an ungrouped convolution of group g's input channels with group g's kernel slices.
    @Test func groupedEqualsPerGroup() async {
        await seededPropertyCheck(count: 40, input: TestGenerators.geometry, TestGenerators.seed) { geometry, seed in
            guard let g = geometry else { Issue.record("invalid geometry"); return }
            let kernel = try TestGenerators.integerKernel(g, seed: seed)
            let x = TestGenerators.integers(g.columnCount, seed: seed &+ 1)
            let whole = try SparseMatrix(convolution: kernel).multiply(DenseMatrix(column: x)).values
            let single = try ConvolutionGeometry(
                inputSize: g.inputSize, kernelSize: g.kernelSize, stride: g.stride, dilation: g.dilation,
                padding: .explicit(before: g.paddingBefore, after: g.paddingAfter),
                inChannels: g.inChannelsPerGroup, outChannels: g.outChannelsPerGroup)
            let inSlice = g.inChannelsPerGroup * g.inputVolume
            let outSlice = g.outChannelsPerGroup * g.outputVolume
            let weightSlice = g.outChannelsPerGroup * g.inChannelsPerGroup * g.kernelVolume
            for group in 0..<g.groups {
                let part = try Kernel(Array(kernel.values[(group * weightSlice)..<((group + 1) * weightSlice)]), geometry: single)
                let input = Array(x[(group * inSlice)..<((group + 1) * inSlice)])
                let output = try SparseMatrix(convolution: part).multiply(DenseMatrix(column: input)).values
                #expect(output == Array(whole[(group * outSlice)..<((group + 1) * outSlice)]), "group \(group)")
            }
        }
    }
}
