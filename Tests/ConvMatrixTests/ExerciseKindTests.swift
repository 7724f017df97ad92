import Testing
import ConvMatrix
import ConvMatrixTestSupport

/// `ExerciseKind.list`, the `--kind` flag's reading: every item must name a kind.
@Suite struct ExerciseKindTests {
    /// The names as docs/exercises.md lists them, written out here rather than taken from `allCases`.
    static let valid = "output-size, matrix-line, transposed-by-hand, restore-size, same-padding, spot-transposed, dilated-vs-transposed"

    @Test func readsKindsInOrderWithRepeats() throws {
        #expect(try ExerciseKind.list("restore-size,output-size,restore-size") == [.restoreSize, .outputSize, .restoreSize])
        #expect(try ExerciseKind.list("dilated-vs-transposed") == [.dilatedVersusTransposed])
    }

    @Test(arguments: [
        ("", "kind is empty; give one or more of \(valid), separated by commas (leave kind out for all kinds)"),
        ("output-size,", "kind = \"output-size,\" has an empty item; give one or more of \(valid), separated by single commas"),
        (",output-size", "kind = \",output-size\" has an empty item; give one or more of \(valid), separated by single commas"),
        ("output-size,,same-padding", "kind = \"output-size,,same-padding\" has an empty item; give one or more of \(valid), separated by single commas"),
        (",", "kind = \",\" has an empty item; give one or more of \(valid), separated by single commas"),
        ("output-size,guess", "kind = \"guess\" must be one of \(valid)"),
    ])
    func refusesEmptyAndUnknownItems(text: String, message: String) {
        #expect {
            _ = try ExerciseKind.list(text)
        } throws: { error in
            (error as? ExerciseError)?.description == message
        }
    }
}
