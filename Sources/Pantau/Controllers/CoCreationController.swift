import Fluent
import Foundation
import PantauDomain
import Vapor

/// Co-creation of the next plan: draft plans and their phases, proposals and their stages, the public
/// consultation and adoption.
struct CoCreationController {
    struct PlanRow: Encodable {
        let code: String
        let title: String
        let period: String
        let isDraft: Bool
        let proposalsOpen: Bool
        let consultationOpen: Bool
        let commitments: Int
    }

    struct HubPage: Encodable {
        let page: PageMeta
        let plans: [PlanRow]
        let hasPlans: Bool
        /// An implementer's own organisation's proposals, wherever they are.
        let ownProposals: [ProposalRow]
        let hasOwnProposals: Bool
        let schemes: [String]
        let canCreate: Bool
    }

    struct ProposalRow: Encodable {
        let id: String
        let title: String
        let organisation: String
        let stageKey: String
        let date: String
    }

    struct CommitmentLink: Encodable {
        let number: Int
        let title: String
        let hints: Int
        let comments: Int
        let pendingComments: Int
    }

    struct PlanCoCreationPage: Encodable {
        let page: PageMeta
        let code: String
        let title: String
        let period: String
        let isDraft: Bool
        let proposalsOpen: Bool
        let consultationOpen: Bool
        let proposals: [ProposalRow]
        let hasProposals: Bool
        let commitments: [CommitmentLink]
        let hasCommitments: Bool
        let canManage: Bool
        let canPropose: Bool
        let canModerate: Bool
        let history: [HistoryView]
    }

    func hub(req: Request) async throws -> View {
        let plans = try await ActionPlanModel.query(on: req.db).sort(\.$periodStart, .descending).sort(\.$code).all()
        let phases = Dictionary(try await CoCreationPhaseModel.query(on: req.db).all().map { ($0.$plan.id, $0) }, uniquingKeysWith: { first, _ in first })
        let withProposals = Set(try await ProposalModel.query(on: req.db).all(\.$plan.$id))
        // Plans that came in whole (the built-in ones) were not co-created here; drafts and plans with proposals were.
        let shown = plans.filter { plan in plan.status == .draft || plan.id.map { withProposals.contains($0) || phases[$0] != nil } == true }
        let commitmentPlans = try await CommitmentModel.query(on: req.db).filter(\.$plan.$id ~~ shown.compactMap(\.id)).all(\.$plan.$id)
        let rows = shown.map { plan in
            PlanRow(code: plan.code, title: plan.title, period: "\(plan.periodStart) – \(plan.periodEnd)", isDraft: plan.status == .draft,
                    proposalsOpen: plan.id.flatMap { phases[$0] }?.proposalsOpen ?? false,
                    consultationOpen: plan.id.flatMap { phases[$0] }?.consultationOpen ?? false,
                    commitments: commitmentPlans.filter { $0 == plan.id }.count)
        }
        let schemes = try await ScoringSchemeModel.query(on: req.db).sort(\.$code).all().map(\.code)
        var own: [ProposalRow] = []
        if let user = req.currentUser, user.role == .implementer, let organisationID = user.organisationID {
            own = try await ProposalModel.query(on: req.db).filter(\.$organisation.$id == organisationID).with(\.$organisation).with(\.$stages)
                .sort(\.$createdAt, .descending).all().map { Self.row($0) }
        }
        return try await req.view.render("cocreation", HubPage(page: PageMeta(request: req, title: req.t("cocreation.title")), plans: rows,
                                                               hasPlans: !rows.isEmpty, ownProposals: own, hasOwnProposals: !own.isEmpty,
                                                               schemes: schemes,
                                                               canCreate: req.currentUser?.role == .secretariat))
    }

    struct NewPlanForm: Content {
        var code: String
        var title: String
        var start: String
        var months: Int?
        var scheme: String?
    }

    func createPlan(req: Request) async throws -> Response {
        let form = try req.decodeForm(NewPlanForm.self)
        guard let start = YearMonth(iso: form.start) else { throw AppError.invalid(key: "cocreation.invalid_start", arguments: [form.start]) }
        try await DraftPlanService.create(code: form.code, title: form.title, start: start, months: form.months ?? 24, scheme: form.scheme ?? "ogi",
                                          actor: try req.requireUser().auditActor, on: req.db)
        return req.redirect(to: "/cocreation/plans/\(form.code.trimmingCharacters(in: .whitespaces))", redirectType: .normal)
    }

