import ConvMatrixCore
import ConvMatrixInterchange

/// How an entry of C is written: as the kernel entry it copies
/// (symbolic: w₀,₂ or, with several channels, w(1,0)₀,₂) or as a number.
/// Every kernel entry is named once, so naming a nonzero is a lookup.
package struct EntryNames: Sendable {
    /// The notation of a symbolic name.
    package enum Style: Sendable { case unicode, ascii, latex }

    /// The text of each kernel entry, in PyTorch order [C_out, C_in/groups, k…].
    package let names: [String]
    /// The kernel's values when entries are numbers, for entries that sum several of them.
    let weights: [Double]?

    /// Names the kernel entries of `geometry`; numbers when `weights` are given.
    ///
    /// - Parameters:
    ///   - geometry: the convolution whose kernel entries are named.
    ///   - weights: the kernel's values, to print numbers; nil prints symbols.
    ///   - style: how symbols are written: Unicode subscripts (w₀,₁), ASCII (`w[0,1]`) or LaTeX
    ///     (`w_{0,1}`), each with the channel pair `(o,i)` when there are several channels.
    package init(geometry: ConvolutionGeometry, weights: [Double]?, style: Style) {
        self.weights = weights
        if let weights {
            names = weights.map(formatNumber)
            return
        }
        let showsChannels = geometry.outChannels > 1 || geometry.inChannelsPerGroup > 1
        var names = [String]()
        names.reserveCapacity(geometry.weightCount)
        forEachIndex(of: geometry.weightShape) { index in
            let (o, i) = (index[0], index[1])
            let taps = index[2...].map(String.init).joined(separator: ",")
            switch style {
            case .latex:
                names.append(showsChannels ? "w^{(\(o),\(i))}_{\(taps)}" : "w_{\(taps)}")
            case .ascii:
                names.append(showsChannels ? "w(\(o),\(i))[\(taps)]" : "w[\(taps)]")
            case .unicode:
                let subscripted = String(taps.map { subscriptDigit($0) })
                names.append(showsChannels ? "w(\(o),\(i))\(subscripted)" : "w\(subscripted)")
            }
        }
        self.names = names
    }

    /// The text of the nonzero that copies kernel entry `weightIndex`.
    ///
    /// - Parameter weightIndex: a flat kernel index, as `ConvolutionMatrix.weightIndices(row:column:)` returns them.
    /// - Returns: the symbol in the chosen style, or the number.
    package func name(ofWeight weightIndex: Int) -> String { names[weightIndex] }

    /// The text of an entry that holds the kernel entries `weightIndices`: one
    /// entry's own name; for several (copies in the padding gathering taps into
    /// one entry of C) their sum, as a number or as the names joined by `+`
    /// in increasing kernel order (w₀+w₂).
    ///
    /// - Parameter weightIndices: the flat kernel indices of one entry, at least one.
    /// - Returns: the text of the entry.
    package func name(ofSum weightIndices: [Int]) -> String {
        if weightIndices.count == 1 { return names[weightIndices[0]] }
        let sorted = weightIndices.sorted()
        if let weights {
            var sum = 0.0
            for index in sorted { sum += weights[index] }
            return formatNumber(sum)
        }
        return sorted.map { names[$0] }.joined(separator: "+")
    }
}

/// The subscript form of a digit (other characters unchanged).
private func subscriptDigit(_ character: Character) -> Character {
    subscriptDigits[character] ?? character
}

private let subscriptDigits: [Character: Character] = [
    "0": "₀", "1": "₁", "2": "₂", "3": "₃", "4": "₄", "5": "₅", "6": "₆", "7": "₇", "8": "₈", "9": "₉",
]
