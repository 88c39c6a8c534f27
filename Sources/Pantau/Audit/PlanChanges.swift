import Fluent
import Foundation
import SQLKit

/// For each plan, the sequence number of the newest audit entry that touched it, written in the same transaction as
/// the entry: a value computed from one plan's data stays valid while its plan's number is unchanged, whatever
/// happens to other plans, and in every server process on the same database.
///
/// The plan of a change is found from what the change names (its object's type and id), not declared by each
/// writer: a change of a kind not listed here, or whose object is gone, counts as touching every plan, so that a
/// forgotten kind costs a recomputation and never a stale result.
enum PlanChanges {
    static let table = "plan_changes"
    /// The scope of changes that touch every plan (an organisation's name appears in every plan that names it).
    static let everyPlan = "*"
    /// What follows a plan's id in the scope of changes that only its staff can see: reports of semesters not yet
    /// published (visitors see a report's result only once its semester is published, and then through the plan's scope).
    static let staffOnlySuffix = ":staff"

    /// What the newest changes were, read in one query.
    struct Versions: Sendable {
        let byScope: [String: Int]

        /// The newest change that touched the plan, or every plan; 0 before any.
        func of(_ planID: UUID) -> Int {
            max(byScope[planID.uuidString] ?? 0, byScope[planID.uuidString + PlanChanges.staffOnlySuffix] ?? 0, byScope[PlanChanges.everyPlan] ?? 0)
        }

        /// The newest change to what visitors can see of the plan (or of every plan): changes only its staff can see
        /// (`staffOnlySuffix`) leave it as it was.
        func visible(_ planID: UUID) -> Int { visible(scope: planID.uuidString) }

        /// `visible(_:)` for a plan id already written as text.
        func visible(scope: String) -> Int {
            max(byScope[scope] ?? 0, byScope[PlanChanges.everyPlan] ?? 0)
        }

        /// These versions with the newer of each scope's from `committed` (this process's own changes).
        func merging(_ committed: CommittedHere) -> Versions {
            Versions(byScope: byScope.merging(committed.byScope, uniquingKeysWith: max))
        }

        /// The newest change that touched any plan.
        var latest: Int { byScope.values.max() ?? 0 }

        /// The newest change to what visitors can see of any plan.
        var latestVisible: Int {
            byScope.lazy.filter { !$0.key.hasSuffix(PlanChanges.staffOnlySuffix) }.map(\.value).max() ?? 0
        }
    }

    /// What one audited transaction recorded: the scopes it touched, and the sequence number they now carry.
    struct Recorded: Sendable {
        let scopes: Set<String>
        let sequence: Int
    }

    /// Every version this process has committed, scope by scope, and how many audited transactions that was. Versions
    /// only grow, so a reading of the table merged with these is never older than what this process itself wrote.
    struct CommittedHere: Sendable {
        private(set) var transactions = 0
        private(set) var byScope: [String: Int] = [:]

        mutating func note(_ recorded: Recorded) {
            transactions += 1
            for scope in recorded.scopes { byScope[scope] = max(byScope[scope] ?? 0, recorded.sequence) }
        }
    }

    static func versions(on database: any Database) async throws -> Versions {
        struct Row: Decodable { let scope: String; let sequence: Int }
        let rows = try await (database as! any SQLDatabase).select().columns("scope", "sequence").from(table).all(decoding: Row.self)
        return Versions(byScope: Dictionary(rows.map { ($0.scope, $0.sequence) }, uniquingKeysWith: max))
    }

    /// Records that the entries numbered up to `sequence` touched the plans of `changes`.
    @discardableResult
    static func record(_ changes: [AuditChange], sequence: Int, on database: any Database) async throws -> Recorded {
        var scopes: Set<String> = []
        for change in changes { scopes.formUnion(try await self.scopes(of: change, on: database)) }
        let sql = database as! any SQLDatabase
        for scope in scopes.sorted() {
            try await sql.insert(into: table).columns("scope", "sequence").values(SQLBind(scope), SQLBind(sequence))
                .onConflict(with: ["scope"]) { $0.set(excludedValueOf: "sequence") }
                .run()
        }
        return Recorded(scopes: scopes, sequence: sequence)
    }

    /// The plans a change touches: the plan ids as text, `everyPlan`, or none for changes that touch no plan's data.
    static func scopes(of change: AuditChange, on database: any Database) async throws -> Set<String> {
        let planID: UUID?
        switch change.objectType {
        case "user", "api_token":
            // What accounts may see is worked out for each request, never kept.
            return []
        case "organisation", "jurisdiction":
            // An organisation's name is in every plan that names it; a region's, in lists of every plan.
            return [everyPlan]
        case "plan":
            planID = UUID(uuidString: change.objectID)
        case "semester":
            planID = try await UUID(uuidString: change.objectID).asyncFlatMap { try await PlanSemesterModel.find($0, on: database)?.$plan.id }
        case "commitment":
            planID = try await UUID(uuidString: change.objectID).asyncFlatMap { try await CommitmentModel.find($0, on: database)?.$plan.id }
        case "report":
            guard let reportID = UUID(uuidString: change.objectID),
                  let semester = try await PlanSemesterModel.query(on: database)
                    .join(TargetModel.self, on: \PlanSemesterModel.$id == \TargetModel.$semester.$id)
                    .join(TargetReportModel.self, on: \TargetModel.$id == \TargetReportModel.$target.$id)
                    .filter(TargetReportModel.self, \.$id == reportID)
                    .first()
            else { return [everyPlan] }
            // Read in the writing transaction, and publications are audited writes too: a report changed before its
            // semester is published is staff-only, and the publication itself then changes what visitors see.
            let published = try await SemesterService.isPublished(semesterID: semester.requireID(), on: database)
            return [semester.$plan.id.uuidString + (published ? "" : staffOnlySuffix)]
        case "meeting":
            planID = try await UUID(uuidString: change.objectID).asyncFlatMap { try await MeetingModel.find($0, on: database)?.$plan.id }
        case "proposal":
            planID = try await UUID(uuidString: change.objectID).asyncFlatMap { try await ProposalModel.find($0, on: database)?.$plan.id }
        case "comment":
            planID = try await UUID(uuidString: change.objectID).asyncFlatMap {
                try await ConsultationCommentModel.find($0, on: database)?.$plan.id
            }
        default:
            return [everyPlan]
        }
        return [planID?.uuidString ?? everyPlan]
    }
}

extension Optional {
    /// `flatMap` for an asynchronous transform.
    func asyncFlatMap<Other>(_ transform: (Wrapped) async throws -> Other?) async rethrows -> Other? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
