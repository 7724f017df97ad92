import Testing
import ConvMatrix
@testable import ConvMatrixCore
@testable import ConvMatrixInterchange
@testable import ConvMatrixRendering
@testable import ConvMatrixTeaching
import ConvMatrixTestSupport
import ConvMatrixTesting
@testable import ConvMatrixPooling
@testable import ConvMatrixSpectrum
@testable import ConvMatrixVerification

/// Products with several columns (padded leading dimension inside) against the reference loops.
@Suite struct SparseMatrixProductTests {
    /// 8×16 input, 4 → 4 channels: 512 columns, a multiple of 2⁸ — the case where CHOLMOD's
    /// four columns would share cache sets. For 1 to 5 samples (every remainder modulo 4),
    /// each column of C·X and Cᵀ·Y equals the direct and scatter loops on that sample.
    @Test func batchedProductsMatchReferenceLoops() throws {
        let geometry = try ConvolutionGeometry(inputSize: [8, 16], kernelSize: [3, 3], padding: .symmetric([1]), inChannels: 4, outChannels: 4)
        var random = SplitMix64(seed: 7)
        print("batchedProductsMatchReferenceLoops seed 7")
        let kernel = try Kernel(random.signedUnits(geometry.weightCount), geometry: geometry)
        let matrix = try SparseMatrix(convolution: kernel)
        for samples in 1...5 {
            let x = DenseMatrix(rowCount: geometry.columnCount, columnCount: samples, values: random.signedUnits(geometry.columnCount * samples))
            let y = DenseMatrix(rowCount: geometry.rowCount, columnCount: samples, values: random.signedUnits(geometry.rowCount * samples))
            let forward = try matrix.multiply(x), transposed = try matrix.multiplyTransposed(y)
            #expect(forward.rowCount == geometry.rowCount && forward.columnCount == samples)
            #expect(transposed.rowCount == geometry.columnCount && transposed.columnCount == samples)
            for sample in 0..<samples {
                #expect(maximumDifference(forward.column(sample), directConvolution(x.column(sample), kernel: kernel)) < 1e-12)
                #expect(maximumDifference(transposed.column(sample), scatterTransposedConvolution(y.column(sample), kernel: kernel)) < 1e-12)
            }
        }
    }

    /// A batch is one matrix-matrix product (CHOLMOD's sdmult with several columns), not a loop of
    /// vectors: a case of 5 samples evaluated as `convmat run` and `convmat cases` evaluate it, and the
    /// oracle's expected output and comparison (C·X and |C|·|X|), make CHOLMOD calls of 5 columns and
    /// no others. 6×6 input, 2 → 3 channels, kernel 3: small enough for one thread, whose calls the log sees.
    @Test func batchesAreOneMatrixProduct() throws {
        let geometry = try ConvolutionGeometry(inputSize: [6, 6], kernelSize: [3, 3], inChannels: 2, outChannels: 3)
        var random = SplitMix64(seed: 13)
        print("batchesAreOneMatrixProduct seed 13")
        let kernel = try Kernel(random.signedUnits(geometry.weightCount), geometry: geometry)
        // The weight gradient is left out: it stacks the batch into X, so its one product Xᵀ·g has a single column.
        for operation in ConvolutionCase.Operation.allCases where operation != .convWeightGrad {
            let rows = operation.readsInput ? geometry.columnCount : geometry.rowCount
            let operand = DenseMatrix(rowCount: rows, columnCount: 5, values: random.signedUnits(rows * 5))
            let testCase = try ConvolutionTestCase(operation: operation, layout: .pytorch, kernel: kernel, operand: operand)
            let evaluation = ProductCallLog(), oracle = ProductCallLog()
            let result = try ProductCallLog.$current.withValue(evaluation) { try testCase.convolutionCase.evaluate() }
            #expect(evaluation.samples == [5], "\(operation)")
            let comparison = try ProductCallLog.$current.withValue(oracle) { try testCase.compare(result.data) }
            #expect(comparison.passed)
            #expect(oracle.samples == [5, 5], "\(operation)")
        }
    }

