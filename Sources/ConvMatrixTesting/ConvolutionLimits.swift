import ConvMatrix

/// What the generators may draw: the knobs that narrow the cases to what an
/// implementation supports ("2-D only, groups 1, no dilation") and bound the
/// work of each case.
///
/// Every range is closed and drawn uniformly; shrinking moves each drawn
/// number towards the lower end of its range (towards 0 where the range
/// holds it), so a failing case shrinks to the smallest kernel, stride,
/// dilation, padding, channels and batch that still fail. The defaults
/// cover everything ConvMatrix describes: 1-D to 3-D, stride and dilation
/// 1–3 (so dilation above the stride), symmetric and asymmetric padding,
/// SAME and VALID, PyTorch's four padding modes (for `conv` and
/// `conv_input_grad` in the PyTorch layout), groups, several channels,
/// batches, and for transposed convolutions every `output_padding` PyTorch accepts. Among them are
/// 2 groups of 2 channels and real values whose Float64 bound Float32 arithmetic exceeds, so an
/// implementation that reads a group's channels interleaved or sums in `Float` fails; extents stop
/// at 8, so one that works in tiles of 8 needs a larger `size`.
///
/// ```swift
/// // A 2-D convolution with zero padding, without groups or dilation, on inputs up to 16×16:
/// let limits = ConvolutionLimits(ranks: 2...2, size: 1...16, dilation: 1...1, paddingModes: [.zeros], groups: 1...1)
/// ```
public struct ConvolutionLimits: Hashable, Sendable {
    /// How padding is described; the generators draw among `paddingForms`.
    ///
    /// The order is that of shrinking: independent amounts first, because
    /// each side's amount then shrinks on its own (to 1:0 rather than 1:1).
    public enum PaddingForm: String, CaseIterable, Hashable, Sendable {
        /// Independent amounts before and after (what `F.pad` before a convolution gives,
        /// TensorFlow's explicit list of pairs).
        case asymmetric
        /// The same amount before and after the data in each dimension (PyTorch's integer `padding`).
        case symmetric
        /// TensorFlow's SAME: output ⌈i/s⌉, total padding split with the odd zero at the end.
        case same
        /// No padding; windows that would leave the input are dropped.
        case valid
    }

    /// Spatial dimensions: 1 for signals, 2 for images, 3 for volumes (within 1…3).
    public var ranks: ClosedRange<Int>
    /// Every spatial extent of a case lies in this range: the operation's
    /// input, its output, and the convolution's padded input.
    public var size: ClosedRange<Int>
    /// Kernel taps per dimension.
    public var kernel: ClosedRange<Int>
    /// Stride per dimension.
    public var stride: ClosedRange<Int>
    /// Dilation per dimension (1 = an ordinary kernel).
    public var dilation: ClosedRange<Int>
    /// Zeros before and after the data, each side, for the numeric padding forms.
    public var padding: ClosedRange<Int>
    /// The padding forms drawn from, the first being where shrinking goes.
    public var paddingForms: [PaddingForm]
    /// What fills the padding (PyTorch's `padding_mode`), the first being where
    /// shrinking goes: drawn for `conv` and `conv_input_grad` in the PyTorch layout
    /// (`ConvolutionTestCase.convolution.paddingMode`); `conv_transpose` and the
    /// TensorFlow layout always have zeros.
    public var paddingModes: [PaddingMode]
    /// Channel groups (`groups`); the TensorFlow layout always has 1.
    public var groups: ClosedRange<Int>
    /// Input and output channels per group: C_in = groups · this, and likewise C_out.
    public var channelsPerGroup: ClosedRange<Int>
    /// Samples in the batch (N).
    public var batch: ClosedRange<Int>
    /// Whether a transposed convolution may have a nonzero `output_padding`
    /// (under SAME or VALID: an output size above the smallest the rule
    /// accepts). Without it every transposed output has the smallest size.
    public var outputPadding: Bool
    /// The most general numbers drawn for kernels and inputs (see `ConvolutionValues`).
    public var values: ConvolutionValues
    /// Whether `conv` and `conv_transpose` cases may carry a `bias` (in about half of them; a failing
    /// case shrinks towards none). Set through `init(…, bias: false, …)` for an implementation that has no bias
    /// (package access keeps the public API within its budget).
    package var bias: Bool
    /// The most multiply-adds a case may cost: nonzeros of C times the batch size. 4 096 by default,
    /// far below `convmat cases --max-work` (100 000) on purpose: a property test draws its cases on
    /// every run and shrinks a failure from where it was drawn, so they stay small; the command writes
    /// one set of larger cases (extents to 16), whose sizes bound the work before that ceiling does.
    public var maxWork: Int

