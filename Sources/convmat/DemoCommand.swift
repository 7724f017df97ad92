import ArgumentParser
import ConvMatrix

/// `convmat demo`: a short tour of C and Cᵀ.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "A short tour: the 4×16 matrix, a forward pass, the transposed pass and a check by scattering.",
        discussion: "Example:\n  convmat demo"
    )

    func run() throws {
        let geometry = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])
        emit("1. A 3×3 kernel sliding over a 4×4 input (stride 1, no padding) gives a 2×2 output.")
        emit("   Flatten input and output row by row and the convolution is y = C·x with C of size 4×16:\n")
        emit(indent(try MatrixPrinter(format: .text).render(.convolution(geometry))))
        let kernel = try Kernel([1, 0, -1, 2, 0, -2, 1, 0, -1], geometry: geometry)
        let x = (1...16).map(Double.init)
        let matrix = try SparseMatrix(convolution: kernel)
        let y = try matrix.multiply(DenseMatrix(column: x)).values
        emit("2. With the kernel [[1,0,-1],[2,0,-2],[1,0,-1]] and x = 1…16 (row by row),")
        emit("   CHOLMOD computes y = C·x = \(list(y)), the 2×2 output \(grid(y, columns: 2)).\n")
        emit("3. The transposed convolution multiplies by Cᵀ (16×4): it takes a 2×2 input back to 4×4.")
        let z = try matrix.multiplyTransposed(DenseMatrix(column: y)).values
        emit("   Cᵀ·y =\n\(indent(grid(z, columns: 4, multiline: true)))")
        let scattered = scatterTransposedConvolution(y, kernel: kernel)
        let difference = zip(z, scattered).map { abs($0 - $1) }.max() ?? 0
        emit("4. Second route: scatter each element of y times the whole kernel into a 4×4 grid and add up.")
        emit("   Largest difference from Cᵀ·y: \(formatNumber(difference)) — \(difference == 0 ? "they agree exactly" : "THEY DISAGREE").")
        emit("   Note that Cᵀ·y has the shape of x but not its values: a transposed convolution is not an inverse.")
    }

    private func list(_ values: [Double]) -> String { "[" + values.map(formatNumber).joined(separator: ", ") + "]" }

    private func grid(_ values: [Double], columns: Int, multiline: Bool = false) -> String {
        let rows = stride(from: 0, to: values.count, by: columns).map { Array(values[$0..<$0 + columns]) }
        if !multiline { return "[" + rows.map(list).joined(separator: ", ") + "]" }
        let width = values.map { formatNumber($0).count }.max() ?? 1
        return rows.map { row in
            row.map {
                let t = formatNumber($0); return String(repeating: " ", count: width - t.count) + t
            }.joined(separator: " ")
        }.joined(separator: "\n") + "\n"
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "   " + $0 }.joined(separator: "\n")
    }
}