    func plan(req: Request) async throws -> View {
        try await renderPlan(req, code: try req.parameters.require("code"))
    }

    struct PhaseForm: Content {
        var proposals: String?
        var consultation: String?
    }

    func setPhases(req: Request) async throws -> Response {
        let code: String = try req.parameters.require("code")
        let form = try req.decodeForm(PhaseForm.self)
        try await DraftPlanService.setPhases(planCode: code, proposalsOpen: form.proposals.map { $0 == "open" },
                                             consultationOpen: form.consultation.map { $0 == "open" },
                                             actor: try req.requireUser().auditActor, on: req.db)
        return req.redirect(to: "/cocreation/plans/\(code)", notice: "cocreation.phases_saved")
    }

    struct AdoptForm: Content {
        var note: String?
    }

    func adopt(req: Request) async throws -> Response {
        let code: String = try req.parameters.require("code")
        let form = try req.decodeForm(AdoptForm.self)
        try await DraftPlanService.adopt(planCode: code, note: form.note ?? "", actor: try req.requireUser().auditActor, on: req.db)
        return req.redirect(to: "/cocreation/plans/\(code)", notice: "cocreation.adopted")
    }

    private func renderPlan(_ req: Request, code: String) async throws -> View {
        let plan = try await ActionPlanModel.require(code: code, on: req.db)
        let planID = try plan.requireID()
        let user = req.currentUser
        let phases = try await DraftPlanService.phases(planID: planID, on: req.db)
        let proposals = try await ProposalModel.query(on: req.db).filter(\.$plan.$id == planID).with(\.$organisation)
            .with(\.$stages).sort(\.$createdAt).all().filter { ProposalService.canSee($0, user: user) }
        let comments = try await ConsultationCommentModel.query(on: req.db).filter(\.$plan.$id == planID).all()
        let document = try await PlanReader.document(code: code, on: req.db)
        let commitmentIDs = try await CommitmentModel.query(on: req.db).filter(\.$plan.$id == planID).all()
        let idByNumber = Dictionary(uniqueKeysWithValues: commitmentIDs.map { ($0.number, $0.id) })
        let links = document.commitments.map { commitment in
            let own = comments.filter { $0.$commitment.id == idByNumber[commitment.number] ?? nil }
            return CommitmentLink(number: commitment.number, title: commitment.title,
                                  hints: commitment.goals.flatMap(\.measures).flatMap(\.targets).filter { !TargetQuality.hints(for: $0.text).isEmpty }.count,
                                  comments: own.filter { $0.status == .published }.count, pendingComments: own.filter { $0.status == .pending }.count)
        }
        var organisationKind: OrganisationKind?
        if let organisationID = user?.organisationID { organisationKind = try await OrganisationModel.find(organisationID, on: req.db)?.kind }
        return try await req.view.render("cocreation-plan", PlanCoCreationPage(
            page: PageMeta(request: req, title: req.t("cocreation.plan_title", plan.title)), code: code, title: plan.title,
            period: "\(plan.periodStart) – \(plan.periodEnd)", isDraft: plan.status == .draft,
            proposalsOpen: phases.proposalsOpen, consultationOpen: phases.consultationOpen,
            proposals: proposals.map { Self.row($0) },
            hasProposals: !proposals.isEmpty, commitments: links, hasCommitments: !links.isEmpty,
            canManage: user?.role == .secretariat && plan.status == .draft,
            canPropose: user?.role == .implementer && organisationKind == .civilSociety && phases.proposalsOpen && plan.status == .draft,
            canModerate: user.map { $0.role != .implementer } ?? false,
            history: try await HistoryView.entries(objectType: "plan", objectID: planID.uuidString, plan: planID, request: req)))
    }

    // MARK: Proposals

    /// A proposal in a list: where it is and since when. Needs its organisation and stages loaded.
    static func row(_ proposal: ProposalModel) -> ProposalRow {
        ProposalRow(id: proposal.id!.uuidString, title: proposal.title, organisation: proposal.organisation.name,
                    stageKey: "proposal.stage." + proposal.stage.rawValue, date: proposal.stages.map(\.date).max() ?? "")
    }

