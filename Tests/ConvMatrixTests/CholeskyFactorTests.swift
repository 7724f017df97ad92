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

/// The CHOLMOD factorization of AᵀA + λI against small systems solved by hand.
@Suite struct CholeskyFactorTests {
    /// A = [1 0; 1 1; 0 2] gives AᵀA = [2 1; 1 5]; with λ = 1 the system
    /// [3 1; 1 6]·x = [3; 8] has, by Cramer's rule, x = [10/17; 21/17].
    @Test func solvesAShiftedNormalSystemWorkedByHand() throws {
        let a = try SparseMatrix(
            rowCount: 3, columnCount: 2, columnStarts: [0, 2, 4],
            rowIndices: [0, 1, 1, 2], values: [1, 1, 1, 2])
        let factor = try CholeskyFactor(normalEquationsOf: a, shift: 1)
        let x = try factor.solve(DenseMatrix(column: [3, 8]))
        #expect(abs(x.values[0] - 10.0 / 17) < 1e-14)
        #expect(abs(x.values[1] - 21.0 / 17) < 1e-14)
        // A dense 2×2 matrix has a full lower triangle: 3 entries.
        #expect(factor.factorNonzeros == 3)
        #expect(factor.normalMatrixNonzeros == 3)
        #expect(factor.dimension == 2)
        #expect(factor.ordering != .automatic)
    }

    /// Two right-hand sides at once: [3 1; 1 6]·X = [3 4; 8 7] has columns [10/17; 21/17] and [1; 1].
    @Test func solvesSeveralRightHandSides() throws {
        let a = try SparseMatrix(
            rowCount: 3, columnCount: 2, columnStarts: [0, 2, 4],
            rowIndices: [0, 1, 1, 2], values: [1, 1, 1, 2])
        let factor = try CholeskyFactor(normalEquationsOf: a, shift: 1, ordering: .natural)
        let x = try factor.solve(DenseMatrix(rowCount: 2, columnCount: 2, values: [3, 8, 4, 7]))
        let expected = [10.0 / 17, 21.0 / 17, 1, 1]
        for (value, truth) in zip(x.values, expected) { #expect(abs(value - truth) < 1e-14) }
        #expect(factor.ordering == .natural)
    }

    /// A = [1 1] has rank 1: AᵀA = [1 1; 1 1], whose Cholesky factorization meets the pivot
    /// 1 − 1·1 = 0 exactly, so λ = 0 must fail as "not positive definite" (final_ll = 1),
    /// while λ = 1 succeeds.
    @Test func rankDeficientMatrixNeedsAShift() throws {
        let a = try SparseMatrix(rowCount: 1, columnCount: 2, columnStarts: [0, 1, 2], rowIndices: [0, 0], values: [1, 1])
        let error = #expect(throws: CholmodError.self) { try CholeskyFactor(normalEquationsOf: a, shift: 0, ordering: .natural) }
        #expect(error?.status == CholmodError.notPositiveDefinite.status)
        #expect(error?.message.contains("not positive definite") == true)
        // [2 1; 1 2]·x = [3; 3] gives x = [1; 1].
        let x = try CholeskyFactor(normalEquationsOf: a, shift: 1).solve(DenseMatrix(column: [3, 3]))
        #expect(abs(x.values[0] - 1) < 1e-14 && abs(x.values[1] - 1) < 1e-14)
    }

    @Test(arguments: [-1.0, .nan, .infinity])
    func refusesAShiftThatIsNotAFiniteNonnegativeNumber(shift: Double) throws {
        let a = try SparseMatrix(rowCount: 1, columnCount: 1, columnStarts: [0, 1], rowIndices: [0], values: [1])
        #expect(throws: CholmodError.self) { try CholeskyFactor(normalEquationsOf: a, shift: shift) }
    }

    @Test func refusesARightHandSideOfTheWrongLength() throws {
        let a = try SparseMatrix(rowCount: 1, columnCount: 1, columnStarts: [0, 1], rowIndices: [0], values: [2])
        let factor = try CholeskyFactor(normalEquationsOf: a, shift: 0)
        #expect(throws: CholmodError.self) { try factor.solve(DenseMatrix(column: [1, 2])) }
        // 4·x = 2.
        #expect(try factor.solve(DenseMatrix(column: [2])).values == [0.5])
    }
}
