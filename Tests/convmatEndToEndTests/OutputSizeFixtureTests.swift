import Foundation
import Testing
import ConvMatrix
import ConvMatrixTestSupport

/// Which output sizes the frameworks accept, against their own verdicts:
/// Tests/Fixtures/output_sizes holds, for small 1-D geometries (input 1–4,
/// kernel 1–3, stride and dilation 1–3, so dilation above the stride too)
/// and every candidate size around the valid range, what PyTorch's
/// `output_size` and `output_padding` and TensorFlow's `output_shape` under
/// SAME and VALID did with it (written by Tests/Fixtures/generate_fixtures.py).
/// `TransposedConvolutionGeometry` — the one implementation behind
/// `--output-size`, `--output-padding` and `convmat run` — must agree on
/// every one, and quote the range PyTorch quotes.
@Suite struct OutputSizeFixtureTests {
    /// PyTorch's `output_size`: accepted sizes give that output; refused ones quote
    /// PyTorch's range (raised to 1, the smallest size a tensor has), or, when no size
    /// of at least 1 is in it, are refused for the padding.
    @Test func pytorchOutputSize() throws {
        let verdicts = try Verdicts.read("pytorch_output_size")
        #expect(verdicts.count >= 800)
        for v in verdicts {
            let input = v.sizes("input"), requested = v.sizes("output_size")
            let attempt = Result { () throws(GeometryError) in
                try TransposedConvolutionGeometry(
                    inputSize: input, kernelSize: [v.int("kernel")], stride: [v.int("stride")],
                    dilation: [v.int("dilation")], padding: .symmetric([v.int("padding")]), outputSize: requested)
            }
            switch attempt {
            case .success(let geometry):
                #expect(v.bool("accepted"), "\(v): accepted, PyTorch refuses")
                #expect(geometry.outputSize == v.sizes("output"), "\(v)")
            case .failure(let error):
                #expect(!v.bool("accepted"), "\(v): refused (\(error)), PyTorch accepts")
                if let range = v.value["valid"] as? [Int] {
                    if range[1] >= 1 {
                        #expect(error.description.contains("valid sizes range from [\(max(range[0], 1))] to [\(range[1])]"), "\(v): \(error)")
                    } else {
                        #expect(error.description.hasPrefix("padding[0] = "), "\(v): \(error)")
                    }
                }
                if let text = v.value["refused_by"] as? String,
                    let quoted = text.range(of: #"valid sizes range from \[[0-9, ]+\] to \[[0-9, ]+\]"#, options: .regularExpression)
                {
                    #expect(error.description.contains(text[quoted]), "\(v): \(error)")
                }
            }
        }
    }

    /// PyTorch's `output_padding`: accepted below max(stride, dilation) with the size
    /// PyTorch gives (including past the stride when the dilation is larger); refused
    /// above it, or for the padding when the size would be below 1.
    @Test func pytorchOutputPadding() throws {
        let verdicts = try Verdicts.read("pytorch_output_padding")
        #expect(verdicts.count >= 700)
        for v in verdicts {
            let attempt = Result { () throws(GeometryError) in
                try TransposedConvolutionGeometry(
                    inputSize: v.sizes("input"), kernelSize: [v.int("kernel")], stride: [v.int("stride")],
                    dilation: [v.int("dilation")], padding: .symmetric([v.int("padding")]), outputPadding: [v.int("output_padding")])
            }
            switch attempt {
            case .success(let geometry):
                #expect(v.bool("accepted"), "\(v): accepted, PyTorch refuses")
                #expect(geometry.outputSize == v.sizes("output"), "\(v)")
            case .failure(let error):
                #expect(!v.bool("accepted"), "\(v): refused (\(error)), PyTorch accepts")
                switch v.value["refused_for"] as? String {
                case "output_padding": #expect(error.description.hasPrefix("output_padding[0] = "), "\(v): \(error)")
                case "size": #expect(error.description.hasPrefix("padding[0] = "), "\(v): \(error)")
                default: Issue.record("\(v): unknown refusal")
                }
            }
        }
    }

    /// TensorFlow's `output_shape` under SAME and VALID: accepted exactly when TensorFlow accepts.
    @Test func tensorflowOutputShape() throws {
        let verdicts = try Verdicts.read("tensorflow_output_shape")
        #expect(verdicts.count >= 700)
        for v in verdicts {
            let padding: Padding = v.value["padding"] as? String == "SAME" ? .same : .valid
            let attempt = Result { () throws(GeometryError) in
                try TransposedConvolutionGeometry(
                    inputSize: v.sizes("input"), kernelSize: [v.int("kernel")], stride: [v.int("stride")],
                    dilation: [v.int("dilation")], padding: padding, outputSize: v.sizes("output_shape"))
            }
            switch attempt {
            case .success(let geometry):
                #expect(v.bool("accepted"), "\(v): accepted, TensorFlow refuses")
                #expect(geometry.outputSize == v.sizes("output_shape"), "\(v)")
            case .failure(let error):
                #expect(!v.bool("accepted"), "\(v): refused (\(error)), TensorFlow accepts")
                #expect(error.description.hasPrefix("output_size[0] = \(v.int("output_shape")) is refused by TensorFlow's output_shape rule"), "\(v): \(error)")
            }
        }
    }

    /// `convmat shape --output-size` on PyTorch's documented 2-D example: the same verdicts, and a
    /// refusal quotes the same range as PyTorch's message.
    @Test func commandLineQuotesPyTorch() throws {
        let verdicts = try Verdicts.read("pytorch_output_size").filter { $0.value["input"] is [Int] }
        #expect(verdicts.count >= 5)
        for v in verdicts {
            let requested = v.sizes("output_size").map(String.init).joined(separator: "x")
            let run = try CommandRunner.convmat([
                "shape", "--input", "3x3", "--kernel", "3", "--stride", "2", "--padding", "1",
                "--in-channels", "8", "--out-channels", "3", "--transposed", "--output-size", requested,
            ])
            if v.bool("accepted") {
                #expect(
                    run.status == 0 && run.output.hasPrefix("transposed convolution: input 3×3 → output \(requested.replacing("x", with: "×"))"),
                    "\(v): \(run.error)")
            } else {
                #expect(run.status == 2 && run.output.isEmpty, "\(v)")
                #expect(run.error.contains("valid sizes range from [5, 5] to [6, 6]"), "\(v): \(run.error)")
            }
        }
    }
}

/// One line of an output_sizes file, read by Foundation.
private struct Verdict: CustomStringConvertible {
    let value: [String: Any]

    func int(_ key: String) -> Int { value[key] as? Int ?? -1 }
    func bool(_ key: String) -> Bool { value[key] as? Bool ?? false }
    /// A size that is one number (1-D) or a list (2-D).
    func sizes(_ key: String) -> [Int] { (value[key] as? [Int]) ?? [int(key)] }

    var description: String {
        value.keys.sorted().map { "\($0)=\(value[$0].map { "\($0)" } ?? "nil")" }.joined(separator: " ")
    }
}

private enum Verdicts {
    static func read(_ rule: String) throws -> [Verdict] {
        let url = FixtureFiles.directory.appendingPathComponent("output_sizes").appendingPathComponent(rule + ".json")
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        let list = root?["verdicts"] as? [[String: Any]] ?? []
        return list.map(Verdict.init)
    }
}
