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

    /// Skipped cases are counted: within the allowed share the check passes, beyond it
    /// it fails (a third known issue), so a property cannot go unchecked by skipping.
    @Test func skipsBeyondTheAllowedShareFail() async {
        var checked = 0
        // Odd values are skipped: about half of 200 cases.
        await seededPropertyCheck(count: 200, skipping: 0.6, input: Gen.int(in: 0...1_000)) { value in
            guard value % 2 == 0 else { return false }
            checked += 1
            return true
        }
        #expect(checked > 60 && checked < 140)
        await withKnownIssue {
            await seededPropertyCheck(count: 200, skipping: 0.1, input: Gen.int(in: 0...1_000)) { $0 % 2 == 0 }
        }
    }
}
