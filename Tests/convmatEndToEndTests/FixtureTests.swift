import Foundation
import Testing
import ConvMatrix
import ConvMatrixTestSupport

/// `convmat run` against PyTorch and TensorFlow: every case under
/// Tests/Fixtures/cases holds a case document and the output the framework
/// computed for it in float64 (written by Tests/Fixtures/generate_fixtures.py,
/// see docs/fixtures.md); every file under Tests/Fixtures/errors holds a case
/// the frameworks refuse and the field name the refusal must mention.
@Suite struct FixtureTests {
    /// Each case through `ConvolutionCase(json:)` and `evaluate()`, the code path
    /// of `convmat run`: the shape must match exactly and every number to
    /// |a − b| ≤ 1e-9·max(1, |b|).
    @Test(arguments: FixtureFiles.caseNames)
    func agreesWithFramework(_ name: String) throws {
        let fixture = try FixtureFiles.caseFixture(name)
        let result = try ConvolutionCase(json: fixture.caseText).evaluate()
        expectClose(shape: result.shape, data: result.data, to: fixture.expected, name: name)
    }

    /// Each refused case throws, with a one-line message that names the field.
    @Test(arguments: FixtureFiles.errorNames)
    func refusesWithFieldName(_ name: String) throws {
        let fixture = try FixtureFiles.errorFixture(name)
        do {
            let result = try ConvolutionCase(json: fixture.caseText).evaluate()
            Issue.record("\(name): accepted with output shape \(result.shape); expected a refusal naming \(fixture.errorContains)")
        } catch {
            #expect(error.description.contains(fixture.errorContains), "\(name): \(error.description)")
            #expect(!error.description.contains("\n"), "\(name): the message must be one line")
        }
    }

    /// Guards against a fixture directory that moved or emptied: the tests
    /// above would then run over nothing and pass.
    @Test func fixturesArePresent() {
        #expect(FixtureFiles.caseNames.count >= 60, "cases found: \(FixtureFiles.caseNames.count)")
        #expect(FixtureFiles.errorNames.count >= 20, "refused cases found: \(FixtureFiles.errorNames.count)")
    }

    /// The built `convmat run FILE` prints exactly one JSON document with the framework's numbers,
    /// exits 0 and writes nothing on standard error.
    @Test(arguments: [
        "pytorch_docs_conv_transpose2d_output_padding_6x6", "tf_docs_conv_5x5_same_stride2",
        "tf_conv3d_transpose_same_stride2", "pt_input_grad2d_groups_dilation_batch2",
        "pt_conv_transpose2d_output_padding_2_stride_1_dilation_3", "tf_input_grad1d_valid_stride2",
    ])
    func commandLinePrintsOneDocument(_ name: String) throws {
        let fixture = try FixtureFiles.caseFixture(name)
        let run = try runCase(fixture.caseText)
        #expect(run.status == 0, "\(name): exit status \(run.status), stderr \(run.error)")
        #expect(run.error.isEmpty, "\(name): \(run.error)")
        #expect(
            run.output.hasSuffix("}\n") && run.output.filter { $0 == "\n" }.count == 1,
            "\(name): stdout must be one JSON document on one line")
        let printed = try JSONDecoder().decode(OutputDocument.self, from: Data(run.output.utf8))
        expectClose(shape: printed.output.shape, data: printed.output.data, to: fixture.expected, name: name)
    }

    /// The built `convmat run FILE` refuses with exit status 2, nothing on
    /// standard output and one `error:` line naming the field.
    @Test(arguments: [
        "output_padding_too_large", "impossible_output_shape_same", "malformed_json_truncated",
        "non_finite_input_number", "channel_mismatch_tensorflow_conv", "kernel_larger_than_padded_input",
    ])
    func commandLineRefuses(_ name: String) throws {
        let fixture = try FixtureFiles.errorFixture(name)
        let run = try runCase(fixture.caseText)
        let lines = run.error.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(run.status == 2, "\(name): exit status \(run.status)")
        #expect(run.output.isEmpty, "\(name): stdout \(run.output)")
        #expect(lines.count == 2 && lines[1].isEmpty, "\(name): stderr must be one line: \(run.error)")
        #expect(lines[0].hasPrefix("error: ") && lines[0].contains(fixture.errorContains), "\(name): \(run.error)")
    }
}

