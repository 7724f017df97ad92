/// The transposed convolution computed as an ordinary, stride-1 convolution
/// of a zero-inserted, padded input (Dumoulin & Visin, "A guide to
/// convolution arithmetic", §4.6: their "equivalent direct convolution").
///
/// For the convolution C of `geometry` (input i, output o, kernel k, stride
/// s, dilation d, padding p_before and p_after), the transposed convolution
/// z = Cᵀ·y is, in every spatial dimension j:
///
/// 1. insert s − 1 zeros between neighbouring elements of y, giving
///    (o − 1)·s + 1 positions;
/// 2. pad with d(k − 1) − p_before zeros at the start and
///    d(k − 1) − p_after + a zeros at the end, *cropping* instead when an
///    amount is negative, where
///
///        a = i − [(o − 1)·s − p_before − p_after + d(k − 1) + 1]
///
///    is the output padding (PyTorch's `output_padding`, the paper's a =
///    (i + 2p − k) mod s): the input positions the convolution's windows
///    never reached, which receive only zeros;
/// 3. convolve with stride 1, the same dilation d and no padding, using the
///    kernel flipped in every spatial dimension with its channel axes
///    swapped: w′[c, m, κ] = w[g·(C_out/groups) + m, c − g·(C_in/groups), k − 1 − κ]
///    for output channel c in group g = ⌊c / (C_in/groups)⌋.
///
/// The padded length is (o − 1)s + 1 + 2d(k − 1) − p_before − p_after + a
/// = i + d(k − 1), so the stride-1 convolution returns exactly i positions.
/// Nothing here uses C or the scatter loop: it is a separate derivation of
/// the same linear map, which is why it makes an independent check.
package struct ZeroInsertion: Hashable, Sendable {
    /// The convolution whose transpose is computed.
    package let geometry: ConvolutionGeometry
    /// Zeros inserted between neighbouring elements, s − 1, per dimension.
    package let insertedZeros: [Int]
    /// Zeros added before the zero-inserted input, d(k − 1) − p_before (negative: positions cropped).
    package let paddingBefore: [Int]
    /// Zeros added after it, d(k − 1) − p_after + a (negative: positions cropped).
    package let paddingAfter: [Int]
    /// The output padding a included in `paddingAfter`, per dimension.
    package let outputPadding: [Int]
    /// Size of the padded, zero-inserted input of the stride-1 convolution, i + d(k − 1).
    package let expandedSize: [Int]

    /// Works out the zero insertion and padding for `geometry`'s transpose.
    ///
    /// - Parameter geometry: the convolution whose transpose the zero-insertion form computes.
    /// - Complexity: O(rank) time and memory: only sizes are worked out here.
    package init(geometry: ConvolutionGeometry) {
        self.geometry = geometry
        var inserted = [Int](), before = [Int](), after = [Int](), extra = [Int](), expanded = [Int]()
        for d in 0..<geometry.spatialRank {
            let reach = geometry.dilation[d] * (geometry.kernelSize[d] - 1)
            let spread = (geometry.outputSize[d] - 1) * geometry.stride[d] + 1
            let a = geometry.inputSize[d] - (spread - 1 - geometry.paddingBefore[d] - geometry.paddingAfter[d] + reach + 1)
            inserted.append(geometry.stride[d] - 1)
            before.append(reach - geometry.paddingBefore[d])
            after.append(reach - geometry.paddingAfter[d] + a)
            extra.append(a)
            expanded.append(spread + before[d] + after[d])
        }
        insertedZeros = inserted
        paddingBefore = before
        paddingAfter = after
        outputPadding = extra
        expandedSize = expanded
    }

    /// The input of the stride-1 convolution: y with zeros inserted and
    /// padding added or cropped, laid out [C_out, expandedSize…] row-major.
    ///
    /// - Parameter y: one sample in C's output layout [C_out, o…].
    /// - Returns: the expanded signal, C_out · Π expandedSize entries, mostly inserted zeros when the stride is large.
    /// - Complexity: O(C_out · Π expandedSize) time and memory, about s^d times the size of `y`.
    package func expand(_ y: [Double]) -> [Double] {
        let g = geometry
        precondition(y.count == g.rowCount, "ZeroInsertion.expand: y does not match the geometry")
        let volume = expandedSize.reduce(1, *)
        let strides = rowMajorStrides(expandedSize)
        var expanded = [Double](repeating: 0, count: g.outChannels * volume)
        var yIndex = 0
        for channel in 0..<g.outChannels {
            forEachIndex(of: g.outputSize) { q in
                defer { yIndex += 1 }
                var offset = channel * volume
                for d in 0..<g.spatialRank {
                    let position = q[d] * g.stride[d] + paddingBefore[d]
                    if position < 0 || position >= expandedSize[d] { return }  // cropped away
                    offset += position * strides[d]
                }
                expanded[offset] = y[yIndex]
            }
        }
        return expanded
    }

    /// The flipped, channel-swapped kernel w′ in the equivalent convolution's
    /// PyTorch order [C_in, C_out/groups, k…] (see the type's formula).
    ///
    /// - Parameter weights: the original kernel in PyTorch order [C_out, C_in/groups, k…].
    /// - Returns: the kernel w′ of the stride-1 convolution, spatially flipped, with input and output channels swapped within each group.
    /// - Complexity: O(weightCount) time and memory.
    package func equivalentKernel(_ weights: [Double]) -> [Double] {
        let g = geometry
        let taps = g.kernelVolume
        var flipped = [Double](repeating: 0, count: weights.count)
        var target = 0
        for c in 0..<g.inChannels {
            let group = c / g.inChannelsPerGroup
            for m in 0..<g.outChannelsPerGroup {
                let source = ((group * g.outChannelsPerGroup + m) * g.inChannelsPerGroup + c - group * g.inChannelsPerGroup) * taps
                // Row-major flip of every spatial axis reverses the flat tap order.
                for t in 0..<taps { flipped[target + t] = weights[source + taps - 1 - t] }
                target += taps
            }
        }
        return flipped
    }

    /// z = Cᵀ·y by the three steps above; `y` in C's output layout
    /// [C_out, o…], the result in its input layout [C_in, i…].
    ///
    /// - Parameters:
    ///   - y: one sample in C's output layout [C_out, o…].
    ///   - weights: the original kernel in PyTorch order; it is flipped here.
    /// - Returns: Cᵀ·y in C's input layout [C_in, i…].
    /// - Complexity: O(C_in · C_out/groups · Π i · Π k) time — every tap over every output position, including
    ///   the products with inserted zeros, so about s^d times nnz(C); O(C_out · Π expandedSize) memory for the
    ///   expanded signal.
    package func apply(_ y: [Double], weights: [Double]) -> [Double] {
        let g = geometry
        precondition(weights.count == g.weightCount, "ZeroInsertion.apply: weights do not match the geometry")
        let expanded = expand(y)
        let kernel = equivalentKernel(weights)
        let expandedVolume = expandedSize.reduce(1, *)
        let expandedStrides = rowMajorStrides(expandedSize)
        let tapOffsets = kernelTapOffsets(strides: expandedStrides)
        var z = [Double](repeating: 0, count: g.columnCount)
        var zIndex = 0
        for c in 0..<g.inChannels {
            let group = c / g.inChannelsPerGroup
            forEachIndex(of: g.inputSize) { t in
                var windowStart = 0
                for d in 0..<g.spatialRank { windowStart += t[d] * expandedStrides[d] }
                var sum = 0.0
                for m in 0..<g.outChannelsPerGroup {
                    let base = (group * g.outChannelsPerGroup + m) * expandedVolume + windowStart
                    let kernelBase = (c * g.outChannelsPerGroup + m) * tapOffsets.count
                    for (tap, offset) in tapOffsets.enumerated() {
                        sum += kernel[kernelBase + tap] * expanded[base + offset]
                    }
                }
                z[zIndex] = sum
                zIndex += 1
            }
        }
        return z
    }

    /// Offset of every dilated kernel tap from the window's corner, in row-major tap order.
    private func kernelTapOffsets(strides: [Int]) -> [Int] {
        var offsets = [Int]()
        forEachIndex(of: geometry.kernelSize) { k in
            var offset = 0
            for d in 0..<geometry.spatialRank { offset += k[d] * geometry.dilation[d] * strides[d] }
            offsets.append(offset)
        }
        return offsets
    }
}

/// The transposed convolution Cᵀ·y of `kernel`'s convolution by zero
/// insertion, padding and a stride-1 convolution with the flipped kernel;
/// see `ZeroInsertion` for the formulas.
///
/// - Parameters:
///   - y: one sample in C's output layout [C_out, spatial…].
///   - kernel: the weights and the convolution whose transpose is applied.
/// - Returns: Cᵀ·y in C's input layout [C_in, spatial…].
/// With a `PaddingMode` other than zeros the transpose is that of the
/// convolution over the padded input (no cropping), followed by
/// `PaddedInput.fold`, which adds each padded position onto the element it copies.
///
/// - Complexity: as `ZeroInsertion.apply(_:weights:)`: about s^d · nnz(C) time, since the inserted zeros are
///   multiplied too, which is why frameworks do not compute it this way.
public func zeroInsertionTransposedConvolution(_ y: [Double], kernel: Kernel) -> [Double] {
    if kernel.geometry.paddingMode != .zeros {
        let padded = PaddedInput(kernel.geometry)
        return padded.fold(ZeroInsertion(geometry: padded.padded).apply(y, weights: kernel.values))
    }
    return ZeroInsertion(geometry: kernel.geometry).apply(y, weights: kernel.values)
}
