import Crypto
import Fluent
import Foundation
import Vapor

/// Sessions in the database under the SHA-256 of their cookie value, never the value itself: the session
/// table, a backup of it, and a query log (which shows the values queries filter on) give no one a live session.
struct HashedSessions: SessionDriver {
    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = generator.next() }
        let id = SessionID(string: Data(bytes).base64EncodedString())
        return SessionRecord(key: Self.key(id), data: data).create(on: request.db).map { id }
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        SessionRecord.query(on: request.db).filter(\.$key == Self.key(sessionID)).first().map { $0?.data }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        SessionRecord.query(on: request.db).filter(\.$key == Self.key(sessionID)).set(\.$data, to: data).update().map { sessionID }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        SessionRecord.query(on: request.db).filter(\.$key == Self.key(sessionID)).delete()
    }

    static func key(_ id: SessionID) -> SessionID {
        SessionID(string: SHA256.hash(data: Data(id.string.utf8)).map { String(format: "%02x", $0) }.joined())
    }
}
