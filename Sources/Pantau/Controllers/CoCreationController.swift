import Fluent
import Foundation
import PantauDomain
import Vapor

/// Co-creation of the next plan: draft plans and their phases, proposals and their stages, the public
/// consultation and adoption.
struct CoCreationController {
    func hub(req: Request) async throws -> Response {
        try await renderHub(req, typed: nil, error: nil)
    }

    /// The co-creation hub; `typed` and `error` when the new plan typed into its form was refused.
    private func renderHub(_ req: Request, typed: NewPlanForm?, error: AppError?) async throws -> Response {
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
        if let user = req.currentUser, user.caller.mayEver(.propose), let organisationID = user.organisationID {
            own = try await ProposalModel.query(on: req.db).filter(\.$organisation.$id == organisationID).with(\.$organisation).with(\.$stages)
                .sort(\.$createdAt, .descending).all().map { Self.row($0) }
        }
        return try await req.view.render("cocreation", HubPage(page: PageMeta(request: req, title: req.t("cocreation.title")), plans: rows,
                                                               hasPlans: !rows.isEmpty, ownProposals: own, hasOwnProposals: !own.isEmpty,
                                                               scheme: SelectField(id: "scheme", options: schemes.map {
                                                                   .init(value: $0, label: $0, selected: $0 == typed?.scheme)
                                                               }),
                                                               canCreate: req.caller.mayEver(.editPlans), form: typed,
                                                               error: error.map { req.application.localizer.message(for: $0, req.language) }))
            .encodeResponse(status: error?.status ?? .ok, for: req)
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
        do {
            guard let start = YearMonth(iso: form.start) else { throw AppError.invalid(key: "cocreation.invalid_start", arguments: [form.start]) }
            let user = try req.requireUser()
            let owner = try await NewPlanOwner.of(user, on: req.db)
            try await DraftPlanService.create(code: form.code, title: form.title, start: start, months: form.months ?? 24, scheme: form.scheme ?? "ogi",
                                              actor: user.auditActor, jurisdictionID: owner.jurisdictionID, grantTo: owner.account, on: req.db)
        } catch {
            let appError = AppError.from(error)
            guard [.unprocessableEntity, .conflict].contains(appError.status) else { throw error }
            return try await renderHub(req, typed: form, error: appError)
        }
        return req.redirect(to: SiteURL.cocreationPlan.path(form.code.trimmingCharacters(in: .whitespaces)), redirectType: .normal)
    }

    func plan(req: Request) async throws -> Response {
        try await renderPlan(req, code: try req.parameters.require("code"), refusal: nil)
    }

    struct PhaseForm: Content {
        var proposals: String?
        var consultation: String?
        /// "yes" or "no": whether agencies (K/L) may propose.
        var agencies: String?
    }

    func setPhases(req: Request) async throws -> Response {
        let code: String = try req.parameters.require("code")
        let form = try req.decodeForm(PhaseForm.self)
        do {
            try await DraftPlanService.setPhases(planCode: code, proposalsOpen: form.proposals.map { $0 == "open" },
                                                 consultationOpen: form.consultation.map { $0 == "open" },
                                                 agenciesMayPropose: form.agencies.map { $0 == "yes" }, today: req.today,
                                                 actor: try req.requireUser().auditActor, on: req.db)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderPlan(req, code: code, refusal: PlanRefusal(form: "phases", error: error))
        }
        return req.redirect(to: SiteURL.cocreationPlan.path(code), notice: "cocreation.phases_saved")
    }

    struct AdoptForm: Content {
        var note: String?
        /// The check box under the check: "on" when ticked.
        var confirm: String?
    }

    func adopt(req: Request) async throws -> Response {
        let code: String = try req.parameters.require("code")
        let form = try req.decodeForm(AdoptForm.self)
        do {
            try await DraftPlanService.adopt(planCode: code, note: form.note ?? "", confirmed: form.confirm == "on", today: req.today,
                                             actor: try req.requireUser().auditActor, on: req.db)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderPlan(req, code: code, refusal: PlanRefusal(form: "adopt", error: error, note: form.note ?? ""))
        }
        return req.redirect(to: SiteURL.cocreationPlan.path(code), notice: "cocreation.adopted")
    }

