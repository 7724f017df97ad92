import ConvMatrixCore

extension StringProtocol {
    /// The lines of a text, the way every ConvMatrix reader splits them: a
    /// line ends at `\n`, `\r\n` (Windows) or a lone `\r` (old macOS), so a
    /// file reads the same whatever system wrote it; the part after the last
    /// separator is a line too (empty when the text ends with one).
    ///
    /// Swift keeps `\r\n` as one `Character`, so splitting at `"\n"` alone
    /// would leave a Windows file in one piece; this names all three.
    package var textLines: [SubSequence] {
        split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
    }
}
