import ConvMatrix
@testable import ConvMatrixExplorer
import Foundation
import Testing

/// The explorer's answers without HTTP: query → settings → views. Expected sizes, windows and
/// messages are computed here by hand (the output-size formula, the window loops), not by the library.
struct ExplorerTests {
    let explorer = Explorer()

    /// Reads the answer's JSON with the library's parser (the test checks values, not the writer).
    func answer(_ query: String) throws -> (status: Int, json: JSONValue) {
        let response = explorer.respond(path: "/api/view", query: query)
        return (response.status, try JSONValue(parsing: response.body))
    }

    /// o = ⌊(i + p_b + p_a − d(k − 1) − 1)/s⌋ + 1, written out independently of the library.
    func outputSize(_ i: Int, _ k: Int, stride s: Int, padding p: Int, dilation d: Int) -> Int {
        (i + 2 * p - d * (k - 1) - 1) / s + 1
    }

    @Test(
        "the summary names C with the sizes of the formula",
        arguments: [
            (7, 3, 1, 0, 1), (7, 3, 2, 1, 1), (8, 2, 2, 0, 1), (9, 3, 3, 2, 2), (5, 5, 1, 2, 1),
        ])
    func summarySizes(_ setting: (Int, Int, Int, Int, Int)) throws {
        let (i, k, s, p, d) = setting
        let (status, json) = try answer("input=\(i)x\(i)&kernel=\(k)&stride=\(s)&padding=\(p)&dilation=\(d)")
        #expect(status == 200)
        let o = outputSize(i, k, stride: s, padding: p, dilation: d)
        #expect(json["rows"]?.intValue == o * o)
        #expect(json["columns"]?.intValue == i * i)
        #expect(json["summary"]?.stringValue?.hasPrefix("C: \(o * o)×\(i * i),") == true)
    }

    @Test func transposedShowsCTransposedAndTheOutputSizeSets() throws {
        // ConvTranspose2d(k=3, s=2, p=1) of a 3×3 input: 2·(3 − 1) − 2 + 3 = 5; output_padding 1 gives 6.
        let (status, json) = try answer("input=3x3&kernel=3&stride=2&padding=1&transposed=true&output_padding=1")
        #expect(status == 200)
        #expect(json["matrixName"]?.stringValue == "Cᵀ")
        #expect(json["rows"]?.intValue == 36)
        #expect(json["columns"]?.intValue == 9)
        let shape = json["shape"]?["text"]?.stringValue ?? ""
        #expect(shape.contains("PyTorch output_padding"))
        let kinds = json["pictures"]?.arrayValue?.compactMap { $0["kind"]?.stringValue }
        #expect(kinds == ["scatter", "zero-insertion"])
    }

    /// The page's padding-mode box: reflect of input 4, kernel 3, padding 1 reads x₁ x₀ x₁ in the first
    /// window and x₂ x₃ x₂ in the last, so C has 2 + 3 + 3 + 2 = 10 entries (by hand); PyTorch's limit
    /// and an unknown mode are refused naming their field.
    @Test func paddingModeFromThePage() throws {
        let (status, json) = try answer("input=4&kernel=3&padding=1&padding_mode=reflect")
        #expect(status == 200)
        #expect(json["summary"]?.stringValue?.hasPrefix("C: 4×4, 10 nonzeros") == true, "\(json)")
        let tooMuch = try answer("input=4&kernel=3&padding=4&padding_mode=reflect")
        #expect(tooMuch.json["ok"] == .bool(false))
        #expect(tooMuch.json["field"]?.stringValue == "padding", "\(tooMuch.json)")
        let unknown = try answer("input=4&kernel=3&padding=1&padding_mode=mirror")
        #expect(unknown.json["field"]?.stringValue == "padding_mode", "\(unknown.json)")
    }

    @Test func aRefusedCombinationNamesTheFieldWithTheCLIsMessage() throws {
        let (status, json) = try answer("input=5x5&kernel=3&stride=2&output_padding=1")
        #expect(status == 200)
        #expect(json["ok"] == .bool(false))
        #expect(json["field"]?.stringValue == "output_padding")
        #expect(json["message"]?.stringValue == "--output-padding applies only to a transposed convolution (--transposed)")
        let zero = try answer("input=5x5&kernel=3&stride=0")
        #expect(zero.status == 200)
        #expect(zero.json["field"]?.stringValue == "stride")
        #expect(zero.json["message"]?.stringValue?.hasPrefix("--stride") == true)
        let syntax = try answer("input=5x5&kernel=3&padding=wide")
        #expect(syntax.json["field"]?.stringValue == "padding")
        let big = try answer("input=3x3&kernel=5")
        #expect(big.json["field"]?.stringValue == "kernel")
    }

