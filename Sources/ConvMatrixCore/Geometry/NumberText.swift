// How numbers and sizes read in messages, reports and printed matrices, written once for every layer.

/// A number in the shortest form that reads back exactly; whole numbers without ".0".
///
/// - Parameter value: a finite number.
/// - Returns: whole numbers below 10¹⁵ without a decimal point (`3`, and `0` for −0), everything else as Swift's shortest round-trip text (`0.1`).
package func formatNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 {
        return value == 0 ? "0" : String(Int(value))
    }
    return "\(value)"
}

/// A size as people write it: "4×4" for [4, 4], "5" for [5].
///
/// - Parameter sizes: one size per dimension.
/// - Returns: the sizes joined by "×".
package func formatSize(_ sizes: [Int]) -> String { sizes.map(String.init).joined(separator: "×") }
