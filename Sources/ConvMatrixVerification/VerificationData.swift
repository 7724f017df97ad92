import ConvMatrixCore

/// The numbers one verification runs on: a kernel, a y for the transposed
/// convolution and an x for the convolution, all drawn from a seed unless
/// the kernel is given.
package struct VerificationData: Sendable {
    /// What the numbers are: "integer-valued", "real-valued", or which of them were given.
    package let name: String
    /// The kernel of the convolution C.
    package let kernel: Kernel
    /// Input of the transposed convolution, in C's output layout [C_out, o…].
    package let y: [Double]
    /// Input of the convolution, in C's input layout [C_in, i…].
    package let x: [Double]

    /// Whole numbers in −4…4 for every value the generator draws. With such
    /// data every route's arithmetic is exact (as long as the sums stay below
    /// 2⁵³), so the routes must agree to the last bit. A given `y` (one
    /// value per row of C) replaces the drawn one, and names the data set "given y".
    ///
    /// - Parameters:
    ///   - geometry: the convolution whose C the data fits.
    ///   - weights: the kernel to use; nil draws one.
    ///   - given: y to use instead of a drawn one.
    ///   - generator: the source of randomness, advanced past the draws.
    /// - Returns: the data set, named for the report: "integer-valued", "given weights, integer-valued x and y" or "given y".
    package static func integers(
        _ geometry: ConvolutionGeometry, weights: Kernel?, y given: [Double]? = nil,
        using generator: inout SplitMix64
    ) -> VerificationData {
        func draw(_ count: Int) -> [Double] { (0..<count).map { _ in Double(generator.int(in: -4...4)) } }
        let kernel = weights ?? Kernel.unchecked(draw(geometry.weightCount), geometry: geometry)
        let y = draw(geometry.rowCount)
        let name = given != nil ? "given y" : (weights == nil ? "integer-valued" : "given weights, integer-valued x and y")
        return VerificationData(
            name: name, kernel: kernel, y: given ?? y,
            x: draw(geometry.columnCount))
    }

    /// Uniform reals in [−1, 1) for every value the generator draws: the
    /// routes may round differently and must agree within the rounding bound.
    ///
    /// - Parameters:
    ///   - geometry: the convolution whose C the data fits.
    ///   - weights: the kernel to use; nil draws one.
    ///   - generator: the source of randomness, advanced past the draws.
    /// - Returns: the data set, named "real-valued".
    package static func reals(_ geometry: ConvolutionGeometry, weights: Kernel?, using generator: inout SplitMix64) -> VerificationData {
        func draw(_ count: Int) -> [Double] { (0..<count).map { _ in generator.signedUnit() } }
        let kernel = weights ?? Kernel.unchecked(draw(geometry.weightCount), geometry: geometry)
        return VerificationData(name: "real-valued", kernel: kernel, y: draw(geometry.rowCount), x: draw(geometry.columnCount))
    }
}

extension Kernel {
    /// A kernel from values known to be finite and of the right count (drawn by the verifier).
    static func unchecked(_ values: [Double], geometry: ConvolutionGeometry) -> Kernel {
        do {
            return try Kernel(values, geometry: geometry)
        } catch {
            preconditionFailure("generated weights do not fit the geometry: \(error)")
        }
    }
}
