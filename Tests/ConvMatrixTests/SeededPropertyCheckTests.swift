import PropertyBased
import Testing
import ConvMatrixTestSupport

/// The property-check runner of this test target: reproducible cases, failures not swallowed.
@Suite struct SeededPropertyCheckTests {
    /// Two runs draw the same 50 cases, and the cases are not all the same value.
    @Test func twoRunsDrawTheSameCases() async {
        var first = [Int](), second = [Int]()
        await seededPropertyCheck(count: 50, input: Gen.int(in: 0...1_000_000)) { first.append($0) }
        await seededPropertyCheck(count: 50, input: Gen.int(in: 0...1_000_000)) { second.append($0) }
        #expect(first.count == 50)
        #expect(first == second)
        #expect(Set(first).count > 40)
    }

    /// A false property is reported, both as a failed expectation and as a thrown
    /// error (one case each, so the run shows two known issues).
    @Test func failuresAreReported() async {
        await withKnownIssue {
            await seededPropertyCheck(count: 1, input: Gen.int(in: 5...9)) { #expect($0 < 5) }
        }
        struct Broken: Error {}
        await withKnownIssue {
            await seededPropertyCheck(count: 1, input: Gen.int(in: 5...9)) { if $0 >= 5 { throw Broken() } }
        }
    }
}