    /// The timeline form: four date fields per phase, named `plannedStart[review]` and so on (`YYYY-MM-DD`, empty for none).
    struct TimelineForm: Content {
        var plannedStart: [String: String]?
        var plannedEnd: [String: String]?
        var actualStart: [String: String]?
        var actualEnd: [String: String]?

        /// The four date fields of a phase, by the name the form and the messages use.
        static let fields: [(name: String, dates: WritableKeyPath<PhaseDates, CalendarDay?>, form: KeyPath<TimelineForm, [String: String]?>)] = [
            ("plannedStart", \.plannedStart, \.plannedStart), ("plannedEnd", \.plannedEnd, \.plannedEnd),
            ("actualStart", \.actualStart, \.actualStart), ("actualEnd", \.actualEnd, \.actualEnd),
        ]

        /// The timeline typed, or the first date that is no date (phase, field, text).
        func timeline() -> Result<CoCreationTimeline, BadDate> {
            var timeline = CoCreationTimeline()
            for phase in CoCreationPhase.allCases {
                for field in Self.fields {
                    let text = (typed(phase, field.form) ?? "").trimmingCharacters(in: .whitespaces)
                    guard !text.isEmpty else { continue }
                    guard let day = CalendarDay(iso: text) else { return .failure(BadDate(phase: phase, field: field.name, text: text)) }
                    timeline[phase][keyPath: field.dates] = day
                }
            }
            return .success(timeline)
        }

        struct BadDate: Error {
            let phase: CoCreationPhase
            let field: String
            let text: String
        }

        func typed(_ phase: CoCreationPhase, _ field: KeyPath<TimelineForm, [String: String]?>) -> String? {
            self[keyPath: field]?[phase.rawValue]
        }
    }

    func setTimeline(req: Request) async throws -> Response {
        let code: String = try req.parameters.require("code")
        let form = try req.decodeForm(TimelineForm.self)
        let message: String
        switch form.timeline() {
        case .failure(let bad):
            message = req.t("cocreation.timeline_bad_date", req.t("cocreation.phase." + bad.phase.rawValue), req.t("cocreation.timeline_field." + bad.field), bad.text)
        case .success(let timeline):
            do {
                try await DraftPlanService.setTimeline(planCode: code, timeline: timeline, today: req.today, actor: try req.requireUser().auditActor, on: req.db)
                return req.redirect(to: SiteURL.cocreationPlan.path(code) + "#timeline", notice: "cocreation.timeline_saved")
            } catch let error as TimelineError {
                message = error.message(req.application.localizer, req.language)
            }
        }
        return try await renderPlan(req, code: code, refusal: PlanRefusal(form: "timeline", error: AppError.invalid(key: "cocreation.timeline_refused", arguments: []),
                                                                           timeline: form, message: message))
    }

    /// A refused change on the plan's page: which form (`phases`, `timeline` or `adopt`), why, and what was typed.
    struct PlanRefusal {
        let form: String
        let error: AppError
        var note = ""
        var timeline: TimelineForm?
        /// The message when it is not the error's own (a timeline's names its phase and date).
        var message: String?
    }

    /// The timeline's rows as the page shows them: the stored days, or after a refusal the days as typed.
    static func timelineRows(_ phases: CoCreationPhaseModel, typed: TimelineForm?, today: CalendarDay, language: Language) -> [TimelineRow] {
        let timeline = phases.timeline
        let open = Set(phases.openPhases(on: today))
        return CoCreationPhase.allCases.map { phase in
            let dates = timeline[phase]
            func day(_ value: CalendarDay?, _ field: KeyPath<TimelineForm, [String: String]?>) -> TimelineRow.Day {
                TimelineRow.Day(shown: value.map { Formatting.day($0, language) }, value: typed?.typed(phase, field) ?? value?.iso ?? "")
            }
            let state = open.contains(phase) ? "open"
                : dates.actualEnd != nil ? "done"
                : dates.plannedStart != nil ? "planned" : "not_planned"
            return TimelineRow(phase: phase.rawValue, nameKey: "cocreation.phase." + phase.rawValue,
                               plannedStart: day(dates.plannedStart, \.plannedStart), plannedEnd: day(dates.plannedEnd, \.plannedEnd),
                               actualStart: day(dates.actualStart, \.actualStart), actualEnd: day(dates.actualEnd, \.actualEnd),
                               stateKey: "cocreation.phase_state." + state, isOpen: state == "open", hasSwitch: phase.hasSwitch)
        }
    }

