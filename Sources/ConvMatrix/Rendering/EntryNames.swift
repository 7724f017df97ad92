/// How an entry of C is written: as the kernel entry it copies
/// (symbolic: w₀,₂ or, with several channels, w(1,0)₀,₂) or as a number.
public struct EntryNames: Sendable {
    /// The notation of a symbolic name.
    public enum Style: Sendable { case unicode, ascii, latex }

    let matrix: ConvolutionMatrix
    let weights: [Double]?
    let style: Style

    /// Names the entries of `matrix`; numeric when `weights` are given.
    public init(matrix: ConvolutionMatrix, weights: [Double]?, style: Style) {
        self.matrix = matrix
        self.weights = weights
        self.style = style
    }

    /// Whether names carry channel indices (more than one channel pair).
    var showsChannels: Bool {
        matrix.geometry.outChannels > 1 || matrix.geometry.inChannelsPerGroup > 1
    }

    /// The text of the nonzero that copies kernel entry `weightIndex`.
    public func name(ofWeight weightIndex: Int) -> String {
        if let weights { return formatNumber(weights[weightIndex]) }
        let (o, i, tap) = matrix.kernelPosition(of: weightIndex)
        let taps = tap.map(String.init).joined(separator: ",")
        switch style {
        case .latex:
            return showsChannels ? "w^{(\(o),\(i))}_{\(taps)}" : "w_{\(taps)}"
        case .ascii:
            return showsChannels ? "w(\(o),\(i))[\(taps)]" : "w[\(taps)]"
        case .unicode:
            let subscripted = String(taps.map { subscriptDigit($0) })
            return showsChannels ? "w(\(o),\(i))\(subscripted)" : "w\(subscripted)"
        }
    }
}

/// A number in the shortest form that reads back exactly; whole numbers without ".0".
public func formatNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 {
        return value == 0 ? "0" : String(Int(value))
    }
    return "\(value)"
}

private func subscriptDigit(_ character: Character) -> Character {
    let map: [Character: Character] = [
        "0": "₀", "1": "₁", "2": "₂", "3": "₃", "4": "₄", "5": "₅", "6": "₆", "7": "₇", "8": "₈", "9": "₉",
    ]
    return map[character] ?? character
}
