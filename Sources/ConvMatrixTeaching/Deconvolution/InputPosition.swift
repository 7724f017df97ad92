import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// One element of a convolution's input: a channel and a spatial position,
/// as a student would point at a pixel.
public struct InputPosition: Hashable, Sendable, CustomStringConvertible {
    /// The input channel, from 0.
    public let channel: Int
    /// The spatial index per dimension (row, column for images), from 0.
    public let position: [Int]

    /// The element at `channel` and `position`.
    ///
    /// - Parameters:
    ///   - channel: the input channel, from 0.
    ///   - position: the spatial position, one index per dimension, from 0.
    public init(channel: Int, position: [Int]) {
        self.channel = channel
        self.position = position
    }

    /// The element stored in column `column` of C: columns are the input
    /// flattened as [C_in, spatial…] in row-major order.
    ///
    /// - Parameters:
    ///   - column: a column of C, 0 ..< `geometry.columnCount`.
    ///   - geometry: the convolution whose C it indexes.
    public init(column: Int, of geometry: ConvolutionGeometry) {
        var position = [Int](repeating: 0, count: geometry.spatialRank)
        let channel = rowMajorPosition(of: column, in: geometry.inputSize, into: &position)
        self.init(channel: channel, position: position)
    }

    /// "(channel 0, position [1, 2])".
    public var description: String {
        "(channel \(channel), position [\(position.map(String.init).joined(separator: ", "))])"
    }

    /// "3 inputs (channel 0, position [2]), …" listing at most the given positions,
    /// with "and N more" when `total` exceeds them.
    static func list(_ positions: [InputPosition], total: Int) -> String {
        let named = positions.map(\.description).joined(separator: ", ")
        let more = total > positions.count ? " and \(total - positions.count) more" : ""
        return "\(total) input\(total == 1 ? "" : "s") \(named)\(more)"
    }
}
