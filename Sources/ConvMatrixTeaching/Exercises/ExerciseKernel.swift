import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

extension SplitMix64 {
    /// `count` kernel weights drawn from `range`, none of them zero.
    ///
    /// An exercise kernel is never degenerate: a zero tap turns a kernel into
    /// a shorter one in disguise ([1 0] makes a dilated convolution a copy of
    /// its input, and its transposed convolution a spread-out copy), so the
    /// question would test nothing. Each weight is drawn until it is not zero.
    ///
    /// - Parameters:
    ///   - count: the number of weights (the kernel's volume).
    ///   - range: the whole numbers to draw from; it must hold a number other than 0.
    /// - Returns: the weights, row-major.
    mutating func exerciseKernel(_ count: Int, in range: ClosedRange<Int>) -> [Double] {
        precondition(range != 0...0, "an exercise kernel needs a nonzero value to draw")
        var weights = [Double]()
        while weights.count < count {
            let value = int(in: range)
            if value != 0 { weights.append(Double(value)) }
        }
        return weights
    }
}
