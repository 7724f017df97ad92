/// A convolution's input with its padding written out, region by region, the
/// way `torch.nn.functional.pad` fills it: the reference routes' own account
/// of a `PaddingMode`, kept apart from the closed form C is built with
/// (`PaddingMode.source`), so that the routes check it.
///
/// In one dimension with input size i and padding p_before, p_after, the
/// padded signal has p_before + i + p_after positions, the data at
/// p_before + x, and the padding filled
///
/// - `zeros`: with zeros;
/// - `reflect`: position p_before − j with element j, position p_before + i − 1 + j
///   with element i − 1 − j (j ≥ 1: the mirror image without the edge);
/// - `replicate`: before with element 0, after with element i − 1;
/// - `circular`: position p_before − j with element i − j, position p_before + i + j
///   with element j (the input once more on either side).
///
/// The convolution is then the same convolution over the padded signal with
/// no padding (`padded`), and its transpose that convolution's transpose
/// followed by `fold`, which adds every padded position back onto the element
/// it copies: the adjoint of padding.
struct PaddedInput {
    /// The convolution as described.
    let geometry: ConvolutionGeometry
    /// The same convolution over the padded input, with no padding.
    let padded: ConvolutionGeometry
    /// Per dimension, the element each padded position holds, or −1 for a zero.
    let sources: [[Int]]

    init(_ geometry: ConvolutionGeometry) {
        self.geometry = geometry
        // The geometry's own checks made the padded sizes fit into 64 bits.
        guard let padded = try? geometry.overPaddedInput() else { preconditionFailure("PaddedInput: the padded input does not fit") }
        self.padded = padded
        sources = (0..<geometry.spatialRank).map { d in
            Self.sources(
                input: geometry.inputSize[d], before: geometry.paddingBefore[d], after: geometry.paddingAfter[d], mode: geometry.paddingMode)
        }
    }

    /// The element each padded position of one dimension holds (−1: a zero), filled region by region.
    static func sources(input i: Int, before: Int, after: Int, mode: PaddingMode) -> [Int] {
        var sources = [Int](repeating: -1, count: before + i + after)
        for x in 0..<i { sources[before + x] = x }
        switch mode {
        case .zeros:
            break
        case .reflect:
            for j in stride(from: 1, through: before, by: 1) { sources[before - j] = j }
            for j in stride(from: 1, through: after, by: 1) { sources[before + i - 1 + j] = i - 1 - j }
        case .replicate:
            for j in 0..<before { sources[j] = 0 }
            for j in 0..<after { sources[before + i + j] = i - 1 }
        case .circular:
            for j in stride(from: 1, through: before, by: 1) { sources[before - j] = i - j }
            for j in 0..<after { sources[before + i + j] = j }
        }
        return sources
    }

    /// The offset within one input channel of the element that padded
    /// position `position` (one coordinate per dimension) holds, or −1 for a zero.
    func offset(ofPadded position: [Int], inputStrides: [Int]) -> Int {
        var offset = 0
        for d in 0..<position.count {
            let x = sources[d][position[d]]
            if x < 0 { return -1 }
            offset += x * inputStrides[d]
        }
        return offset
    }

    /// The padded signal of `x` ([C_in, i…] → [C_in, padded…]).
    func pad(_ x: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: padded.columnCount)
        forEachCopy { target, source in result[target] = x[source] }
        return result
    }

    /// The adjoint of `pad`: every padded position's value added onto the element it copies ([C_in, padded…] → [C_in, i…]).
    func fold(_ z: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: geometry.columnCount)
        forEachCopy { target, source in result[source] += z[target] }
        return result
    }

    /// Calls `body(padded, element)` for every position of the padded signal that holds an element:
    /// its index in [C_in, padded…] and the element's in [C_in, i…].
    private func forEachCopy(_ body: (_ padded: Int, _ element: Int) -> Void) {
        let strides = rowMajorStrides(geometry.inputSize)
        var target = 0
        for channel in 0..<geometry.inChannels {
            let base = channel * geometry.inputVolume
            forEachIndex(of: padded.inputSize) { position in
                let offset = self.offset(ofPadded: position, inputStrides: strides)
                if offset >= 0 { body(target, base + offset) }
                target += 1
            }
        }
    }

    /// `kernel`'s weights on the convolution over the padded input.
    func kernel(_ kernel: Kernel) -> Kernel {
        guard let moved = try? Kernel(kernel.values, geometry: padded) else { preconditionFailure("PaddedInput: the kernel does not fit") }
        return moved
    }
}
