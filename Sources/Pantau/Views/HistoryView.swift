import Fluent
import Foundation
import PantauDomain
import Vapor

/// One entry of an object's audit history as its page shows it.
struct HistoryView: Encodable {
    /// One field that changed, labelled and with its values as a person reads them.
    struct Change: Encodable {
        /// Empty when the whole state is one value.
        let label: String
        /// Empty when the field did not exist before (the object was created).
        let before: String
        let after: String
        let hasBefore: Bool
        /// The values are written text in `Language.content` (`HistoryText.isContent`), marked so on other pages.
        let isContent: Bool
    }

    let at: String
    let actor: String
    let actionKey: String
    var reason: String
    let changes: [Change]
    let hasChanges: Bool

    /// The history of one object as the request's viewer may see it, newest first: entries that describe something not
    /// yet public only once it is (`HistoryVisibility`), authors without their e-mail address except for the secretariat
    /// (`HistoryActor`). `plan` is the plan the object belongs to, whose published periods some entries wait for.
    /// The page calling this has already decided that its viewer may see the object itself.
    static func entries(objectType: String, objectID: String, plan: UUID? = nil, request: Request) async throws -> [HistoryView] {
        let viewer = request.currentUser?.caller
        let entries = try await AuditLog.history(objectType: objectType, objectID: objectID, on: request.db)
        var published: Set<String>?
        var shown: [AuditEntryModel] = []
        for entry in entries {
            let condition = HistoryVisibility.condition(action: entry.action, reason: entry.reason, after: entry.after)
            if case .periodPublished = condition, published == nil, !viewer.may(.readUnpublished, inPlan: plan) {
                published = try await publishedPeriods(of: plan, on: request.db)
            }
            if HistoryVisibility.isVisible(condition, to: viewer, plan: plan, isPublished: { published?.contains($0) ?? false }) {
                shown.append(entry)
            }
        }
        let organisations = try await actorOrganisations(shown, on: request.db)
        let diffs = shown.map { HistoryDiff.changes(before: $0.before, after: $0.after) }
        let text = HistoryText(localizer: request.application.localizer, language: request.language,
                               organisations: try await organisationNames(in: diffs, on: request.db))
        return zip(shown, diffs).map { entry, diff in
            let changes = text.changes(diff, objectType: entry.objectType)
            return HistoryView(at: ISO8601DateFormatter().date(from: entry.recordedAt).map { Formatting.jakartaDateTime($0, request.language) }
                                   ?? entry.recordedAt,
                               actor: HistoryActor.shown(entry.actorName, organisation: entry.actorID.flatMap { organisations[$0] }, to: viewer),
                               actionKey: "audit.action." + entry.action, reason: entry.reason, changes: changes, hasChanges: !changes.isEmpty)
        }
    }

    /// The short names of the organisations that changed fields refer to by id, in one query.
    private static func organisationNames(in diffs: [[HistoryDiff.Change]], on database: any Database) async throws -> [UUID: String] {
        let ids = Set(diffs.joined().filter { HistoryText.isOrganisationID($0.field) }.flatMap { [$0.before, $0.after] }.compactMap { value in
            if case .text(let text) = value { UUID(uuidString: text) } else { nil }
        })
        guard !ids.isEmpty else { return [:] }
        return Dictionary(try await OrganisationModel.query(on: database).filter(\.$id ~~ ids).all().map { ($0.id!, $0.shortName) },
                          uniquingKeysWith: { a, _ in a })
    }

    /// The semester codes and years of the plan whose results are published.
    private static func publishedPeriods(of plan: UUID?, on database: any Database) async throws -> Set<String> {
        guard let plan else { return [] }
        let semesters = try await PlanSemesterModel.query(on: database).filter(\.$plan.$id == plan).all()
        let publishedSemesters = semesters.isEmpty ? [] : try await SemesterPublicationModel.query(on: database)
            .filter(\.$semester.$id ~~ semesters.compactMap(\.id)).all().map(\.$semester.id)
        let years = try await YearPublicationModel.query(on: database).filter(\.$plan.$id == plan).all().map { String($0.year) }
        return Set(semesters.filter { publishedSemesters.contains($0.id!) }.map(\.code) + years)
    }

    /// The short name of the organisation of each account among the entries' authors.
    private static func actorOrganisations(_ entries: [AuditEntryModel], on database: any Database) async throws -> [UUID: String] {
        let ids = Set(entries.compactMap(\.actorID))
        guard !ids.isEmpty else { return [:] }
        let users = try await UserModel.query(on: database).filter(\.$id ~~ ids).with(\.$organisation).all()
        return Dictionary(users.compactMap { user in user.organisation.map { (user.id!, $0.shortName) } }, uniquingKeysWith: { a, _ in a })
    }
}