    /// Limits with every knob at its default unless given.
    ///
    /// - Parameters:
    ///   - ranks: spatial dimensions, within 1…3 (default 1…3).
    ///   - size: every spatial extent (default 1…8).
    ///   - kernel: taps per dimension (default 1…3).
    ///   - stride: per dimension (default 1…3).
    ///   - dilation: per dimension (default 1…3).
    ///   - padding: zeros on each side for the numeric forms (default 0…2).
    ///   - paddingForms: the forms drawn (default all four, asymmetric first).
    ///   - paddingModes: the padding modes drawn (default all four, zeros first).
    ///   - groups: channel groups (default 1…2).
    ///   - channelsPerGroup: channels per group, input and output (default 1…2).
    ///   - batch: samples (default 1…2).
    ///   - outputPadding: whether transposed outputs may be larger than the smallest (default true).
    ///   - values: the most general numbers drawn (default `.reals`).
    ///   - bias: whether `conv` and `conv_transpose` cases may carry a bias (default true).
    ///   - maxWork: multiply-adds per case, nonzeros of C × batch (default 4 096).
    public init(
        ranks: ClosedRange<Int> = 1...3,
        size: ClosedRange<Int> = 1...8,
        kernel: ClosedRange<Int> = 1...3,
        stride: ClosedRange<Int> = 1...3,
        dilation: ClosedRange<Int> = 1...3,
        padding: ClosedRange<Int> = 0...2,
        paddingForms: [PaddingForm] = PaddingForm.allCases,
        paddingModes: [PaddingMode] = PaddingMode.allCases,
        groups: ClosedRange<Int> = 1...2,
        channelsPerGroup: ClosedRange<Int> = 1...2,
        batch: ClosedRange<Int> = 1...2,
        outputPadding: Bool = true,
        values: ConvolutionValues = .reals,
        bias: Bool = true,
        maxWork: Int = 4096
    ) {
        self.ranks = ranks
        self.size = size
        self.kernel = kernel
        self.stride = stride
        self.dilation = dilation
        self.padding = padding
        self.paddingForms = paddingForms
        self.paddingModes = paddingModes
        self.groups = groups
        self.channelsPerGroup = channelsPerGroup
        self.batch = batch
        self.outputPadding = outputPadding
        self.values = values
        self.bias = bias
        self.maxWork = maxWork
    }

    /// The problems that keep these limits from producing any case, one
    /// sentence each (empty when the limits are usable). The generators
    /// check this once, when they are made, and stop with the sentences.
    package var problems: [String] {
        var found = [String]()
        func require(_ range: ClosedRange<Int>, _ name: String, atLeast minimum: Int) {
            if range.lowerBound < minimum { found.append("\(name) = \(range) must not go below \(minimum)") }
        }
        require(ranks, "ranks", atLeast: 1)
        if ranks.upperBound > 3 { found.append("ranks = \(ranks) must stay within 1...3") }
        require(size, "size", atLeast: 1)
        require(kernel, "kernel", atLeast: 1)
        require(stride, "stride", atLeast: 1)
        require(dilation, "dilation", atLeast: 1)
        require(padding, "padding", atLeast: 0)
        require(groups, "groups", atLeast: 1)
        require(channelsPerGroup, "channelsPerGroup", atLeast: 1)
        require(batch, "batch", atLeast: 1)
        for (range, name) in [
            (size, "size"), (kernel, "kernel"), (stride, "stride"), (dilation, "dilation"),
            (padding, "padding"), (groups, "groups"), (channelsPerGroup, "channelsPerGroup"), (batch, "batch"),
        ]
        where range.upperBound > 64 {
            found.append("\(name) = \(range) must stay at or below 64, so that every case stays small")
        }
        if paddingForms.isEmpty { found.append("paddingForms is empty; allow at least one form") }
        if paddingModes.isEmpty { found.append("paddingModes is empty; allow at least one mode, such as .zeros") }
        if maxWork < 1 { found.append("maxWork = \(maxWork) must be at least 1") }
        return found
    }
}

/// Which numbers fill kernels and inputs, from the simplest up. A case draws
/// a kind up to `ConvolutionLimits.values` and shrinking moves it towards
/// `.ones`, so a failure that shows with all ones is reported with all ones.
public enum ConvolutionValues: Int, CaseIterable, Comparable, Hashable, Sendable {
    /// Every value 1.
    case ones
    /// Whole numbers −4…4: every sum is exact, so a correct implementation agrees to the last bit.
    case integers
    /// Multiples of 1/4 in −2…2: exact too, and not whole.
    case quarters
    /// Uniform reals in [−1, 1): sums round, and the oracle's bound says by how much they may.
    case reals

    /// Orders the kinds from `.ones` to `.reals`.
    ///
    /// - Parameters:
    ///   - a: one kind of values.
    ///   - b: another.
    /// - Returns: true when `a` draws simpler numbers than `b`, so shrinking moves towards `.ones`.
    public static func < (a: ConvolutionValues, b: ConvolutionValues) -> Bool { a.rawValue < b.rawValue }
}
