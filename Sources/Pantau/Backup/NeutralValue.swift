import Foundation
import SQLKit

/// One cell of a backed-up table, as JSON: numbers and booleans as themselves, everything else as text
/// (UUIDs in lower case, times as ISO 8601 in UTC to the microsecond, JSON as its canonical text, bytes in base64).
enum NeutralValue: Codable, Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case text(String)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let int = try? container.decode(Int64.self) {
            self = .int(int)
        } else if let double = try? container.decode(Double.self) {
            self = .double(double)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        }
    }

    /// Reads a column of a row as the catalog says it is stored.
    static func read(_ row: any SQLRow, column: String, kind: DatabaseCatalog.Kind) throws -> NeutralValue {
        if try row.decodeNil(column: column) { return .null }
        switch kind {
        case .text: return .text(try row.decode(column: column, as: String.self))
        case .int: return .int(try row.decode(column: column, as: Int64.self))
        case .double: return .double(try row.decode(column: column, as: Double.self))
        case .bool: return .bool(try row.decode(column: column, as: Bool.self))
        case .uuid: return .text(try row.decode(column: column, as: UUID.self).uuidString.lowercased())
        case .datetime: return .text(BackupTime.format(try row.decode(column: column, as: Date.self)))
        case .json: return .text(try canonicalJSON(try row.decode(column: column, as: String.self)))
        case .blob: return .text(try row.decode(column: column, as: Data.self).base64EncodedString())
        }
    }

    /// The same value as a column of `kind` in the target database holds it; nil when it cannot be one.
    func converted(to kind: DatabaseCatalog.Kind) -> NeutralValue? {
        switch (self, kind) {
        case (.null, _): .null
        // SQLite keeps booleans as 0 and 1 in INTEGER columns.
        case (.int(let value), .bool): .bool(value != 0)
        case (.bool(let value), .int): .int(value ? 1 : 0)
        case (.int(let value), .double): .double(Double(value))
        case (.int, .int), (.double, .double), (.bool, .bool): self
        case (.text(let value), .uuid): UUID(uuidString: value).map { .text($0.uuidString.lowercased()) }
        case (.text(let value), .datetime): BackupTime.parse(value).map { .text(BackupTime.format($0)) }
        case (.text(let value), .json): (try? Self.canonicalJSON(value)).map(NeutralValue.text)
        case (.text(let value), .blob): Data(base64Encoded: value).map { .text($0.base64EncodedString()) }
        case (.text, .text): self
        default: nil
        }
    }

    /// An expression that writes the value into a column of `kind`.
    func expression(for kind: DatabaseCatalog.Kind, postgres: Bool) -> (any SQLExpression)? {
        guard let value = converted(to: kind) else { return nil }
        switch (value, kind) {
        case (.null, _): return SQLLiteral.null
        case (.int(let number), _): return SQLBind(number)
        case (.double(let number), _): return SQLBind(number)
        case (.bool(let flag), _): return SQLBind(flag)
        case (.text(let text), .uuid): return UUID(uuidString: text).map { SQLBind($0) }
        case (.text(let text), .datetime):
            // PostgreSQL gets the exact text (binding a Date there may lose a microsecond to rounding);
            // SQLite keeps times as seconds since 1970, which the driver writes from a Date.
            return postgres ? SQLCast(SQLBind(text), as: "TIMESTAMPTZ") : BackupTime.parse(text).map { SQLBind($0) }
        case (.text(let text), .json): return postgres ? SQLCast(SQLBind(text), as: "JSONB") : SQLBind(text)
        case (.text(let text), .blob): return Data(base64Encoded: text).map { SQLBind($0) }
        case (.text(let text), _): return SQLBind(text)
        }
    }

    static func canonicalJSON(_ text: String) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

/// `CAST(value AS type)`.
struct SQLCast: SQLExpression {
    let value: any SQLExpression
    let type: String

    init(_ value: any SQLExpression, as type: String) {
        self.value = value
        self.type = type
    }

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("CAST(")
        value.serialize(to: &serializer)
        serializer.write(" AS \(type))")
    }
}

/// Times to the microsecond, the precision both databases keep.
enum BackupTime {
    static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = time_t(micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000)
        let fraction = micros - Int64(seconds) * 1_000_000
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(fraction))
    }

    static func parse(_ text: String) -> Date? {
        guard let match = text.wholeMatch(of: /(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{6})Z/) else { return nil }
        var parts = tm()
        parts.tm_year = Int32(match.1)! - 1900
        parts.tm_mon = Int32(match.2)! - 1
        parts.tm_mday = Int32(match.3)!
        parts.tm_hour = Int32(match.4)!
        parts.tm_min = Int32(match.5)!
        parts.tm_sec = Int32(match.6)!
        let seconds = Int64(timegm(&parts))
        return Date(timeIntervalSince1970: Double(seconds * 1_000_000 + Int64(match.7)!) / 1_000_000)
    }
}
