import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixVerification

extension VerificationReport {
    /// Results with at most this many components are printed in full; larger ones are summarised.
    package static let printedComponentLimit = 48

    /// The report as text for a terminal: geometry, structure, each data
    /// set's route results (when small) and comparisons with their bounds,
    /// the dot tests, the inverse residual, the round trip and a final
    /// `PASS` or `FAIL` line.
    public var text: String {
        var lines = [String]()
        let g = geometry
        if case .transposed(let transposed) = convolutionOperator {
            lines.append(
                "transposed convolution: input \(transposed.inChannels)×\(size(transposed.inputSize)) → output \(transposed.outChannels)×\(size(transposed.outputSize)) [channels×spatial], output_padding \(size(transposed.outputPadding))"
            )
            lines.append("  it multiplies by Cᵀ, where C is the convolution below")
        }
        var header = "convolution C: input \(g.inChannels)×\(size(g.inputSize)) → output \(g.outChannels)×\(size(g.outputSize)) [channels×spatial]"
        if g.isOutputCut, case .transposed(let transposed) = convolutionOperator {
            // PyTorch allows s ≤ output_padding < d; the convolution of that size then has more outputs than y has entries.
            header += ", the first \(size(g.outputSize)) of the \(size(g.naturalOutputSize)) outputs a convolution of \(size(g.inputSize)) gives"
            lines.append(header)
            let cut = (0..<g.spatialRank).filter { g.naturalOutputSize[$0] != g.outputSize[$0] }
            let reasons = cut.map {
                "output_padding[\($0)] = \(transposed.outputPadding[$0]) is not below stride \(g.stride[$0]) (PyTorch allows it below dilation \(g.dilation[$0]))"
            }
            lines.append("  cut because \(reasons.joined(separator: " and ")): Cᵀ is the gradient of that convolution with its extra outputs dropped")
        } else {
            lines.append(header)
        }
        lines.append(
            "  kernel \(size(g.kernelSize)), stride \(size(g.stride)), padding \(paddingText(g.paddingBefore, g.paddingAfter)) (before:after)\(g.paddingMode == .zeros ? "" : " filled by padding_mode \(g.paddingMode.rawValue)"), dilation \(size(g.dilation)), groups \(g.groups); weights \(g.weightShape.map(String.init).joined(separator: "×"))"
        )
        // With copies in the padding the routes work over the padded input and then add each copy onto its element.
        let padded = g.paddingMode == .zeros ? nil : try? g.overPaddedInput()
        let z = ZeroInsertion(geometry: padded ?? g)
        lines.append(
            "  zero insertion: s − 1 = \(size(z.insertedZeros)) zero(s) between neighbours, padding \(paddingText(z.paddingBefore, z.paddingAfter)) (negative = crop, output_padding \(size(z.outputPadding)) included), then a stride-1 convolution of \(size(z.expandedSize)) with the flipped kernel\(padded == nil ? "" : ", over the padded input; each padded position is then added onto the element it copies")"
        )
        lines.append("\(mark(structure.passed)) structure: \(structure.summary)")
        lines.append("seed \(seed)")
        for dataset in datasets {
            lines.append("")
            let rule =
                dataset.exact
                ? "every route is exact here: they must agree bit for bit"
                : g.paddingMode == .zeros
                    ? "per component |Δᵢ| ≤ 2γ_Kᵢ·(|Cᵀ||y|)ᵢ, γ_K = Ku/(1−Ku), u = 2⁻⁵³, Kᵢ = nonzeros in column i of C"
                    : "per component |Δᵢ| ≤ 2γ_Kᵢ·(|Cᵀ||y|)ᵢ, γ_K = Ku/(1−Ku), u = 2⁻⁵³, Kᵢ = taps that read element i or a copy of it, |C| summing |w| over them"
            lines.append("\(dataset.name) data (\(rule))")
            let shown =
                dataset.data.kernel.values.count <= Self.printedComponentLimit && g.columnCount <= Self.printedComponentLimit
                && g.rowCount <= Self.printedComponentLimit
            if shown {
                lines.append("  weights  = \(nested(dataset.data.kernel.values, shape: g.weightShape, channelAxes: 2))")
                lines.append("  y        = \(nested(dataset.data.y, shape: [g.outChannels] + g.outputSize))")
                let width = dataset.results.map(\.route.count).max() ?? 0
                for result in dataset.results {
                    let name = result.route.padding(to: width)
                    let shape = [g.inChannels] + g.inputSize
                    let shown = result.values.count == shape.reduce(1, *) ? nested(result.values, shape: shape) : list(result.values)
                    lines.append("  \(name) Cᵀy = " + (result.failure.map { "failed: \($0)" } ?? shown))
                }
            } else {
                lines.append("  (C is \(g.rowCount)×\(g.columnCount); route results not printed, compared below)")
            }
            for comparison in dataset.comparisons {
                lines.append("\(mark(comparison.passed)) \(comparison.summary)")
            }
            for test in dataset.dotTests {
                lines.append("\(mark(test.passed)) \(test.summary)")
            }
            let gradient = dataset.weightGradient
            lines.append(
                "weight gradient ∂L/∂w = Xᵀg with g = y, X = X(x) the im2col matrix of x (\(dataset.exact ? "exact here" : "per weight |Δₑ| ≤ 2γ_Kₑ·(|X|ᵀ|g|)ₑ, Kₑ = taps of weight e"))"
            )
            if shown {
                lines.append("  x        = \(nested(dataset.data.x, shape: [g.inChannels] + g.inputSize))")
                lines.append(
                    "  \(gradient.result.route) = "
                        + (gradient.result.failure.map { "failed: \($0)" }
                            ?? (gradient.result.values.count == g.weightCount
                                ? nested(gradient.result.values, shape: g.weightShape, channelAxes: 2) : list(gradient.result.values)))
                )
            }
            lines.append("\(mark(gradient.comparison.passed)) \(gradient.comparison.summary)")
            for test in gradient.dotTests {
                lines.append("\(mark(test.passed)) \(test.summary)")
            }
        }
        lines.append("")
        lines.append("not an inverse: ‖CᵀCx − x‖ = \(reportNumber(inverse.residual)) for ‖x‖ = \(reportNumber(inverse.inputNorm)) (real-valued x)")
        lines.append("  \(InverseResidual.explanation)")
        lines.append("\(mark(roundTrip.passed)) shape round trip: \(roundTrip.summary)")
        lines.append(passed ? "PASS" : "FAIL")
        return lines.joined(separator: "\n")
    }
}

