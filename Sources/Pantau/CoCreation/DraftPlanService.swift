import Fluent
import Foundation
import PantauDomain

/// The life of a plan before and after adoption: a draft is created, its call for proposals and public
/// consultation are opened and closed, its commitments are drafted, and adoption freezes it; from then on
/// every change to a commitment is a revision with a reason that makes a new public version.
enum DraftPlanService {
    struct PhaseState: Codable, Equatable, Sendable {
        let proposalsOpen: Bool
        let consultationOpen: Bool
        let agenciesMayPropose: Bool
    }

    struct AdoptionState: Codable, Sendable {
        let status: PlanStatus
        let version: Int?
    }

    /// A new, empty draft plan with its semesters every six months from `start`.
    static func create(code: String, title: String, start: YearMonth, months: Int, scheme: String, actor: AuditActor,
                       jurisdictionID: UUID? = nil, grantTo account: UUID? = nil, on database: any Database) async throws -> UUID {
        let document = try draftDocument(code: code, title: title, start: start, months: months, scheme: scheme)
        let id = try await AuditLog.transaction(on: database, actor: actor) { db in
            let (id, change) = try await writeDraft(document, jurisdictionID: jurisdictionID, on: db)
            if let account { try await NewPlanOwner.grant(id, to: account, on: db) }
            return (id, [change])
        }
        try await SearchIndex.rebuild(planCode: document.code, on: database)
        return id
    }

    /// The empty plan a co-creation starts from, checked.
    static func draftDocument(code: String, title: String, start: YearMonth, months: Int, scheme: String) throws -> PlanDocument {
        guard (6...60).contains(months), months % 6 == 0 else { throw AppError.invalid(key: "cocreation.invalid_months", arguments: ["\(months)"]) }
        let document = PlanDocument(code: code.trimmingCharacters(in: .whitespaces), title: title.trimmingCharacters(in: .whitespacesAndNewlines),
                                    periodStart: start, periodEnd: start.adding(months: months - 1),
                                    semesters: Semester.schedule(startingIn: start, months: months), scoringScheme: scheme,
                                    organisations: [], commitments: [])
        if let problem = document.problems().first { throw AppError.invalid(key: problem.kind.rawValue, arguments: [problem.value]) }
        return document
    }

    /// Writes a draft plan with its co-creation phases inside an audited transaction the caller holds.
    static func writeDraft(_ document: PlanDocument, jurisdictionID: UUID?, on db: any Database) async throws -> (UUID, AuditChange) {
        let id = try await PlanWriter.insert(document, status: .draft, jurisdictionID: jurisdictionID, on: db)
        try await CoCreationPhaseModel(planID: id).create(on: db)
        return (id, AuditChange(action: "plan.create", objectType: "plan", objectID: id.uuidString, before: Optional<PlanImport.State>.none,
                                after: PlanImport.State(code: document.code, title: document.title, status: .draft, commitments: 0,
                                                        targets: 0, sourceFile: "")))
    }

    /// The phases of a plan; a plan without a row has never opened either.
    static func phases(planID: UUID, on db: any Database) async throws -> CoCreationPhaseModel {
        if let phases = try await CoCreationPhaseModel.query(on: db).filter(\.$plan.$id == planID).first() { return phases }
        return CoCreationPhaseModel(planID: planID)
    }

