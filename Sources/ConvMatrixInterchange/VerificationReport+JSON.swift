import ConvMatrixCore
import ConvMatrixVerification

extension VerificationReport {
    /// The report as one JSON object (keys in a fixed order), for scripts:
    /// `passed`, `seed`, `geometry`, `structure`, `datasets` (each with its
    /// route results, `comparisons` and `dot_tests`), `inverse` and `round_trip`.
    /// The geometry's `output` is C's row count per channel; `natural_output`
    /// is what the convolution formula gives, larger when C keeps only the
    /// first outputs (`ConvolutionGeometry.isOutputCut`).
    /// Numbers are written by `JSONWriting.number` (non-finite ones as `null`).
    public var json: String {
        let g = geometry
        var geometryFields: [(String, String)] = [
            ("input", JSONWriting.integers(g.inputSize)), ("kernel", JSONWriting.integers(g.kernelSize)), ("stride", JSONWriting.integers(g.stride)),
            ("dilation", JSONWriting.integers(g.dilation)), ("padding_before", JSONWriting.integers(g.paddingBefore)),
            ("padding_after", JSONWriting.integers(g.paddingAfter)), ("in_channels", "\(g.inChannels)"),
            ("out_channels", "\(g.outChannels)"), ("groups", "\(g.groups)"), ("output", JSONWriting.integers(g.outputSize)),
            ("natural_output", JSONWriting.integers(g.naturalOutputSize)),
        ]
        if case .transposed(let transposed) = convolutionOperator {
            geometryFields.append(("transposed_output_padding", JSONWriting.integers(transposed.outputPadding)))
        }
        let datasetObjects = datasets.map { dataset in
            JSONWriting.object([
                ("name", JSONWriting.string(dataset.name)), ("exact", "\(dataset.exact)"), ("passed", "\(dataset.passed)"),
                ("weights", JSONWriting.numbers(dataset.data.kernel.values)), ("y", JSONWriting.numbers(dataset.data.y)),
                (
                    "results",
                    JSONWriting.array(
                        dataset.results.map { result in
                            JSONWriting.object([
                                ("route", JSONWriting.string(result.route)), ("values", JSONWriting.numbers(result.values)),
                                ("failure", result.failure.map(JSONWriting.string) ?? "null"),
                            ])
                        })
                ),
                (
                    "comparisons",
                    JSONWriting.array(
                        dataset.comparisons.map { c in
                            JSONWriting.object([
                                ("route", JSONWriting.string(c.route)), ("reference", JSONWriting.string(c.reference)),
                                ("largest_difference", JSONWriting.number(c.largestDifference)),
                                ("worst_component", c.worstComponent.map(String.init) ?? "null"),
                                ("difference_there", JSONWriting.number(c.differenceThere)), ("bound_there", JSONWriting.number(c.boundThere)),
                                ("problem", c.problem.map(JSONWriting.string) ?? "null"), ("passed", "\(c.passed)"),
                            ])
                        })
                ),
                (
                    "dot_tests",
                    JSONWriting.array(
                        dataset.dotTests.map { t in
                            JSONWriting.object([
                                ("name", JSONWriting.string(t.name)), ("left", JSONWriting.number(t.left)), ("right", JSONWriting.number(t.right)),
                                ("difference", JSONWriting.number(t.difference)), ("bound", JSONWriting.number(t.bound)), ("passed", "\(t.passed)"),
                            ])
                        })
                ),
            ])
        }
        return JSONWriting.object([
            ("passed", "\(passed)"), ("seed", "\(seed)"), ("geometry", JSONWriting.object(geometryFields)),
            (
                "structure",
                JSONWriting.object([
                    ("rows", "\(structure.rows)"), ("columns", "\(structure.columns)"),
                    ("expected_rows", "\(structure.expectedRows)"), ("expected_columns", "\(structure.expectedColumns)"),
                    ("nonzeros", "\(structure.nonzeros)"), ("analytic_nonzeros", "\(structure.analyticNonzeros)"),
                    ("passed", "\(structure.passed)"),
                ])
            ),
            ("datasets", JSONWriting.array(datasetObjects)),
            (
                "inverse",
                JSONWriting.object([
                    ("residual", JSONWriting.number(inverse.residual)), ("input_norm", JSONWriting.number(inverse.inputNorm)),
                    ("explanation", JSONWriting.string(InverseResidual.explanation)),
                ])
            ),
            (
                "round_trip",
                JSONWriting.object([
                    ("input", JSONWriting.integers(roundTrip.inputSize)), ("convolution_output", JSONWriting.integers(roundTrip.convolutionOutput)),
                    ("restoring_output_paddings", JSONWriting.array(roundTrip.restoringPaddings.map(JSONWriting.integers))),
                    ("passed", "\(roundTrip.passed)"),
                ])
            ),
        ])
    }
}
