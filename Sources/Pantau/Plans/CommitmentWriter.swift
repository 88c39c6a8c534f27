import Fluent
import Foundation
import PantauDomain

/// Writes one commitment of a stored plan from its record, in place: goals, measures and targets that stay
/// keep their ids (reports and scores hang on targets), changed texts are updated, new ones created, and ones
/// no longer in the record removed unless something was reported on them.
enum CommitmentWriter {
    /// Creates the commitment when `existing` is nil. Runs inside the caller's transaction.
    @discardableResult
    static func save(_ record: CommitmentRecord, planID: UUID, existing: CommitmentModel?, on db: any Database) async throws -> CommitmentModel {
        try check(record)
        let semesters = try await PlanSemesterModel.query(on: db).filter(\.$plan.$id == planID).all()
        let semesterIDs = Dictionary(uniqueKeysWithValues: try semesters.map { ($0.code, try $0.requireID()) })
        let commitment = existing ?? CommitmentModel(planID: planID, record: record)
        if existing != nil { apply(record, to: commitment) }
        try await commitment.save(on: db)
        let commitmentID = try commitment.requireID()

        let organisations = try await OrganisationDirectory(on: db)
        try await CommitmentOrganisationModel.query(on: db).filter(\.$commitment.$id == commitmentID).delete()
        for role in CommitmentRole.allCases {
            for (position, name) in record.organisations(in: role).enumerated() {
                let organisationID = try organisations.id(for: name)
                try await CommitmentOrganisationModel(commitmentID: commitmentID, organisationID: organisationID, role: role, position: position)
                    .create(on: db)
            }
        }
        try await ContactModel.query(on: db).filter(\.$commitment.$id == commitmentID).delete()
        for (position, contact) in record.contacts.enumerated() {
            try await ContactModel(commitmentID: commitmentID, position: position, record: contact).create(on: db)
        }
        try await IndicatorModel.query(on: db).filter(\.$commitment.$id == commitmentID).delete()
        for (position, indicator) in record.indicators.enumerated() {
            try await IndicatorModel(commitmentID: commitmentID, position: position, record: indicator).create(on: db)
        }

        let goals = try await GoalModel.query(on: db).filter(\.$commitment.$id == commitmentID).sort(\.$position)
            .with(\.$measures) { $0.with(\.$targets) }.all()
        for (goalPosition, goalRecord) in record.goals.enumerated() {
            let goal = goalPosition < goals.count ? goals[goalPosition] : GoalModel(commitmentID: commitmentID, position: goalPosition, text: "")
            goal.text = goalRecord.text
            try await goal.save(on: db)
            let measures = goal.$measures.value?.sorted { $0.position < $1.position } ?? []
            for (measurePosition, measureRecord) in goalRecord.measures.enumerated() {
                let responsibleID = try organisations.id(for: measureRecord.responsible)
                let measure = measurePosition < measures.count
                    ? measures[measurePosition]
                    : SuccessMeasureModel(goalID: try goal.requireID(), position: measurePosition, text: "", responsibleID: responsibleID,
                                          expectedEvidence: "")
                measure.text = measureRecord.text
                measure.$responsible.id = responsibleID
                measure.expectedEvidence = measureRecord.expectedEvidence
                try await measure.save(on: db)
                let targets = measure.$targets.value ?? []
                let wanted = Dictionary(measureRecord.targets.map { ($0.semester, $0.text) }, uniquingKeysWith: { first, _ in first })
                for target in targets {
                    let code = semesters.first { $0.id == target.$semester.id }?.code ?? ""
                    if let text = wanted[code] {
                        if target.text != text {
                            target.text = text
                            try await target.save(on: db)
                        }
                    } else {
                        try await remove(target, on: db)
                    }
                }
                let present = Set(targets.compactMap { target in semesters.first { $0.id == target.$semester.id }?.code })
                for targetRecord in measureRecord.targets where !present.contains(targetRecord.semester) {
                    guard let semesterID = semesterIDs[targetRecord.semester] else {
                        throw AppError.invalid(key: "plan.unknown_semester", arguments: [targetRecord.semester])
                    }
                    try await TargetModel(measureID: try measure.requireID(), semesterID: semesterID, text: targetRecord.text).create(on: db)
                }
            }
            for measure in measures.dropFirst(goalRecord.measures.count) {
                for target in measure.$targets.value ?? [] { try await remove(target, on: db) }
                try await measure.delete(on: db)
            }
        }
        for goal in goals.dropFirst(record.goals.count) {
            for target in (goal.$measures.value ?? []).flatMap({ $0.$targets.value ?? [] }) { try await remove(target, on: db) }
            try await goal.delete(on: db)
        }
        return commitment
    }