private func mark(_ passed: Bool) -> String { passed ? "  ok  " : "  FAIL" }

private func size(_ values: [Int]) -> String { values.map(String.init).joined(separator: "×") }

private func paddingText(_ before: [Int], _ after: [Int]) -> String {
    zip(before, after).map { "\($0):\($1)" }.joined(separator: "×")
}

/// Values nested by `shape` like d2l prints tensors, [[0, 1], [2, 3]]; of the
/// first `channelAxes` axes, those of length 1 (a single channel) are left out.
private func nested(_ values: [Double], shape: [Int], channelAxes: Int = 1) -> String {
    var shape = shape
    for _ in 0..<channelAxes where shape.count > 1 && shape[0] == 1 { shape.removeFirst() }
    func render(_ start: Int, _ axis: Int) -> String {
        if axis == shape.count - 1 {
            return list(Array(values[start..<(start + shape[axis])]))
        }
        let step = shape[(axis + 1)...].reduce(1, *)
        return "[" + (0..<shape[axis]).map { render(start + $0 * step, axis + 1) }.joined(separator: ", ") + "]"
    }
    return values.isEmpty ? "[]" : render(0, 0)
}

/// One route against its reference on one data set, for `briefText`: the problem, "identical", or
/// the largest difference against the bound.
private func briefSummary(of comparison: RouteComparison, on kind: String) -> String {
    if let problem = comparison.problem { return "\(kind): \(problem)" }
    if comparison.largestDifference == 0 { return "\(kind): identical to \(comparison.reference)" }
    return
        "\(kind): max |Δ| = \(reportNumber(comparison.largestDifference)) from \(comparison.reference) \(comparison.passed ? "≤" : ">") bound"
}

private func list(_ values: [Double]) -> String {
    "[" + values.map(formatNumber).joined(separator: ", ") + "]"
}

private extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

extension VerificationReport {
    /// The report in a few lines: one per route — the reference route's dot
    /// tests, every other route against it on both data sets with its dot
    /// tests —, one for the weight gradient Xᵀg against the direct loop with its dot tests, and the verdict, which also names a failed structure or shape
    /// round trip (what `convmat verify --brief` prints).
    public var briefText: String {
        var lines = [String]()
        let names = datasets.first?.results.map(\.route) ?? []
        let width = names.map(\.count).max() ?? 0
        for (index, name) in names.enumerated() {
            var parts = [String]()
            var passed = true
            for dataset in datasets {
                let kind = String(dataset.name.split(separator: "-").first ?? Substring(dataset.name))
                if index > 0, let comparison = dataset.comparisons.first(where: { $0.route == name }) {
                    passed = passed && comparison.passed
                    parts.append(briefSummary(of: comparison, on: kind))
                }
            }
            let dots = datasets.flatMap(\.dotTests).filter { $0.name.hasSuffix("(\(name))") }
            passed = passed && dots.allSatisfy(\.passed)
            parts.append("dot tests \(dots.filter(\.passed).count)/\(dots.count)")
            let label = (name + (index == 0 ? " (reference)" : "") + ":")
            lines.append("\(passed ? "ok  " : "FAIL") \(label.padding(to: width + 13)) \(parts.joined(separator: "; "))")
        }
        // The weight gradient: its route against the direct loop on both data sets, and its dot tests.
        var parts = [String]()
        for dataset in datasets {
            let kind = String(dataset.name.split(separator: "-").first ?? Substring(dataset.name))
            parts.append(briefSummary(of: dataset.weightGradient.comparison, on: kind))
        }
        let dots = datasets.flatMap(\.weightGradient.dotTests)
        parts.append("dot tests \(dots.filter(\.passed).count)/\(dots.count)")
        let gradientPassed = datasets.allSatisfy(\.weightGradient.passed)
        lines.append("\(gradientPassed ? "ok  " : "FAIL") \("∂L/∂w = Xᵀg:".padding(to: width + 13)) \(parts.joined(separator: "; "))")
        var verdict = passed ? "PASS" : "FAIL"
        if !structure.passed { verdict += " (structure of C: \(structure.summary))" }
        if !roundTrip.passed { verdict += " (round trip: \(roundTrip.summary))" }
        if passed { verdict += ": the transposed convolution is Cᵀ by every route, and the weight gradient is Xᵀg" }
        lines.append(verdict)
        return lines.joined(separator: "\n")
    }
}