    struct ProposalFormPage: Encodable {
        let page: PageMeta
        let code: String
        let planTitle: String
        let semesters: [String]
        let rows: [Int]
    }

    struct ProposedMeasureForm: Content {
        var text: String?
        var targets: [String: String]?
    }

    struct ProposalForm: Content {
        var title: String
        var problem: String
        var commitment: String
        var howItSolves: String?
        var measures: [ProposedMeasureForm]?
        var proposingOrganisations: String?
        var agencies: String?
        var rpjmn: String?
        var sdgTargets: String?
    }

    func proposalForm(req: Request) async throws -> View {
        let code: String = try req.parameters.require("code")
        let plan = try await DraftPlanService.draftPlan(code: code, on: req.db)
        let semesters = try await PlanSemesterModel.query(on: req.db).filter(\.$plan.$id == plan.requireID()).sort(\.$month).all().map(\.code)
        return try await req.view.render("proposal-form", ProposalFormPage(
            page: PageMeta(request: req, title: req.t("proposal.new")), code: code, planTitle: plan.title, semesters: semesters,
            rows: Array(0..<4)))
    }

    func submitProposal(req: Request) async throws -> Response {
        let code: String = try req.parameters.require("code")
        let form = try req.decodeForm(ProposalForm.self)
        let plan = try await DraftPlanService.draftPlan(code: code, on: req.db)
        let semesters = try await PlanSemesterModel.query(on: req.db).filter(\.$plan.$id == plan.requireID()).sort(\.$month).all().map(\.code)
        let measures = (form.measures ?? []).compactMap { row -> ProposedMeasure? in
            let text = (row.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { return nil }
            let targets = semesters.compactMap { semester -> TargetRecord? in
                let target = (row.targets?[semester] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                return target.isEmpty ? nil : TargetRecord(semester: semester, text: target)
            }
            return ProposedMeasure(text: text, targets: targets)
        }
        let submission = ProposalService.Submission(
            title: form.title.trimmingCharacters(in: .whitespacesAndNewlines), problem: form.problem, commitment: form.commitment,
            howItSolves: form.howItSolves ?? "", measures: measures,
            proposingOrganisations: FormText.lines(form.proposingOrganisations), agencies: FormText.lines(form.agencies),
            rpjmnAlignment: form.rpjmn ?? "",
            sdgTargets: FormText.items(form.sdgTargets))
        let id = try await ProposalService.submit(submission, planCode: code, by: try req.requireUser(), on: req.db, today: req.today)
        return req.redirect(to: "/proposals/\(id.uuidString)", redirectType: .normal)
    }

    struct StageView: Encodable {
        let stageKey: String
        let date: String
        let note: String
        let hasNote: Bool
        let meetingID: String?
        let meetingTitle: String
        let recordedBy: String
    }

    struct MeasureProposalView: Encodable {
        let text: String
        let targets: [TargetRecord]
    }

    struct Option: Encodable {
        let value: String
        let label: String
    }

    struct ProposalPage: Encodable {
        let page: PageMeta
        let id: String
        let planCode: String
        let planTitle: String
        let title: String
        let organisation: String
        let stageKey: String
        let isFinal: Bool
        let sections: [PlanPageController.TextSection]
        let measures: [MeasureProposalView]
        let proposing: [String]
        let agencies: [String]
        let sdgTargets: String
        let stages: [StageView]
        let mergedInto: Option?
        let hasMergedInto: Bool
        let commitmentNumber: Int?
        let canRecord: Bool
        let nextStages: [Option]
        let meetings: [Option]
        let otherProposals: [Option]
        let today: String
        let history: [HistoryView]
    }

    func proposal(req: Request) async throws -> View {
        let id = try req.idParameter()
        guard let proposal = try await ProposalModel.query(on: req.db).filter(\.$id == id).with(\.$plan).with(\.$organisation)
            .with(\.$stages) { $0.with(\.$meeting) }.with(\.$mergedInto).with(\.$commitment).first(),
              ProposalService.canSee(proposal, user: req.currentUser) else { throw AppError.notFound(what: "proposal") }
        let planID = try proposal.plan.requireID()
        let canRecord = req.currentUser?.role == .secretariat && !proposal.stage.isFinal
        let meetings = canRecord ? try await MeetingModel.query(on: req.db).filter(\.$plan.$id == planID).sort(\.$date, .descending).all() : []
        let others = canRecord ? try await ProposalModel.query(on: req.db).filter(\.$plan.$id == planID).filter(\.$id != id).sort(\.$title).all() : []
        let measures = (try? JSONDecoder().decode([ProposedMeasure].self, from: Data(proposal.measures.utf8))) ?? []
        return try await req.view.render("proposal", ProposalPage(
            page: PageMeta(request: req, title: proposal.title), id: id.uuidString, planCode: proposal.plan.code, planTitle: proposal.plan.title,
            title: proposal.title, organisation: proposal.organisation.name, stageKey: "proposal.stage." + proposal.stage.rawValue,
            isFinal: proposal.stage.isFinal,
            sections: [
                PlanPageController.TextSection(titleKey: "commitment.problem", text: proposal.problem),
                PlanPageController.TextSection(titleKey: "commitment.commitment", text: proposal.commitmentText),
                PlanPageController.TextSection(titleKey: "commitment.how_it_solves", text: proposal.howItSolves),
                PlanPageController.TextSection(titleKey: "commitment.rpjmn", text: proposal.rpjmnAlignment),
            ].filter { !$0.paragraphs.isEmpty },
            measures: measures.map { MeasureProposalView(text: $0.text, targets: $0.targets) },
            proposing: FormText.lines(proposal.proposingOrganisations), agencies: FormText.lines(proposal.agencies),
            sdgTargets: proposal.sdgTargets.replacingOccurrences(of: ",", with: ", "),
            stages: proposal.stages.sorted { ($0.date, $0.createdAt ?? .distantPast) < ($1.date, $1.createdAt ?? .distantPast) }.map {
                StageView(stageKey: "proposal.stage." + $0.stage.rawValue, date: $0.date, note: $0.note, hasNote: !$0.note.isEmpty,
                          meetingID: $0.meeting?.id?.uuidString, meetingTitle: $0.meeting?.title ?? "", recordedBy: $0.recordedBy)
            },
            mergedInto: proposal.mergedInto.map { Option(value: $0.id!.uuidString, label: $0.title) }, hasMergedInto: proposal.mergedInto != nil,
            commitmentNumber: proposal.commitment?.number, canRecord: canRecord,
            nextStages: proposal.stage.next.map { Option(value: $0.rawValue, label: req.t("proposal.stage." + $0.rawValue)) },
            meetings: meetings.map { Option(value: $0.id!.uuidString, label: "\($0.date) · \($0.title)") },
            otherProposals: others.map { Option(value: $0.id!.uuidString, label: $0.title) },
            today: req.today.iso,
            history: try await HistoryView.entries(objectType: "proposal", objectID: id.uuidString, request: req)))
    }

    struct StageForm: Content {
        var stage: String
        var date: String
        var meeting: String?
        var note: String?
        var mergedInto: String?
    }

    func recordStage(req: Request) async throws -> Response {
        let id = try req.idParameter()
        let form = try req.decodeForm(StageForm.self)
        guard let stage = ProposalStage(rawValue: form.stage) else { throw AppError.invalid(key: "proposal.unknown_stage", arguments: [form.stage]) }
        try await ProposalService.recordStage(proposalID: id, stage: stage, date: form.date, meetingID: form.meeting.flatMap(UUID.init(uuidString:)),
                                              note: form.note ?? "", mergedIntoID: form.mergedInto.flatMap(UUID.init(uuidString:)),
                                              by: try req.requireUser(), on: req.db)
        return req.redirect(to: "/proposals/\(id.uuidString)", redirectType: .normal)
    }

    // MARK: Consultation

    struct CommentFormPage: Encodable {
        let page: PageMeta
        let code: String
        let number: Int
        let commitmentTitle: String
        let isOpen: Bool
        let needsName: Bool
        let maximumLength: Int
    }

    struct CommentForm: Content {
        var name: String?
        var organisation: String?
        var body: String
    }

    func commentForm(req: Request) async throws -> View {
        try await renderCommentForm(req)
    }

    func submitComment(req: Request) async throws -> Response {
        let code: String = try req.parameters.require("code")
        let number = try req.parameters.require("number", as: Int.self)
        let form = try req.decodeForm(CommentForm.self)
        let status = try await ConsultationService.comment(planCode: code, number: number, name: form.name ?? "", organisation: form.organisation ?? "",
                                                           body: form.body, user: req.currentUser, address: req.clientAddress, on: req.db)
        return req.redirect(to: "/plans/\(code)/commitments/\(number)/comment",
                            notice: status == .pending ? "consultation.held" : "consultation.published")
    }

    private func renderCommentForm(_ req: Request) async throws -> View {
        let code: String = try req.parameters.require("code")
        let number = try req.parameters.require("number", as: Int.self)
        let plan = try await ActionPlanModel.require(code: code, on: req.db)
        guard let commitment = try await CommitmentModel.query(on: req.db).filter(\.$plan.$id == plan.requireID()).filter(\.$number == number).first()
        else { throw AppError.commitmentNotFound(plan: code, number: "\(number)") }
        let phases = try await DraftPlanService.phases(planID: plan.requireID(), on: req.db)
        return try await req.view.render("comment-form", CommentFormPage(
            page: PageMeta(request: req, title: req.t("consultation.comment_on", "\(number)")).withCSRF(req), code: code, number: number,
            commitmentTitle: commitment.title, isOpen: plan.status == .draft && phases.consultationOpen, needsName: req.currentUser == nil,
            maximumLength: ConsultationService.maximumLength))
    }

    struct ModerationRow: Encodable {
        let id: String
        let commitment: Int
        let author: String
        let organisation: String
        let body: String
        let statusKey: String
        let status: String
        let response: String
        let responseText: String
        let date: String
    }

    struct ModerationPage: Encodable {
        let page: PageMeta
        let code: String
        let title: String
        let comments: [ModerationRow]
        let hasComments: Bool
        let canModerate: Bool
        let statuses: [Option]
        let responses: [Option]
    }

    func comments(req: Request) async throws -> View {
        let code: String = try req.parameters.require("code")
        let plan = try await ActionPlanModel.require(code: code, on: req.db)
        let comments = try await ConsultationCommentModel.query(on: req.db).filter(\.$plan.$id == plan.requireID()).with(\.$commitment)
            .sort(\.$createdAt).all()
        return try await req.view.render("comments", ModerationPage(
            page: PageMeta(request: req, title: req.t("consultation.moderation_title", plan.title)), code: code, title: plan.title,
            comments: comments.map {
                ModerationRow(id: $0.id!.uuidString, commitment: $0.commitment.number, author: $0.authorName, organisation: $0.authorOrganisation,
                              body: $0.body, statusKey: "consultation.status." + $0.status.rawValue, status: $0.status.rawValue,
                              response: $0.response?.rawValue ?? "", responseText: $0.responseText,
                              date: $0.createdAt.map(Formatting.jakartaTime) ?? "")
            },
            hasComments: !comments.isEmpty, canModerate: req.currentUser?.role == .secretariat,
            statuses: CommentStatus.allCases.map { Option(value: $0.rawValue, label: req.t("consultation.status." + $0.rawValue)) },
            responses: CommentResponse.allCases.map { Option(value: $0.rawValue, label: req.t("consultation.response." + $0.rawValue)) }))
    }

    struct ModerationForm: Content {
        var status: String
        var response: String?
        var responseText: String?
    }

    func moderate(req: Request) async throws -> Response {
        let id = try req.idParameter()
        let form = try req.decodeForm(ModerationForm.self)
        guard let status = CommentStatus(rawValue: form.status) else { throw AppError.invalid(key: "consultation.unknown_status", arguments: [form.status]) }
        try await ConsultationService.moderate(commentID: id, status: status, response: form.response.flatMap(CommentResponse.init(rawValue:)),
                                               responseText: form.responseText ?? "", by: try req.requireUser(), on: req.db)
        let planCode = try await ConsultationCommentModel.query(on: req.db).filter(\.$id == id).with(\.$plan).first()?.plan.code ?? ""
        return req.redirect(to: "/cocreation/plans/\(planCode)/comments", redirectType: .normal)
    }
}

extension PageMeta {
    /// The same frame with a CSRF token even for a visitor without an account, for public forms.
    func withCSRF(_ request: Request) -> PageMeta {
        var copy = self
        copy.csrf = request.csrfToken()
        return copy
    }
}