    @Test(
        "a malformed query is a 400 with a JSON error",
        arguments: [
            "colour=red", "input=5x5&input=6x6", "input=%zz", "input=%C3", "stride=%0A", "row=-1", "column=x",
            String(repeating: "a", count: 3000),
        ])
    func malformed(_ query: String) throws {
        let (status, json) = try answer(query)
        #expect(status == 400)
        #expect(json["error"]?.stringValue?.isEmpty == false)
    }

    @Test func geometriesPastTheGuardsAreRefusedBeforeWork() throws {
        let large = try answer("input=4000x4000&kernel=5&in_channels=4&out_channels=4")
        #expect(large.status == 200)
        #expect(large.json["ok"] == .bool(false))
        #expect(large.json["field"]?.stringValue == "input")
        var limits = ExplorerView.Limits()
        limits.memoryBytes = 1 << 20
        let small = Explorer(limits: limits).respond(path: "/api/view", query: "input=8x8&kernel=3")
        let json = try JSONValue(parsing: small.body)
        #expect(json["field"]?.stringValue == "max_memory")
        #expect(json["message"]?.stringValue?.hasPrefix("--max-memory = 1 MiB is below") == true)
        let channels = try answer("input=4&kernel=3&in_channels=65")
        #expect(channels.json["field"]?.stringValue == "in_channels")
    }

    /// Row r of C is output (a, b): its nonzero columns are the inputs under the window, found here by the loop.
    @Test func eachRowsPatternIsItsWindow() throws {
        let (i, k, s, p) = (6, 3, 2, 1)
        let (_, json) = try answer("input=\(i)x\(i)&kernel=\(k)&stride=\(s)&padding=\(p)")
        let o = outputSize(i, k, stride: s, padding: p, dilation: 1)
        let pattern = json["matrix"]?["pattern"]?.arrayValue?.map { $0.arrayValue?.compactMap(\.intValue) ?? [] } ?? []
        #expect(pattern.count == o * o)
        for a in 0..<o {
            for b in 0..<o {
                var window = [Int]()
                for u in 0..<k {
                    for v in 0..<k {
                        let (r, c) = (a * s - p + u, b * s - p + v)
                        if (0..<i).contains(r) && (0..<i).contains(c) { window.append(r * i + c) }
                    }
                }
                #expect(pattern[a * o + b] == window.sorted(), "row \(a * o + b)")
            }
        }
    }

    @Test func picturesLinkTheirCellsToTensorElements() throws {
        let (_, json) = try answer("input=4x4&kernel=3&row=3")
        let svg = json["pictures"]?[0]?["svg"]?.stringValue ?? ""
        #expect(json["pictures"]?[0]?["step"]?.intValue == 3)
        for element in 0..<16 { #expect(svg.contains("data-link=\"in:\(element)\"")) }
        for element in 0..<4 { #expect(svg.contains("data-link=\"out:\(element)\"")) }
        // Files keep the plain SVG.
        let plain = try ConvolutionPicture(.sliding, of: .convolution(ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3])), step: 3).figure().svg()
        #expect(!plain.contains("data-link"))
    }

    @Test func columnMajorRowsNameTheirElements() throws {
        // A 3×2 output printed column-major: rows (0,0), (1,0), (2,0), (0,1), (1,1), (2,1) → row-major 0, 2, 4, 1, 3, 5.
        let (_, json) = try answer("input=4x3&kernel=2&order=column-major")
        #expect(json["matrix"]?["rowElements"]?.arrayValue?.compactMap(\.intValue) == [0, 2, 4, 1, 3, 5])
    }

    @Test func selectionIsClampedIntoTheMatrix() throws {
        let (_, json) = try answer("input=4x4&kernel=3&row=99&column=99")
        #expect(json["row"]?.intValue == 3)
        #expect(json["column"]?.intValue == 15)
    }

    @Test func exportsAreTheCLIsCommandAndACaseFile() throws {
        let (_, json) = try answer("input=3x3&kernel=2&stride=2&padding=1&transposed=true&weights=numeric&flip=true")
        #expect(json["command"]?.stringValue == "convmat matrix --input 3x3 --kernel 2 --stride 2 --padding 1 --transposed --weights 1,2,3,4 --flip --labels")
        let document = try JSONValue(parsing: json["case"]?.stringValue ?? "")
        #expect(document["op"]?.stringValue == "conv_transpose")
        #expect(document["expected"] != nil)
        #expect(json["latex"]?.stringValue?.contains("\\begin{") == true)
    }

