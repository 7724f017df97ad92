import Foundation
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

/// Pooling as a matrix against PyTorch (fixtures from Tests/Fixtures/generate_fixtures.py):
/// output sizes with ceil_mode, average pooling's matrix A (avg_pool2d of every unit vector),
/// max pooling's selection S(x) (max_pool2d's indices) and its backward pass S(x)ᵀg (autograd).
@Suite struct PoolingTests {
    /// Every 1-D verdict of F.max_pool1d and F.avg_pool1d: the same size, or a refusal.
    @Test func outputSizesAreTorchs() throws {
        let verdicts = try fixture("pooling/output_sizes.json")
        #expect(verdicts.count == 1008)
        var refused = 0
        for verdict in verdicts {
            let (i, k, s, p) = ["input", "kernel", "stride", "padding"].map { (verdict[$0] as! NSNumber).intValue }.tuple4
            let ceil = (verdict["ceil_mode"] as! NSNumber).boolValue
            let geometry = try? PoolingGeometry(inputSize: [i], kernelSize: [k], stride: [s], padding: [p], ceilMode: ceil)
            if (verdict["accepted"] as! NSNumber).boolValue {
                #expect(geometry?.outputSize == [(verdict["output"] as! NSNumber).intValue], "\(verdict)")
            } else {
                refused += 1
                #expect(geometry == nil, "\(verdict)")
            }
        }
        #expect(refused > 100)
    }

    /// A = avg_pool2d of unit vectors, entry for entry (count_include_pad, ceil_mode as PyTorch).
    @Test func averagePoolingMatrixIsTorchs() throws {
        for layer in try fixture("pooling/matrices.json") where layer["pool"] as? String == "avg" {
            let geometry = try poolingGeometry(layer)
            let expected = (layer["matrix"] as! [[NSNumber]]).map { $0.map(\.doubleValue) }
            var dense = [[Double]](repeating: [Double](repeating: 0, count: geometry.columnCount), count: geometry.rowCount)
            PoolingMatrix(averaging: geometry).forEachRow { row, entries in
                for entry in entries { dense[row][entry.column] = 1 / Double(entry.divisor) }
            }
            // PyTorch divides in its own order of operations: allow the rounding of one division and a sum of the window.
            let bound = RoundingBound.difference(terms: geometry.windowVolume + 1, magnitude: 1)
            let worst = zip(dense.joined(), expected.joined()).map { abs($0 - $1) }.max() ?? .infinity
            #expect(dense.count == expected.count && worst <= bound, "\(layer["name"] ?? ""): \(worst)")
            // The pattern is exact: nonzero exactly where PyTorch's is.
            #expect(dense.map { $0.map { $0 != 0 } } == expected.map { $0.map { $0 != 0 } })
        }
    }

    /// S(x) picks max_pool2d's indices; S(x)·x is its output and S(x)ᵀg autograd's gradient.
    @Test func maxPoolingSelectionAndBackwardAreTorchs() throws {
        var checked = 0
        for layer in try fixture("pooling/matrices.json") where layer["pool"] as? String == "max" {
            let geometry = try poolingGeometry(layer)
            let x = (layer["x"] as! [NSNumber]).map(\.doubleValue), g = (layer["g"] as! [NSNumber]).map(\.doubleValue)
            let matrix = try PoolingMatrix(selectingMaximaOf: x, geometry: geometry)
            var picked = [Int]()
            matrix.forEachRow { _, entries in picked.append(entries.map(\.column).first ?? -1) }
            #expect(picked == (layer["indices"] as! [NSNumber]).map(\.intValue), "\(layer["name"] ?? "")")
            #expect(matrix.multiply(x) == (layer["y"] as! [NSNumber]).map(\.doubleValue))
            #expect(matrix.transposed().multiply(g) == (layer["gradient"] as! [NSNumber]).map(\.doubleValue))
            let check = try PoolingVerification(.maximum, geometry: geometry, x: x, g: g)
            #expect(check.passed, "\(check.text(brief: false))")
            checked += 1
        }
        #expect(checked == 4)
    }

    /// PyTorch's rule that the last ceil-mode window must start inside the input or the left
    /// padding, by hand: i = 5, k = 2, s = 2, p = 1 gives ⌊(5 + 2 − 2 + 1)/2⌋ + 1 = 4, and
    /// (4 − 1)·2 = 6 ≥ 5 + 1, so 3 windows.
    @Test func ceilModeDropsAWindowStartingInTheRightPadding() throws {
        #expect(try PoolingGeometry(inputSize: [5], kernelSize: [2], padding: [1], ceilMode: true).outputSize == [3])
        #expect(try PoolingGeometry(inputSize: [5], kernelSize: [2], ceilMode: true).outputSize == [3])
        #expect(try PoolingGeometry(inputSize: [5], kernelSize: [2]).outputSize == [2])
    }

    /// The avg matrix printed: 4×4 input, 2×2 windows, stride 2 — each row four quarters.
    @Test func averagePoolingPrinted() throws {
        let geometry = try PoolingGeometry(inputSize: [4, 4], kernelSize: [2])
        let printed = try MatrixPrinter(format: .text).render(PoolingMatrix(averaging: geometry))
        #expect(printed.split(separator: "\n").first == "1/4 1/4   ·   · 1/4 1/4   ·   ·   ·   ·   ·   ·   ·   ·   ·   ·")
        #expect(printed.components(separatedBy: "1/4").count - 1 == 16)
        #expect(throws: RenderingError.self) { try MatrixPrinter(format: .text, flip: true).render(PoolingMatrix(averaging: geometry)) }
    }

    /// A wrong gradient length and a broken route are reported, not hidden.
    @Test func verificationRefusesWrongLengths() throws {
        let geometry = try PoolingGeometry(inputSize: [4], kernelSize: [2])
        #expect(throws: VerificationError.self) { try PoolingVerification(.maximum, geometry: geometry, x: [1, 2, 3, 4], g: [1]) }
    }

    private func poolingGeometry(_ layer: [String: Any]) throws -> PoolingGeometry {
        let ints = { (key: String) in (layer[key] as! [NSNumber]).map(\.intValue) }
        return try PoolingGeometry(
            inputSize: ints("input"), kernelSize: ints("kernel"), stride: ints("stride"),
            padding: ints("padding"), ceilMode: (layer["ceil_mode"] as! NSNumber).boolValue)
    }
}

private extension Array where Element == Int {
    var tuple4: (Int, Int, Int, Int) { (self[0], self[1], self[2], self[3]) }
}
