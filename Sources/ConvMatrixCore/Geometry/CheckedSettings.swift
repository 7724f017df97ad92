/// The settings a convolution and a transposed convolution share, checked
/// the same way for both, once: every list has one value per spatial
/// dimension (or one for all), every size, stride and dilation is at least
/// 1, channels and groups are at least 1 and the channels divide into the
/// groups. Field names are those of the operation as described (for a
/// transposed convolution: its own channels, not the swapped ones of the
/// convolution it transposes).
struct CheckedSettings {
    /// Per-dimension values, expanded to the input's rank.
    let kernel: [Int], stride: [Int], dilation: [Int]
    /// Extent of each dilated kernel, d·(k − 1) + 1.
    let spans: [Int]

    init(
        input: [Int], kernel: [Int], stride: [Int], dilation: [Int],
        inChannels: Int, outChannels: Int, groups: Int
    ) throws(GeometryError) {
        let rank = input.count
        guard rank >= 1 else { throw .invalid(field: "input", reason: "needs at least one spatial dimension") }
        let kernel = try broadcast(kernel, field: "kernel", rank: rank)
        let stride = try broadcast(stride, field: "stride", rank: rank)
        let dilation = try broadcast(dilation, field: "dilation", rank: rank)
        for d in 0..<rank {
            if input[d] < 1 { throw .tooSmall(field: "input[\(d)]", value: input[d], minimum: 1) }
            if kernel[d] < 1 { throw .tooSmall(field: "kernel[\(d)]", value: kernel[d], minimum: 1) }
            if stride[d] < 1 { throw .tooSmall(field: "stride[\(d)]", value: stride[d], minimum: 1) }
            if dilation[d] < 1 { throw .tooSmall(field: "dilation[\(d)]", value: dilation[d], minimum: 1) }
        }
        if groups < 1 { throw .tooSmall(field: "groups", value: groups, minimum: 1) }
        if inChannels < 1 { throw .tooSmall(field: "in_channels", value: inChannels, minimum: 1) }
        if outChannels < 1 { throw .tooSmall(field: "out_channels", value: outChannels, minimum: 1) }
        if inChannels % groups != 0 { throw .channelsNotDivisible(field: "in_channels", channels: inChannels, groups: groups) }
        if outChannels % groups != 0 { throw .channelsNotDivisible(field: "out_channels", channels: outChannels, groups: groups) }
        var spans = [Int]()
        for d in 0..<rank {
            let reach = try Checked.multiply(dilation[d], kernel[d] - 1, "kernel span dilation·(kernel−1)", field: "dilation[\(d)]")
            spans.append(try Checked.add(reach, 1, "kernel span dilation·(kernel−1) + 1", field: "kernel[\(d)]"))
        }
        self.kernel = kernel
        self.stride = stride
        self.dilation = dilation
        self.spans = spans
    }
}
