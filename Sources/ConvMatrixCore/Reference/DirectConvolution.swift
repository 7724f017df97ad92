/// The convolution computed by its definition, with no matrix:
///
///     y[o, q] = Σ_i Σ_k w[o, i, k] · x[g·(C_in/groups) + i, q·s − p_before + k·d]
///
/// summed over the kernel taps k whose input position lies inside the
/// unpadded input (padding contributes zeros), where g is o's group.
/// `x` is one sample flattened as [C_in, spatial…], the result as
/// [C_out, spatial…]. This is the independent route against which every
/// column of C is checked, and the forward loop that automatic
/// differentiation differentiates.
///
/// With a `PaddingMode` other than zeros the input is first padded as
/// `torch.nn.functional.pad` pads it (`PaddedInput`, region by region) and
/// then convolved with no padding, which is what `torch.nn.Conv{1,2,3}d` does.
///
/// - Parameters:
///   - x: one sample in the input layout [C_in, spatial…], `geometry.columnCount` entries.
///   - kernel: the weights and the convolution to compute.
/// - Returns: y = C·x in the output layout [C_out, spatial…], `geometry.rowCount` entries.
/// - Complexity: O(C_out · o · C_in/groups · k) time, about nnz(C) products (taps in the padding are skipped); O(rows) memory.
public func directConvolution(_ x: [Double], kernel: Kernel) -> [Double] {
    let g = kernel.geometry
    let w = kernel.values
    precondition(x.count == g.columnCount, "directConvolution: x does not match the geometry")
    if g.paddingMode != .zeros {
        let padded = PaddedInput(g)
        return directConvolution(padded.pad(x), kernel: padded.kernel(kernel))
    }
    var y = [Double](repeating: 0, count: g.rowCount)
    let inStrides = rowMajorStrides(g.inputSize)
    let rank = g.spatialRank
    var outIndex = 0
    for o in 0..<g.outChannels {
        let group = o / g.outChannelsPerGroup
        forEachIndex(of: g.outputSize) { q in
            var sum = 0.0
            for i in 0..<g.inChannelsPerGroup {
                let channel = group * g.inChannelsPerGroup + i
                let channelBase = channel * g.inputVolume
                var tapIndex = (o * g.inChannelsPerGroup + i) * g.kernelVolume
                forEachIndex(of: g.kernelSize) { k in
                    defer { tapIndex += 1 }
                    var offset = channelBase
                    for d in 0..<rank {
                        let position = q[d] * g.stride[d] - g.paddingBefore[d] + k[d] * g.dilation[d]
                        if position < 0 || position >= g.inputSize[d] { return }
                        offset += position * inStrides[d]
                    }
                    sum += w[tapIndex] * x[offset]
                }
            }
            y[outIndex] = sum
            outIndex += 1
        }
    }
    return y
}

/// The transposed convolution computed the way the d2l book draws it, with
/// no matrix: every input element times the whole kernel, written at stride
/// spacing into the larger output and summed,
///
///     z[c, q·s − p_before + k·d] += w[o, c mod (C_in/groups), k] · y[o, q],
///
/// where positions that fall outside the output are the rows and columns
/// that `padding` removes, and the output's size (including any
/// `output_padding`) is the geometry's input size. `y` is one sample of the
/// convolution's output layout [C_out, spatial…].
///
/// With a `PaddingMode` other than zeros the copies are scattered over the
/// padded input, nothing removed, and each padded position is then added onto
/// the element it copies (`PaddedInput.fold`, the adjoint of padding).
///
/// - Parameters:
///   - y: one sample in the convolution's output layout [C_out, spatial…], `geometry.rowCount` entries.
///   - kernel: the weights and the convolution whose transpose is applied.
/// - Returns: z = Cᵀ·y in the input layout [C_in, spatial…], `geometry.columnCount` entries.
/// - Complexity: O(C_out · o · C_in/groups · k) time, the same products as the direct loop in scattered order; O(columns) memory.
public func scatterTransposedConvolution(_ y: [Double], kernel: Kernel) -> [Double] {
    let g = kernel.geometry
    let w = kernel.values
    precondition(y.count == g.rowCount, "scatterTransposedConvolution: y does not match the geometry")
    if g.paddingMode != .zeros {
        let padded = PaddedInput(g)
        return padded.fold(scatterTransposedConvolution(y, kernel: padded.kernel(kernel)))
    }
    var z = [Double](repeating: 0, count: g.columnCount)
    let inStrides = rowMajorStrides(g.inputSize)
    let rank = g.spatialRank
    var yIndex = 0
    for o in 0..<g.outChannels {
        let group = o / g.outChannelsPerGroup
        forEachIndex(of: g.outputSize) { q in
            let value = y[yIndex]
            yIndex += 1
            for i in 0..<g.inChannelsPerGroup {
                let channelBase = (group * g.inChannelsPerGroup + i) * g.inputVolume
                var tapIndex = (o * g.inChannelsPerGroup + i) * g.kernelVolume
                forEachIndex(of: g.kernelSize) { k in
                    defer { tapIndex += 1 }
                    var offset = channelBase
                    for d in 0..<rank {
                        let position = q[d] * g.stride[d] - g.paddingBefore[d] + k[d] * g.dilation[d]
                        if position < 0 || position >= g.inputSize[d] { return }
                        offset += position * inStrides[d]
                    }
                    z[offset] += w[tapIndex] * value
                }
            }
        }
    }
    return z
}
