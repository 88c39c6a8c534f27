import Fluent
import Foundation
import PantauDomain

/// Proposals for commitments: a CSO (or an agency, where the secretariat allows it) submits one while the call is open; the secretariat records each stage
/// it goes through; an adopted proposal becomes a draft commitment of the plan.
enum ProposalService {
    struct Submission: Sendable {
        var title: String
        var problem: String
        var commitment: String
        var howItSolves: String
        var measures: [ProposedMeasure]
        var proposingOrganisations: [String]
        var agencies: [String]
        var rpjmnAlignment: String
        var sdgTargets: [String]
    }

    struct StageState: Codable, Sendable {
        let stage: ProposalStage
        let date: String
        let meeting: String?
        let mergedInto: String?
        let commitment: Int?
    }

    struct ProposalState: Codable, Sendable {
        let title: String
        let organisation: String
        let plan: String
        let stage: ProposalStage
    }

    static let maximumTextLength = 10_000

    static func submit(_ submission: Submission, planCode: String, by user: CurrentUser, on database: any Database, today: CalendarDay) async throws -> UUID {
        guard let organisationID = user.organisationID, let organisation = try await OrganisationModel.find(organisationID, on: database),
              organisation.kind == .civilSociety || organisation.kind == .governmentAgency else {
            throw AppError.conflict(key: "proposal.cso_only", arguments: [])
        }
        try check(submission)
        let today = today.iso
        return try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            let plan = try await DraftPlanService.draftPlan(code: planCode, on: db)
            let phases = try await DraftPlanService.phases(planID: plan.requireID(), on: db)
            // Agencies (K/L) propose only where the secretariat allows it for this plan.
            guard organisation.kind == .civilSociety || phases.agenciesMayPropose else {
                throw AppError.conflict(key: "proposal.cso_only", arguments: [])
            }
            guard phases.proposalsOpen else {
                throw AppError.conflict(key: "proposal.call_closed", arguments: [planCode])
            }
            try await checkAgencies(submission, on: db)
            let proposal = ProposalModel()
            proposal.$plan.id = try plan.requireID()
            proposal.$organisation.id = organisationID
            proposal.submittedByID = user.id
            apply(submission, to: proposal)
            proposal.stage = .submitted
            try await proposal.create(on: db)
            try await addStage(.submitted, date: today, meetingID: nil, note: "", proposal: proposal, recordedBy: user.name, on: db)
            let state = ProposalState(title: proposal.title, organisation: organisation.name, plan: planCode, stage: .submitted)
            return (try proposal.requireID(), [AuditChange(action: "proposal.submit", objectType: "proposal",
                                                           objectID: try proposal.requireID().uuidString,
                                                           before: Optional<ProposalState>.none, after: state)])
        }
    }

    /// Moves a proposal to its next stage. Adopting it drafts its commitment in the plan, in the same transaction.
    /// - Parameter unlistedNote: the draft commitment's note naming the organisations of an adopted proposal that are not
    ///   in the organisation list (in the secretariat's language).
    static func recordStage(proposalID: UUID, stage: ProposalStage, date: String, meetingID: UUID?, note: String, mergedIntoID: UUID?,
                            by user: CurrentUser, on database: any Database, now: Date,
                            unlistedNote: @escaping @Sendable (String) -> String = { $0 }) async throws {
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let day = CalendarDay(iso: date) else { throw AppError.invalid(key: "form.invalid_day", arguments: [date]) }
        let planCode = try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            guard let proposal = try await ProposalModel.query(on: db).filter(\.$id == proposalID).with(\.$plan).with(\.$organisation).first() else {
                throw AppError.notFound(what: "proposal")
            }
            guard user.caller.may(.editPlans, plan: proposal.$plan.id) else { throw AppError.forbidden }
            guard proposal.stage.next.contains(stage) else {
                throw AppError.conflict(key: "proposal.stage_not_allowed", arguments: [proposal.stage.rawValue, stage.rawValue])
            }
            if stage.isFinal, note.isEmpty { throw AppError.invalid(key: "proposal.reason_required", arguments: []) }
            // The timeline reads forward: a step is not dated before the step recorded before it.
            if let previous = try await ProposalStageModel.query(on: db).filter(\.$proposal.$id == proposalID).sort(\.$date, .descending).first(),
               day.iso < previous.date {
                throw FieldError(field: "date", error: .invalid(key: "proposal.stage_date_backwards",
                                                                arguments: [day.iso, previous.date]))
            }
            if let meetingID {
                guard let meeting = try await MeetingModel.find(meetingID, on: db), meeting.$plan.id == proposal.$plan.id else {
                    throw AppError.notFound(what: "meeting")
                }
            }
            let before = StageState(stage: proposal.stage, date: "", meeting: nil, mergedInto: nil, commitment: nil)
            var mergedTitle: String?
            var commitmentNumber: Int?
            switch stage {
            case .merged:
                guard let mergedIntoID, mergedIntoID != proposalID,
                      let target = try await ProposalModel.find(mergedIntoID, on: db), target.$plan.id == proposal.$plan.id else {
                    throw AppError.invalid(key: "proposal.merge_target_required", arguments: [])
                }
                proposal.$mergedInto.id = mergedIntoID
                mergedTitle = target.title
            case .adopted:
                guard proposal.plan.status == .draft else { throw AppError.conflict(key: "cocreation.plan_adopted", arguments: [proposal.plan.code]) }
                let commitment = try await draftCommitment(from: proposal, unlistedNote: unlistedNote, on: db)
                proposal.$commitment.id = try commitment.requireID()
                commitmentNumber = commitment.number
            default:
                break
            }
            proposal.stage = stage
            try await proposal.save(on: db)
            try await addStage(stage, date: day.iso, meetingID: meetingID, note: note, proposal: proposal, recordedBy: user.name, on: db)
            // The proposer hears of each step: whoever submitted it and the proposing organisation's accounts.
            var proposers = try await Notifier.implementers(of: proposal.$organisation.id, on: db)
            if let submitter = proposal.submittedByID, let account = try await UserModel.find(submitter, on: db) { proposers.insert(account, at: 0) }
            try await Notifier.notify(.proposalStageChanged, arguments: [proposal.title, "#proposal.stage." + stage.rawValue],
                                      link: SiteURL.proposal.path(proposalID), to: proposers, now: now, on: db)
            let after = StageState(stage: stage, date: day.iso, meeting: meetingID?.uuidString, mergedInto: mergedTitle, commitment: commitmentNumber)
            return (proposal.plan.code, [AuditChange(action: "proposal.stage", objectType: "proposal", objectID: proposalID.uuidString,
                                                     before: before, after: after, reason: note)])
        }
        try await SearchIndex.rebuild(planCode: planCode, on: database)
    }

    /// The proposal as a draft commitment: its texts carried over, its measures and targets as the first
    /// goal's matrix, each measure under the first agency it concerns (or the proposer) until refined.
    private static func draftCommitment(from proposal: ProposalModel, unlistedNote: (String) -> String,
                                        on db: any Database) async throws -> CommitmentModel {
        let planID = try proposal.plan.requireID()
        let number = (try await CommitmentModel.query(on: db).filter(\.$plan.$id == planID).max(\.$number) ?? 0) + 1
        // Names the proposer typed that are not in the organisation list are not made organisations: they are set aside
        // in the commitment's note, for the secretariat to settle in the editor.
        let directory = try await OrganisationDirectory(on: db)
        let typed = (agencies: FormText.lines(proposal.agencies), proposers: FormText.lines(proposal.proposingOrganisations))
        func once(_ names: [String]) -> [String] {
            var seen: Set<String> = []
            return names.filter { seen.insert($0).inserted }
        }
        let agencies = once(typed.agencies.compactMap(directory.name(for:)))
        let proposers = once([proposal.organisation.name] + typed.proposers.compactMap(directory.name(for:)))
        let unlisted = (typed.agencies + typed.proposers).filter { directory.name(for: $0) == nil }
        let measures = (try? JSONDecoder().decode([ProposedMeasure].self, from: Data(proposal.measures.utf8))) ?? []
        let record = CommitmentRecord(
            number: number, title: proposal.title,
            description: CommitmentDescription(problem: proposal.problem, commitment: proposal.commitmentText, howItSolves: proposal.howItSolves,
                                               rpjmnAlignment: proposal.rpjmnAlignment,
                                               sdgTargets: proposal.sdgTargets.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }),
            proposers: proposers, responsible: agencies,
            goals: measures.isEmpty ? [] : [GoalRecord(text: proposal.title, measures: measures.map {
                MeasureRecord(text: $0.text, responsible: agencies.first ?? proposal.organisation.name, targets: $0.targets)
            })],
            note: unlisted.isEmpty ? "" : unlistedNote(unlisted.joined(separator: "; ")))
        return try await CommitmentWriter.save(record, planID: planID, existing: nil, on: db)
    }

    private static func addStage(_ stage: ProposalStage, date: String, meetingID: UUID?, note: String, proposal: ProposalModel, recordedBy: String,
                                 on db: any Database) async throws {
        let row = ProposalStageModel()
        row.$proposal.id = try proposal.requireID()
        row.stage = stage
        row.date = date
        row.$meeting.id = meetingID
        row.note = note
        row.recordedBy = recordedBy
        try await row.create(on: db)
    }

    private static func check(_ submission: Submission) throws {
        for (field, value) in [("title", submission.title), ("problem", submission.problem), ("commitment", submission.commitment)]
        where value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw FieldError(field: field, error: .invalid(key: "proposal.missing_" + field, arguments: []))
        }
        let texts = [submission.title, submission.problem, submission.commitment, submission.howItSolves, submission.rpjmnAlignment]
            + submission.measures.flatMap { [$0.text] + $0.targets.map(\.text) }
        if texts.contains(where: { $0.count > maximumTextLength }) {
            throw AppError.invalid(key: "form.too_long", arguments: ["\(maximumTextLength)"])
        }
        if submission.title.count > 300 { throw FieldError(field: "title", error: .invalid(key: "form.too_long", arguments: ["300"])) }
    }

    /// The notes of a proposal's working stages (before a decision) are for the plan's staff and the proposer; the
    /// reason of a decision or a withdrawal is public, as is everything else about a submitted proposal.
    static func seesWorkingNotes(_ proposal: ProposalModel, user: CurrentUser?) -> Bool {
        guard let caller = user?.caller else { return false }
        return caller.may(.readUnpublished, plan: proposal.$plan.id) || caller.may(.propose, organisation: proposal.$organisation.id)
    }

    /// Its proposer may edit or withdraw a proposal until review starts: while it is only submitted, in a draft plan.
    /// Needs the proposal's plan loaded.
    static func canChange(_ proposal: ProposalModel, user: CurrentUser?) -> Bool {
        guard let caller = user?.caller else { return false }
        return caller.may(.propose, organisation: proposal.$organisation.id) && proposal.stage == .submitted && proposal.plan.status == .draft
    }

    /// The proposer's own proposal, still open to change (`canChange`), read in the caller's transaction.
    private static func changeable(_ proposalID: UUID, by user: CurrentUser, on db: any Database) async throws -> ProposalModel {
        guard let proposal = try await ProposalModel.query(on: db).filter(\.$id == proposalID).with(\.$plan).with(\.$organisation).first() else {
            throw AppError.notFound(what: "proposal")
        }
        guard user.caller.may(.propose, organisation: proposal.$organisation.id) else { throw AppError.forbidden }
        guard canChange(proposal, user: user) else { throw AppError.conflict(key: "proposal.review_started", arguments: [proposal.title]) }
        return proposal
    }

    /// The proposer's edit of a proposal before review starts.
    static func update(proposalID: UUID, with submission: Submission, by user: CurrentUser, on database: any Database) async throws {
        try check(submission)
        try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            let proposal = try await changeable(proposalID, by: user, on: db)
            try await checkAgencies(submission, on: db)
            let before = ContentState(proposal)
            apply(submission, to: proposal)
            try await proposal.save(on: db)
            let after = ContentState(proposal)
            guard after != before else { return ((), []) }
            return ((), [AuditChange(action: "proposal.edit", objectType: "proposal", objectID: proposalID.uuidString, before: before, after: after)])
        }
    }

    /// The proposer withdraws a proposal before review starts, with a reason that is published with it.
    static func withdraw(proposalID: UUID, reason: String, by user: CurrentUser, on database: any Database, today: CalendarDay) async throws {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw FieldError(field: "reason", error: .invalid(key: "proposal.withdraw_reason_required", arguments: [])) }
        let planCode = try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            let proposal = try await changeable(proposalID, by: user, on: db)
            proposal.stage = .withdrawn
            try await proposal.save(on: db)
            try await addStage(.withdrawn, date: today.iso, meetingID: nil, note: reason, proposal: proposal, recordedBy: user.name, on: db)
            let before = StageState(stage: .submitted, date: "", meeting: nil, mergedInto: nil, commitment: nil)
            let after = StageState(stage: .withdrawn, date: today.iso, meeting: nil, mergedInto: nil, commitment: nil)
            return (proposal.plan.code, [AuditChange(action: "proposal.withdraw", objectType: "proposal", objectID: proposalID.uuidString,
                                                     before: before, after: after, reason: reason)])
        }
        try await SearchIndex.rebuild(planCode: planCode, on: database)
    }

    /// The agencies a proposal concerns are chosen from the organisation list (a name, an acronym, a unique part):
    /// one that fits none, or several, is refused, naming it. Other proposing organisations may be outside the list.
    private static func checkAgencies(_ submission: Submission, on db: any Database) async throws {
        guard !submission.agencies.isEmpty else { return }
        let directory = try await OrganisationDirectory(on: db)
        for agency in submission.agencies { _ = try directory.id(for: agency) }
    }

    /// What the audit history keeps of a proposal's texts.
    struct ContentState: Codable, Equatable, Sendable {
        let title: String
        let problem: String
        let commitment: String
        let howItSolves: String
        let measures: String
        let proposingOrganisations: String
        let agencies: String
        let rpjmnAlignment: String
        let sdgTargets: String

        init(_ proposal: ProposalModel) {
            title = proposal.title
            problem = proposal.problem
            commitment = proposal.commitmentText
            howItSolves = proposal.howItSolves
            measures = proposal.measures
            proposingOrganisations = proposal.proposingOrganisations
            agencies = proposal.agencies
            rpjmnAlignment = proposal.rpjmnAlignment
            sdgTargets = proposal.sdgTargets
        }
    }

    private static func apply(_ submission: Submission, to proposal: ProposalModel) {
        proposal.title = submission.title
        proposal.problem = submission.problem
        proposal.commitmentText = submission.commitment
        proposal.howItSolves = submission.howItSolves
        proposal.measures = String(decoding: (try? JSONEncoder().encode(submission.measures)) ?? Data("[]".utf8), as: UTF8.self)
        proposal.proposingOrganisations = submission.proposingOrganisations.joined(separator: "\n")
        proposal.agencies = submission.agencies.joined(separator: "\n")
        proposal.rpjmnAlignment = submission.rpjmnAlignment
        proposal.sdgTargets = submission.sdgTargets.joined(separator: ",")
    }

    /// What a submitted proposal looks like as a form, for its proposer's edit.
    static func submission(of proposal: ProposalModel) -> Submission {
        Submission(title: proposal.title, problem: proposal.problem, commitment: proposal.commitmentText, howItSolves: proposal.howItSolves,
                   measures: (try? JSONDecoder().decode([ProposedMeasure].self, from: Data(proposal.measures.utf8))) ?? [],
                   proposingOrganisations: FormText.lines(proposal.proposingOrganisations), agencies: FormText.lines(proposal.agencies),
                   rpjmnAlignment: proposal.rpjmnAlignment, sdgTargets: proposal.sdgTargets.split(separator: ",").map(String.init))
    }

}
