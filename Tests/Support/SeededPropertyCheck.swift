import Foundation
import PropertyBased
import Testing
import ConvMatrix

/// The seed every property check in this test target starts from.
///
/// It is fixed, so every run checks the same cases and a failure seen once
/// is seen again by running the same test; each check prints it. Setting
/// `CONVMAT_PROPERTY_SEED=<number>` explores other cases (and replays them).
package enum PropertySeed {
    /// What `CONVMAT_PROPERTY_SEED` says, if it is set.
    package static let requested = ProcessInfo.processInfo.environment["CONVMAT_PROPERTY_SEED"]

    /// The default seed, or `CONVMAT_PROPERTY_SEED` when it is a number
    /// (any other text is reported as an issue by every check).
    package static let value: UInt64 = requested.flatMap { UInt64($0) } ?? 20_261_124
}

/// Checks `body` on `count` cases drawn from `generators`, like
/// swift-property-based's `propertyCheck`, but reproducibly: case i is
/// drawn from a generator seeded from (`PropertySeed.value`, i), so the
/// cases are the same on every run with the same toolchain (the generators
/// map random bits to values through the standard library, which does not
/// promise that mapping across versions). The seed and the number of cases
/// are printed; an error thrown by `body` is recorded with its case number,
/// and a failing expectation with the values its message shows. There is
/// no shrinking: the cases are fixed, so rerunning the test reproduces the
/// same failing case (the generators keep every value small instead).
package func seededPropertyCheck<each Value, each Shrink: SendableSequenceType>(
    count: Int,
    input generators: repeat Generator<each Value, each Shrink>,
    perform body: (repeat each Value) async throws -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
) async {
    await seededPropertyCheck(
        count: count, skipping: 0, input: repeat each generators,
        perform: { (values: repeat each Value) in
            try await body(repeat each values)
            return true
        }, sourceLocation: sourceLocation)
}

/// `seededPropertyCheck` for a property that does not apply to every drawn
/// case: `body` returns false for a case it skips. The skips are counted and
/// reported, and the check fails when more than `maximumShare` (0…1) of the
/// cases were skipped, so a generator that drifts away from what the
/// property needs cannot leave it silently unchecked.
package func seededPropertyCheck<each Value, each Shrink: SendableSequenceType>(
    count: Int,
    skipping maximumShare: Double,
    input generators: repeat Generator<each Value, each Shrink>,
    perform body: (repeat each Value) async throws -> Bool,
    sourceLocation: SourceLocation = #_sourceLocation
) async {
    let seed = PropertySeed.value
    if let requested = PropertySeed.requested, UInt64(requested) == nil {
        Issue.record("CONVMAT_PROPERTY_SEED = \(requested) is not a whole number ≥ 0; using \(seed)", sourceLocation: sourceLocation)
    }
    var skipped = 0
    for index in 0..<count {
        // SplitMix64 spreads (seed, index) over the whole Xoshiro state. Its state moves by γ per
        // output, so cases start 4γ apart and their four outputs never overlap.
        var mixer = SplitMix64(seed: seed &+ UInt64(index) &* 4 &* 0x9E37_79B9_7F4A_7C15)
        var generator = Xoshiro(seed: (mixer.next(), mixer.next(), mixer.next(), mixer.next()))
        let values = (repeat (each generators).run(using: &generator))
        do {
            if try await !body(repeat each values) { skipped += 1 }
        } catch {
            Issue.record(error, "case \(index) of seed \(seed)", sourceLocation: sourceLocation)
        }
    }
    let skips = skipped == 0 ? "" : ", \(skipped) skipped"
    print("property check \(sourceLocation.fileName):\(sourceLocation.line): seed \(seed) (CONVMAT_PROPERTY_SEED), \(count) cases\(skips)")
    if Double(skipped) > maximumShare * Double(count) {
        Issue.record(
            "\(skipped) of \(count) cases were skipped, more than the \(Int(maximumShare * 100))% this property allows (seed \(seed))",
            sourceLocation: sourceLocation)
    }
}
