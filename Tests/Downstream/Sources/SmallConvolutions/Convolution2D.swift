/// Zeros around a 2-D input: rows above and below, columns left and right.
public struct Padding2D: Sendable {
    public var top, bottom, left, right: Int
    /// Zeros on each side, as the four amounts.
    public init(top: Int, bottom: Int, left: Int, right: Int) {
        (self.top, self.bottom, self.left, self.right) = (top, bottom, left, right)
    }
}

/// How `conv2d` is asked to pad, as TensorFlow and Keras users write it.
public enum PaddingRule: Sendable {
    /// Output ⌈i/s⌉ in each dimension: the padding that needs, split with the odd zero at the end (bottom, right).
    case same
    /// No padding: only windows that fit inside the input.
    case valid
    /// These amounts.
    case explicit(Padding2D)

    /// The amounts for an h×w input, a kh×kw kernel and a stride: SAME's total per dimension is
    /// max((⌈i/s⌉ − 1)·s + k − i, 0), half of it (rounded down) before the data, the rest after.
    public func amounts(input: (Int, Int), kernel: (Int, Int), stride: (Int, Int)) -> Padding2D {
        switch self {
        case .explicit(let padding): return padding
        case .valid: return Padding2D(top: 0, bottom: 0, left: 0, right: 0)
        case .same:
            func split(_ i: Int, _ k: Int, _ s: Int) -> (Int, Int) {
                let total = max(((i + s - 1) / s - 1) * s + k - i, 0)
                return (total / 2, total - total / 2)
            }
            let (top, bottom) = split(input.0, kernel.0, stride.0)
            let (left, right) = split(input.1, kernel.1, stride.1)
            return Padding2D(top: top, bottom: bottom, left: left, right: right)
        }
    }
}

/// `conv2d` with the padding given by rule: SAME, VALID or amounts.
public func conv2d(
    _ input: [Double], shape: [Int], weight: [Double], weightShape: [Int],
    stride: (Int, Int), padding: PaddingRule
) -> (values: [Double], shape: [Int]) {
    let amounts = padding.amounts(input: (shape[2], shape[3]), kernel: (weightShape[2], weightShape[3]), stride: stride)
    return conv2d(input, shape: shape, weight: weight, weightShape: weightShape, stride: stride, padding: amounts)
}

/// A 2-D convolution (cross-correlation, as in PyTorch) of an NCHW input with an
/// [out, in, kh, kw] kernel: no groups, no dilation. Returns the NCHW output and its shape.
public func conv2d(
    _ input: [Double], shape: [Int], weight: [Double], weightShape: [Int],
    stride: (Int, Int), padding: Padding2D
) -> (values: [Double], shape: [Int]) {
    convolve(input, shape: shape, weight: weight, weightShape: weightShape, stride: stride, padding: padding, plantedBug: false)
}

/// The same convolution with a planted off-by-one in the padding: one zero too few
/// before the data (top and left) whenever there is padding there.
public func conv2dWithPaddingBug(
    _ input: [Double], shape: [Int], weight: [Double], weightShape: [Int],
    stride: (Int, Int), padding: Padding2D
) -> (values: [Double], shape: [Int]) {
    convolve(input, shape: shape, weight: weight, weightShape: weightShape, stride: stride, padding: padding, plantedBug: true)
}

/// The gradient of sum(conv2d(x) · g) with respect to x (PyTorch's conv2d_input):
/// every element of g spreads the kernel back over the input positions it read.
public func conv2dInputGradient(
    _ gradient: [Double], inputShape: [Int], weight: [Double], weightShape: [Int],
    stride: (Int, Int), padding: Padding2D
) -> [Double] {
    let (n, c, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
    let (o, kh, kw) = (weightShape[0], weightShape[2], weightShape[3])
    let oh = (h + padding.top + padding.bottom - kh) / stride.0 + 1
    let ow = (w + padding.left + padding.right - kw) / stride.1 + 1
    var result = [Double](repeating: 0, count: n * c * h * w)
    for b in 0..<n {
        for oc in 0..<o {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    let g = gradient[((b * o + oc) * oh + oy) * ow + ox]
                    for ic in 0..<c {
                        for ky in 0..<kh {
                            for kx in 0..<kw {
                                let y = oy * stride.0 - padding.top + ky, x = ox * stride.1 - padding.left + kx
                                if y < 0 || y >= h || x < 0 || x >= w { continue }
                                result[((b * c + ic) * h + y) * w + x] += weight[((oc * c + ic) * kh + ky) * kw + kx] * g
                            }
                        }
                    }
                }
            }
        }
    }
    return result
}

/// The gradient of sum(conv2d(x, w) · g) with respect to w (PyTorch's conv2d_weight): each weight
/// entry sums, over the batch and the output positions, the gradient there times the input its tap read.
public func conv2dWeightGradient(
    _ input: [Double], shape: [Int], gradient: [Double], weightShape: [Int],
    stride: (Int, Int), padding: Padding2D
) -> [Double] {
    let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
    let (o, kh, kw) = (weightShape[0], weightShape[2], weightShape[3])
    let oh = (h + padding.top + padding.bottom - kh) / stride.0 + 1
    let ow = (w + padding.left + padding.right - kw) / stride.1 + 1
    var result = [Double](repeating: 0, count: o * c * kh * kw)
    for oc in 0..<o {
        for ic in 0..<c {
            for ky in 0..<kh {
                for kx in 0..<kw {
                    var sum = 0.0
                    for b in 0..<n {
                        for oy in 0..<oh {
                            for ox in 0..<ow {
                                let y = oy * stride.0 - padding.top + ky, x = ox * stride.1 - padding.left + kx
                                if y < 0 || y >= h || x < 0 || x >= w { continue }
                                sum += gradient[((b * o + oc) * oh + oy) * ow + ox] * input[((b * c + ic) * h + y) * w + x]
                            }
                        }
                    }
                    result[((oc * c + ic) * kh + ky) * kw + kx] = sum
                }
            }
        }
    }
    return result
}

private func convolve(
    _ input: [Double], shape: [Int], weight: [Double], weightShape: [Int],
    stride: (Int, Int), padding: Padding2D, plantedBug: Bool
) -> (values: [Double], shape: [Int]) {
    let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
    let (o, kh, kw) = (weightShape[0], weightShape[2], weightShape[3])
    let oh = (h + padding.top + padding.bottom - kh) / stride.0 + 1
    let ow = (w + padding.left + padding.right - kw) / stride.1 + 1
    // The planted bug: the window's origin uses one zero too few of the padding before the data.
    let top = plantedBug ? max(padding.top - 1, 0) : padding.top
    let left = plantedBug ? max(padding.left - 1, 0) : padding.left
    var output = [Double](repeating: 0, count: n * o * oh * ow)
    for b in 0..<n {
        for oc in 0..<o {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var sum = 0.0
                    for ic in 0..<c {
                        for ky in 0..<kh {
                            for kx in 0..<kw {
                                let y = oy * stride.0 - top + ky, x = ox * stride.1 - left + kx
                                if y < 0 || y >= h || x < 0 || x >= w { continue }
                                sum += weight[((oc * c + ic) * kh + ky) * kw + kx] * input[((b * c + ic) * h + y) * w + x]
                            }
                        }
                    }
                    output[((b * o + oc) * oh + oy) * ow + ox] = sum
                }
            }
        }
    }
    return (output, [n, o, oh, ow])
}
