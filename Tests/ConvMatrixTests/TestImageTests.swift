import Testing
import ConvMatrix
@testable import ConvMatrixCore
@testable import ConvMatrixInterchange
@testable import ConvMatrixRendering
@testable import ConvMatrixTeaching
import ConvMatrixTestSupport
@testable import ConvMatrixPooling
@testable import ConvMatrixSpectrum
@testable import ConvMatrixVerification

/// The generated checkerboard with a disc, pixel by pixel from its definition.
@Suite struct TestImageTests {
    /// 16×16: cell 2, centre 7.5, radius 4.8. (0,0) lies in cell sum 0 (even, 0.6), (0,2) in
    /// cell sum 1 (0.2), (7,7) is 0.71 from the centre (disc, 1.0), (15,15) in cell sum 14 (0.6),
    /// (7,2) is 5.52 from the centre (outside) with cell sum 4 (0.6), (7,3) is 4.53 (inside).
    @Test func pixelsFollowTheDefinition() {
        let picture = TestImage.checkerboardWithDisc(size: [16, 16])
        #expect(picture.count == 256)
        let pixel = { (row: Int, column: Int) in picture[16 * row + column] }
        #expect(pixel(0, 0) == 0.6)
        #expect(pixel(0, 2) == 0.2)
        #expect(pixel(7, 7) == 1.0)
        #expect(pixel(15, 15) == 0.6)
        #expect(pixel(7, 2) == 0.6)
        #expect(pixel(7, 3) == 1.0)
    }

    @Test func everyChannelHoldsTheSamePicture() {
        let one = TestImage.checkerboardWithDisc(size: [5, 6, 7])
        let three = TestImage.checkerboardWithDisc(size: [5, 6, 7], channels: 3)
        #expect(three == one + one + one)
        #expect(Set(one) == [0.2, 0.6, 1.0])
    }
}
