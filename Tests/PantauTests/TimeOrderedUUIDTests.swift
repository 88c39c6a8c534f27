import Foundation
@testable import Pantau
import Testing

/// The ids a big import writes only grow, whatever the clock does, and are well-formed version 7 UUIDs.
@Suite("Time-ordered ids")
struct TimeOrderedUUIDTests {
    @Test func idsGrowWithinAMillisecondAndWhenTheClockGoesBack() {
        var ids = TimeOrderedUUIDs()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        // 5,000 ids in one millisecond (past the 4,096 the counter holds), then a clock set back by an hour.
        var made = (0..<5_000).map { _ in ids.next(now: start) }
        made += (0..<10).map { _ in ids.next(now: start.addingTimeInterval(-3600)) }
        made += (0..<10).map { offset in ids.next(now: start.addingTimeInterval(1 + Double(offset) / 1000)) }
        let texts = made.map { $0.uuidString }
        #expect(texts == texts.sorted(), "the ids do not only grow")
        #expect(Set(texts).count == made.count)
        for id in made {
            let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
            #expect(bytes[6] >> 4 == 7, "version 7")
            #expect(bytes[8] >> 6 == 0b10, "RFC 9562 variant")
        }
        // The first six bytes are the milliseconds since 1970.
        let first = withUnsafeBytes(of: made[0].uuid) { Array($0) }
        let milliseconds = first[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(milliseconds == 1_800_000_000_000)
    }
}
