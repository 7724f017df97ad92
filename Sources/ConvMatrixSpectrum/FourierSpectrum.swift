import ConvMatrixCore

#if canImport(Glibc)
    import Glibc
#endif

/// The exact spectrum of a (block) circulant C through the DFT (Sedghi, Gupta & Long, ICLR 2019).
///
/// With circular padding at stride 1 and an output as large as the input n (per dimension),
///
///     y[o, i] = Σ_c Σ_t w[o, c, t] · x[c, (i + dilation·t − padding_before) mod n],
///
/// so every Fourier vector e_f(j) = e^{2πi f·j/n} of one channel is mapped to e_f times a number
/// per channel pair: C acts on frequency f as the C_out×C_in matrix
///
///     A(f)[o, c] = e^{−2πi f·padding_before/n} · Σ_t w[o, c, t] · e^{2πi f·(dilation·t)/n}
///
/// (in several dimensions the exponents add). The common phase does not change singular values,
/// so it is left out; the singular values of C are those of all A(f) together. With groups, A(f) is
/// block diagonal, one (C_out/groups)×(C_in/groups) block per group, and each block is taken alone.
package enum FourierSpectrum {
    /// All min(rows, columns) singular values of C, descending.
    ///
    /// - Parameter kernel: weights of a geometry for which `Spectrum.fourierApplies` holds.
    /// - Returns: the values of every A(f), sorted.
    /// - Throws: `GeometryError.invalid` on `route` when LAPACK fails.
    /// - Complexity: O(N·(C_out·C_in/groups·k + groups·b³)) for N spatial positions, k taps and blocks of size b.
    static func singularValues(_ kernel: Kernel) throws(GeometryError) -> [Double] {
        try perFrequency(kernel).joined().sorted(by: >)
    }

    /// The singular values of A(f) for every frequency f, row-major over the input's grid (all
    /// groups' blocks together, unsorted): ‖A(f)‖₂ is the largest of each, what the spectrum's
    /// picture shows; in 1-D with one channel it is |DFT(w)(f)|.
    ///
    /// - Parameter kernel: weights of a geometry for which `Spectrum.fourierApplies` holds.
    /// - Returns: one list per frequency.
    /// - Throws: `GeometryError.invalid` on `route` when LAPACK fails.
    package static func perFrequency(_ kernel: Kernel) throws(GeometryError) -> [[Double]] {
        let geometry = kernel.geometry
        let rank = geometry.spatialRank
        let sizes = geometry.inputSize, taps = geometry.kernelSize
        let (outPerGroup, inPerGroup) = (geometry.outChannelsPerGroup, geometry.inChannelsPerGroup)
        let tapCount = geometry.kernelVolume
        // Per dimension and frequency, e^{2πi f·dilation·t/n} for every tap t, as (cos, sin).
        var twiddles = [[(Double, Double)]]()
        for d in 0..<rank {
            var table = [(Double, Double)]()
            table.reserveCapacity(sizes[d] * taps[d])
            for f in 0..<sizes[d] {
                for t in 0..<taps[d] {
                    let turns = Double((f * geometry.dilation[d] * t) % sizes[d]) / Double(sizes[d])
                    table.append((cos(2 * Double.pi * turns), sin(2 * Double.pi * turns)))
                }
            }
            twiddles.append(table)
        }
        var values = [[Double]]()
        values.reserveCapacity(geometry.inputVolume)
        var tapReal = [Double](repeating: 0, count: tapCount), tapImaginary = tapReal
        var block = [Double](repeating: 0, count: 2 * outPerGroup * inPerGroup)
        var workspace = [Double]()
        var frequency = [Int](repeating: 0, count: rank)
        for _ in 0..<geometry.inputVolume {
            // The phase of every tap at this frequency: the product over dimensions, row-major taps.
            for tap in 0..<tapCount {
                var rest = tap, real = 1.0, imaginary = 0.0
                for d in stride(from: rank - 1, through: 0, by: -1) {
                    let t = rest % taps[d]
                    rest /= taps[d]
                    let (c, s) = twiddles[d][frequency[d] * taps[d] + t]
                    (real, imaginary) = (real * c - imaginary * s, real * s + imaginary * c)
                }
                tapReal[tap] = real
                tapImaginary[tap] = imaginary
            }
            var atFrequency = [Double]()
            for group in 0..<geometry.groups {
                for o in 0..<outPerGroup {
                    for c in 0..<inPerGroup {
                        let base = ((group * outPerGroup + o) * inPerGroup + c) * tapCount
                        var real = 0.0, imaginary = 0.0
                        for tap in 0..<tapCount {
                            let w = kernel.values[base + tap]
                            real += w * tapReal[tap]
                            imaginary += w * tapImaginary[tap]
                        }
                        let index = 2 * (c * outPerGroup + o)
                        block[index] = real
                        block[index + 1] = imaginary
                    }
                }
                var copy = block
                atFrequency += try Lapack.complexSingularValues(of: &copy, rows: outPerGroup, columns: inPerGroup, workspace: &workspace)
            }
            values.append(atFrequency)
            // Next frequency, row-major.
            var d = rank - 1
            while d >= 0 {
                frequency[d] += 1
                if frequency[d] < sizes[d] { break }
                frequency[d] = 0
                d -= 1
            }
        }
        return values
    }
}
