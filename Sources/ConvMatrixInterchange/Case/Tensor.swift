import ConvMatrixCore

/// A dense tensor as the case format writes it: a shape and its entries in
/// row-major (C) order.
public struct Tensor: Hashable, Sendable {
    /// Size of each axis.
    public let shape: [Int]
    /// `shape.reduce(1, *)` entries, last axis fastest.
    public let data: [Double]

    /// A tensor whose `data` matches `shape` (checked by the caller).
    ///
    /// - Parameters:
    ///   - shape: the size of each axis.
    ///   - data: the entries in row-major order, Π shape of them.
    public init(shape: [Int], data: [Double]) {
        self.shape = shape
        self.data = data
    }

    /// The same entries with the axes reordered: axis a of the result is
    /// axis `order[a]` of this tensor.
    ///
    /// - Parameter order: a permutation of the axes 0 ..< rank, as numpy's `transpose` takes it.
    /// - Returns: a new tensor of shape `order.map { shape[$0] }`.
    package func permuted(_ order: [Int]) -> Tensor {
        let newShape = order.map { shape[$0] }
        let oldStrides = rowMajorStrides(shape)
        let gathered = order.map { oldStrides[$0] }
        var result = [Double]()
        result.reserveCapacity(data.count)
        forEachIndex(of: newShape) { index in
            var offset = 0
            for a in 0..<index.count { offset += index[a] * gathered[a] }
            result.append(data[offset])
        }
        return Tensor(shape: newShape, data: result)
    }

    /// The JSON form `{"shape": [...], "data": [...]}`, numbers written by `JSONWriting.number`.
    public var json: String {
        var text = ""
        writeJSON(to: &text)
        return text
    }

    /// Writes `json` to `target` a number at a time, so that a large result
    /// is never held as text.
    ///
    /// - Parameter target: the stream that receives `{"shape": …, "data": …}`.
    package func writeJSON<Target: TextOutputStream>(to target: inout Target) {
        target.write("{\"shape\": \(JSONWriting.integers(shape)), \"data\": [")
        for (n, value) in data.enumerated() {
            if n > 0 { target.write(", ") }
            target.write(JSONWriting.number(value))
        }
        target.write("]}")
    }
}