/// Compares a computed tensor with a framework's, per entry at 1e-9 relative
/// (absolute below magnitude 1), and reports the largest relative error.
private func expectClose(
    shape: [Int], data: [Double], to expected: TensorDocument, name: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(shape == expected.shape, "\(name): shape", sourceLocation: sourceLocation)
    #expect(data.count == expected.data.count, "\(name): number of entries", sourceLocation: sourceLocation)
    guard shape == expected.shape, data.count == expected.data.count else { return }
    var worst = (error: 0.0, index: 0)
    for (index, (a, b)) in zip(data, expected.data).enumerated() {
        let error = abs(a - b) / max(1, abs(b))
        if !(error <= worst.error) { worst = (error, index) }
    }
    #expect(
        worst.error <= 1e-9,
        "\(name): entry \(worst.index) is \(data[worst.index]), the framework gives \(expected.data[worst.index]) (relative error \(worst.error))",
        sourceLocation: sourceLocation)
}

/// `{"shape": [...], "data": [...]}`, read by Foundation (independently of the code under test).
private struct TensorDocument: Decodable {
    let shape: [Int]
    let data: [Double]
}

/// `{"output": tensor}`, as `convmat run` prints it and as fixtures store the expected result.
private struct OutputDocument: Decodable {
    let output: TensorDocument
}

/// The metadata of a refused-case file.
private struct ErrorDocument: Decodable {
    let errorContains: String
    let caseText: String?

    enum CodingKeys: String, CodingKey {
        case errorContains = "error_contains", caseText = "case_text"
    }
}

/// One fixture: the case exactly as `convmat run` would read it, and what was expected.
private struct CaseFixture {
    let caseText: String
    let expected: TensorDocument
}

/// One refused case: its text and the field name its refusal must mention.
private struct ErrorFixture {
    let caseText: String
    let errorContains: String
}

/// Finds and reads the committed fixture files, located from this source file.
enum FixtureFiles {
    static let directory = CommandRunner.packageRoot.appendingPathComponent("Tests/Fixtures")

    /// Names (without `.json`) of the cases with an expected output.
    static let caseNames = names(in: "cases")
    /// Names (without `.json`) of the cases that must be refused.
    static let errorNames = names(in: "errors")

    private static func names(in folder: String) -> [String] {
        let path = directory.appendingPathComponent(folder).path
        let files = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    private static func contents(_ folder: String, _ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(folder).appendingPathComponent(name + ".json"))
    }

    /// The `case` member re-written as text with every number literal unchanged.
    private static func caseMember(of data: Data, name: String) throws -> String {
        let root = try JSONValue(parsing: String(decoding: data, as: UTF8.self))
        guard case .object(let members) = root, let value = members["case"] else {
            throw FixtureFileError(description: "\(name): no \"case\" member")
        }
        return value.text
    }

    fileprivate static func caseFixture(_ name: String) throws -> CaseFixture {
        let data = try contents("cases", name)
        let expected = try JSONDecoder().decode(ExpectedDocument.self, from: data).expected.output
        return CaseFixture(caseText: try caseMember(of: data, name: name), expected: expected)
    }

    fileprivate static func errorFixture(_ name: String) throws -> ErrorFixture {
        let data = try contents("errors", name)
        let document = try JSONDecoder().decode(ErrorDocument.self, from: data)
        let text = try document.caseText ?? caseMember(of: data, name: name)
        return ErrorFixture(caseText: text, errorContains: document.errorContains)
    }

    private struct ExpectedDocument: Decodable {
        let expected: OutputDocument
    }
}

/// A fixture file that does not have the documented layout.
struct FixtureFileError: Error, CustomStringConvertible {
    let description: String
}

extension JSONValue {
    /// The value as JSON text; numbers are written as their original literal.
    fileprivate var text: String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let literal): return literal
        case .string(let string): return Self.quoted(string)
        case .array(let items): return "[" + items.map(\.text).joined(separator: ", ") + "]"
        case .object(let members):
            let sorted = members.sorted { $0.key < $1.key }
            return "{" + sorted.map { Self.quoted($0.key) + ": " + $0.value.text }.joined(separator: ", ") + "}"
        }
    }

    private static func quoted(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

/// Runs the built `convmat run FILE` on a case written to a temporary file.
private func runCase(_ caseText: String) throws -> CommandRunner.Outcome {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("convmat-fixture-\(UUID().uuidString).json")
    try Data(caseText.utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    return try CommandRunner.convmat(["run", file.path])
}
