import ConvMatrixCore
import ConvMatrixInterchange

/// A 1-D or 2-D convolution as the pictures see it: every size as
/// [rows, columns], a 1-D signal being a single row.
///
/// In dimension j, window t_j starts at t_j·s_j in the padded input and
/// reads the taps t_j·s_j + k·d_j for 0 ≤ k < k_j (padded coordinates,
/// padding p_j,before first).
struct Plane {
    let input: [Int]
    let kernel: [Int]
    let stride: [Int]
    let dilation: [Int]
    let before: [Int]
    let after: [Int]
    let output: [Int]

    /// The picture view of `geometry`; 3-D and higher convolutions are refused.
    init(_ geometry: ConvolutionGeometry) throws(RenderingError) {
        func lift(_ values: [Int], _ filler: Int) -> [Int] { values.count == 1 ? [filler] + values : values }
        guard geometry.spatialRank <= 2 else {
            throw .invalid(
                field: "input", reason: "has \(geometry.spatialRank) spatial dimensions; pictures are drawn for 1-D and 2-D convolutions (spy draws any)")
        }
        input = lift(geometry.inputSize, 1)
        kernel = lift(geometry.kernelSize, 1)
        stride = lift(geometry.stride, 1)
        dilation = lift(geometry.dilation, 1)
        before = lift(geometry.paddingBefore, 0)
        after = lift(geometry.paddingAfter, 0)
        output = lift(geometry.outputSize, 1)
        for d in 0..<2 {
            let extent = Checked.saturating { () throws(GeometryError) in
                max(
                    try Checked.sum([before[d], input[d], after[d]], "picture"),
                    try Checked.multiply(output[d], stride[d], "picture"))
            }
            guard extent > Plane.limit else { continue }
            let across = extent == Int.max ? "more than \(Int.max)" : "\(extent)"
            throw .tooLarge(
                "this picture would be \(across) cells across, too large to draw cell by cell (at most \(Plane.limit) cells per dimension, padding and inserted zeros included); the spy picture draws C at any size"
            )
        }
    }

    /// The most cells a grid may have per dimension; beyond it a picture would be unreadable and huge.
    static let limit = 64

    /// Size of the padded input, p_before + i + p_after.
    var padded: [Int] { (0..<2).map { before[$0] + input[$0] + after[$0] } }
    /// Extent of the dilated kernel, d·(k − 1) + 1.
    var span: [Int] { (0..<2).map { dilation[$0] * (kernel[$0] - 1) + 1 } }
    /// Number of output positions (windows).
    var steps: Int { output[0] * output[1] }

    /// The output position of window `step`, counted row-major.
    func outputPosition(_ step: Int) -> [Int] { [step / output[1], step % output[1]] }

    /// Padded coordinates, per dimension, that some window's tap reads.
    func readPositions(_ d: Int) -> Set<Int> {
        var read = Set<Int>()
        for o in 0..<output[d] { for k in 0..<kernel[d] { read.insert(o * stride[d] + k * dilation[d]) } }
        return read
    }

    /// The unused remainder at the end, padded − ((o − 1)·s + span): the
    /// positions no window reaches (PyTorch's output_padding for the transpose).
    var leftover: [Int] { (0..<2).map { padded[$0] - ((output[$0] - 1) * stride[$0] + span[$0]) } }

    /// A setting for captions: "2" for a 1-D one or when both dimensions agree, else "2×1".
    func setting(_ values: [Int], rank: Int) -> String {
        rank == 1 ? "\(values[1])" : compactSize(values)
    }
}

/// A kernel tap's name with subscripts, w₀,₂ (2-D) or w₂ (1-D); `letter` names other tensors the same way.
func tapName(_ letter: String, _ tap: [Int], rank: Int) -> String {
    let digits: [Character: Character] = [
        "0": "₀", "1": "₁", "2": "₂", "3": "₃", "4": "₄", "5": "₅", "6": "₆", "7": "₇", "8": "₈", "9": "₉",
    ]
    let indices = (rank == 1 ? [tap[1]] : tap).map { String(String($0).map { digits[$0] ?? $0 }) }
    return letter + indices.joined(separator: ",")
}