    /// Opens or closes the call for proposals or the consultation of a draft plan. Opening one records `today` as its
    /// actual start on the timeline (and clears an earlier end), closing records `today` as its actual end.
    static func setPhases(planCode: String, proposalsOpen: Bool?, consultationOpen: Bool?, agenciesMayPropose: Bool? = nil, today: CalendarDay,
                          actor: AuditActor, on database: any Database) async throws {
        try await AuditLog.transaction(on: database, actor: actor) { db in
            let plan = try await draftPlan(code: planCode, on: db)
            let phases = try await phases(planID: plan.requireID(), on: db)
            let before = PhaseState(proposalsOpen: phases.proposalsOpen, consultationOpen: phases.consultationOpen,
                                    agenciesMayPropose: phases.agenciesMayPropose)
            let timelineBefore = phases.timeline
            var timeline = timelineBefore
            if let proposalsOpen, proposalsOpen != phases.proposalsOpen {
                phases.proposalsOpen = proposalsOpen
                timeline.switched(.callForProposals, open: proposalsOpen, on: today)
            }
            if let consultationOpen, consultationOpen != phases.consultationOpen {
                phases.consultationOpen = consultationOpen
                timeline.switched(.consultation, open: consultationOpen, on: today)
            }
            if let agenciesMayPropose { phases.agenciesMayPropose = agenciesMayPropose }
            phases.timeline = timeline
            try await phases.save(on: db)
            let after = PhaseState(proposalsOpen: phases.proposalsOpen, consultationOpen: phases.consultationOpen,
                                   agenciesMayPropose: phases.agenciesMayPropose)
            var changes: [AuditChange] = []
            if after != before {
                changes.append(AuditChange(action: "plan.phases", objectType: "plan", objectID: try plan.requireID().uuidString, before: before, after: after))
            }
            if timeline != timelineBefore {
                changes.append(AuditChange(action: "plan.timeline", objectType: "plan", objectID: try plan.requireID().uuidString,
                                           before: timelineBefore.auditState, after: timeline.auditState))
            }
            return ((), changes)
        }
    }

    /// Sets a draft plan's timeline: planned days of every phase, actual days of those without a switch (the switches
    /// record the call's and the consultation's). Refused whole, naming the phase and the date, when any date is wrong.
    static func setTimeline(planCode: String, timeline typed: CoCreationTimeline, today: CalendarDay, actor: AuditActor,
                            on database: any Database) async throws {
        try await AuditLog.transaction(on: database, actor: actor) { db in
            let plan = try await draftPlan(code: planCode, on: db)
            let phases = try await phases(planID: plan.requireID(), on: db)
            let before = phases.timeline
            var timeline = typed
            for phase in CoCreationPhase.allCases where phase.hasSwitch {
                timeline[phase].actualStart = before[phase].actualStart
                timeline[phase].actualEnd = before[phase].actualEnd
            }
            if let problem = timeline.problems(today: today).first { throw TimelineError(problem) }
            guard timeline != before else { return ((), []) }
            phases.timeline = timeline
            try await phases.save(on: db)
            return ((), [AuditChange(action: "plan.timeline", objectType: "plan", objectID: try plan.requireID().uuidString,
                                     before: before.auditState, after: timeline.auditState)])
        }
    }

    /// What is still open in a draft plan when it is adopted, shown before the secretariat confirms (like the
    /// publication check): proposals no decision has ended, consultation comments without an answer (held for moderation,
    /// or shown without a response), and commitments whose targets have hints.
    struct AdoptionCheck: Sendable {
        struct Proposal: Sendable, Encodable {
            let id: String
            let title: String
        }

        let undecidedProposals: [Proposal]
        let unansweredComments: Int
        let commitmentsWithHints: [Int]

        var isClear: Bool { undecidedProposals.isEmpty && unansweredComments == 0 && commitmentsWithHints.isEmpty }

        /// From the plan's proposals, consultation comments and document, as read by the caller (the plan's page has them).
        init(proposals: [ProposalModel], comments: [ConsultationCommentModel], plan: PlanDocument) throws {
            undecidedProposals = try proposals.filter { !$0.stage.isFinal }.map { .init(id: try $0.requireID().uuidString, title: $0.title) }
            unansweredComments = comments.filter { $0.status == .pending || ($0.status == .published && $0.response == nil) }.count
            commitmentsWithHints = plan.commitments.filter { commitment in
                commitment.goals.flatMap(\.measures).flatMap(\.targets).contains { !TargetQuality.hints(for: $0.text).isEmpty }
            }.map(\.number)
        }
    }

    static func adoptionCheck(planID: UUID, code: String, on database: any Database) async throws -> AdoptionCheck {
        try AdoptionCheck(proposals: try await ProposalModel.query(on: database).filter(\.$plan.$id == planID).sort(\.$createdAt).all(),
                          comments: try await ConsultationCommentModel.query(on: database).filter(\.$plan.$id == planID).all(),
                          plan: try await PlanReader.document(code: code, on: database))
    }