    private func renderPlan(_ req: Request, code: String, refusal: PlanRefusal?) async throws -> Response {
        let plan = try await ActionPlanModel.require(code: code, on: req.db)
        let planID = try plan.requireID()
        let user = req.currentUser
        let phases = try await DraftPlanService.phases(planID: planID, on: req.db)
        let proposals = try await ProposalModel.query(on: req.db).filter(\.$plan.$id == planID).with(\.$organisation)
            .with(\.$stages).sort(\.$createdAt).all()
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
        let canManage = req.may(.editPlans, plan: planID) && plan.status == .draft
        // From what the page has read already: every proposal.
        let check = canManage ? try DraftPlanService.AdoptionCheck(proposals: proposals, comments: comments, plan: document) : nil
        var organisationKind: OrganisationKind?
        if let organisationID = user?.organisationID { organisationKind = try await OrganisationModel.find(organisationID, on: req.db)?.kind }
        return try await req.view.render("cocreation-plan", PlanCoCreationPage(
            page: PageMeta(request: req, title: req.t("cocreation.plan_title", plan.title)), code: code, title: plan.title,
            period: "\(plan.periodStart) – \(plan.periodEnd)", isDraft: plan.status == .draft,
            proposalsOpen: phases.proposalsOpen, consultationOpen: phases.consultationOpen,
            proposals: proposals.map { Self.row($0) },
            hasProposals: !proposals.isEmpty, commitments: links, hasCommitments: !links.isEmpty,
            canManage: canManage,
            canPropose: user?.caller.may(.propose, organisation: user?.organisationID) == true
                && (organisationKind == .civilSociety || (organisationKind == .governmentAgency && phases.agenciesMayPropose))
                && phases.proposalsOpen && plan.status == .draft,
            agenciesMayPropose: phases.agenciesMayPropose,
            canModerate: req.may(.readUnpublished, plan: planID),
            history: try await HistoryView.entries(objectType: "plan", objectID: planID.uuidString, plan: planID, request: req),
            phasesError: refusal.flatMap { $0.form == "phases" ? req.application.localizer.message(for: $0.error, req.language) : nil },
            adoptError: refusal.flatMap { $0.form == "adopt" ? req.application.localizer.message(for: $0.error, req.language) : nil },
            adoptNote: refusal?.note ?? "",
            adoptCheck: check.map { AdoptionCheckView($0, code: code) },
            timeline: Self.timelineRows(phases, typed: refusal?.timeline, today: req.today, language: req.language),
            hasTimeline: !phases.timeline.isEmpty,
            timelineError: refusal.flatMap { $0.form == "timeline" ? $0.message : nil })).encodeResponse(status: refusal?.error.status ?? .ok, for: req)
    }

    // MARK: Proposals

    /// A proposal in a list: where it is and since when. Needs its organisation and stages loaded.
    static func row(_ proposal: ProposalModel) -> ProposalRow {
        ProposalRow(id: proposal.id!.uuidString, title: proposal.title, organisation: proposal.organisation.name,
                    stageKey: "proposal.stage." + proposal.stage.rawValue, date: proposal.stages.map(\.date).max() ?? "")
    }

    struct ProposedMeasureForm: Content {
        var text: String?
        var targets: [String: String]?
    }

    struct ProposalForm: Content {
        var title = ""
        var problem = ""
        var commitment = ""
        var howItSolves: String?
        var measures: [ProposedMeasureForm]?
        var proposingOrganisations: String?
        var agencies: String?
        var rpjmn: String?
        var sdgTargets: String?
    }

    static let proposalFields = ["form", "title", "problem", "commitment"]

    func proposalForm(req: Request) async throws -> Response {
        try await renderProposalForm(req, form: ProposalForm(), errors: FormErrors(fields: Self.proposalFields))
    }

