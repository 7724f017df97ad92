import Foundation
import Testing
import PropertyBased
import ConvMatrix
@testable import ConvMatrixCore
@testable import ConvMatrixInterchange
import ConvMatrixTestSupport
@testable import ConvMatrixPooling
@testable import ConvMatrixSpectrum
@testable import ConvMatrixVerification

/// X, the convolution as a matrix of its weights (y = X·w, ∂L/∂w = Xᵀ·g): by hand in 1-D, against
/// `torch.nn.functional.unfold` (Tests/Fixtures/weight_matrices, written by generate_fixtures.py
/// --only weight-grad), and the dot test ⟨C(w)x, g⟩ = ⟨X(x)w, g⟩ = ⟨w, Xᵀg⟩ on random geometries
/// with every padding mode, Xᵀg also against the direct loop of the weight gradient.
@Suite struct WeightMatrixTests {
    func dense(_ matrix: SparseMatrix) -> [[Double]] {
        let columns = matrix.compressedColumns
        var rows = [[Double]](repeating: [Double](repeating: 0, count: matrix.columnCount), count: matrix.rowCount)
        for column in 0..<matrix.columnCount {
            for n in columns.columnStarts[column]..<columns.columnStarts[column + 1] { rows[columns.rowIndices[n]][column] = columns.values[n] }
        }
        return rows
    }

    /// x = [1, 2, 3], a 2-tap kernel, one zero of padding on each side: the windows are
    /// [0, 1], [1, 2], [2, 3], [3, 0], so X has these rows (the padding's zeros are not stored).
    /// With reflect padding the zeros become the copies x(−1) = x(1) = 2 and x(3) = x(1) = 2.
    /// Two samples stack their blocks of rows.
    @Test func byHand() throws {
        let geometry = try ConvolutionGeometry(inputSize: [3], kernelSize: [2], padding: .symmetric([1]))
        let x = try SparseMatrix(weightMatrix: WeightMatrix(geometry: geometry), inputs: DenseMatrix(column: [1, 2, 3]))
        #expect(dense(x) == [[0, 1], [1, 2], [2, 3], [3, 0]])
        #expect(x.compressedColumns.values.count == 6)
        let reflect = try ConvolutionGeometry(inputSize: [3], kernelSize: [2], padding: .symmetric([1]), paddingMode: .reflect)
        let xr = try SparseMatrix(weightMatrix: WeightMatrix(geometry: reflect), inputs: DenseMatrix(column: [1, 2, 3]))
        #expect(dense(xr) == [[2, 1], [1, 2], [2, 3], [3, 2]])
        let batch = try SparseMatrix(
            weightMatrix: WeightMatrix(geometry: geometry), inputs: DenseMatrix(rowCount: 3, columnCount: 2, values: [1, 2, 3, 10, 20, 30]))
        #expect(dense(batch) == [[0, 1], [1, 2], [2, 3], [3, 0], [0, 10], [10, 20], [20, 30], [30, 0]])
        // ∂L/∂w for g = [1, 1, 1, 1] on the first sample: the column sums, [6, 6].
        #expect(try x.multiplyTransposed(DenseMatrix(column: [1, 1, 1, 1])).values == [6, 6])
    }

    /// X of one output channel is F.unfold(x) transposed, entry for entry (PyTorch's own numbers).
    @Test func isTorchsUnfold() throws {
        var checked = 0
        for name in ["unfold2d_plain", "unfold2d_stride_padding_dilation"] {
            let url = CommandRunner.packageRoot.appendingPathComponent("Tests/Fixtures/weight_matrices/\(name).json")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            func ints(_ key: String) -> [Int] { (object[key] as? [NSNumber] ?? []).map(\.intValue) }
            func tensor(_ key: String) -> (shape: [Int], data: [Double]) {
                let value = object[key] as? [String: Any] ?? [:]
                return ((value["shape"] as? [NSNumber] ?? []).map(\.intValue), (value["data"] as? [NSNumber] ?? []).map(\.doubleValue))
            }
            let input = tensor("input"), unfold = tensor("unfold")
            let geometry = try ConvolutionGeometry(
                inputSize: Array(input.shape[2...]), kernelSize: ints("kernel"), stride: ints("stride"), dilation: ints("dilation"),
                padding: .symmetric(ints("padding")), inChannels: input.shape[1], outChannels: 1)
            let x = dense(try SparseMatrix(weightMatrix: WeightMatrix(geometry: geometry), inputs: DenseMatrix(column: input.data)))
            #expect(unfold.shape == [geometry.weightCount, geometry.rowCount], "\(name)")
            for column in 0..<geometry.weightCount {
                for row in 0..<geometry.rowCount {
                    #expect(x[row][column] == unfold.data[column * geometry.rowCount + row], "\(name): X[\(row), \(column)]")
                }
            }
            checked += 1
        }
        #expect(checked == 2)
    }

    /// On random geometries (1-D to 3-D, groups, stride, dilation, every padding mode) with whole
    /// numbers (every sum exact): X(x)·w = C(w)·x, Xᵀ·g equals the direct loop of the weight
    /// gradient, and ⟨C(w)x, g⟩ = ⟨w, Xᵀg⟩ exactly.
    @Test func dotTestAndDirectLoop() async {
        await seededPropertyCheck(
            count: 120, input: TestGenerators.geometries(ranks: 1...3, kernels: 1...3, paddingModes: PaddingMode.allCases), TestGenerators.seed
        ) { geometry, seed in
            guard let geometry else { return }
            let kernel = try TestGenerators.integerKernel(geometry, seed: seed)
            let input = TestGenerators.integers(geometry.columnCount, seed: seed &+ 1)
            let gradient = TestGenerators.integers(geometry.rowCount, seed: seed &+ 2)
            let x = try SparseMatrix(weightMatrix: WeightMatrix(geometry: geometry), inputs: DenseMatrix(column: input))
            let c = try SparseMatrix(convolution: kernel)
            let y = try c.multiply(DenseMatrix(column: input)).values
            #expect(try x.multiply(DenseMatrix(column: kernel.values)).values == y, "\(geometry)")
            let dw = try x.multiplyTransposed(DenseMatrix(column: gradient)).values
            #expect(dw == directWeightGradient(input, gradient: gradient, geometry: geometry), "\(geometry)")
            let left = zip(y, gradient).reduce(0) { $0 + $1.0 * $1.1 }
            let right = zip(kernel.values, dw).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(left == right, "\(geometry)")
        }
    }
}
