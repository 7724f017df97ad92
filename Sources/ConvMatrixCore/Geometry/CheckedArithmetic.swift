/// The one place where sizes, counts and byte totals are added and
/// multiplied: every operation is checked for overflow.
///
/// A geometry such as 10⁶ × 10⁶ pixels with 10⁴ channels must be refused
/// with a message, never wrapped around into a small, wrong size. The
/// throwing operations say which field made the result too large (`field`,
/// such as `stride[0]`) and what was being computed (`quantity`, such as
/// `number of nonzeros`) in `GeometryError.overflow`; `saturating` turns the
/// same overflow into `Int.max`, for estimates that are compared with a
/// limit no value can reach.
package enum Checked {
    /// a · b, or `GeometryError.overflow` naming `field` and `quantity`.
    package static func multiply(_ a: Int, _ b: Int, _ quantity: String, field: String? = nil) throws(GeometryError) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { throw .overflow(field: field, quantity: quantity) }
        return product
    }

    /// a + b, or `GeometryError.overflow` naming `field` and `quantity`.
    package static func add(_ a: Int, _ b: Int, _ quantity: String, field: String? = nil) throws(GeometryError) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        if overflow { throw .overflow(field: field, quantity: quantity) }
        return sum
    }

    /// a − b, or `GeometryError.overflow` naming `field` and `quantity`.
    static func subtract(_ a: Int, _ b: Int, _ quantity: String, field: String? = nil) throws(GeometryError) -> Int {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        if overflow { throw .overflow(field: field, quantity: quantity) }
        return difference
    }

    /// The product of all `values`, or `GeometryError.overflow` naming `field` and `quantity`.
    package static func product(_ values: [Int], _ quantity: String, field: String? = nil) throws(GeometryError) -> Int {
        var result = 1
        for value in values { result = try multiply(result, value, quantity, field: field) }
        return result
    }

    /// The sum of all `values`, or `GeometryError.overflow` naming `field` and `quantity`.
    package static func sum(_ values: [Int], _ quantity: String, field: String? = nil) throws(GeometryError) -> Int {
        var result = 0
        for value in values { result = try add(result, value, quantity, field: field) }
        return result
    }

    /// ⌈a / b⌉ for a ≥ 0 and b > 0, without forming a + b − 1 (which overflows near 2⁶³).
    static func ceilingDivide(_ a: Int, _ b: Int) -> Int {
        a / b + (a % b == 0 ? 0 : 1)
    }

    /// What `body` computes with the checked operations above, or `Int.max`
    /// when one of them overflows: for estimates that only have to exceed
    /// every limit when they do not fit.
    package static func saturating(_ body: () throws(GeometryError) -> Int) -> Int {
        do { return try body() } catch { return Int.max }
    }
}
