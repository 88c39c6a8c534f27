import Fluent
import Foundation
import PantauDomain

/// The rows of the open data tables (`OpenDataSchema`), for one plan or all of them. Only what the public pages show
/// is here: results of published semesters and years, published minutes, published consultation comments, and the
/// reasons of proposals' decisions (notes of the working stages before a decision stay with the secretariat).
struct OpenDataTables {
    /// A plan and what every row of its data says about it.
    struct Plan {
        let model: ActionPlanModel
        /// The newest recorded version of an adopted plan; nil for a draft, or a plan loaded adopted and never revised.
        let version: Int?
        /// When anything the public sees of the plan last changed.
        let lastModified: Date

        var id: UUID { model.id! }
        var status: String { model.archivedAt == nil ? model.status.rawValue : "archived" }
        var columns: [OpenDataValue] { [.id(model.id), .text(model.code), .text(status), .optional(version)] }
    }

    let plans: [Plan]
    /// Whether these are all the installation's plans (the organisations table then lists every organisation).
    let isWholeSet: Bool
    let language: Language
    let localizer: Localizer
    /// The site's address, without a trailing slash: links in the data are absolute.
    let base: String

    /// All plans, or the one with `code` (nil when there is none).
    static func load(plan code: String?, language: Language, localizer: Localizer, base: String, on database: any Database) async throws
        -> OpenDataTables? {
        var query = ActionPlanModel.query(on: database).with(\.$scheme) { $0.with(\.$categories) }.with(\.$jurisdiction).sort(\.$code)
        if let code { query = query.filter(\.$code == code) }
        let models = try await query.all()
        if code != nil, models.isEmpty { return nil }
        try await models.loadChildren(\.$semesters, on: database)
        let ids = models.compactMap(\.id)
        var versions: [UUID: Int] = [:]
        for version in try await inSlices(ids, { try await PlanVersionModel.query(on: database).filter(\.$plan.$id ~~ $0).all() }) {
            versions[version.$plan.id] = max(versions[version.$plan.id] ?? 0, version.number)
        }
        let changes = try await PlanChanges.versions(on: database)
        let sequences = Set(models.map { changes.visible($0.id!) }.filter { $0 > 0 })
        let entries = try await inSlices(Array(sequences)) { try await AuditEntryModel.query(on: database).filter(\.$id ~~ $0).all() }
        let times = Dictionary(entries.compactMap { entry in entry.id.flatMap { id in (try? Date(entry.recordedAt, strategy: .iso8601)).map { (id, $0) } } },
                               uniquingKeysWith: { a, _ in a })
        let plans = models.map { model in
            Plan(model: model, version: model.status == .draft ? nil : versions[model.id!],
                 lastModified: times[changes.visible(model.id!)] ?? model.updatedAt ?? model.createdAt ?? Date(timeIntervalSince1970: 0))
        }
        return OpenDataTables(plans: plans, isWholeSet: code == nil, language: language, localizer: localizer, base: base)
    }

    /// When anything in these plans' data last changed.
    var lastModified: Date { plans.map(\.lastModified).max() ?? Date(timeIntervalSince1970: 0) }

    private func label(_ key: String) -> String { localizer.text(key, language) }

    private func url(_ path: String) -> OpenDataValue { .text(base + path) }