    /// Adopts a draft plan: it is frozen, its phases close, and version 1 is recorded. Only once the secretariat has
    /// confirmed the check, and with a reason when anything in it is still open.
    static func adopt(planCode: String, note: String, confirmed: Bool, today: CalendarDay, actor: AuditActor, on database: any Database) async throws {
        try await AuditLog.transaction(on: database, actor: actor) { db in
            let plan = try await draftPlan(code: planCode, on: db)
            let planID = try plan.requireID()
            guard try await CommitmentModel.query(on: db).filter(\.$plan.$id == planID).count() > 0 else {
                throw AppError.conflict(key: "cocreation.adopt_empty", arguments: [planCode])
            }
            guard confirmed else { throw AppError.invalid(key: "cocreation.adopt_confirm_required", arguments: []) }
            let check = try await adoptionCheck(planID: planID, code: planCode, on: db)
            if !check.isClear, note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw AppError.invalid(key: "cocreation.adopt_reason_required", arguments: [
                    "\(check.undecidedProposals.count)", "\(check.unansweredComments)", "\(check.commitmentsWithHints.count)"])
            }
            plan.status = .adopted
            try await plan.save(on: db)
            let phases = try await phases(planID: planID, on: db)
            var timeline = phases.timeline
            if phases.proposalsOpen { timeline.switched(.callForProposals, open: false, on: today) }
            if phases.consultationOpen { timeline.switched(.consultation, open: false, on: today) }
            // Adoption happens on one day: the phase starts and ends with it.
            timeline[.adoption].actualStart = timeline[.adoption].actualStart ?? today
            timeline[.adoption].actualEnd = today
            let timelineBefore = phases.timeline
            phases.proposalsOpen = false
            phases.consultationOpen = false
            phases.timeline = timeline
            try await phases.save(on: db)
            try await recordVersion(of: try await PlanReader.document(code: planCode, on: db), planID: planID, reason: note, actor: actor, on: db)
            return ((), [AuditChange(action: "plan.adopt", objectType: "plan", objectID: planID.uuidString,
                                     before: AdoptionState(status: .draft, version: nil), after: AdoptionState(status: .adopted, version: 1),
                                     reason: note),
                         AuditChange(action: "plan.timeline", objectType: "plan", objectID: planID.uuidString,
                                     before: timelineBefore.auditState, after: timeline.auditState)])
        }
    }

    /// Saves a commitment of a plan from the editor: freely while the plan is a draft; as a revision with a
    /// reason, making a new version, once it is adopted. `number` nil adds a commitment to a draft.
    @discardableResult
    static func saveCommitment(planCode: String, number: Int?, record: CommitmentRecord, reason: String, actor: AuditActor,
                               on database: any Database) async throws -> Int {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let saved = try await AuditLog.transaction(on: database, actor: actor) { db in
            let plan = try await ActionPlanModel.require(code: planCode, on: db)
            let planID = try plan.requireID()
            let isRevision = plan.status == .adopted
            if isRevision, reason.isEmpty { throw FieldError(field: "reason", error: .invalid(key: "editor.reason_required", arguments: [])) }
            var record = record
            let existing: CommitmentModel?
            if let number {
                guard let found = try await CommitmentModel.query(on: db).filter(\.$plan.$id == planID).filter(\.$number == number).first() else {
                    throw AppError.commitmentNotFound(plan: planCode, number: "\(number)")
                }
                existing = found
                record.number = number
            } else {
                guard !isRevision else { throw AppError.conflict(key: "cocreation.plan_adopted", arguments: [planCode]) }
                existing = nil
                let last = try await CommitmentModel.query(on: db).filter(\.$plan.$id == planID).max(\.$number) ?? 0
                record.number = last + 1
            }
            let before = try await PlanReader.document(code: planCode, on: db).commitments.first { $0.number == record.number }
            let commitment = try await CommitmentWriter.save(record, planID: planID, existing: existing, on: db)
            let saved = try await PlanReader.document(code: planCode, on: db)
            let after = saved.commitments.first { $0.number == record.number }
            guard before != after else { return (record.number, []) }
            if isRevision { try await recordVersion(of: saved, planID: planID, reason: reason, actor: actor, on: db) }
            return (record.number, [AuditChange(action: isRevision ? "commitment.revise" : "commitment.draft", objectType: "commitment",
                                                objectID: try commitment.requireID().uuidString, before: before, after: after, reason: reason)])
        }
        try await SearchIndex.rebuild(planCode: planCode, on: database)
        return saved
    }

    /// Stores `document`, the plan as it now stands, as its next version.
    private static func recordVersion(of document: PlanDocument, planID: UUID, reason: String, actor: AuditActor, on db: any Database) async throws {
        let last = try await PlanVersionModel.query(on: db).filter(\.$plan.$id == planID).max(\.$number) ?? 0
        let version = PlanVersionModel()
        version.$plan.id = planID
        version.number = last + 1
        version.reason = reason
        version.actorName = HistoryActor.name(actor.name)
        version.content = String(decoding: try PlanJSON.encode(document), as: UTF8.self)
        try await version.create(on: db)
    }

    static func draftPlan(code: String, on db: any Database) async throws -> ActionPlanModel {
        let plan = try await ActionPlanModel.require(code: code, on: db)
        guard plan.status == .draft else { throw AppError.conflict(key: "cocreation.plan_adopted", arguments: [code]) }
        return plan
    }

    /// A version's plan and the one before it (empty before version 1), for showing what changed.
    static func versionChanges(planID: UUID, number: Int, on db: any Database) async throws -> (PlanVersionModel, [PlanDiff.CommitmentChange])? {
        guard let version = try await PlanVersionModel.query(on: db).filter(\.$plan.$id == planID).filter(\.$number == number).first() else {
            return nil
        }
        let new = try PlanJSON.decode(Data(version.content.utf8))
        var old = new
        old.commitments = []
        if number > 1, let previous = try await PlanVersionModel.query(on: db).filter(\.$plan.$id == planID).filter(\.$number == number - 1).first() {
            old = try PlanJSON.decode(Data(previous.content.utf8))
        }
        return (version, PlanDiff.changes(from: old, to: new))
    }
}

