import Fluent
import Foundation
import PantauDomain
import Vapor

/// Drafting a commitment (freely while its plan is a draft, as a revision with a reason once adopted), and
/// the public versions of adopted plans with what changed between them.
struct CommitmentEditorController {
    struct RowForm: Content {
        var goal: String?
        var measure: String?
        var responsible: String?
        var evidence: String?
        var targets: [String: String]?
    }

    struct EditorForm: Content {
        var title: String
        var theme: String?
        var problem: String?
        var commitment: String?
        var howItSolves: String?
        var relevance: String?
        var rpjmn: String?
        var sdgAlignment: String?
        var sdgTargets: String?
        var additional: String?
        var planningDirectorate: String?
        var proposers: String?
        var responsible: String?
        var related: String?
        var partners: String?
        var rows: [RowForm]?
        var reason: String?
    }

    static let fields = ["form", "title", "reason"]

    func form(req: Request) async throws -> Response {
        try await render(req, typed: nil, reason: "", errors: FormErrors(fields: Self.fields))
    }

    func save(req: Request) async throws -> Response {
        let (code, number) = try parameters(req)
        let form = try req.decodeForm(EditorForm.self)
        let record = try await Self.record(from: form, code: code, number: number, on: req.db)
        do {
            try await DraftPlanService.saveCommitment(planCode: code, number: number, record: record, reason: form.reason ?? "",
                                                      actor: try req.requireUser().auditActor, on: req.db)
        } catch {
            // The form again with everything typed, the message beside the title, the reason or on top.
            var errors = FormErrors(fields: Self.fields)
            if let error = error as? FieldError {
                errors.add(error, on: req)
            } else {
                try errors.add("form", error, on: req)
            }
            return try await render(req, typed: record, reason: form.reason ?? "", errors: errors)
        }
        return req.redirect(to: SiteURL.commitmentEdit.path(code, number), notice: "editor.saved")
    }

    /// The commitment as the form describes it, on top of what is stored (fields the form does not carry stay).
    static func record(from form: EditorForm, code: String, number: Int, on database: any Database) async throws -> CommitmentRecord {
        let document = try await PlanReader.document(code: code, on: database)
        guard let index = document.commitments.firstIndex(where: { $0.number == number }) else {
            throw AppError.commitmentNotFound(plan: code, number: "\(number)")
        }
        var record = document.commitments[index]
        record.title = form.title.trimmingCharacters(in: .whitespacesAndNewlines)
        record.theme = form.theme ?? ""
        record.description.problem = form.problem ?? ""
        record.description.commitment = form.commitment ?? ""
        record.description.howItSolves = form.howItSolves ?? ""
        record.description.openGovernmentRelevance = form.relevance ?? ""
        record.description.rpjmnAlignment = form.rpjmn ?? ""
        record.description.sdgAlignment = form.sdgAlignment ?? ""
        record.description.sdgTargets = FormText.items(form.sdgTargets)
        record.description.additionalInformation = form.additional ?? ""
        record.planningDirectorate = form.planningDirectorate ?? ""
        record.proposers = FormText.lines(form.proposers)
        record.responsible = FormText.lines(form.responsible)
        record.related = FormText.lines(form.related)
        record.partners = FormText.lines(form.partners)
        record.goals = Self.goals(from: form.rows ?? [], semesters: document.semesters.map(\.code))
        return record
    }

