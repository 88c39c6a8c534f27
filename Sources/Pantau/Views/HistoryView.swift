import Foundation
import Vapor

/// One entry of an object's audit history as its page shows it.
struct HistoryView: Encodable {
    let at: String
    let actor: String
    let actionKey: String
    let reason: String
    let before: String
    let after: String

    static func entries(objectType: String, objectID: String, request: Request) async throws -> [HistoryView] {
        try await AuditLog.history(objectType: objectType, objectID: objectID, on: request.db).map {
            HistoryView(at: $0.recordedAt, actor: $0.actorName, actionKey: "audit.action." + $0.action, reason: $0.reason,
                        before: $0.before ?? "", after: $0.after ?? "")
        }
    }
}
