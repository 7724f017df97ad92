import Testing
import ConvMatrix
import ConvMatrixTestSupport

/// The examples of docs/library.md, run as written (public API only, no @testable).
/// Expected values are worked out by hand in the comments.
@Suite struct LibraryGuideTests {
    /// 1. Build C for d2l's 3×3 input and 2×2 kernel and multiply.
    @Test func buildAndMultiply() throws {
        let geometry = try ConvolutionGeometry(inputSize: [3, 3], kernelSize: [2, 2])
        let kernel = try Kernel([0, 1, 2, 3], geometry: geometry)
        let C = try SparseMatrix(convolution: kernel)
        let x = DenseMatrix(column: [0, 1, 2, 3, 4, 5, 6, 7, 8])
        let y = try C.multiply(x)
        // 0·0 + 1·1 + 2·3 + 3·4 = 19, and so on.
        #expect(y.values == [19, 25, 37, 43])
        let z = try C.multiplyTransposed(DenseMatrix(column: [0, 1, 2, 3]))
        // d2l's transposed convolution of [[0,1],[2,3]] by [[0,1],[2,3]].
        #expect(z.values == [0, 0, 1, 0, 4, 6, 4, 12, 9])
    }

    /// 2. A transposed convolution described the PyTorch way, and its sizes.
    @Test func transposedGeometry() throws {
        let up = try TransposedConvolutionGeometry(
            inputSize: [3, 3], kernelSize: [3], stride: [2], padding: .symmetric([1]),
            outputPadding: [1], inChannels: 8, outChannels: 3)
        #expect(up.outputSize == [6, 6])  // (3−1)·2 − 2 + 3 + 1
        #expect(up.convolution.inputSize == [6, 6])  // the C it transposes maps 6×6 → 3×3
        #expect(try up.outputSizes()[0].pytorchOutputPadding == 5...6)  // output_padding 0 or 1
    }

    /// 3. One value for "this convolution or its transpose": 2×2 → 4×4 with a 3×3 kernel,
    /// whose C maps 4×4 (16 inputs) to 2×2 (4 outputs), so Cᵀ is 16×4.
    @Test func oneOperatorType() throws {
        let up = ConvolutionOperator.transposed(try TransposedConvolutionGeometry(inputSize: [2, 2], kernelSize: [3]))
        #expect(up.matrixName == "Cᵀ")
        #expect(up.equation == "z = Cᵀ·y")
        #expect(up.rowCount == 16 && up.columnCount == 4)
        #expect(ConvolutionOperator.transposing(up.convolution) == up)
        var fields = ConvolutionFields(input: [2, 2], kernel: [3])
        fields.stride = [0]
        #expect(throws: GeometryError.tooSmall(field: "stride[0]", value: 0, minimum: 1)) { try ConvolutionOperator(fields) }
    }

    /// 4. The symbolic structure: which kernel entry each nonzero copies.
    @Test func symbolicStructure() throws {
        let geometry = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])
        let matrix = ConvolutionMatrix(geometry: geometry)
        #expect(matrix.nonzeroCount == 36)
        #expect(matrix.weightIndices(row: 0, column: 5) == [4])  // C[0, 5] = w₁,₁
        #expect(matrix.weightIndices(row: 0, column: 3) == [])  // structural zero
        let text = try MatrixPrinter(format: .latex).render(.convolution(geometry))
        // amsmath shows 10 columns by default; the printer raises the limit to 16 first.
        #expect(text.hasPrefix("\\setcounter{MaxMatrixCols}{16}\n\\begin{bmatrix}\n  w_{0,0} & w_{0,1} & w_{0,2} & \\cdot"))
    }

    /// 5. Four routes to the transposed convolution agree.
    @Test func routesAgree() throws {
        let geometry = try ConvolutionGeometry(inputSize: [6, 6], kernelSize: [3, 3], stride: [2], padding: .symmetric([1]))
        let report = try Verifier().verify(.convolution(geometry), seed: 1)
        #expect(report.passed)
        let kernel = Kernel.counting(geometry)
        let y = (0..<geometry.rowCount).map(Double.init)
        #expect(scatterTransposedConvolution(y, kernel: kernel) == zeroInsertionTransposedConvolution(y, kernel: kernel))
    }

    /// 6. A framework-layout case, computed through C.
    @Test func caseFile() throws {
        let result = try ConvolutionCase(
            json: """
                {"op": "conv", "layout": "tensorflow", "padding": "SAME",
                 "input": {"shape": [1, 3, 3, 1], "data": [1, 1, 1, 1, 1, 1, 1, 1, 1]},
                 "weight": {"shape": [2, 2, 1, 1], "data": [1, 1, 1, 1]}}
                """
        ).evaluate()
        // SAME pads one zero at the bottom and right: windows at the edge see 2 or 1 ones.
        #expect(result.data == [4, 4, 2, 4, 4, 2, 2, 2, 1])
    }

    /// 7. Deconvolution recovers x where Cᵀ·y does not.
    @Test func deconvolution() throws {
        let geometry = try ConvolutionGeometry(inputSize: [5], kernelSize: [3], padding: .symmetric([1]))
        let solver = try Deconvolution(kernel: Kernel([0.25, 0.5, 0.25], geometry: geometry), lambda: 0)
        let x = DenseMatrix(column: [0, 0, 1, 0, 0])
        let y = try solver.convolve(x)
        let recovered = try solver.recover(y)
        #expect(zip(recovered.values, x.values).allSatisfy { abs($0 - $1) < 1e-12 })
        // Cᵀy blurs a second time: [0.0625, 0.25, 0.375, 0.25, 0.0625].
        #expect(try solver.transposedConvolution(y).values == [0.0625, 0.25, 0.375, 0.25, 0.0625])
    }

    /// 8. Pooling as a matrix: the maxima of the 2×2 windows of the 4×4 grid
    /// 1 5 2 0 / 3 4 8 1 / 0 2 6 7 / 9 1 3 5 are 5, 8, 9, 7 (read off by hand).
    @Test func poolingAsAMatrix() throws {
        let pooling = try PoolingGeometry(inputSize: [4, 4], kernelSize: [2])
        let x: [Double] = [1, 5, 2, 0, 3, 4, 8, 1, 0, 2, 6, 7, 9, 1, 3, 5]
        let s = try PoolingMatrix(selectingMaximaOf: x, geometry: pooling)
        #expect(s.multiply(x) == [5, 8, 9, 7])
        var backward = [Double](repeating: 0, count: 16)
        backward[1] = 1; backward[6] = 2; backward[12] = 3; backward[11] = 4
        #expect(s.transposed().multiply([1, 2, 3, 4]) == backward)
        #expect(try PoolingVerification(.maximum, geometry: pooling, x: x, g: [1, 2, 3, 4]).passed)
        #expect(try PoolingGeometry(inputSize: [5], kernelSize: [2], padding: [1], ceilMode: true).outputSize == [3])
        let printer = MatrixPrinter(format: .text, labels: true, flip: true, order: .columnMajor, showPadding: true)
        #expect(try printer.render(.convolution(try ConvolutionGeometry(inputSize: [2], kernelSize: [2], padding: .symmetric([1])))).contains("(w₁)"))
    }
}
