/// Row-major multi-indices: the order in which C's rows and columns flatten tensors.

/// Row-major strides of a shape: the last index varies fastest.
package func rowMajorStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var running = 1
    for dimension in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[dimension] = running
        running &*= shape[dimension]
    }
    return strides
}

/// Steps a multi-index to the next one in row-major order; returns false (with the
/// index back at all zeros) after the last one.
@discardableResult
func advance(_ index: inout [Int], within shape: [Int]) -> Bool {
    var d = shape.count - 1
    while d >= 0 {
        index[d] += 1
        if index[d] < shape[d] { return true }
        index[d] = 0
        d -= 1
    }
    return false
}

/// Calls `body` with every multi-index of `shape` in row-major order.
package func forEachIndex(of shape: [Int], _ body: ([Int]) -> Void) {
    if shape.contains(where: { $0 <= 0 }) { return }
    var index = [Int](repeating: 0, count: shape.count)
    repeat { body(index) } while advance(&index, within: shape)
}

/// Writes into `position` the row-major multi-index of `index` within
/// `shape`, and returns what is left over: for the index of a (channel,
/// position) pair flattened as channel·Π shape + offset, the channel.
@discardableResult
package func rowMajorPosition(of index: Int, in shape: [Int], into position: inout [Int]) -> Int {
    var rest = index
    for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 {
        position[d] = rest % shape[d]
        rest /= shape[d]
    }
    return rest
}

/// The row-major multi-index of flat position `index` within `shape` (the last index varies
/// fastest); what is left over above the shape (the channel, for an index flattened as
/// channel·Π shape + offset) is dropped. The one decomposition of a flat index in the package.
package func rowMajorCoordinates(of index: Int, in shape: [Int]) -> [Int] {
    var position = [Int](repeating: 0, count: shape.count)
    rowMajorPosition(of: index, in: shape, into: &position)
    return position
}
