import Foundation
import Testing
import PropertyBased
import ConvMatrix
@testable import ConvMatrixCore
@testable import ConvMatrixInterchange
@testable import ConvMatrixRendering
import ConvMatrixTestSupport
@testable import ConvMatrixPooling
@testable import ConvMatrixSpectrum
@testable import ConvMatrixVerification

/// PyTorch's `padding_mode` (reflect, replicate, circular): C against the
/// matrix of `torch.nn.Conv{1,2}d(padding_mode=…)` (the layer applied to every
/// unit vector, Tests/Fixtures/padding_modes/matrices.json), the entries that
/// sum taps worked out by hand, the closed-form nonzero count against a count
/// of the pattern, every route of the verifier, and PyTorch's refusals.
@Suite struct PaddingModeTests {
    /// The fields of a matrix fixture.
    private func fields(_ object: [String: Any]) throws -> ConvolutionFields {
        let ints = { (key: String) in (object[key] as? [NSNumber])?.map(\.intValue) }
        var fields = ConvolutionFields(input: ints("input") ?? [], kernel: ints("kernel") ?? [])
        fields.padding = .symmetric(ints("padding") ?? [0])
        fields.stride = ints("stride") ?? [1]
        fields.dilation = ints("dilation") ?? [1]
        fields.paddingMode = try FieldCodec.paddingMode(object["padding_mode"] as? String ?? "")
        fields.inChannels = (object["in_channels"] as? NSNumber)?.intValue ?? 1
        fields.outChannels = (object["out_channels"] as? NSNumber)?.intValue ?? 1
        fields.groups = (object["groups"] as? NSNumber)?.intValue ?? 1
        return fields
    }

    /// C as a dense matrix, row by row, from CHOLMOD's compressed columns.
    private func dense(_ matrix: SparseMatrix) -> [[Double]] {
        let columns = matrix.compressedColumns
        var rows = [[Double]](repeating: [Double](repeating: 0, count: matrix.columnCount), count: matrix.rowCount)
        for column in 0..<matrix.columnCount {
            for n in columns.columnStarts[column]..<columns.columnStarts[column + 1] {
                rows[columns.rowIndices[n]][column] = columns.values[n]
            }
        }
        return rows
    }

    /// C built in CHOLMOD, the symbolic C's values and the walks of `MatrixLines` all equal
    /// the matrix of PyTorch's layer entry for entry (whole positive weights: every sum exact, none
    /// cancels), and the nonzero count in closed form is the number of nonzeros PyTorch's matrix has.
    @Test func matricesAreTorchs() throws {
        let matrices = try fixture("padding_modes/matrices.json")
        #expect(matrices.count == 7)
        var modes = Set<PaddingMode>()
        for object in matrices {
            let name = object["name"] as? String ?? ""
            let fields = try fields(object["fields"] as? [String: Any] ?? [:])
            let geometry = try ConvolutionOperator(fields).convolution
            modes.insert(geometry.paddingMode)
            let weights = (object["weights"] as? [NSNumber] ?? []).map(\.doubleValue)
            let expected = (object["matrix"] as? [[NSNumber]] ?? []).map { $0.map(\.doubleValue) }
            let kernel = try Kernel(weights, geometry: geometry)
            #expect(dense(try SparseMatrix(convolution: kernel)) == expected, "\(name): CHOLMOD's C")
            #expect(geometry.nonzeroCount == expected.joined().filter { $0 != 0 }.count, "\(name): nonzero count")

            let symbolic = ConvolutionMatrix(geometry: geometry)
            let values = symbolic.values(for: weights)
            var fromSymbols = [[Double]](repeating: [Double](repeating: 0, count: geometry.columnCount), count: geometry.rowCount)
            for column in 0..<geometry.columnCount {
                for n in symbolic.columnStarts[column]..<symbolic.columnStarts[column + 1] { fromSymbols[symbolic.rowIndices[n]][column] = values[n] }
            }
            #expect(fromSymbols == expected, "\(name): ConvolutionMatrix")

            var fromRows = fromSymbols.map { $0.map { _ in 0.0 } }
            MatrixLines(geometry).forEachRow { row, entries in
                forEachEntry(of: entries) { column, taps in fromRows[row][column] = taps.reduce(0) { $0 + weights[entries[$1].weightIndex] } }
            }
            #expect(fromRows == expected, "\(name): rows of MatrixLines")
            var fromColumns = fromRows.map { $0.map { _ in 0.0 } }
            MatrixLines(geometry).forEachColumn { column, entries in
                forEachEntry(of: entries) { row, taps in fromColumns[row][column] = taps.reduce(0) { $0 + weights[entries[$1].weightIndex] } }
            }
            #expect(fromColumns == expected, "\(name): columns of MatrixLines")
        }
        #expect(modes == [.reflect, .replicate, .circular])
    }