    /// Rows of the form as goals: a row with an empty goal belongs to the goal above it; a row without a
    /// measure is left out (that is how a measure is removed).
    static func goals(from rows: [RowForm], semesters: [String]) -> [GoalRecord] {
        var goals: [GoalRecord] = []
        for row in rows {
            let measure = (row.measure ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !measure.isEmpty else { continue }
            let goalText = (row.goal ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let targets = semesters.compactMap { semester -> TargetRecord? in
                let text = (row.targets?[semester] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                return text.isEmpty ? nil : TargetRecord(semester: semester, text: text)
            }
            let record = MeasureRecord(text: measure, responsible: row.responsible ?? "", expectedEvidence: row.evidence ?? "", targets: targets)
            if goals.isEmpty || (!goalText.isEmpty && goalText != goals[goals.count - 1].text) {
                goals.append(GoalRecord(text: goalText, measures: [record]))
            } else {
                goals[goals.count - 1].measures.append(record)
            }
        }
        return goals
    }

    private func parameters(_ req: Request) throws -> (String, Int) {
        let code: String = try req.parameters.require("code")
        let raw: String = try req.parameters.require("number")
        guard let number = Int(raw) else { throw AppError.commitmentNotFound(plan: code, number: raw) }
        return (code, number)
    }

    /// The editor with the stored commitment, or with `typed` (what was sent) when it could not be saved.
    private func render(_ req: Request, typed: CommitmentRecord?, reason: String, errors: FormErrors) async throws -> Response {
        let (code, number) = try parameters(req)
        let plan = try await ActionPlanModel.require(code: code, on: req.db)
        let document = try await PlanReader.document(code: code, on: req.db)
        guard let stored = document.commitments.first(where: { $0.number == number }) else {
            throw AppError.commitmentNotFound(plan: code, number: "\(number)")
        }
        let record = typed ?? stored
        let organisations = try await OrganisationModel.query(on: req.db).sort(\.$name).all().map(\.name)
        let semesters = document.semesters.map(\.code)
        var rows: [RowView] = []
        for goal in record.goals {
            for (position, measure) in goal.measures.enumerated() {
                rows.append(row(index: rows.count, goal: position == 0 ? goal.text : "", measure: measure, organisations: organisations,
                                semesters: semesters, request: req))
            }
        }
        // Room to add measures without scripts: two empty rows.
        for _ in 0..<2 {
            rows.append(row(index: rows.count, goal: "", measure: MeasureRecord(text: "", responsible: "", targets: []), organisations: organisations,
                            semesters: semesters, request: req))
        }
        return try await req.view.render("commitment-editor", EditorPage(
            page: PageMeta(request: req, title: req.t("editor.title", "\(number)")), code: code, number: number, isRevision: plan.status == .adopted,
            record: record, sdgTargets: record.description.sdgTargets.joined(separator: ", "),
            proposers: record.proposers.joined(separator: "\n"), responsible: record.responsible.joined(separator: "\n"),
            related: record.related.joined(separator: "\n"), partners: record.partners.joined(separator: "\n"),
            rows: rows, hintCount: rows.flatMap(\.targets).filter(\.hasHints).count, reason: reason, errors: errors))
            .encodeResponse(status: errors.isEmpty ? .ok : errors.status, for: req)
    }

    private func row(index: Int, goal: String, measure: MeasureRecord, organisations: [String], semesters: [String], request: Request) -> RowView {
        let texts = Dictionary(measure.targets.map { ($0.semester, $0.text) }, uniquingKeysWith: { first, _ in first })
        return RowView(
            index: index, goal: goal, measure: measure.text, evidence: measure.expectedEvidence,
            organisations: [OrganisationOption(name: "", selected: measure.responsible.isEmpty)]
                + organisations.map { OrganisationOption(name: $0, selected: $0 == measure.responsible) },
            targets: semesters.map { semester in
                let text = texts[semester] ?? ""
                let hints = Self.hintMessages(for: text, request: request)
                return TargetField(semester: semester, text: text, hints: hints, hasHints: !hints.isEmpty)
            })
    }

    static func hintMessages(for text: String, request: Request) -> [String] {
        TargetQuality.hints(for: text).map { hint in
            request.application.localizer.text(hint.messageKey, request.language, hint.messageArguments)
        }
    }

    // MARK: Versions

    func versions(req: Request) async throws -> View {
        let code: String = try req.parameters.require("code")
        let plan = try await ActionPlanModel.require(code: code, on: req.db)
        let versions = try await PlanVersionModel.query(on: req.db).filter(\.$plan.$id == plan.requireID()).sort(\.$number, .descending).all()
        return try await req.view.render("plan-versions", VersionsPage(
            page: PageMeta(request: req, title: req.t("versions.title", plan.title)), code: code, title: plan.title,
            versions: versions.map { VersionRow(number: $0.number, date: $0.createdAt.map(Formatting.jakartaTime) ?? "", actor: $0.actorName, reason: $0.reason) },
            hasVersions: !versions.isEmpty))
    }

    func version(req: Request) async throws -> View {
        let (plan, version, changes) = try await findVersion(req)
        let row = VersionRow(number: version.number, date: version.createdAt.map(Formatting.jakartaTime) ?? "", actor: version.actorName,
                             reason: version.reason)
        return try await req.view.render("plan-version", VersionPage(
            page: PageMeta(request: req, title: req.t("versions.version_title", "\(version.number)", plan.title)), code: plan.code, title: plan.title,
            version: row, previous: version.number > 1 ? version.number - 1 : nil,
            commitments: changes.map { change in
                CommitmentChangeView(number: change.number, title: change.title, kindKey: "versions.kind." + change.kind.rawValue,
                                     changes: change.changes.map {
                                         ChangeView(place: Self.place(of: $0.location, request: req), before: $0.before ?? "", after: $0.after ?? "",
                                                    hasBefore: $0.before != nil, hasAfter: $0.after != nil)
                                     })
            },
            hasChanges: !changes.isEmpty))
    }

    /// The whole plan as it stood in a version, in the plan file format.
    func versionFile(req: Request) async throws -> Response {
        let (plan, version, _) = try await findVersion(req)
        let response = Response(status: .ok, body: .init(string: version.content))
        response.headers.contentType = .json
        response.headers.setAttachment(filename: "\(plan.code)-v\(version.number).json")
        return response
    }

    private func findVersion(_ req: Request) async throws -> (ActionPlanModel, PlanVersionModel, [PlanDiff.CommitmentChange]) {
        let code: String = try req.parameters.require("code")
        let raw: String = try req.parameters.require("version")
        let plan = try await ActionPlanModel.require(code: code, on: req.db)
        guard let number = Int(raw), let (version, changes) = try await DraftPlanService.versionChanges(planID: plan.requireID(), number: number, on: req.db)
        else { throw AppError.notFound(what: "version") }
        return (plan, version, changes)
    }

    /// "Target B12 of measure 1.2", "Title", in the reader's language.
    static func place(of location: PlanDiff.Location, request: Request) -> String {
        let field = request.t("versions.field." + location.field)
        guard let goal = location.goal else { return field }
        guard let measure = location.measure else { return request.t("versions.in_goal", field, "\(goal)") }
        if let semester = location.semester { return request.t("versions.in_measure", "\(field) \(semester)", "\(goal).\(measure)") }
        return request.t("versions.in_measure", field, "\(goal).\(measure)")
    }
}
