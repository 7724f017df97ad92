/// Overflow-checked integer arithmetic for sizes and nonzero counts.
///
/// A geometry such as 10⁶ × 10⁶ pixels with 10⁴ channels must be refused
/// with a message, never wrapped around into a small, wrong size.
enum Checked {
    /// a · b, or `GeometryError.overflow` naming `quantity`.
    static func multiply(_ a: Int, _ b: Int, _ quantity: String) throws(GeometryError) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { throw .overflow(quantity: quantity) }
        return product
    }

    /// a + b, or `GeometryError.overflow` naming `quantity`.
    static func add(_ a: Int, _ b: Int, _ quantity: String) throws(GeometryError) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        if overflow { throw .overflow(quantity: quantity) }
        return sum
    }

    /// The product of all `values`, or `GeometryError.overflow` naming `quantity`.
    static func product(_ values: [Int], _ quantity: String) throws(GeometryError) -> Int {
        var result = 1
        for value in values { result = try multiply(result, value, quantity) }
        return result
    }
}

/// Row-major strides of a shape: the last index varies fastest.
func rowMajorStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var running = 1
    for dimension in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[dimension] = running
        running &*= shape[dimension]
    }
    return strides
}

/// Calls `body` with every multi-index of `shape` in row-major order.
func forEachIndex(of shape: [Int], _ body: ([Int]) -> Void) {
    if shape.contains(where: { $0 <= 0 }) { return }
    var index = [Int](repeating: 0, count: shape.count)
    while true {
        body(index)
        var dimension = shape.count - 1
        while dimension >= 0 {
            index[dimension] += 1
            if index[dimension] < shape[dimension] { break }
            index[dimension] = 0
            dimension -= 1
        }
        if dimension < 0 { return }
    }
}
