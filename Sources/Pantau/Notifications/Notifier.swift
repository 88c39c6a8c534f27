import Fluent
import Foundation
import PantauDomain

/// Writes notifications (issue 16): called inside the transaction of the change that causes them, so that a change
/// and its notifications are kept or lost together. Each recipient's choice for the kind decides whether an email
/// goes out at once, in the daily digest, or not at all; the app lists every notification.
enum Notifier {
    /// Writes `kind` about the page `link` for each active account of `recipients` (each once).
    static func notify(_ kind: NotificationKind, arguments: [String], link: String, to recipients: [UserModel], now: Date,
                       on database: any Database) async throws {
        var seen: Set<UUID> = []
        let accounts = recipients.filter { $0.isActive && $0.id.map { seen.insert($0).inserted } == true }
        guard !accounts.isEmpty else { return }
        let chosen = Dictionary(try await NotificationPreferenceModel.query(on: database)
            .filter(\.$user.$id ~~ accounts.compactMap(\.id)).filter(\.$kind == kind).all()
            .map { ($0.$user.id, $0.delivery) }, uniquingKeysWith: { a, _ in a })
        let encoded = String(decoding: try JSONEncoder().encode(arguments), as: UTF8.self)
        for account in accounts {
            let id = UUID()
            let notification = NotificationModel()
            notification.id = id
            notification.$user.id = try account.requireID()
            notification.kind = kind
            notification.arguments = encoded
            notification.link = link
            let delivery = chosen[try account.requireID()] ?? .immediately
            notification.delivery = delivery
            notification.emailState = delivery == .off ? .none : .pending
            notification.attempts = 0
            notification.nextAttemptAt = delivery == .immediately ? now : nil
            notification.lastError = ""
            notification.messageID = "<\(id.uuidString.lowercased())@pantau>"
            notification.createdAt = now
            try await notification.create(on: database)
        }
    }

    /// The active implementer accounts of an organisation.
    static func implementers(of organisationID: UUID, on database: any Database) async throws -> [UserModel] {
        try await UserModel.query(on: database).filter(\.$role == .implementer).filter(\.$organisation.$id == organisationID)
            .filter(\.$deactivatedAt == nil).all()
    }

    /// The active implementer accounts of the organisations answerable for a plan's measures (of some commitments only).
    static func implementers(ofPlan planID: UUID, commitments: [UUID]? = nil, on database: any Database) async throws -> [UserModel] {
        var measures = SuccessMeasureModel.query(on: database)
            .join(GoalModel.self, on: \SuccessMeasureModel.$goal.$id == \GoalModel.$id)
            .join(CommitmentModel.self, on: \GoalModel.$commitment.$id == \CommitmentModel.$id)
            .filter(CommitmentModel.self, \.$plan.$id == planID)
        if let commitments { measures = measures.filter(CommitmentModel.self, \.$id ~~ commitments) }
        let organisations = Set(try await measures.all(\.$responsible.$id))
        guard !organisations.isEmpty else { return [] }
        return try await UserModel.query(on: database).filter(\.$role == .implementer).filter(\.$organisation.$id ~~ organisations)
            .filter(\.$deactivatedAt == nil).all()
    }

    /// The active secretariat accounts that manage a plan: those given every plan, and those given this one.
    static func secretariats(of planID: UUID, on database: any Database) async throws -> [UserModel] {
        let given = Set(try await PlanGrantModel.query(on: database).filter(\.$plan.$id == planID).all(\.$user.$id))
        return try await UserModel.query(on: database).filter(\.$role == .secretariat).filter(\.$deactivatedAt == nil).all()
            .filter { $0.allPlans || $0.id.map(given.contains) == true }
    }

    /// A notification in words, in `language`: its subject and its text.
    static func words(_ notification: NotificationModel, language: Language, localizer: Localizer) -> (subject: String, body: String) {
        // Days (deadlines) are stored as ISO days, and words of Pantau (a stage's name) as "#" and their key: both are
        // read in the reader's language.
        let arguments = ((try? JSONDecoder().decode([String].self, from: Data(notification.arguments.utf8))) ?? []).map { argument in
            if argument.hasPrefix("#") { return localizer.text(String(argument.dropFirst()), language, []) }
            return CalendarDay(iso: argument).map { Formatting.day($0, language) } ?? argument
        }
        let key = "notification." + notification.kind.rawValue
        return (localizer.text(key + ".subject", language, arguments), localizer.text(key + ".body", language, arguments))
    }
}
