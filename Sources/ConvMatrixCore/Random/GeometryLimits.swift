/// What `GeometryDraw` may draw. Each caller keeps its own limits, because
/// they differ on purpose: `verify --random` weights its choices and bounds
/// the work of a sweep, `convmat cases` draws what the frameworks can call
/// by name within `--max-size` and `--max-channels`, ConvMatrixTesting
/// follows a user's `ConvolutionLimits`, our property tests draw small
/// convolutions.
///
/// Most limits are lists drawn with `RandomChoices.element(of:)`, so a value
/// that appears twice is drawn twice as often (`ranks: [1, 1, 2, 2, 3]`
/// makes 3-D cases rarer); a range is written `Array(1...3)`.
package struct GeometryLimits: Hashable, Sendable {
    /// Which operation a draw describes.
    package enum Operation: Hashable, Sendable {
        /// y = C·x: sizes drawn for the convolution's input.
        case convolution
        /// z = Cᵀ·y described as a transposed convolution: its input i′ is
        /// drawn, then an output size its framework's rule accepts.
        case transposed
        /// z = Cᵀ·g as the gradient of a drawn convolution (`conv_input_grad`):
        /// drawn like `.convolution`, made `ConvolutionOperator.transposing(_:)`.
        case inputGradient
        /// ∂L/∂w = X(x)ᵀ·g for a drawn convolution (`conv_weight_grad`): drawn like `.convolution`, described as it.
        case weightGradient
    }

    /// Whose rules the transposed output sizes and the channel groups follow.
    package enum Convention: Hashable, Sendable {
        /// Numeric padding takes an `output_padding` a with 0 ≤ a < max(s, d);
        /// SAME and VALID, which PyTorch's transposed convolutions do not take,
        /// take TensorFlow's `output_shape` rule; groups are drawn.
        case pytorch
        /// Every padding takes the sizes `output_shape` accepts, those a
        /// convolution with that padding maps back to i′
        /// (`TransposedOutputSizes.convolutionMapsBack`); no groups.
        case tensorflow
    }

    /// How padding is described.
    package enum PaddingForm: Hashable, Sendable {
        /// Amounts before and after drawn independently.
        case asymmetric
        /// One amount per dimension, before and after alike.
        case symmetric
        /// TensorFlow's SAME.
        case same
        /// No padding.
        case valid
    }

    /// How channels are drawn (always those of the convolution C: C_in
    /// enters C, C_out leaves it, whatever the operation).
    package enum Channels: Hashable, Sendable {
        /// A number of groups, then C_in/groups and C_out/groups each from
        /// `channels`: the product bounds nothing, each number shrinks alone.
        case perGroup(groups: [Int], channels: [Int])
        /// C_in and C_out each from `channels`; then, with probability
        /// `groupedShare` (and never under TensorFlow), groups drawn among the
        /// common divisors above 1, when there are any; then, still without
        /// groups, with probability `singleShare` one channel each way.
        /// The counts themselves stay within `channels`.
        case totals(channels: [Int], groupedShare: Double, singleShare: Double)
    }

    /// The operations drawn from.
    package var operations: [Operation]
    /// The rules of transposed output sizes and groups.
    package var convention: Convention
    /// Whether a padding rule must be one the convention's framework takes
    /// by name for the operation: under PyTorch, `same` only for a
    /// convolution, whose stride then becomes 1 (PyTorch's `padding="same"`
    /// takes no other), and neither `same` nor `valid` for the other
    /// operations (each becomes the next one allowed: same → valid → zeros);
    /// under TensorFlow, explicit amounts only in 2-D (`tf.nn.conv2d`),
    /// elsewhere SAME or VALID drawn instead. A form so replaced must still
    /// be among `paddingForms`, or the draw stops.
    package var frameworkCallable: Bool
    /// Spatial ranks.
    package var ranks: [Int]
    /// Kernel taps per dimension.
    package var kernel: [Int]
    /// Stride per dimension.
    package var stride: [Int]
    /// Dilation per dimension.
    package var dilation: [Int]
    /// Samples in a batch.
    package var batch: [Int]
    /// How channels and groups are drawn.
    package var channels: Channels
    /// The padding forms.
    package var paddingForms: [PaddingForm]
    /// Zeros on each side, per dimension, for the numeric forms.
    package var padding: [Int]
    /// What fills the padding of a convolution or input gradient under the
    /// PyTorch convention (PyTorch's `padding_mode`); drawn only when it holds
    /// more than `.zeros`, so that limits without modes draw what they drew before.
    package var paddingModes: [PaddingMode]
    /// Every spatial extent — the operation's input and output, the
    /// convolution's padded input — lies in this range; a kernel whose
    /// dilated span exceeds it is not drawn further.
    package var size: ClosedRange<Int>
    /// How much the convolution's input exceeds the smallest one that the
    /// padded, dilated kernel fits (within `size` as well).
    package var extraInput: ClosedRange<Int>
    /// The transposed convolution's input i′.
    package var transposedInput: ClosedRange<Int>
    /// Whether a transposed output may be larger than the smallest size its
    /// rule accepts (an `output_padding` above 0); without it none is drawn.
    package var outputPadding: Bool
    /// Whether inputs under SAME are at least the dilated kernel's span, as
    /// under VALID (`convmat cases`), rather than down to `size`'s lower end,
    /// where SAME pads more than the input holds.
    package var sameInputHoldsKernel: Bool
    /// The most multiply-adds a drawn case may cost — nonzeros of C times
    /// the batch — or nil when the caller bounds the work itself (verify its
    /// own way; `convmat cases` after drawing the data, so that its draws
    /// per seed stay what they were).
    package var maxWork: Int?

    /// Limits with every field given; the defaults are those most callers share.
    ///
    /// - Parameters: see the properties of the same names.
    package init(
        operations: [Operation], convention: Convention = .pytorch, frameworkCallable: Bool = false,
        ranks: [Int], kernel: [Int], stride: [Int], dilation: [Int], batch: [Int] = [1],
        channels: Channels, paddingForms: [PaddingForm], padding: [Int], paddingModes: [PaddingMode] = [.zeros],
        size: ClosedRange<Int>, extraInput: ClosedRange<Int> = 0...Int.max, transposedInput: ClosedRange<Int>,
        outputPadding: Bool = true, sameInputHoldsKernel: Bool = false, maxWork: Int? = nil
    ) {
        self.operations = operations
        self.convention = convention
        self.frameworkCallable = frameworkCallable
        self.ranks = ranks
        self.kernel = kernel
        self.stride = stride
        self.dilation = dilation
        self.batch = batch
        self.channels = channels
        self.paddingForms = paddingForms
        self.padding = padding
        self.paddingModes = paddingModes
        self.size = size
        self.extraInput = extraInput
        self.transposedInput = transposedInput
        self.outputPadding = outputPadding
        self.sameInputHoldsKernel = sameInputHoldsKernel
        self.maxWork = maxWork
    }
}
