import Fluent
import Foundation
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit

/// Writes many rows without a Fluent model per row (building and encoding a model costs more than the database's own
/// work, and a big plan has a hundred thousand targets): `COPY … FROM STDIN` on PostgreSQL, multi-row INSERT
/// statements on SQLite. Table and column names are Pantau's own constants, never user input.
enum BulkInsert {
    /// One column's value in a row.
    enum Value: Sendable {
        case id(UUID)
        case integer(Int)
        case text(String)
        case null

        /// As SQLite stores it, the same as Fluent writes it (an id as its text).
        var sqliteData: SQLiteData {
            switch self {
            case .id(let id): .text(id.uuidString)
            case .integer(let number): .integer(number)
            case .text(let text): .text(text)
            case .null: .null
            }
        }

        /// The value in COPY's text format: backslash, tab and line breaks escaped. Text is copied in runs between the
        /// bytes to escape, and ids written as hex directly: byte by byte, and through `uuidString`, this was the
        /// biggest part of the import's own work.
        func appendCopyText(to buffer: inout ByteBuffer) {
            switch self {
            case .id(let id): Self.appendHex(of: id, to: &buffer)
            case .integer(let number): buffer.writeString(String(number))
            case .null: buffer.writeStaticString("\\N")
            case .text(var text):
                text.withUTF8 { bytes in
                    var runStart = 0
                    for index in bytes.indices {
                        let escaped: StaticString
                        switch bytes[index] {
                        case UInt8(ascii: "\\"): escaped = "\\\\"
                        case UInt8(ascii: "\t"): escaped = "\\t"
                        case UInt8(ascii: "\n"): escaped = "\\n"
                        case UInt8(ascii: "\r"): escaped = "\\r"
                        default: continue
                        }
                        buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart..<index])))
                        buffer.writeStaticString(escaped)
                        runStart = index + 1
                    }
                    buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart...])))
                }
            }
        }

        private static let hexDigits = Array("0123456789abcdef".utf8)

        /// An id as PostgreSQL reads it: 32 lower-case hex digits in groups of 8-4-4-4-12.
        private static func appendHex(of id: UUID, to buffer: inout ByteBuffer) {
            withUnsafeBytes(of: id.uuid) { bytes in
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 { buffer.writeInteger(UInt8(ascii: "-")) }
                    buffer.writeInteger(hexDigits[Int(byte >> 4)])
                    buffer.writeInteger(hexDigits[Int(byte & 0x0F)])
                }
            }
        }
    }

    /// Bound values per INSERT statement on SQLite: well under its limit.
    static let valuesPerStatement = 8_000
    /// Bytes per COPY message sent to PostgreSQL.
    static let copyChunk = 256 * 1024

    /// - Parameter written: told, as it goes, how many rows have been written so far.
    static func rows(into table: String, columns: [String], _ rows: [[Value]], on database: any Database,
                     written: ((Int) -> Void)? = nil) async throws {
        if let postgres = database as? any PostgresDatabase {
            try await copy(into: table, columns: columns, rows, on: postgres, logger: database.logger, written: written)
            return
        }
        // SQLite: the statement text written here and the values bound as they are; building it through SQLKit cost
        // more than SQLite's own work.
        let sqlite = database as! any SQLiteDatabase
        let batchSize = max(1, valuesPerStatement / max(1, columns.count))
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        let head = "INSERT INTO \"\(table)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ",") + ") VALUES "
        for start in stride(from: 0, to: rows.count, by: batchSize) {
            let end = min(start + batchSize, rows.count)
            let statement = head + Array(repeating: row, count: end - start).joined(separator: ",")
            _ = try await sqlite.query(statement, rows[start..<end].flatMap { $0.map(\.sqliteData) })
            written?(end)
        }
    }

    /// The table and column names are Pantau's own constants, never user input (COPY takes them as written).
    private static func copy(into table: String, columns: [String], _ rows: [[Value]], on database: any PostgresDatabase,
                             logger: Logger, written: ((Int) -> Void)?) async throws {
        guard !rows.isEmpty else { return }
        let progress = written.map { callback in UncheckedProgress(callback: callback) }
        try await database.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                    var buffer = ByteBuffer()
                    for (number, row) in rows.enumerated() {
                        for (position, value) in row.enumerated() {
                            if position > 0 { buffer.writeStaticString("\t") }
                            value.appendCopyText(to: &buffer)
                        }
                        buffer.writeStaticString("\n")
                        if buffer.readableBytes >= copyChunk {
                            try await writer.write(buffer)
                            buffer.clear()
                            progress?.callback(number + 1)
                        }
                    }
                    if buffer.readableBytes > 0 { try await writer.write(buffer) }
                }
                progress?.callback(rows.count)
            }
        }.get()
    }

    /// The progress callback is only ever called from the one task writing the rows.
    private struct UncheckedProgress: @unchecked Sendable {
        let callback: (Int) -> Void
    }
}