    @Test func severalChannelsDrawSpyAndSayWhyThePicturesAreMissing() throws {
        let (_, json) = try answer("input=4x4&kernel=3&in_channels=2&out_channels=2")
        #expect(json["spy"]?.stringValue?.contains("<svg") == true)
        #expect(json["picturesNote"]?.stringValue?.contains("--in-channels = 2") == true)
        #expect(json["matrix"]?["html"]?.stringValue?.contains("block-left") == true)
    }

    @Test func theSettingsRoundTripThroughTheirQuery() throws {
        let query = try ExplorerQuery(
            "input=5x7&kernel=3x2&stride=2x1&padding=0:1x1:0&dilation=1x2&in_channels=2&out_channels=4&groups=2&transposed=true&output_size=&weights=numeric&flip=true&order=column-major&row=2&column=1",
            keys: ExplorerSettings.keys)
        let settings = try ExplorerSettings(query)
        #expect(try ExplorerSettings(ExplorerQuery(settings.query.encoded, keys: ExplorerSettings.keys)) == settings)
    }

    @Test func theSettingsOfTheNumbersAndTheProjectorRoundTripThroughTheirQuery() throws {
        let query = try ExplorerQuery(
            "input=2x2&kernel=2&transposed=true&weights=0,-1.5,2,1e-3&values=0,1,2,3&present=1&zoom=150", keys: ExplorerSettings.keys)
        let settings = try ExplorerSettings(query)
        #expect(settings.weights == .numbers([0, -1.5, 2, 0.001]))
        #expect(settings.values == [0, 1, 2, 3])
        #expect(settings.present && settings.zoom == 150)
        #expect(try ExplorerSettings(ExplorerQuery(settings.query.encoded, keys: ExplorerSettings.keys)) == settings)
        // Commas stay commas in the link, and the projector's keys appear only when set.
        #expect(settings.query.encoded.contains("&weights=0,-1.5,2,0.001&"))
        #expect(settings.query.encoded.hasSuffix("&present=1&zoom=150"))
        let plain = try ExplorerSettings(ExplorerQuery("input=4x4&kernel=3", keys: ExplorerSettings.keys))
        #expect(!plain.query.encoded.contains("present") && !plain.query.encoded.contains("zoom") && !plain.query.encoded.contains("values"))
        #expect(try ExplorerSettings(ExplorerQuery("weights=numeric&zoom=fit&present=0", keys: ExplorerSettings.keys)).weights == .counting)
    }

    /// *Dive into Deep Learning*, chapter "Transposed Convolution": Y = [[0, 1], [2, 3]] and K = [[0, 1], [2, 3]] give
    /// [[0, 0, 1], [0, 4, 6], [4, 12, 9]]; at its last step (row 8) the zero-insertion picture shows
    /// every output, and the scatter picture at column 3 the product 3·K.
    @Test func theD2LExampleShowsItsNumbersInThePictures() throws {
        let (status, json) = try answer("input=2x2&kernel=2&transposed=true&weights=0,1,2,3&values=0,1,2,3&row=8&column=3")
        #expect(status == 200)
        let pictures = json["pictures"]?.arrayValue ?? []
        let svg = { (kind: String) in pictures.first { $0["kind"]?.stringValue == kind }?["svg"]?.stringValue ?? "" }
        #expect(cellTexts(svg("zero-insertion"), linkPrefix: "out:") == ["0", "0", "1", "0", "4", "6", "4", "12", "9"])
        #expect(svg("scatter").contains(">9<") && svg("scatter").contains(">6<"))
        #expect(json["kernel"]?.stringValue == "0,1,2,3")
        #expect(json["command"]?.stringValue == "convmat matrix --input 2x2 --kernel 2 --transposed --weights 0,1,2,3 --labels")
        // The case file carries the same numbers: conv_transpose of y = 0…3 with K is the matrix above.
        let document = try JSONValue(parsing: json["case"]?.stringValue ?? "")
        #expect(document["expected"]?["shape"]?.arrayValue?.compactMap(\.intValue) == [1, 1, 3, 3])
        #expect(document["expected"]?["data"]?.arrayValue?.compactMap(\.doubleValue) == [0, 0, 1, 0, 4, 6, 4, 12, 9])
    }

