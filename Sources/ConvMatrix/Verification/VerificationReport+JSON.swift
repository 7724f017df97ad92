extension VerificationReport {
    /// The report as one JSON object (keys in a fixed order), for scripts:
    /// `passed`, `seed`, `geometry`, `structure`, `datasets` (each with its
    /// route results, `comparisons` and `dot_tests`), `inverse` and `round_trip`.
    /// Non-finite numbers are written as strings ("inf", "nan").
    public var json: String {
        let g = geometry
        var geometryFields: [(String, String)] = [
            ("input", jsonInts(g.inputSize)), ("kernel", jsonInts(g.kernelSize)), ("stride", jsonInts(g.stride)),
            ("dilation", jsonInts(g.dilation)), ("padding_before", jsonInts(g.paddingBefore)),
            ("padding_after", jsonInts(g.paddingAfter)), ("in_channels", "\(g.inChannels)"),
            ("out_channels", "\(g.outChannels)"), ("groups", "\(g.groups)"), ("output", jsonInts(g.outputSize)),
        ]
        if let transposed { geometryFields.append(("transposed_output_padding", jsonInts(transposed.outputPadding))) }
        let datasetObjects = datasets.map { dataset in
            JSONWriting.object([
                ("name", JSONWriting.string(dataset.name)), ("exact", "\(dataset.exact)"), ("passed", "\(dataset.passed)"),
                ("weights", jsonNumbers(dataset.data.kernel.values)), ("y", jsonNumbers(dataset.data.y)),
                ("results", JSONWriting.array(dataset.results.map { result in
                    JSONWriting.object([("route", JSONWriting.string(result.route)), ("values", jsonNumbers(result.values)),
                            ("failure", result.failure.map(JSONWriting.string) ?? "null")])
                })),
                ("comparisons", JSONWriting.array(dataset.comparisons.map { c in
                    JSONWriting.object([("route", JSONWriting.string(c.route)), ("reference", JSONWriting.string(c.reference)),
                            ("largest_difference", jsonNumber(c.largestDifference)),
                            ("worst_component", c.worstComponent.map(String.init) ?? "null"),
                            ("difference_there", jsonNumber(c.differenceThere)), ("bound_there", jsonNumber(c.boundThere)),
                            ("problem", c.problem.map(JSONWriting.string) ?? "null"), ("passed", "\(c.passed)")])
                })),
                ("dot_tests", JSONWriting.array(dataset.dotTests.map { t in
                    JSONWriting.object([("name", JSONWriting.string(t.name)), ("left", jsonNumber(t.left)), ("right", jsonNumber(t.right)),
                            ("difference", jsonNumber(t.difference)), ("bound", jsonNumber(t.bound)), ("passed", "\(t.passed)")])
                })),
            ])
        }
        return JSONWriting.object([
            ("passed", "\(passed)"), ("seed", "\(seed)"), ("geometry", JSONWriting.object(geometryFields)),
            ("structure", JSONWriting.object([
                ("rows", "\(structure.rows)"), ("columns", "\(structure.columns)"),
                ("expected_rows", "\(structure.expectedRows)"), ("expected_columns", "\(structure.expectedColumns)"),
                ("nonzeros", "\(structure.nonzeros)"), ("analytic_nonzeros", "\(structure.analyticNonzeros)"),
                ("passed", "\(structure.passed)"),
            ])),
            ("datasets", JSONWriting.array(datasetObjects)),
            ("inverse", JSONWriting.object([
                ("residual", jsonNumber(inverse.residual)), ("input_norm", jsonNumber(inverse.inputNorm)),
                ("explanation", JSONWriting.string(InverseResidual.explanation)),
            ])),
            ("round_trip", JSONWriting.object([
                ("input", jsonInts(roundTrip.inputSize)), ("convolution_output", jsonInts(roundTrip.convolutionOutput)),
                ("restoring_output_paddings", JSONWriting.array(roundTrip.restoringPaddings.map(jsonInts))),
                ("passed", "\(roundTrip.passed)"),
            ])),
        ])
    }
}


/// A finite number as JSON (shortest round-tripping form); "inf"/"nan" as strings.
private func jsonNumber(_ value: Double) -> String {
    guard value.isFinite else { return JSONWriting.string(value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf")) }
    return "\(value)"
}

private func jsonNumbers(_ values: [Double]) -> String { JSONWriting.array(values.map(jsonNumber)) }

private func jsonInts(_ values: [Int]) -> String { JSONWriting.array(values.map(String.init)) }