extension CoCreationTimeline {
    /// What the audit history keeps: each phase's days by name (`call_for_proposals.plannedStart`: `2032-09-15`), which the
    /// history shows under the phase's and the date's labels.
    var auditState: [String: [String: String]] {
        var state: [String: [String: String]] = [:]
        for phase in CoCreationPhase.allCases where !self[phase].isEmpty {
            let dates = self[phase]
            var days: [String: String] = [:]
            for (name, day) in [("plannedStart", dates.plannedStart), ("plannedEnd", dates.plannedEnd), ("actualStart", dates.actualStart),
                                ("actualEnd", dates.actualEnd)] {
                if let day { days[name] = day.iso }
            }
            state[phase.rawValue] = days
        }
        return state
    }
}

/// A timeline refused: the phase and the date it names (`cocreation.timeline_*`, worded by the page in its language).
struct TimelineError: Error {
    let problem: TimelineProblem

    init(_ problem: TimelineProblem) { self.problem = problem }

    /// The message in `language`: the phase, the date, and for order the phase before, by their names.
    func message(_ localizer: Localizer, _ language: Language) -> String {
        let key: String = switch problem.kind {
        case .endBeforeStart: "cocreation.timeline_end_before_start"
        case .endWithoutStart: "cocreation.timeline_end_without_start"
        case .inTheFuture: "cocreation.timeline_in_the_future"
        case .beforePreviousPhase: "cocreation.timeline_out_of_order"
        }
        var arguments = [localizer.text("cocreation.phase." + problem.phase.rawValue, language),
                         localizer.text("cocreation.timeline_field." + problem.field, language)]
        if case .beforePreviousPhase(let previous) = problem.kind {
            arguments.append(localizer.text("cocreation.phase." + previous.rawValue, language))
        }
        return localizer.text(key, language, arguments)
    }
}