    /// Input 5, kernel 3, padding 1 by hand. Reflect pads [x₁ | x₀ … x₄ | x₃], so
    /// y₀ = w₀x₁ + w₁x₀ + w₂x₁: C[0, 0] = w₁ and C[0, 1] = w₀ + w₂; likewise C[4, 3] = w₀ + w₂.
    /// Replicate pads [x₀ | … | x₄]: C[0, 0] = w₀ + w₁. Circular pads [x₄ | … | x₀]: C[0, 4] = w₀.
    @Test func entriesSumTheTapsThatReadACopy() throws {
        func matrix(_ mode: PaddingMode) throws -> ConvolutionMatrix {
            ConvolutionMatrix(geometry: try ConvolutionGeometry(inputSize: [5], kernelSize: [3], padding: .symmetric([1]), paddingMode: mode))
        }
        let reflect = try matrix(.reflect)
        #expect(reflect.weightIndices(row: 0, column: 0) == [1])
        #expect(reflect.weightIndices(row: 0, column: 1) == [0, 2])
        #expect(reflect.weightIndices(row: 4, column: 3) == [0, 2])
        #expect(reflect.weightIndices(row: 2, column: 1) == [0])
        #expect(reflect.weightIndices(row: 0, column: 2) == [])
        #expect(reflect.nonzeroCount == 13)
        let replicate = try matrix(.replicate)
        #expect(replicate.weightIndices(row: 0, column: 0) == [0, 1])
        #expect(replicate.weightIndices(row: 4, column: 4) == [1, 2])
        let circular = try matrix(.circular)
        #expect(circular.weightIndices(row: 0, column: 4) == [0])
        #expect(circular.weightIndices(row: 4, column: 0) == [2])
        #expect(circular.nonzeroCount == 15)
        let printed = try MatrixPrinter(format: .text).render(.convolution(reflect.geometry))
        #expect(printed.split(separator: "\n").first == "   w₁ w₀+w₂     ·     ·     ·")
        let latex = try MatrixPrinter(format: .latex).render(.convolution(reflect.geometry), kernel: Kernel([1, 2, 4], geometry: reflect.geometry))
        #expect(latex.contains("2 & 5 & \\cdot"))
    }