    private var planByID: [UUID: Plan] { Dictionary(plans.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }

    func rows(of table: String, on database: any Database) async throws -> [[OpenDataValue]] {
        switch table {
        case "plans": plansRows()
        case "organisations": try await organisationRows(on: database)
        case "commitments", "goals", "measures", "targets": try await matrixRows(table, on: database)
        case "target_results": try await targetResultRows(on: database)
        case "commitment_results": try await commitmentResultRows(on: database)
        case "corrections": try await correctionRows(on: database)
        case "monitor_assessments": try await monitorRows(on: database)
        case "meetings": try await meetingRows(on: database)
        case "proposals", "proposal_stages": try await proposalRows(table, on: database)
        case "consultation_comments": try await commentRows(on: database)
        case "cocreation_phases": try await phaseRows(on: database)
        case "forum_members": try await forumRows(on: database)
        default: try await versionRows(on: database)
        }
    }

    private func plansRows() -> [[OpenDataValue]] {
        plans.map { plan in
            let jurisdiction = plan.model.jurisdiction
            return plan.columns + [.text(plan.model.title), .text(jurisdiction?.name ?? JurisdictionModel.nationalName),
                                   .text((jurisdiction?.kind ?? .national).rawValue), .text(plan.model.periodStart), .text(plan.model.periodEnd),
                                   .time(plan.model.archivedAt), .time(plan.lastModified), url(SiteURL.plan.path(plan.model.code))]
        }
    }

    /// Every organisation, or for one plan those its data names: its commitments, measures, reports and proposals.
    private func organisationRows(on database: any Database) async throws -> [[OpenDataValue]] {
        var query = OrganisationModel.query(on: database).sort(\.$name)
        if !isWholeSet {
            var named: Set<UUID> = []
            let matrices = try await PlanMatrix.load(planIDs: plans.map(\.id), semesters: plans.flatMap(\.model.semesters), on: database)
            for matrix in matrices.values {
                named.formUnion(matrix.measures.map(\.$responsible.id))
                named.formUnion(matrix.rows.compactMap { $0.report?.$organisation.id })
            }
            let commitments = matrices.values.flatMap(\.commitments).compactMap(\.id)
            named.formUnion(try await inSlices(commitments) {
                try await CommitmentOrganisationModel.query(on: database).filter(\.$commitment.$id ~~ $0).all()
            }.map(\.$organisation.id))
            named.formUnion(try await ProposalModel.query(on: database).filter(\.$plan.$id ~~ plans.map(\.id)).all().map(\.$organisation.id))
            named.formUnion(try await ForumMemberModel.query(on: database).filter(\.$plan.$id ~~ plans.map(\.id)).all().map(\.$organisation.id))
            query = query.filter(\.$id ~~ Array(named))
        }
        return try await query.all().map {
            [.id($0.id), .text($0.name), .optional($0.acronym), .text($0.kind.rawValue), url(SiteURL.organisation.path($0.id!))]
        }
    }

    private func matrixRows(_ table: String, on database: any Database) async throws -> [[OpenDataValue]] {
        let matrices = try await PlanMatrix.load(planIDs: plans.map(\.id), semesters: plans.flatMap(\.model.semesters), on: database)
        // What the commitments and measures name, read once for all the plans.
        var responsible: [UUID: [CommitmentOrganisationModel]] = [:]
        var proposalOf: [UUID: UUID] = [:]
        var organisationName: [UUID: String] = [:]
        switch table {
        case "commitments":
            let participants = try await inSlices(matrices.values.flatMap(\.commitments).compactMap(\.id)) {
                try await CommitmentOrganisationModel.query(on: database).filter(\.$commitment.$id ~~ $0).filter(\.$role == .responsible)
                    .with(\.$organisation).sort(\.$position).all()
            }
            responsible = Dictionary(grouping: participants, by: { $0.$commitment.id })
            let adopted = try await ProposalModel.query(on: database).filter(\.$plan.$id ~~ plans.map(\.id)).filter(\.$stage == .adopted).all()
            proposalOf = Dictionary(adopted.compactMap { proposal in proposal.$commitment.id.map { ($0, proposal.id!) } }, uniquingKeysWith: { a, _ in a })
        case "measures":
            organisationName = try await Self.organisationNames(Set(matrices.values.flatMap(\.measures).map(\.$responsible.id)), on: database)
        default:
            break
        }
        var rows: [[OpenDataValue]] = []
        for plan in plans {
            guard let matrix = matrices[plan.id] else { continue }
            func address(commitment number: Int, anchor id: UUID?) -> OpenDataValue {
                url(CommitmentAnchor.url(planCode: plan.model.code, commitment: number, anchor: id.map(CommitmentAnchor.id)))
            }
            switch table {
            case "commitments":
                for commitment in matrix.commitments {
                    let organisations = responsible[commitment.id!] ?? []
                    rows.append(plan.columns + [
                        .id(commitment.id), .integer(commitment.number), .text(commitment.title), .optional(commitment.theme),
                        .optional(organisations.map { $0.$organisation.id.uuidString }.joined(separator: ";")),
                        .optional(organisations.map(\.organisation.name).joined(separator: "; ")),
                        .optional(commitment.startMonth), .optional(commitment.endMonth), .id(proposalOf[commitment.id!]),
                        address(commitment: commitment.number, anchor: commitment.id),
                    ])
                }
            case "goals":
                for goal in matrix.goals {
                    rows.append(plan.columns + [.id(goal.id), .id(goal.$commitment.id), .integer(goal.position + 1), .text(goal.text)])
                }
            case "measures":
                let commitmentNumber = Dictionary(matrix.commitments.map { ($0.id!, $0.number) }, uniquingKeysWith: { a, _ in a })
                let goalOf = Dictionary(matrix.goals.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
                for measure in matrix.measures {
                    guard let goal = goalOf[measure.$goal.id] else { continue }
                    rows.append(plan.columns + [
                        .id(measure.id), .id(goal.id), .id(goal.$commitment.id), .integer(measure.position + 1), .text(measure.text),
                        .id(measure.$responsible.id), .optional(organisationName[measure.$responsible.id]), .optional(measure.expectedEvidence),
                        address(commitment: commitmentNumber[goal.$commitment.id] ?? 0, anchor: measure.id),
                    ])
                }
            default:
                for row in matrix.rows {
                    rows.append(plan.columns + [
                        .id(row.target.id), .id(row.measure.id), .id(row.commitment.id), .text(row.semester.code), .text(row.target.text),
                        address(commitment: row.commitment.number, anchor: row.target.id),
                    ])
                }
            }
        }
        return rows
    }

    /// Names of organisations by id, in one query per thousand.
    private static func organisationNames(_ ids: Set<UUID>, on database: any Database) async throws -> [UUID: String] {
        Dictionary(try await inSlices(Array(ids)) { try await OrganisationModel.query(on: database).filter(\.$id ~~ $0).all() }
            .map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// The results of every published period of these plans (semesters only, or with years), read in one batch
    /// (`PublishedPeriods`, `PeriodResults.load(_:)`), in plan order then time order.
    private func publishedResults(withYears: Bool, on database: any Database) async throws -> [(plan: Plan, results: PeriodResults)] {
        let published = try await PublishedPeriods.load(plans: plans.map(\.id), on: database)
        let periods = plans.flatMap { plan in
            published.of(plan.model).filter { period in
                if case .year = period { return withYears }
                return true
            }.map { (plan: plan, period: $0) }
        }
        let results = try await PeriodResults.load(periods.map { (plan: $0.plan.model, period: $0.period) }, on: database)
        return Array(zip(periods.map(\.plan), results))
    }

    private func targetResultRows(on database: any Database) async throws -> [[OpenDataValue]] {
        let published = try await publishedResults(withYears: false, on: database)
        let organisations = try await Self.organisationNames(
            Set(published.flatMap { $0.results.commitments.flatMap(\.rows) }.compactMap { $0.report?.$organisation.id }), on: database)
        var rows: [[OpenDataValue]] = []
        for (plan, results) in published {
            for row in results.commitments.flatMap(\.rows) {
                guard let report = row.report, ReportLifecycle.isPublic(report.status, semesterPublished: true) else { continue }
                let category = try report.domainScore.map { try results.scheme.category(for: $0) }
                rows.append(plan.columns + [
                    .id(report.id), .id(row.target.id), .id(row.measure.id), .id(row.commitment.id), .text(row.semester.code),
                    .integer(row.commitment.number), .id(report.$organisation.id), .optional(organisations[report.$organisation.id]),
                    .text(report.status.rawValue), .integer(report.progress), .optional(report.achievement),
                    report.notApplicable ? .null : .optional(report.score), .boolean(report.notApplicable),
                    .optional(category?.code), .optional(category.map { $0.labels[language.rawValue] ?? $0.code }),
                    .optional(report.notApplicableReason), .boolean(report.isLate),
                    .time(results.corrections(ofReport: report.id!).last?.madeAt),
                ])
            }
        }
        return rows
    }

    private func commitmentResultRows(on database: any Database) async throws -> [[OpenDataValue]] {
        try await publishedResults(withYears: true, on: database).flatMap { plan, results in
            results.commitments.map { commitment in
                let rating = commitment.assessment.rating
                return plan.columns + [
                    .text("\(commitment.commitmentID.uuidString)/\(results.period)"), .id(commitment.commitmentID), .text(results.period.description),
                    .integer(commitment.number), .text(commitment.title), .optional(commitment.result.finalScore),
                    .optional(commitment.result.category?.code), .optional(commitment.categoryLabel(language)),
                    .optional(rating?.rawValue), .optional(rating.map { label("rating." + $0.rawValue) }),
                    .optional(commitment.assessment.justification), .integer(commitment.result.coverage.scored),
                    .integer(commitment.result.coverage.targets), .time(results.corrections(ofCommitment: commitment.commitmentID).last?.madeAt),
                ]
            }
        }
    }

    private func correctionRows(on database: any Database) async throws -> [[OpenDataValue]] {
        let corrections = try await ResultCorrectionModel.query(on: database).filter(\.$plan.$id ~~ plans.map(\.id))
            .with(\.$commitment).with(\.$report) { $0.with(\.$target) }.sort(\.$madeAt).all()
        let planByID = planByID
        func score(_ value: CorrectedValue?) -> OpenDataValue { value?.notApplicable == true ? .null : .optional(value?.score) }
        return corrections.compactMap { correction in
            guard let plan = planByID[correction.$plan.id] else { return nil }
            let before = correction.beforeValue
            let after = correction.afterValue
            return plan.columns + [
                .id(correction.id), .id(correction.$commitment.id), .id(correction.$report.id), .id(correction.report?.$target.id),
                .text(correction.period), .integer(correction.commitment.number), .optional(correction.report?.target.text),
                .time(correction.madeAt), .text(correction.madeBy), .text(correction.reason),
                score(before), .boolean(before?.notApplicable ?? false), .optional(before?.category),
                score(after), .boolean(after?.notApplicable ?? false), .optional(after?.category),
                .optional(before?.coCreationRating?.rawValue), .optional(after?.coCreationRating?.rawValue),
            ]
        }
    }

    private func monitorRows(on database: any Database) async throws -> [[OpenDataValue]] {
        var rows: [[OpenDataValue]] = []
        for plan in plans {
            for entry in try await MonitoringService.entries(planID: plan.id, withDrafts: false, on: database) {
                rows.append(plan.columns + [
                    .id(entry.id), .id(entry.commitmentID), .text(entry.semester), .integer(entry.commitmentNumber), .text(entry.rating.rawValue),
                    .text(label("completion." + entry.rating.rawValue)), .text(entry.text), .time(entry.publishedAt), .time(entry.updatedAt),
                ])
            }
        }
        return rows
    }

    private func meetingRows(on database: any Database) async throws -> [[OpenDataValue]] {
        let meetings = try await MeetingModel.query(on: database).filter(\.$plan.$id ~~ plans.map(\.id)).filter(\.$isPublished == true)
            .with(\.$links) { $0.with(\.$commitment) }.sort(\.$date).all()
        let planByID = planByID
        return meetings.compactMap { meeting in
            guard let plan = planByID[meeting.$plan.id] else { return nil }
            let commitments = meeting.links.map(\.commitment).sorted { $0.number < $1.number }
            return plan.columns + [
                .id(meeting.id), .text(meeting.date), .text(meeting.title), .optional(meeting.record?.place),
                .optional(commitments.map { $0.id!.uuidString }.joined(separator: ";")),
                .optional(commitments.map { String($0.number) }.joined(separator: ",")), url(SiteURL.meeting.path(meeting.id!)),
            ]
        }
    }

    /// Proposals once submitted, with their stage history; a decision's reason is public, the notes of the working
    /// stages before it are not.
    private func proposalRows(_ table: String, on database: any Database) async throws -> [[OpenDataValue]] {
        let proposals = try await ProposalModel.query(on: database).filter(\.$plan.$id ~~ plans.map(\.id)).with(\.$organisation).with(\.$stages)
            .sort(\.$createdAt).all()
        let published = Set(try await MeetingModel.query(on: database).filter(\.$plan.$id ~~ plans.map(\.id)).filter(\.$isPublished == true).all()
            .compactMap(\.id))
        let planByID = planByID
        var rows: [[OpenDataValue]] = []
        for proposal in proposals {
            guard let plan = planByID[proposal.$plan.id] else { continue }
            let stages = proposal.stages.sorted { ($0.date, $0.createdAt ?? .distantPast) < ($1.date, $1.createdAt ?? .distantPast) }
            let decision = stages.last { $0.stage.isFinal }
            if table == "proposals" {
                rows.append(plan.columns + [
                    .id(proposal.id), .id(proposal.$organisation.id), .text(proposal.organisation.name), .text(proposal.title),
                    .optional(proposal.problem), .optional(proposal.commitmentText), .optional(proposal.howItSolves), .text(proposal.stage.rawValue),
                    .text(label("proposal.stage." + proposal.stage.rawValue)), .time(proposal.createdAt), .optional(decision?.date),
                    .optional(decision?.note), .id(proposal.$mergedInto.id), .id(proposal.$commitment.id),
                ])
            } else {
                for stage in stages {
                    let meeting = stage.$meeting.id.flatMap { published.contains($0) ? $0 : nil }
                    rows.append(plan.columns + [
                        .id(stage.id), .id(proposal.id), .text(stage.stage.rawValue), .text(label("proposal.stage." + stage.stage.rawValue)),
                        .optional(stage.date), .id(meeting), stage.stage.isFinal ? .optional(stage.note) : .null,
                    ])
                }
            }
        }
        return rows
    }

    private func commentRows(on database: any Database) async throws -> [[OpenDataValue]] {
        let comments = try await ConsultationCommentModel.query(on: database).filter(\.$plan.$id ~~ plans.map(\.id)).filter(\.$status == .published)
            .with(\.$commitment).sort(\.$createdAt).all()
        let planByID = planByID
        return comments.compactMap { comment in
            guard let plan = planByID[comment.$plan.id] else { return nil }
            return plan.columns + [
                .id(comment.id), .id(comment.$commitment.id), .integer(comment.commitment.number), .text(comment.authorName),
                .optional(comment.authorOrganisation), .text(comment.body), .time(comment.createdAt), .optional(comment.response?.rawValue),
                .optional(comment.response.map { label("consultation.response." + $0.rawValue) }), .optional(comment.responseText),
                url(CommitmentAnchor.url(planCode: plan.model.code, commitment: comment.commitment.number, anchor: CommitmentAnchor.id(comment.id!))),
            ]
        }
    }

    private func versionRows(on database: any Database) async throws -> [[OpenDataValue]] {
        let order = Dictionary(plans.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let versions = try await PlanVersionModel.query(on: database).filter(\.$plan.$id ~~ plans.map(\.id)).all()
            .sorted { (order[$0.$plan.id] ?? 0, $0.number) < (order[$1.$plan.id] ?? 0, $1.number) }
        let planByID = planByID
        return versions.compactMap { version in
            guard let plan = planByID[version.$plan.id] else { return nil }
            return plan.columns + [
                .id(version.id), .integer(version.number), .text(version.reason), .text(version.actorName), .time(version.createdAt),
                url(SiteURL.planVersionFile.path(plan.model.code, version.number)),
            ]
        }
    }

    /// Each plan's co-creation timeline: a row per phase with any date set.
    private func phaseRows(on database: any Database) async throws -> [[OpenDataValue]] {
        let phases = try await CoCreationPhaseModel.query(on: database).filter(\.$plan.$id ~~ plans.map(\.id)).all()
        let timelines = Dictionary(phases.map { ($0.$plan.id, $0.timeline) }, uniquingKeysWith: { a, _ in a })
        func day(_ value: CalendarDay?) -> OpenDataValue { .optional(value?.iso) }
        return plans.flatMap { plan -> [[OpenDataValue]] in
            guard let timeline = timelines[plan.id] else { return [] }
            return CoCreationPhase.allCases.filter { !timeline[$0].isEmpty }.map { phase in
                let dates = timeline[phase]
                return plan.columns + [
                    .text(plan.id.uuidString + "/" + phase.rawValue), .text(phase.rawValue), .text(label("cocreation.phase." + phase.rawValue)),
                    day(dates.plannedStart), day(dates.plannedEnd), day(dates.actualStart), day(dates.actualEnd),
                ]
            }
        }
    }

    private func forumRows(on database: any Database) async throws -> [[OpenDataValue]] {
        let members = try await ForumMemberModel.query(on: database).filter(\.$plan.$id ~~ plans.map(\.id)).with(\.$organisation).all()
        let planByID = planByID
        let order = Dictionary(plans.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        return members.sorted { (order[$0.$plan.id] ?? 0, $0.organisation.name) < (order[$1.$plan.id] ?? 0, $1.organisation.name) }
            .compactMap { member in
                guard let plan = planByID[member.$plan.id] else { return nil }
                return plan.columns + [
                    .id(member.id), .id(member.$organisation.id), .text(member.organisation.name), .text(member.seat.rawValue),
                    .text(label("forum.seat." + member.seat.rawValue)),
                ]
            }
    }
}