    /// The texts drawn inside the cells whose `data-link` starts with `linkPrefix`, by link number:
    /// a text belongs to the rectangle that holds its anchor.
    func cellTexts(_ svg: String, linkPrefix: String) -> [String] {
        func number(_ name: String, in tag: Substring) -> Double? {
            guard let range = tag.range(of: " \(name)=\"") else { return nil }
            return Double(tag[range.upperBound...].prefix { $0 != "\"" })
        }
        var cells = [(link: Int, x: Double, y: Double, width: Double, height: Double)]()
        var texts = [(x: Double, y: Double, text: String)]()
        for line in svg.split(separator: "\n") {
            if line.hasPrefix("<rect"), let start = line.range(of: "data-link=\"\(linkPrefix)"),
                let link = Int(line[start.upperBound...].prefix { $0 != "\"" }),
                let x = number("x", in: line), let y = number("y", in: line), let w = number("width", in: line), let h = number("height", in: line)
            {
                cells.append((link, x, y, w, h))
            } else if line.hasPrefix("<text"), let x = number("x", in: line), let y = number("y", in: line),
                let open = line.firstIndex(of: ">"), let close = line.range(of: "</text>")
            {
                texts.append((x, y, String(line[line.index(after: open)..<close.lowerBound])))
            }
        }
        return cells.sorted { $0.link < $1.link }.map { cell in
            texts.filter { (cell.x...(cell.x + cell.width)).contains($0.x) && (cell.y...(cell.y + cell.height)).contains($0.y) }.map(\.text).joined(
                separator: " ")
        }
    }

    @Test func numbersAreRefusedAsTheCLIRefusesThem() throws {
        let refusals = [
            ("input=2x2&kernel=2&transposed=true&weights=0,1,2", "weights", "--weights has 3 values but the kernel shape 1×1×2×2 needs 4"),
            ("input=2x2&kernel=2&transposed=true&values=0,1,2", "values", "--values has 3 numbers but the transposed input y 2×2 needs 4, row-major"),
            ("input=4x4&kernel=2&values=1,x", "values", "--values[1] = \"x\" is not a decimal number"),
            ("input=2x2&kernel=2&weights=1,,2", "weights", "--weights[1] is empty; write numbers separated by single commas, like 1,-2,0.5"),
        ]
        for (query, field, message) in refusals {
            let (status, json) = try answer(query)
            #expect(status == 200)
            #expect(json["field"]?.stringValue == field, "\(query)")
            #expect(json["message"]?.stringValue == message, "\(query)")
        }
        let word = try answer("input=4x4&kernel=2&weights=ones")
        #expect(word.json["field"]?.stringValue == "weights")
        #expect(word.json["message"]?.stringValue?.contains("give symbolic, numeric or the kernel's numbers") == true)
        for (query, field) in [("zoom=10", "zoom"), ("zoom=big", "zoom"), ("zoom=401", "zoom"), ("present=yes", "present")] {
            #expect(try answer(query).json["field"]?.stringValue == field, "\(query)")
        }
    }

    /// A list longer than the limit is refused from its commas, before a number is read; a query
    /// of 2048 bytes cannot hold one (1025 numbers need 2049 bytes), so the settings are read here
    /// from pairs, as a longer query would give them.
    @Test func aHugeListIsRefusedBeforeItIsRead() throws {
        let huge = Array(repeating: "x", count: ExplorerSettings.numberLimit + 1).joined(separator: ",")
        for key in ["weights", "values"] {
            #expect(throws: ExplorerError.refused(field: key, message: "--\(key) has 1025 numbers; the explorer takes at most 1024 (convmat takes any number)"))
            {
                try ExplorerSettings(ExplorerQuery(pairs: [("input", "4x4"), (key, huge)]))
            }
        }
        #expect(try answer("weights=" + Array(repeating: "1", count: 1100).joined(separator: ",")).status == 400)
    }

    /// Two channels in two groups: C is 18×50; the spy picture gives each entry a square of at least
    /// 8 px (a readable picture, where 160 px for 50 columns gave 3 px squares).
    @Test func theSpyPictureOfSmallChannelledMatricesIsReadable() throws {
        let (_, json) = try answer("input=5x5&kernel=3&in_channels=2&out_channels=2&groups=2")
        let spy = json["spy"]?.stringValue ?? ""
        let matrix = spy.split(separator: "\n").first { $0.contains("class=\"matrix\"") } ?? ""
        let width = matrix.range(of: " width=\"").flatMap { Double(matrix[$0.upperBound...].prefix { $0 != "\"" }) } ?? 0
        let height = matrix.range(of: " height=\"").flatMap { Double(matrix[$0.upperBound...].prefix { $0 != "\"" }) } ?? 0
        #expect(width / 50 >= 8 && height / 18 >= 8, "the matrix is drawn \(width)×\(height) px")
        #expect(spy.contains("2 groups"))
    }

