import XCTest
import XCTVapor
final class PT2: XCTestCase { func testX() {} }