    /// Circular padding with stride 1 and p_before + p_after = d·(k − 1) keeps the size, and C is
    /// circulant: every row is the one above shifted by one column, wrapping around.
    @Test func circularPaddingAtStrideOneIsCirculant() async throws {
        await seededPropertyCheck(
            count: 60, input: Gen<Int>.value(in: 1...9), Gen<Int>.value(in: 1...5), Gen<Int>.value(in: 1...3), Gen<Int>.value(in: 0...9)
        ) { size, kernel, dilation, split in
            let reach = dilation * (kernel - 1)
            let before = min(split, reach)
            guard before <= size, reach - before <= size,
                let geometry = try? ConvolutionGeometry(
                    inputSize: [size], kernelSize: [kernel], dilation: [dilation],
                    padding: .explicit(before: [before], after: [reach - before]), paddingMode: .circular)
            else { return }
            let c = try dense(SparseMatrix(convolution: Kernel((1...kernel).map { Double($0 * $0) }, geometry: geometry)))
            #expect(c.count == size && c[0].count == size)
            for r in 0..<size {
                for column in 0..<size { #expect(c[r][column] == c[(r + 1) % size][(column + 1) % size], "\(geometry)") }
            }
        }
    }

    /// In 2-D, circular padding at stride 1 with p_before + p_after = d·(k − 1) makes C block
    /// circulant with circulant blocks (what a spectrum of C by the 2-D DFT relies on): every entry
    /// against the wrap-around sum written here, C[(r₁, r₂), (c₁, c₂)] = Σ w[k₁, k₂] over the taps
    /// with (r_j + k_j·d_j − p_before,j) mod n_j = c_j; TensorFlow's SAME split (the odd one after)
    /// and other splits alike.
    @Test func circularPaddingAtStrideOneIsBlockCirculantIn2D() async throws {
        await seededPropertyCheck(
            count: 60, input: Gen<Int>.value(in: 1...6), Gen<Int>.value(in: 1...6), Gen<Int>.value(in: 1...4), Gen<Int>.value(in: 1...3),
            Gen<Int>.value(in: 0...3)
        ) { rows, columns, kernel, dilation, split in
            let n = [rows, columns], k = [kernel, max(1, kernel - 1)], d = [dilation, 1]
            let reach = (0..<2).map { d[$0] * (k[$0] - 1) }
            let before = split == 0 ? reach.map { $0 / 2 } : reach.map { min(split, $0) }
            guard (0..<2).allSatisfy({ before[$0] <= n[$0] && reach[$0] - before[$0] <= n[$0] }) else { return }
            let padding: Padding = split == 0 ? .same : .explicit(before: before, after: (0..<2).map { reach[$0] - before[$0] })
            let w = (0..<(k[0] * k[1])).map { Double(1 << $0) }  // powers of two: every sum names its taps
            let geometry = try ConvolutionGeometry(inputSize: n, kernelSize: k, dilation: d, padding: padding, paddingMode: .circular)
            let c = try dense(SparseMatrix(convolution: Kernel(w, geometry: geometry)))
            let wrap = { (x: Int, size: Int) in ((x % size) + size) % size }
            var expected = [[Double]](repeating: [Double](repeating: 0, count: rows * columns), count: rows * columns)
            for r1 in 0..<rows {
                for r2 in 0..<columns {
                    for k1 in 0..<k[0] {
                        for k2 in 0..<k[1] {
                            let c1 = wrap(r1 + k1 * d[0] - before[0], rows), c2 = wrap(r2 + k2 * d[1] - before[1], columns)
                            expected[r1 * columns + r2][c1 * columns + c2] += w[k1 * k[1] + k2]
                        }
                    }
                }
            }
            #expect(c == expected, "\(geometry)")
        }
    }

    /// P, the (output, input) pairs of one dimension, in closed form against the pairs counted
    /// from the padded signal the reference routes build (`PaddedInput`), for inputs up to 24,
    /// kernels up to 14 (wider than the input, so windows cross both edges), every stride,
    /// dilation and legal padding.
    @Test func pairCountIsExact() {
        var checked = 0
        for mode in PaddingMode.allCases {
            for i in [1, 2, 3, 5, 8, 13, 24] {
                for k in [1, 2, 3, 5, 9, 14] {
                    for s in [1, 2, 3] {
                        for d in [1, 2, 4] {
                            let most = mode == .replicate ? i + 7 : (mode == .reflect ? i - 1 : i)
                            for before in Set([0, 1, most / 2, most]) where before >= 0 {
                                for after in Set([0, 1, most / 2, most]) where after >= 0 {
                                    let padded = before + i + after, span = d * (k - 1) + 1
                                    guard span <= padded, mode != .reflect || (before < i && after < i) else { continue }
                                    let n = (padded - span) / s + 1
                                    let sources = PaddedInput.sources(input: i, before: before, after: after, mode: mode)
                                    var pairs = Set<SIMD2<Int>>()
                                    for o in 0..<n {
                                        for tap in 0..<k where sources[o * s + tap * d] >= 0 { pairs.insert(SIMD2(o, sources[o * s + tap * d])) }
                                    }
                                    let counted = try? NonzeroCount.pairsInDimension(
                                        mode: mode, input: i, output: n, kernel: k, stride: s, dilation: d, paddingBefore: before, paddingAfter: after,
                                        dimension: 0)
                                    #expect(counted == Int128(pairs.count), "\(mode) i=\(i) k=\(k) s=\(s) d=\(d) p=\(before):\(after)")
                                    checked += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(checked > 3000)
    }

    /// For random convolutions with copies in the padding, C against the direct loop (which pads
    /// region by region and convolves): every column of C is C·eⱼ, and the nonzero count is that of
    /// the loop's pattern with all weights 1.
    @Test func matrixIsTheDirectLoopOfEveryUnitVector() async {
        await seededPropertyCheck(
            count: 80, input: TestGenerators.geometries(ranks: 1...3, kernels: 1...4, paddingModes: [.reflect, .replicate, .circular]), TestGenerators.seed
        ) { geometry, seed in
            guard let geometry, geometry.columnCount <= 300 else { return }
            let kernel = try TestGenerators.integerKernel(geometry, seed: seed)
            let ones = try Kernel([Double](repeating: 1, count: geometry.weightCount), geometry: geometry)
            let c = try dense(SparseMatrix(convolution: kernel))
            var pattern = 0
            for column in 0..<geometry.columnCount {
                var unit = [Double](repeating: 0, count: geometry.columnCount)
                unit[column] = 1
                let y = directConvolution(unit, kernel: kernel)
                #expect((0..<geometry.rowCount).allSatisfy { c[$0][column] == y[$0] }, "\(geometry) column \(column)")
                pattern += directConvolution(unit, kernel: ones).filter { $0 != 0 }.count
            }
            #expect(geometry.nonzeroCount == pattern, "\(geometry)")
        }
    }

    /// Every route to Cᵀ — CHOLMOD, scatter, zero insertion, automatic differentiation — agrees
    /// with rounding bounds and dot tests for random convolutions with copies in the padding;
    /// a deliberately broken route is caught.
    @Test func verifierHoldsEveryRoute() async {
        await seededPropertyCheck(
            count: 60, input: TestGenerators.geometries(ranks: 1...3, kernels: 1...3, paddingModes: [.reflect, .replicate, .circular]), TestGenerators.seed
        ) { geometry, seed in
            guard let geometry else { return }
            let report = try Verifier().verify(.convolution(geometry), seed: seed)
            #expect(report.passed, "\(geometry)")
            let broken = try Verifier(routes: [.matrix, TransposedConvolutionRoute.scatter.broken]).verify(.convolution(geometry), seed: seed)
            #expect(!broken.passed, "\(geometry)")
        }
    }

    /// PyTorch's limits, in our words and naming the field: reflect needs padding below the
    /// input's extent, circular at most that extent; replicate takes any amount.
    @Test func refusalsFollowPyTorch() throws {
        func message(_ body: () throws -> Void) -> String {
            do {
                try body()
                return "accepted"
            } catch let error as GeometryError {
                return error.message(spellingFields: { $0 })
            } catch { return "\(error)" }
        }
        let reflect = message { _ = try ConvolutionGeometry(inputSize: [3], kernelSize: [1], padding: .symmetric([3]), paddingMode: .reflect) }
        #expect(reflect.hasPrefix("padding[0] = 3 must be smaller than input[0] = 3 with padding_mode reflect"), "\(reflect)")
        let after = message {
            _ = try ConvolutionGeometry(inputSize: [4, 2], kernelSize: [1], padding: .explicit(before: [0, 1], after: [0, 2]), paddingMode: .reflect)
        }
        #expect(after.hasPrefix("padding[1] = 2 (after the data) must be smaller than input[1] = 2"), "\(after)")
        let circular = message { _ = try ConvolutionGeometry(inputSize: [3], kernelSize: [1], padding: .symmetric([4]), paddingMode: .circular) }
        #expect(circular.hasPrefix("padding[0] = 4 must be at most input[0] = 3 with padding_mode circular"), "\(circular)")
        #expect(message { _ = try ConvolutionGeometry(inputSize: [3], kernelSize: [1], padding: .symmetric([3]), paddingMode: .circular) } == "accepted")
        #expect(message { _ = try ConvolutionGeometry(inputSize: [2], kernelSize: [1], padding: .symmetric([9]), paddingMode: .replicate) } == "accepted")
        // Without padding every mode is the plain convolution.
        #expect(try ConvolutionGeometry(inputSize: [3], kernelSize: [2], paddingMode: .reflect).paddingMode == .zeros)
        // A kernel so long that more than 2²⁴ windows cross an edge is refused, not counted for minutes.
        let huge = message {
            _ = try ConvolutionGeometry(inputSize: [1], kernelSize: [(1 << 25) + 1], padding: .symmetric([1 << 25]), paddingMode: .replicate)
        }
        #expect(huge.hasPrefix("kernel[0] spans so far that 3355443") && huge.contains("at most 16777216 such windows"), "\(huge)")
        // Pooling takes no padding mode.
        var pooled = ConvolutionFields(input: [4], kernel: [2])
        pooled.paddingMode = .reflect
        pooled.padding = .symmetric([1])
        #expect(message { _ = try PoolingGeometry(pooled, stride: nil, ceilMode: false) }.hasPrefix("padding_mode = reflect does not apply to pooling"))
    }

    /// With `transposed` the fields describe Cᵀ of the convolution with copies in its padding (its
    /// input gradient); the fields written back describe it again, as replay lines need.
    @Test func transposedFieldsAreTheInputGradient() throws {
        var fields = ConvolutionFields(input: [4], kernel: [3])
        fields.padding = .symmetric([1])
        fields.paddingMode = .circular
        fields.transposed = true
        let op = try ConvolutionOperator(fields)
        #expect(op.isTransposed && op.convolution.paddingMode == .circular && op.convolution.inputSize == [4])
        #expect(try ConvolutionOperator(ConvolutionFields(describing: op)) == op)
        #expect(
            ConvolutionFields(describing: op).commandLineArguments.joined(separator: " ")
                == "--input 4 --kernel 3 --padding 1 --padding-mode circular --transposed")
        let gradient = ConvolutionOperator.transposing(op.convolution)
        #expect(try ConvolutionOperator(ConvolutionFields(describing: gradient)) == gradient)
    }

    /// A case with `padding_mode` reads, computes through C and is written back with the key;
    /// conv_transpose and the tensorflow layout refuse any mode but zeros.
    @Test func caseFilesCarryTheMode() throws {
        let text = """
            {"op": "conv", "input": {"shape": [1, 1, 4], "data": [1, 2, 3, 4]}, "weight": {"shape": [1, 1, 3], "data": [1, 10, 100]},
             "padding": [[2, 1]], "padding_mode": "reflect"}
            """
        let computation = try ConvolutionCase(json: text)
        #expect(computation.geometry.paddingMode == .reflect)
        // Padded by hand: [3, 2 | 1, 2, 3, 4 | 3]; windows of three.
        let byHand: [Double] = [123, 212, 321, 432, 343]  // 3·1 + 2·10 + 1·100, 2 + 10 + 200, 1 + 20 + 300, 2 + 30 + 400, 3 + 40 + 300
        #expect(try computation.evaluate().data == byHand)
        let written = computation.document()
        #expect(written.contains("\"padding\": [[2, 1]], \"padding_mode\": \"reflect\""), "\(written)")
        #expect(try ConvolutionCase(json: written).geometry == computation.geometry)
        for refused in [
            text.replacing("\"op\": \"conv\"", with: "\"op\": \"conv_transpose\""),
            text.replacing("\"op\": \"conv\"", with: "\"op\": \"conv\", \"layout\": \"tensorflow\"").replacing("[[2, 1]]", with: "\"SAME\""),
            text.replacing("reflect", with: "mirror"),
        ] {
            let error = #expect(throws: CaseError.self) { try ConvolutionCase(json: refused) }
            #expect(error?.description.contains("padding_mode") == true, "\(error?.description ?? "")")
        }
    }

    /// The field codec reads and writes the mode; the short form leaves zeros out.
    @Test func codecCarriesTheMode() throws {
        var fields = ConvolutionFields(input: [5, 5], kernel: [3])
        fields.padding = .symmetric([1])
        fields.paddingMode = .replicate
        let pairs = FieldCodec.encode(fields, complete: false)
        #expect(pairs.map(\.key) == ["input", "kernel", "padding", "padding_mode"])
        let read = try FieldCodec.decode(defaults: ConvolutionFields(input: [], kernel: [])) { key in pairs.first { $0.key == key }?.value }
        #expect(read.paddingMode == .replicate)
        let plain = ConvolutionFields(input: [5], kernel: [3])
        let short = FieldCodec.encode(plain, complete: false).map(\.key)
        #expect(!short.contains("padding_mode"))
        let complete = FieldCodec.encode(plain, complete: true).map { "\($0.key)=\($0.value)" }
        #expect(complete.contains("padding_mode=zeros"))
        #expect(throws: GeometryError.self) { try FieldCodec.paddingMode("mirror") }
    }
}