    /// The proposal form, empty or with what was typed and what is wrong with it; `editing` for its proposer's edit.
    private func renderProposalForm(_ req: Request, form: ProposalForm, errors: FormErrors, editing: ProposalModel? = nil) async throws -> Response {
        let code: String = try editing.map { $0.plan.code } ?? req.parameters.require("code")
        let plan = try await DraftPlanService.draftPlan(code: code, on: req.db)
        let semesters = try await PlanSemesterModel.query(on: req.db).filter(\.$plan.$id == plan.requireID()).sort(\.$month).all().map(\.code)
        let typed = form.measures ?? []
        let rows = (0..<max(4, min(typed.count, 100))).map { index in
            let row = index < typed.count ? typed[index] : ProposedMeasureForm()
            return MeasureRowView(index: index, number: index + 1, text: row.text ?? "",
                                  targets: semesters.map { .init(semester: $0, text: row.targets?[$0] ?? "") })
        }
        let heading = editing.map { req.t("proposal.edit_title", $0.title) } ?? req.t("proposal.new")
        let action = try editing.map { SiteURL.proposalEdit.path(try $0.requireID()) } ?? SiteURL.proposals.path(code)
        let view = try await req.view.render("proposal-form", ProposalFormPage(
            page: PageMeta(request: req, title: heading), action: action, heading: heading, code: code, planTitle: plan.title, semesters: semesters,
            form: form, rows: rows, errors: errors))
        return try await view.encodeResponse(status: errors.isEmpty ? .ok : errors.status, for: req)
    }

    func submitProposal(req: Request) async throws -> Response {
        let form = try req.decodeForm(ProposalForm.self)
        do {
            return try await submit(form, req: req)
        } catch let error as FieldError {
            var errors = FormErrors(fields: Self.proposalFields)
            errors.add(error, on: req)
            return try await renderProposalForm(req, form: form, errors: errors)
        } catch {
            var errors = FormErrors(fields: Self.proposalFields)
            try errors.add("form", error, on: req)
            return try await renderProposalForm(req, form: form, errors: errors)
        }
    }

    private func submit(_ form: ProposalForm, req: Request) async throws -> Response {
        let code: String = try req.parameters.require("code")
        let submission = try await Self.submission(form, planCode: code, req: req)
        let id = try await ProposalService.submit(submission, planCode: code, by: try req.requireUser(), on: req.db, today: req.today)
        return req.redirect(to: SiteURL.proposal.path(id), redirectType: .normal)
    }

    /// What the proposal form holds, as a submission: measures without text left out, targets by the plan's semesters.
    private static func submission(_ form: ProposalForm, planCode code: String, req: Request) async throws -> ProposalService.Submission {
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
        return ProposalService.Submission(
            title: form.title.trimmingCharacters(in: .whitespacesAndNewlines), problem: form.problem, commitment: form.commitment,
            howItSolves: form.howItSolves ?? "", measures: measures,
            proposingOrganisations: FormText.lines(form.proposingOrganisations), agencies: FormText.lines(form.agencies),
            rpjmnAlignment: form.rpjmn ?? "",
            sdgTargets: FormText.items(form.sdgTargets))
    }

    /// The proposer's own proposal, loaded with its plan, while it may still change (else 409 with why).
    private func changeableProposal(_ req: Request) async throws -> ProposalModel {
        let id = try req.idParameter()
        guard let proposal = try await ProposalModel.query(on: req.db).filter(\.$id == id).with(\.$plan).first() else {
            throw AppError.notFound(what: "proposal")
        }
        guard req.currentUser?.caller.may(.propose, organisation: proposal.$organisation.id) == true else { throw AppError.forbidden }
        guard ProposalService.canChange(proposal, user: req.currentUser) else {
            throw AppError.conflict(key: "proposal.review_started", arguments: [proposal.title])
        }
        return proposal
    }

    func editProposalForm(req: Request) async throws -> Response {
        let proposal = try await changeableProposal(req)
        let submission = ProposalService.submission(of: proposal)
        let form = ProposalForm(title: submission.title, problem: submission.problem, commitment: submission.commitment,
                                howItSolves: submission.howItSolves,
                                measures: submission.measures.map { measure in
                                    ProposedMeasureForm(text: measure.text, targets: Dictionary(measure.targets.map { ($0.semester, $0.text) },
                                                                                               uniquingKeysWith: { a, _ in a }))
                                },
                                proposingOrganisations: submission.proposingOrganisations.joined(separator: "\n"),
                                agencies: submission.agencies.joined(separator: "\n"), rpjmn: submission.rpjmnAlignment,
                                sdgTargets: submission.sdgTargets.joined(separator: ", "))
        return try await renderProposalForm(req, form: form, errors: FormErrors(fields: Self.proposalFields), editing: proposal)
    }

