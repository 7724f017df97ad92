import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// The generated test picture for deconvolution demonstrations: a
/// checkerboard with a disc on it, made by the code so nothing is downloaded.
///
/// For a spatial size n₀ × n₁ × … (any number of dimensions), with cell
/// c = max(1, ⌊min nⱼ / 8⌋), centre mⱼ = (nⱼ − 1)/2 and radius r = 0.3·min nⱼ,
/// the pixel at index p is
///
///     1.0                               if Σ (pⱼ − mⱼ)² ≤ r²   (the disc, a ball in 3-D)
///     0.6 if Σ ⌊pⱼ / c⌋ is even, else 0.2   (the checkerboard)
///
/// Sharp edges in both directions are what a blur destroys and what a
/// deconvolution must give back. Every channel holds the same picture.
public enum TestImage {
    /// The picture for `channels` channels of `size`, flattened as [channels, spatial…] row-major.
    ///
    /// - Parameters:
    ///   - size: the spatial size, one entry per dimension.
    ///   - channels: how many channels repeat the picture.
    /// - Returns: channels · Π size values, the same picture in every channel.
    public static func checkerboardWithDisc(size: [Int], channels: Int = 1) -> [Double] {
        guard let smallest = size.min(), smallest >= 1 else { return [] }
        let cell = max(1, smallest / 8)
        let radius = 0.3 * Double(smallest)
        var picture = [Double]()
        forEachIndex(of: size) { index in
            var squared = 0.0
            var cells = 0
            for (d, p) in index.enumerated() {
                let offset = Double(p) - Double(size[d] - 1) / 2
                squared += offset * offset
                cells += p / cell
            }
            picture.append(squared <= radius * radius ? 1.0 : (cells % 2 == 0 ? 0.6 : 0.2))
        }
        return Array((0..<max(channels, 0)).map { _ in picture }.joined())
    }
}
