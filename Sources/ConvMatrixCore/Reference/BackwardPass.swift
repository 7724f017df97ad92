import _Differentiation

/// The transposed convolution as the backward pass of the convolution:
///
///     Cᵀ·y = ∇ₓ ⟨y, C·x⟩,
///
/// because ⟨y, Cx⟩ = Σ_r y_r Σ_c C[r, c] x_c is linear in x with
/// ∂/∂x_c = Σ_r C[r, c] y_r = (Cᵀy)_c. The gradient is taken by Swift's
/// automatic differentiation through `convolutionPairing`, a plain loop
/// over the convolution's definition; neither C nor the scatter or
/// zero-insertion routes are involved, and the only derivative written by
/// hand is that of reading one element. This is what a framework's
/// `loss.backward()` does, and why PyTorch computes `ConvTranspose` with
/// the convolution's backward kernel.
///
/// - Parameters:
///   - y: one sample in C's output layout [C_out, spatial…], `geometry.rowCount` entries.
///   - kernel: the weights and the convolution whose transpose is applied.
/// - Returns: Cᵀ·y in C's input layout [C_in, spatial…], `geometry.columnCount` entries.
/// - Complexity: O(C_out · o · C_in/groups · k) time, every tap visited once forwards and once in the
///   pullback; memory proportional to the same count for the pullbacks automatic differentiation records.
public func backwardPassTransposedConvolution(_ y: [Double], kernel: Kernel) -> [Double] {
    let geometry = kernel.geometry
    precondition(y.count == geometry.rowCount, "backwardPassTransposedConvolution: y does not match the geometry")
    // The pairing is linear in x, so its gradient is the same at every x; 0 is as good as any.
    let x = DifferentiableSignal([Double](repeating: 0, count: geometry.columnCount))
    let g = gradient(at: x) { x in convolutionPairing(x, y, kernel) }
    return g.dense(length: geometry.columnCount)
}

/// ⟨y, conv(x)⟩ = Σ_o Σ_q y[o, q] · Σ_i Σ_k w[o, i, k] · x[g·(C_in/groups) + i, q·s − p_before + k·d],
/// written as nested loops over output channel, output position, input
/// channel of the group and kernel tap, skipping taps that land on zeros of
/// the padding and reading, for a tap on a copy (reflect, replicate,
/// circular), the element it copies (`PaddedInput`). Index arithmetic is on
/// integers, which automatic differentiation leaves alone; only the reads of
/// x carry derivatives, so a copy read twice sends its gradient back twice.
@differentiable(reverse,wrt: x)
func convolutionPairing(_ x: DifferentiableSignal, _ y: [Double], _ kernel: Kernel) -> Double {
    let g = kernel.geometry
    let w = kernel.values
    let rank = g.spatialRank
    let inStrides = rowMajorStrides(g.inputSize)
    let padding = PaddedInput(g)
    var total = 0.0
    var row = 0
    for o in 0..<g.outChannels {
        let group = o / g.outChannelsPerGroup
        var q = [Int](repeating: 0, count: rank)
        for _ in 0..<g.outputVolume {
            var sum = 0.0
            for i in 0..<g.inChannelsPerGroup {
                let channelBase = (group * g.inChannelsPerGroup + i) * g.inputVolume
                var k = [Int](repeating: 0, count: rank)
                for tap in 0..<g.kernelVolume {
                    let offset = inputOffset(g, padding, q, k, inStrides)
                    if offset >= 0 {
                        sum = sum + w[(o * g.inChannelsPerGroup + i) * g.kernelVolume + tap] * x.element(channelBase + offset)
                    }
                    advance(&k, within: g.kernelSize)
                }
            }
            total = total + y[row] * sum
            row += 1
            advance(&q, within: g.outputSize)
        }
    }
    return total
}

/// Offset inside one input channel of the element that tap k of the window
/// at output position q reads (padded position q·s + k·d), or −1 when it reads a zero of the padding.
private func inputOffset(_ g: ConvolutionGeometry, _ padding: PaddedInput, _ q: [Int], _ k: [Int], _ strides: [Int]) -> Int {
    var offset = 0
    for d in 0..<g.spatialRank {
        let x = padding.sources[d][q[d] * g.stride[d] + k[d] * g.dilation[d]]
        if x < 0 { return -1 }
        offset += x * strides[d]
    }
    return offset
}