    func editProposal(req: Request) async throws -> Response {
        let proposal = try await changeableProposal(req)
        let form = try req.decodeForm(ProposalForm.self)
        var errors = FormErrors(fields: Self.proposalFields)
        do {
            let submission = try await Self.submission(form, planCode: proposal.plan.code, req: req)
            try await ProposalService.update(proposalID: try proposal.requireID(), with: submission, by: try req.requireUser(), on: req.db)
            return req.redirect(to: SiteURL.proposal.path(try proposal.requireID()), notice: "proposal.edited")
        } catch let error as FieldError {
            errors.add(error, on: req)
        } catch {
            try errors.add("form", error, on: req)
        }
        return try await renderProposalForm(req, form: form, errors: errors, editing: proposal)
    }

    struct WithdrawForm: Content {
        var reason: String?
    }

    func withdrawProposal(req: Request) async throws -> Response {
        let id = try req.idParameter()
        let form = try req.decodeForm(WithdrawForm.self)
        do {
            try await ProposalService.withdraw(proposalID: id, reason: form.reason ?? "", by: try req.requireUser(), on: req.db, today: req.today)
        } catch let error as FieldError {
            return try await renderProposal(req, typed: nil, error: nil, withdrawal: (form.reason ?? "", error.error))
        } catch let error as AppError where error.status == .conflict {
            return try await renderProposal(req, typed: nil, error: nil, withdrawal: (form.reason ?? "", error))
        }
        return req.redirect(to: SiteURL.proposal.path(id), notice: "proposal.withdrawn")
    }

    func proposal(req: Request) async throws -> Response {
        try await renderProposal(req, typed: nil, error: nil)
    }

