import Foundation

extension UUID {
    /// A version 4 UUID from the system's random source. Foundation's `UUID()` on Linux opens `/dev/urandom` for every
    /// id; writing a big plan makes hundreds of thousands of them.
    static func random() -> UUID {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 16)
        let high = generator.next() as UInt64, low = generator.next() as UInt64
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: high >> (8 * index))
            bytes[8 + index] = UInt8(truncatingIfNeeded: low >> (8 * index))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}

/// Version 7 UUIDs (RFC 9562): the milliseconds since 1970 first, then a counter, then random bits, so the ids one writer
/// makes only grow. A big plan's rows are then appended to the end of each primary-key index instead of landing on
/// random pages of it (PostgreSQL took 0.3 s less for the 100,000 targets of `bench/import-100k`).
struct TimeOrderedUUIDs {
    private var generator = SystemRandomNumberGenerator()
    private var lastMilliseconds: UInt64 = 0
    private var counter: UInt16 = 0

    mutating func next(now: Date = Date()) -> UUID {
        var milliseconds = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        if milliseconds <= lastMilliseconds {
            // The same millisecond (or a clock set back): count on within the last one; past 4,095 borrow the next.
            milliseconds = lastMilliseconds
            counter &+= 1
            if counter > 0x0FFF {
                milliseconds += 1
                counter = 0
            }
        } else {
            counter = 0
        }
        lastMilliseconds = milliseconds
        let random = generator.next() as UInt64
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
        bytes[6] = 0x70 | UInt8(counter >> 8)  // version 7, then the counter's high 4 bits
        bytes[7] = UInt8(truncatingIfNeeded: counter)
        for index in 8..<16 { bytes[index] = UInt8(truncatingIfNeeded: random >> (8 * (index - 8))) }
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