    /// The padded leading dimension is the next odd number of 8-double lines: 2048 → 2056, 9 → 24, 1 → 8.
    @Test func paddedLeadingDimension() {
        #expect(SparseMatrix.paddedLeadingDimension(2048) == 2056)
        #expect(SparseMatrix.paddedLeadingDimension(2056) == 2056)
        #expect(SparseMatrix.paddedLeadingDimension(9) == 24)
        #expect(SparseMatrix.paddedLeadingDimension(1) == 8)
    }

    // MARK: threads

    /// C·x as CHOLMOD's scatter computes it, written out here: every y[i] starts at +0 and adds
    /// a·x[j] for the columns j in order. Independent of CHOLMOD and of the parallel code.
    static func scatter(_ c: (columnStarts: [Int], rowIndices: [Int], values: [Double]), rows: Int, x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: rows)
        for j in 0..<(c.columnStarts.count - 1) {
            for p in c.columnStarts[j]..<c.columnStarts[j + 1] { y[c.rowIndices[p]] += c.values[p] * x[j] }
        }
        return y
    }

    /// Cᵀ·y as CHOLMOD's dot products compute it: z[j] = 0 + (((0 + a₀·y[i₀]) + a₁·y[i₁]) + …) down column j.
    static func dots(_ c: (columnStarts: [Int], rowIndices: [Int], values: [Double]), y: [Double]) -> [Double] {
        (0..<(c.columnStarts.count - 1)).map { j in
            var sum = 0.0
            for p in c.columnStarts[j]..<c.columnStarts[j + 1] { sum += c.values[p] * y[c.rowIndices[p]] }
            return 0 + sum
        }
    }

    /// Operand data for the thread tests: uniform in [−1, 1) with every fifth entry +0 and every seventh −0,
    /// so that the sign of zero sums is exercised too.
    static func operand(_ random: inout SplitMix64, rows: Int, samples: Int) -> DenseMatrix {
        var values = random.signedUnits(rows * samples)
        for index in values.indices where index % 5 == 0 { values[index] = 0 }
        for index in values.indices where index % 7 == 0 { values[index] = -0.0 }
        return DenseMatrix(rowCount: rows, columnCount: samples, values: values)
    }

    /// Bit patterns, so that +0 and −0 count as different.
    static func bits(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }

    /// One thread gives today's results bit for bit: C·X equals the in-order scatter and Cᵀ·Y the
    /// in-order dot products written in this test, for every sample of batches of 1 to 5, whether or not
    /// the parallel path is allowed (`parallelWork: 0`).
    @Test func oneThreadIsCholmodsOrderBitForBit() async {
        await seededPropertyCheck(count: 80, input: TestGenerators.geometry, TestGenerators.seed) { geometry, seed in
            guard let g = geometry else { Issue.record("invalid geometry"); return }
            var random = SplitMix64(seed: seed)
            let matrix = try SparseMatrix(convolution: Kernel(random.signedUnits(g.weightCount), geometry: g))
            let arrays = matrix.compressedColumns
            let samples = 1 + Int(seed % 5)
            let x = Self.operand(&random, rows: g.columnCount, samples: samples)
            let y = Self.operand(&random, rows: g.rowCount, samples: samples)
            for parallelWork in [SparseMatrix.parallelWork, 0] {
                let forward = try matrix.product(x, transposed: false, threads: 1, parallelWork: parallelWork)
                let transposed = try matrix.product(y, transposed: true, threads: 1, parallelWork: parallelWork)
                for sample in 0..<samples {
                    #expect(Self.bits(forward.column(sample)) == Self.bits(Self.scatter(arrays, rows: g.rowCount, x: x.column(sample))), "\(g)")
                    #expect(Self.bits(transposed.column(sample)) == Self.bits(Self.dots(arrays, y: y.column(sample))), "\(g)")
                }
            }
            #expect(Self.bits(try matrix.multiply(x, threads: 1).values) == Self.bits(try matrix.product(x, transposed: false, threads: 1).values))
        }
    }

    /// On 2, 3, 5 and 8 threads (the parallel path forced with `parallelWork: 0`): Cᵀ·Y is the
    /// one-thread result bit for bit, and every entry of C·X is within the rounding bound of a sum of its
    /// terms, 2γ_K·Σ|a·x| with K the entries of its row (Higham §3.1), computed here from C's arrays; the
    /// same call twice gives the same bits. Most drawn matrices split into several blocks.
    @Test func severalThreadsAgreeWithOne() async {
        var split = 0, total = 0
        await seededPropertyCheck(count: 80, input: TestGenerators.geometry, TestGenerators.seed) { geometry, seed in
            guard let g = geometry else { Issue.record("invalid geometry"); return }
            var random = SplitMix64(seed: seed)
            let matrix = try SparseMatrix(convolution: Kernel(random.signedUnits(g.weightCount), geometry: g))
            let arrays = matrix.compressedColumns
            let samples = 1 + Int(seed % 6)
            let x = Self.operand(&random, rows: g.columnCount, samples: samples)
            let y = Self.operand(&random, rows: g.rowCount, samples: samples)
            let forwardOne = try matrix.multiply(x, threads: 1), transposedOne = try matrix.multiplyTransposed(y, threads: 1)
            for threads in [2, 3, 5, 8] {
                total += 1
                if matrix.columnBlocks(threads).count > 1 { split += 1 }
                let forward = try matrix.product(x, transposed: false, threads: threads, parallelWork: 0)
                let transposed = try matrix.product(y, transposed: true, threads: threads, parallelWork: 0)
                #expect(Self.bits(transposed.values) == Self.bits(transposedOne.values), "\(g), \(threads) threads")
                #expect(Self.bits(try matrix.product(x, transposed: false, threads: threads, parallelWork: 0).values) == Self.bits(forward.values))
                for sample in 0..<samples {
                    let magnitudes = Self.scatter(
                        (arrays.columnStarts, arrays.rowIndices, arrays.values.map(abs)), rows: g.rowCount, x: x.column(sample).map(abs))
                    let terms = Self.scatter(
                        (arrays.columnStarts, arrays.rowIndices, arrays.values.map { _ in 1 }), rows: g.rowCount, x: x.column(sample).map { _ in 1 })
                    for (i, (parallel, single)) in zip(forward.column(sample), forwardOne.column(sample)).enumerated() {
                        let bound = RoundingBound.difference(terms: Int(terms[i]), magnitude: magnitudes[i])
                        #expect(abs(parallel - single) <= bound, "\(g), \(threads) threads, y[\(i)] = \(parallel) vs \(single), bound \(bound)")
                    }
                }
            }
        }
        #expect(split * 4 >= total * 3, "only \(split) of \(total) products ran on several blocks")
    }

    /// A real multi-block case through the public calls, without lowering the threshold: 64×64, 4 → 4
    /// channels, kernel 3, padding 1 (577 600 nonzeros). On 2 threads Cᵀ·Y equals one thread bit for bit;
    /// each column of a batch of 5 (a group of 4 and one more) is the product of that column alone, bit
    /// for bit, on the same threads; C·X is within 10⁻¹² of one thread.
    @Test func batchesAreTheirColumnsOnSeveralThreads() throws {
        let geometry = try ConvolutionGeometry(inputSize: [64, 64], kernelSize: [3, 3], padding: .symmetric([1]), inChannels: 4, outChannels: 4)
        var random = SplitMix64(seed: 11)
        print("batchesAreTheirColumnsOnSeveralThreads seed 11")
        let matrix = try SparseMatrix(convolution: Kernel(random.signedUnits(geometry.weightCount), geometry: geometry))
        #expect(matrix.nonzeroCount == 577_600)
        #expect(matrix.columnBlocks(2).count == 2)
        let x = Self.operand(&random, rows: geometry.columnCount, samples: 5)
        let y = Self.operand(&random, rows: geometry.rowCount, samples: 5)
        let forward = try matrix.multiply(x, threads: 2), transposed = try matrix.multiplyTransposed(y, threads: 2)
        #expect(Self.bits(transposed.values) == Self.bits(try matrix.multiplyTransposed(y, threads: 1).values))
        #expect(maximumDifference(forward.values, try matrix.multiply(x, threads: 1).values) < 1e-12)
        for sample in 0..<5 {
            #expect(Self.bits(forward.column(sample)) == Self.bits(try matrix.multiply(DenseMatrix(column: x.column(sample)), threads: 2).values))
            #expect(Self.bits(transposed.column(sample)) == Self.bits(try matrix.multiplyTransposed(DenseMatrix(column: y.column(sample)), threads: 2).values))
        }
    }

    /// Column blocks by hand. Column starts [0, 3, 3, 5, 9, 10] (5 columns, 10 nonzeros):
    /// 2 blocks cut at the first column starting at ⌊10/2⌋ = 5 or later, column 3 → [0, 3, 5];
    /// 3 blocks at ⌊10/3⌋ = 3 (column 1) and ⌊20/3⌋ = 6 (column 4) → [0, 1, 4, 5];
    /// 10 blocks are at most 5 (one per column), targets 2, 4, 6, 8 → columns 1, 3, 4, 4 → [0, 1, 3, 4, 5];
    /// 1 block is everything; no columns, no blocks.
    @Test func columnBlocksByHand() {
        let starts = [0, 3, 3, 5, 9, 10]
        func blocks(_ count: Int) -> [Int] { starts.withUnsafeBufferPointer { ColumnBlocks(columnStarts: $0, count: count).bounds } }
        #expect(blocks(2) == [0, 3, 5])
        #expect(blocks(3) == [0, 1, 4, 5])
        #expect(blocks(10) == [0, 1, 3, 4, 5])
        #expect(blocks(1) == [0, 5])
        #expect([0].withUnsafeBufferPointer { ColumnBlocks(columnStarts: $0, count: 4).count } == 0)
        // Empty columns at the end belong to the last block.
        let trailing = [0, 4, 8, 8, 8]
        #expect(trailing.withUnsafeBufferPointer { ColumnBlocks(columnStarts: $0, count: 2).bounds } == [0, 1, 4])
    }

    /// `CONVMAT_THREADS` and --threads take a whole number from 1 to 1024 in decimal digits, nothing else.
    @Test func threadCountText() {
        #expect(ProductThreads.count("1") == 1)
        #expect(ProductThreads.count("16") == 16)
        #expect(ProductThreads.count("0012") == 12)
        #expect(ProductThreads.count("1024") == 1024)
        for text in ["", "0", "1025", "-2", "+2", " 2", "2 ", "2.0", "two", "99999999999999999999999"] {
            #expect(ProductThreads.count(text) == nil, "\(text)")
        }
        #expect(ProductThreads.available >= 1)
        #expect(SparseMatrix.defaultThreadCount >= 1 && SparseMatrix.defaultThreadCount <= ProductThreads.maximum)
    }

    /// The partial results counted by the guard, by hand: 1000 rows, 3 threads, one sample: 8·3·1·1000 =
    /// 24 000 bytes; six samples go four at a time with the padded leading dimension (1000 = 125 lines, odd,
    /// so 1000): 8·3·4·1000 = 96 000; 1024 rows, two samples, 2 threads: 128 lines, even, so 129 lines =
    /// 1032, 8·2·2·1032 = 33 024; one thread needs none.
    @Test func partialResultsByHand() {
        #expect(MemoryEstimate.partialResults(rows: 1000, samples: 1, threads: 3).bytes == 24_000)
        #expect(MemoryEstimate.partialResults(rows: 1000, samples: 6, threads: 3).bytes == 96_000)
        #expect(MemoryEstimate.partialResults(rows: 1024, samples: 2, threads: 2).bytes == 33_024)
        #expect(MemoryEstimate.partialResults(rows: 1000, samples: 8, threads: 1).bytes == 0)
    }

    /// Where the partial results do not fit beside the rest, a product falls back to fewer threads, down to
    /// one, instead of being refused. 64×64, kernel 3, one channel, 8 samples, by hand: C = 16·34 596 +
    /// 8·4 097 = 586 312 bytes, the writer's tables 2·(32·186 + 17·64) = 14 080, the vectors
    /// 8·8·3·(3 844 + 4 096) = 1 524 480, the program 20 MiB = 20 971 520: 23 096 392 in all. Two threads
    /// add 8·2·4·3 848 = 246 272 (3 844 rows padded to 481 lines, odd), three 369 408.
    @Test func threadsFallBackWhereMemoryIsShort() throws {
        let geometry = try ConvolutionGeometry(inputSize: [64, 64], kernelSize: [3, 3])
        let estimate = MemoryEstimate(geometry, samples: 8)
        #expect(estimate.totalBytes == 23_096_392)
        func threads(_ requested: Int, limit: Int) -> Int {
            MemoryBudget.productThreads(requested, rows: geometry.rowCount, samples: 8, beside: estimate, limit: limit)
        }
        #expect(threads(2, limit: 23_096_392 + 246_272) == 2)
        #expect(threads(2, limit: 23_096_392 + 246_271) == 1)
        #expect(threads(3, limit: 23_096_392 + 369_408) == 3)
        #expect(threads(3, limit: 23_096_392 + 369_407) == 2)
        #expect(threads(8, limit: 23_096_392) == 1)
        #expect(threads(1, limit: 1) == 1)
    }

    /// C kept by rows: the copy is C's transpose (checked against a transpose of C's arrays written here),
    /// and C·X through it is the one-thread scatter bit for bit on 1, 2, 3 and 8 threads (the parallel
    /// path forced), for batches of 1 to 6; Cᵀ·Y is unchanged. MemoryEstimate.rows by hand for 64×64,
    /// kernel 3: 16·34 596 + 8·(3 844 + 1) + 8·max(3 844, 4 096) = 617 064 bytes.
    @Test func keptRowsMakeTheSameProducts() async throws {
        await seededPropertyCheck(count: 60, input: TestGenerators.geometry, TestGenerators.seed) { geometry, seed in
            guard let g = geometry else { Issue.record("invalid geometry"); return }
            var random = SplitMix64(seed: seed)
            let matrix = try SparseMatrix(convolution: Kernel(random.signedUnits(g.weightCount), geometry: g))
            let arrays = matrix.compressedColumns
            let samples = 1 + Int(seed % 6)
            let x = Self.operand(&random, rows: g.columnCount, samples: samples)
            let y = Self.operand(&random, rows: g.rowCount, samples: samples)
            let forwardOne = try matrix.multiply(x, threads: 1), transposedOne = try matrix.multiplyTransposed(y, threads: 1)
            #expect(!matrix.keepsRows)
            try matrix.keepRows()
            try matrix.keepRows()
            #expect(matrix.keepsRows)
            // The transpose by hand: row i of C lists (j, value) for the columns j in increasing order.
            var rowStarts = [Int](repeating: 0, count: g.rowCount + 1)
            for i in arrays.rowIndices { rowStarts[i + 1] += 1 }
            for i in 0..<g.rowCount { rowStarts[i + 1] += rowStarts[i] }
            var next = rowStarts, columns = [Int](repeating: 0, count: arrays.values.count), values = [Double](repeating: 0, count: arrays.values.count)
            for j in 0..<g.columnCount {
                for p in arrays.columnStarts[j]..<arrays.columnStarts[j + 1] {
                    let i = arrays.rowIndices[p]
                    columns[next[i]] = j
                    values[next[i]] = arrays.values[p]
                    next[i] += 1
                }
            }
            let copy = try #require(matrix.rowsCopy.withLock { $0 })
            let kept = copy.compressedColumns
            #expect(kept.columnStarts == rowStarts && kept.rowIndices == columns && Self.bits(kept.values) == Self.bits(values), "\(g)")
            for threads in [1, 2, 3, 8] {
                let forward = try matrix.product(x, transposed: false, threads: threads, parallelWork: 0)
                #expect(Self.bits(forward.values) == Self.bits(forwardOne.values), "\(g), \(threads) threads")
                let transposed = try matrix.product(y, transposed: true, threads: threads, parallelWork: 0)
                #expect(Self.bits(transposed.values) == Self.bits(transposedOne.values), "\(g), \(threads) threads")
            }
        }
        let geometry = try ConvolutionGeometry(inputSize: [64, 64], kernelSize: [3, 3])
        #expect(MemoryEstimate.rows(geometry).bytes == 617_064)
    }
}
