/// The choices a random draw is made of: a whole number in a range, an
/// element of a list, a coin with a given bias. `GeometryDraw` is written
/// against these alone, so that one drawing code serves `SplitMix64`, whose
/// outputs are fixed per seed on every machine (`convmat verify --random`,
/// `convmat cases`, the exercises), and any other random number generator,
/// such as the one swift-property-based hands its generators
/// (`GeneratorChoices`).
///
/// Every call is one choice, even one with a single possible outcome, so
/// that the sequence of a source's outputs alone fixes a whole draw.
package protocol RandomChoices {
    /// A whole number in `range`, each equally likely.
    ///
    /// - Parameter range: a non-empty range of whole numbers.
    /// - Returns: a number in `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int

    /// True with probability `probability`.
    ///
    /// - Parameter probability: the chance of true, from 0 (never) to 1 (always).
    /// - Returns: true with that probability.
    mutating func chance(_ probability: Double) -> Bool

    /// One element of a non-empty array: `choices[int(in: 0...(choices.count − 1))]`,
    /// so an element that appears twice is drawn twice as often.
    ///
    /// - Parameter choices: a non-empty array.
    /// - Returns: one of its elements.
    mutating func element<T>(of choices: [T]) -> T

    /// True or false with equal probability: `int(in: 0...1) == 1`.
    ///
    /// - Returns: true or false.
    mutating func bool() -> Bool
}

extension RandomChoices {
    /// One element of a non-empty array, as `int(in: 0...(choices.count − 1))` picks it.
    ///
    /// - Parameter choices: a non-empty array.
    /// - Returns: one of its elements.
    package mutating func element<T>(of choices: [T]) -> T {
        choices[int(in: 0...(choices.count - 1))]
    }

    /// `int(in: 0...1) == 1`.
    ///
    /// - Returns: true or false.
    package mutating func bool() -> Bool { int(in: 0...1) == 1 }
}

/// SplitMix64 makes every choice with its own fixed mapping from bits to
/// numbers (`int(in:)`, `chance(_:)`), so a seed gives the same draws on
/// every machine and Swift version.
extension SplitMix64: RandomChoices {}

/// The choices of any `RandomNumberGenerator`, made with the standard
/// library's `Int.random(in:using:)` and `Double.random(in:using:)`: the
/// generator swift-property-based hands a `Generator`'s `run` closure, for
/// example. The same generator state gives the same choices with the same
/// toolchain; the standard library does not promise its mapping from bits
/// to numbers across versions, which is why the seeded commands use
/// `SplitMix64` instead.
package struct GeneratorChoices<Source: RandomNumberGenerator>: RandomChoices {
    /// The generator, advanced by every choice.
    package var generator: Source

    /// Choices made by `generator`.
    ///
    /// - Parameter generator: the source of random bits; read it back from `generator` after the draw.
    package init(_ generator: Source) {
        self.generator = generator
    }

    /// A whole number in `range`: `Int.random(in: range, using:)`.
    ///
    /// - Parameter range: a non-empty range of whole numbers.
    /// - Returns: a number in `range`.
    package mutating func int(in range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &generator)
    }

    /// True when `Double.random(in: 0..<1, using:)` is below `probability`.
    ///
    /// - Parameter probability: the chance of true, from 0 (never) to 1 (always).
    /// - Returns: true with that probability.
    package mutating func chance(_ probability: Double) -> Bool {
        Double.random(in: 0..<1, using: &generator) < probability
    }
}