    /// A proposal's page; `typed` and `error` when the stage typed into its form was refused.
    /// - Parameter withdrawal: the reason typed and why the withdrawal was refused.
    private func renderProposal(_ req: Request, typed: StageForm?, error: AppError?, withdrawal: (String, AppError)? = nil) async throws -> Response {
        let id = try req.idParameter()
        // Every proposal is public once submitted; only the notes of its working stages are not (`seesWorkingNotes`).
        guard let proposal = try await ProposalModel.query(on: req.db).filter(\.$id == id).with(\.$plan).with(\.$organisation)
            .with(\.$stages) { $0.with(\.$meeting) }.with(\.$mergedInto).with(\.$commitment).first() else { throw AppError.notFound(what: "proposal") }
        let seesNotes = ProposalService.seesWorkingNotes(proposal, user: req.currentUser)
        let workingNotes = Set(proposal.stages.filter { !$0.stage.isFinal && !$0.note.isEmpty }.map(\.note))
        let planID = try proposal.plan.requireID()
        let canRecord = req.may(.editPlans, plan: planID) && !proposal.stage.isFinal
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
            stages: proposal.stages.sorted { ($0.date, $0.createdAt ?? .distantPast) < ($1.date, $1.createdAt ?? .distantPast) }.map { stage in
                let note = stage.stage.isFinal || seesNotes ? stage.note : ""
                // Minutes are linked once published, or for those who read the plan's unpublished work.
                let meeting = stage.meeting.flatMap { $0.isPublished || req.may(.readUnpublished, plan: planID) ? $0 : nil }
                return StageView(stageKey: "proposal.stage." + stage.stage.rawValue, date: stage.date, note: note, hasNote: !note.isEmpty,
                                 meetingID: meeting?.id?.uuidString, meetingTitle: meeting?.title ?? "", recordedBy: stage.recordedBy)
            },
            mergedInto: proposal.mergedInto.map { SelectField.Option(value: $0.id!.uuidString, label: $0.title) }, hasMergedInto: proposal.mergedInto != nil,
            commitmentNumber: proposal.commitment?.number, canRecord: canRecord,
            // An adopted plan takes no more commitments from proposals (a revision does): what is left is to merge or drop.
            nextStage: SelectField(id: "stage", options: proposal.stage.next.filter { $0 != .adopted || proposal.plan.status == .draft }.map {
                .init(value: $0.rawValue, label: req.t("proposal.stage." + $0.rawValue), selected: $0.rawValue == typed?.stage)
            }),
            meeting: SelectField(id: "meeting", emptyLabel: req.t("proposal.no_meeting"), options: meetings.map {
                .init(value: $0.id!.uuidString, label: "\($0.date) · \($0.title)", selected: $0.id?.uuidString == typed?.meeting, content: true)
            }),
            mergeTarget: SelectField(id: "mergedInto", emptyLabel: req.t("proposal.no_merge"), options: others.map {
                .init(value: $0.id!.uuidString, label: $0.title, selected: $0.id?.uuidString == typed?.mergedInto, content: true)
            }),
            date: typed?.date ?? req.today.iso, note: typed?.note ?? "",
            stageError: error.map { req.application.localizer.message(for: $0, req.language) },
            history: try await HistoryView.entries(objectType: "proposal", objectID: id.uuidString, request: req).map { entry in
                // The history repeats each stage's note as its reason: a working note stays out of it too.
                var entry = entry
                if !seesNotes, workingNotes.contains(entry.reason) { entry.reason = "" }
                return entry
            },
            canChange: ProposalService.canChange(proposal, user: req.currentUser), withdrawReason: withdrawal?.0 ?? "",
            withdrawError: withdrawal.map { req.application.localizer.message(for: $0.1, req.language) }))
            .encodeResponse(status: error?.status ?? withdrawal?.1.status ?? .ok, for: req)
    }

    struct StageForm: Content {
        var stage = ""
        var date = ""
        var meeting: String?
        var note: String?
        var mergedInto: String?
    }

    func recordStage(req: Request) async throws -> Response {
        let id = try req.idParameter()
        let form = try req.decodeForm(StageForm.self)
        do {
            guard let stage = ProposalStage(rawValue: form.stage) else { throw AppError.invalid(key: "proposal.unknown_stage", arguments: [form.stage]) }
            try await ProposalService.recordStage(proposalID: id, stage: stage, date: form.date, meetingID: form.meeting.flatMap(UUID.init(uuidString:)),
                                                  note: form.note ?? "", mergedIntoID: form.mergedInto.flatMap(UUID.init(uuidString:)),
                                                  by: try req.requireUser(), on: req.db, now: req.now,
                                                  unlistedNote: { [language = req.language, localizer = req.application.localizer] names in
                                                      localizer.text("proposal.unlisted_organisations", language, [names])
                                                  })
        } catch {
            let appError = AppError.from(error)
            guard [.unprocessableEntity, .conflict].contains(appError.status) else { throw error }
            return try await renderProposal(req, typed: form, error: appError)
        }
        return req.redirect(to: SiteURL.proposal.path(id), redirectType: .normal)
    }

    // MARK: Consultation

    struct CommentForm: Content {
        var name: String?
        var organisation: String?
        var body = ""
    }

    static let commentFields = ["form", "name", "organisation", "body"]

    func commentForm(req: Request) async throws -> Response {
        try await renderCommentForm(req, form: CommentForm(), errors: FormErrors(fields: Self.commentFields))
    }

    func submitComment(req: Request) async throws -> Response {
        let code: String = try req.parameters.require("code")
        let number = try req.parameters.require("number", as: Int.self)
        let form = try req.decodeForm(CommentForm.self)
        let status: CommentStatus
        do {
            status = try await ConsultationService.comment(planCode: code, number: number, name: form.name ?? "", organisation: form.organisation ?? "",
                                                           body: form.body, user: req.currentUser, address: req.clientAddress, on: req.db)
        } catch {
            var errors = FormErrors(fields: Self.commentFields)
            if let error = error as? FieldError { errors.add(error, on: req) } else { try errors.add("form", error, on: req) }
            return try await renderCommentForm(req, form: form, errors: errors)
        }
        return req.redirect(to: SiteURL.commitmentComment.path(code, number),
                            notice: status == .pending ? "consultation.held" : "consultation.published")
    }

    private func renderCommentForm(_ req: Request, form: CommentForm, errors: FormErrors) async throws -> Response {
        let code: String = try req.parameters.require("code")
        let number = try req.parameters.require("number", as: Int.self)
        let plan = try await ActionPlanModel.require(code: code, on: req.db)
        guard let commitment = try await CommitmentModel.query(on: req.db).filter(\.$plan.$id == plan.requireID()).filter(\.$number == number).first()
        else { throw AppError.commitmentNotFound(plan: code, number: "\(number)") }
        let phases = try await DraftPlanService.phases(planID: plan.requireID(), on: req.db)
        return try await req.view.render("comment-form", CommentFormPage(
            page: PageMeta(request: req, title: req.t("consultation.comment_on", "\(number)")).withCSRF(req), code: code, number: number,
            commitmentTitle: commitment.title, isOpen: plan.status == .draft && phases.consultationOpen, needsName: req.currentUser == nil,
            maximumLength: ConsultationService.maximumLength, form: form, errors: errors)).encodeResponse(status: errors.isEmpty ? .ok : errors.status, for: req)
    }

    func comments(req: Request) async throws -> Response {
        try await renderComments(req, code: try req.parameters.require("code"), refused: nil)
    }

    /// The moderation page; `refused` is a comment whose moderation was refused, with what was typed and why.
    private func renderComments(_ req: Request, code: String, refused: (id: UUID, form: ModerationForm, error: AppError)?) async throws -> Response {
        let plan = try await ActionPlanModel.require(code: code, on: req.db)
        let comments = try await ConsultationCommentModel.query(on: req.db).filter(\.$plan.$id == plan.requireID()).with(\.$commitment)
            .sort(\.$createdAt).all()
        return try await req.view.render("comments", ModerationPage(
            page: PageMeta(request: req, title: req.t("consultation.moderation_title", plan.title)), code: code, title: plan.title,
            comments: comments.map { comment in
                let id = comment.id!.uuidString
                let typed = refused.flatMap { $0.id == comment.id ? $0 : nil }
                let status = typed?.form.status ?? comment.status.rawValue
                let response = typed.map { $0.form.response ?? "" } ?? comment.response?.rawValue ?? ""
                return ModerationRow(
                    id: id, commitment: comment.commitment.number, author: comment.authorName, organisation: comment.authorOrganisation,
                    body: comment.body, statusKey: "consultation.status." + comment.status.rawValue,
                    responseText: typed.map { $0.form.responseText ?? "" } ?? comment.responseText,
                    date: comment.createdAt.map(Formatting.jakartaTime) ?? "",
                    statusField: SelectField(id: "status-\(id)", name: "status", options: CommentStatus.allCases.map {
                        .init(value: $0.rawValue, label: req.t("consultation.status." + $0.rawValue), selected: $0.rawValue == status)
                    }),
                    responseField: SelectField(id: "response-\(id)", name: "response", emptyLabel: req.t("consultation.no_response"),
                                               options: CommentResponse.allCases.map {
                        .init(value: $0.rawValue, label: req.t("consultation.response." + $0.rawValue), selected: $0.rawValue == response)
                    }),
                    error: typed.map { req.application.localizer.message(for: $0.error, req.language) })
            },
            hasComments: !comments.isEmpty, canModerate: req.may(.moderate, plan: plan.id)))
            .encodeResponse(status: refused?.error.status ?? .ok, for: req)
    }

    struct ModerationForm: Content {
        var status: String
        var response: String?
        var responseText: String?
    }

    func moderate(req: Request) async throws -> Response {
        let id = try req.idParameter()
        let form = try req.decodeForm(ModerationForm.self)
        let planCode = try await ConsultationCommentModel.query(on: req.db).filter(\.$id == id).with(\.$plan).first()?.plan.code ?? ""
        do {
            guard let status = CommentStatus(rawValue: form.status) else { throw AppError.invalid(key: "consultation.unknown_status", arguments: [form.status]) }
            try await ConsultationService.moderate(commentID: id, status: status, response: form.response.flatMap(CommentResponse.init(rawValue:)),
                                                   responseText: form.responseText ?? "", by: try req.requireUser(), on: req.db)
        } catch let error as AppError where !planCode.isEmpty && [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderComments(req, code: planCode, refused: (id, form, error))
        }
        return req.redirect(to: SiteURL.cocreationComments.path(planCode), redirectType: .normal)
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
