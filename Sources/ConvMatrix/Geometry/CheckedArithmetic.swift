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