    /// A target that has been reported on stays: its report and score are part of the record.
    private static func remove(_ target: TargetModel, on db: any Database) async throws {
        guard try await TargetReportModel.query(on: db).filter(\.$target.$id == target.requireID()).count() == 0 else {
            throw AppError.conflict(key: "editor.target_has_report", arguments: [target.text])
        }
        try await target.delete(on: db)
    }

    private static func check(_ record: CommitmentRecord) throws {
        guard !record.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw AppError.invalid(key: "editor.empty_title", arguments: [])
        }
        for (goalIndex, goal) in record.goals.enumerated() {
            for (measureIndex, measure) in goal.measures.enumerated()
            where measure.responsible.trimmingCharacters(in: .whitespaces).isEmpty {
                throw AppError.invalid(key: "editor.missing_responsible", arguments: ["\(goalIndex + 1).\(measureIndex + 1)"])
            }
        }
    }

    private static func apply(_ record: CommitmentRecord, to commitment: CommitmentModel) {
        let fresh = CommitmentModel(planID: commitment.$plan.id, record: record)
        commitment.number = fresh.number
        commitment.title = fresh.title
        commitment.theme = fresh.theme
        commitment.problem = fresh.problem
        commitment.commitmentText = fresh.commitmentText
        commitment.howItSolves = fresh.howItSolves
        commitment.openGovernmentRelevance = fresh.openGovernmentRelevance
        commitment.rpjmnAlignment = fresh.rpjmnAlignment
        commitment.sdgAlignment = fresh.sdgAlignment
        commitment.sdgTargets = fresh.sdgTargets
        commitment.additionalInformation = fresh.additionalInformation
        commitment.planningDirectorate = fresh.planningDirectorate
        commitment.startMonth = fresh.startMonth
        commitment.endMonth = fresh.endMonth
        commitment.note = fresh.note
    }
}

/// Organisations of the list, found by what an editor typed (`OrganisationMatch`: a name, an acronym, either spelt with
/// other spaces or marks, or a part of one). A name that fits none, or several, is refused: a new organisation is created
/// only on purpose, by the national secretariat on the organisations page, never by a typing slip ("KemenPAN-RB" beside
/// "KemenPAN RB").
final class OrganisationDirectory {
    private let candidates: [OrganisationMatch.Candidate]

    init(on db: any Database) async throws {
        candidates = try await OrganisationModel.query(on: db).all().map {
            OrganisationMatch.Candidate(id: try $0.requireID(), name: $0.name, acronym: $0.acronym)
        }
    }

    func id(for name: String) throws -> UUID {
        switch OrganisationMatch.resolve(name, among: candidates) {
        case .found(let candidate):
            return candidate.id
        case .ambiguous(let several):
            throw AppError.invalid(key: "editor.organisation_ambiguous", arguments: [name, several.prefix(5).map(\.label).joined(separator: "; ")])
        case .empty, .notFound:
            throw AppError.invalid(key: "editor.organisation_unknown", arguments: [name])
        }
    }

    /// The organisation's own name for what was typed, or nil when it names none (or several).
    func name(for typed: String) -> String? {
        if case .found(let candidate) = OrganisationMatch.resolve(typed, among: candidates) { return candidate.name }
        return nil
    }
}