    @Test func symbolicEntriesSetTheirIndicesAsHTML() {
        #expect(MatrixTable.entryHTML("w₀,₂") == " aria-label=\"w₀,₂\">w<sub>0,2</sub>")
        #expect(MatrixTable.entryHTML("w(1,0)₂,₁") == " aria-label=\"w(1,0)₂,₁\">w<span class=\"indices\"><sup>(1,0)</sup><sub>2,1</sub></span>")
        #expect(MatrixTable.entryHTML("-2.5") == ">-2.5")
        #expect(MatrixTable.entryHTML("w₁₂") == " aria-label=\"w₁₂\">w<sub>12</sub>")
    }

    @Test func thePageNeedsNothingFromOutside() {
        let page = explorer.respond(path: "/", query: "")
        #expect(page.status == 200)
        #expect(page.contentType.hasPrefix("text/html"))
        #expect(!page.body.contains("http://") && !page.body.contains("https://") && !page.body.contains("@import"))
        #expect(explorer.respond(path: "/etc/passwd", query: "").status == 404)
    }

    /// The page is Resources/explorer.html with links to explorer.css and explorer.js where the
    /// HTML's marker blocks stand, and those two files are served as they are (so that the
    /// Content-Security-Policy can allow only the page's own script and style); the files are
    /// read here from the source tree.
    @Test func thePageIsItsThreeFiles() throws {
        let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/ConvMatrixExplorer/Resources").standardized
        let read = { (name: String) in try String(contentsOf: resources.appendingPathComponent(name), encoding: .utf8) }
        let (html, css, script) = (try read("explorer.html"), try read("explorer.css"), try read("explorer.js"))
        let page = explorer.respond(path: "/", query: "")
        let link = "<link rel=\"stylesheet\" href=\"explorer.css\">\n", loader = "<script src=\"explorer.js\"></script>\n"
        let markers = "<style>\n/* explorer.css */\n</style>\n<script>\n// explorer.js\n</script>\n"
        #expect(
            page.body
                == html.replacingOccurrences(of: "<style>\n/* explorer.css */\n</style>\n", with: link)
                .replacingOccurrences(of: "<script>\n// explorer.js\n</script>\n", with: loader))
        #expect(page.body.utf8.count == html.utf8.count - markers.utf8.count + link.utf8.count + loader.utf8.count)
        // No inline script, style or event handler, which the Content-Security-Policy would block.
        let handler = try Regex(#" on[a-z]+="#)
        #expect(!page.body.contains("<style") && !page.body.contains("<script>") && page.body.firstMatch(of: handler) == nil)
        let style = explorer.respond(path: "/explorer.css", query: ""), code = explorer.respond(path: "/explorer.js", query: "")
        #expect(style.status == 200 && style.contentType == "text/css; charset=utf-8" && style.body == css)
        #expect(code.status == 200 && code.contentType == "text/javascript; charset=utf-8" && code.body == script)
    }
}

/// Reading answers in the tests.
extension JSONValue {
    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
    subscript(index: Int) -> JSONValue? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }
    var stringValue: String? { if case .string(let text) = self { return text }; return nil }
    var intValue: Int? { if case .number(let text) = self { return Int(text) }; return nil }
    var doubleValue: Double? { if case .number(let text) = self { return Double(text) }; return nil }
    var arrayValue: [JSONValue]? { if case .array(let items) = self { return items }; return nil }
}

/// `JSONWriting.string`, rewritten to work on bytes for the explorer's large answers, escapes what
/// RFC 8259 requires and copies every other character; the parser reads back the same text.
struct JSONStringTests {
    @Test(arguments: ["", "plain", "quote \" and \\ backslash", "line\nbreak\ttab\r\u{1}\u{1f}", "wₒ,₁ Cᵀ × ∑ 😀", "<svg class=\"a\"/>"])
    func escapesAndReadsBack(_ text: String) throws {
        let written = JSONWriting.string(text)
        #expect(try JSONValue(parsing: written) == .string(text))
        #expect(!written.dropFirst().dropLast().unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func controlCharactersAreWrittenAsHexEscapes() {
        #expect(JSONWriting.string("a\u{1}b\rc\"") == #""a\u0001b\u000dc\"""#)
    }
}
