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
            jsonObject([
                ("name", jsonString(dataset.name)), ("exact", "\(dataset.exact)"), ("passed", "\(dataset.passed)"),
                ("weights", jsonNumbers(dataset.data.kernel.values)), ("y", jsonNumbers(dataset.data.y)),
                ("results", jsonArray(dataset.results.map { result in
                    jsonObject([("route", jsonString(result.route)), ("values", jsonNumbers(result.values)),
                            ("failure", result.failure.map(jsonString) ?? "null")])
                })),
                ("comparisons", jsonArray(dataset.comparisons.map { c in
                    jsonObject([("route", jsonString(c.route)), ("reference", jsonString(c.reference)),
                            ("largest_difference", jsonNumber(c.largestDifference)),
                            ("worst_component", c.worstComponent.map(String.init) ?? "null"),
                            ("difference_there", jsonNumber(c.differenceThere)), ("bound_there", jsonNumber(c.boundThere)),
                            ("problem", c.problem.map(jsonString) ?? "null"), ("passed", "\(c.passed)")])
                })),
                ("dot_tests", jsonArray(dataset.dotTests.map { t in
                    jsonObject([("name", jsonString(t.name)), ("left", jsonNumber(t.left)), ("right", jsonNumber(t.right)),
                            ("difference", jsonNumber(t.difference)), ("bound", jsonNumber(t.bound)), ("passed", "\(t.passed)")])
                })),
            ])
        }
        return jsonObject([
            ("passed", "\(passed)"), ("seed", "\(seed)"), ("geometry", jsonObject(geometryFields)),
            ("structure", jsonObject([
                ("rows", "\(structure.rows)"), ("columns", "\(structure.columns)"),
                ("expected_rows", "\(structure.expectedRows)"), ("expected_columns", "\(structure.expectedColumns)"),
                ("nonzeros", "\(structure.nonzeros)"), ("analytic_nonzeros", "\(structure.analyticNonzeros)"),
                ("passed", "\(structure.passed)"),
            ])),
            ("datasets", jsonArray(datasetObjects)),
            ("inverse", jsonObject([
                ("residual", jsonNumber(inverse.residual)), ("input_norm", jsonNumber(inverse.inputNorm)),
                ("explanation", jsonString(InverseResidual.explanation)),
            ])),
            ("round_trip", jsonObject([
                ("input", jsonInts(roundTrip.inputSize)), ("convolution_output", jsonInts(roundTrip.convolutionOutput)),
                ("restoring_output_paddings", jsonArray(roundTrip.restoringPaddings.map(jsonInts))),
                ("passed", "\(roundTrip.passed)"),
            ])),
        ])
    }
}

/// `{"key": value, …}` from already-encoded values.
private func jsonObject(_ fields: [(String, String)]) -> String {
    "{" + fields.map { "\(jsonString($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
}

/// `[a, b, …]` from already-encoded values.
private func jsonArray(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }

/// A JSON string literal with quotes, backslashes and control characters escaped.
private func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// A finite number as JSON (shortest round-tripping form); "inf"/"nan" as strings.
private func jsonNumber(_ value: Double) -> String {
    guard value.isFinite else { return jsonString(value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf")) }
    return "\(value)"
}

private func jsonNumbers(_ values: [Double]) -> String { jsonArray(values.map(jsonNumber)) }

private func jsonInts(_ values: [Int]) -> String { jsonArray(values.map(String.init)) }
