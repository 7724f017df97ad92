/// The one place where sizes, counts and byte totals are added and
/// multiplied: every operation is checked for overflow.
///
/// A geometry such as 10⁶ × 10⁶ pixels with 10⁴ channels must be refused
/// with a message, never wrapped around into a small, wrong size. The
/// throwing operations name the quantity (a field such as `stride[0]`, or a
/// derived size such as `number of nonzeros`) in `GeometryError.overflow`;
/// `saturating` turns the same overflow into `Int.max`, for estimates that
/// are compared with a limit no value can reach.
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

    /// a − b, or `GeometryError.overflow` naming `quantity`.
    static func subtract(_ a: Int, _ b: Int, _ quantity: String) throws(GeometryError) -> Int {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        if overflow { throw .overflow(quantity: quantity) }
        return difference
    }

    /// The product of all `values`, or `GeometryError.overflow` naming `quantity`.
    static func product(_ values: [Int], _ quantity: String) throws(GeometryError) -> Int {
        var result = 1
        for value in values { result = try multiply(result, value, quantity) }
        return result
    }

    /// The sum of all `values`, or `GeometryError.overflow` naming `quantity`.
    static func sum(_ values: [Int], _ quantity: String) throws(GeometryError) -> Int {
        var result = 0
        for value in values { result = try add(result, value, quantity) }
        return result
    }

    /// What `body` computes with the checked operations above, or `Int.max`
    /// when one of them overflows: for estimates that only have to exceed
    /// every limit when they do not fit.
    static func saturating(_ body: () throws(GeometryError) -> Int) -> Int {
        do { return try body() } catch { return Int.max }
    }
}
