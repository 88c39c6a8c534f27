import Fluent
import PantauDomain
import SQLKit
import Vapor

/// The public pages of plans and commitments. Views get ready-made values; they compute nothing.
struct PlanPageController {
    func plans(req: Request) async throws -> View {
        // The whole list is kept while no plan changes, per language; each plan's card while that plan does not change,
        // so a report scored in one plan reads that plan again and not the other 550.
        let versions = try await PlanChanges.versions(on: req.db)
        let cache = req.application.planResultsCache
        let cards = try await cache.value(everyPlan: "plans|\(req.language.rawValue)", versions: versions) {
            struct Listed: Decodable { let id: UUID }
            let listed = try await (req.db as! any SQLDatabase).select().column("id").from(ActionPlanModel.schema)
                .orderBy("period_start", .descending).orderBy("code").all(decoding: Listed.self).map(\.id)
            return try await cache.values(listed.map { ($0, "card|\(req.language.rawValue)") }, versions: versions) { missing in
                let models = try await PlanQueries.summaryModels(ids: missing.map { listed[$0] }, on: req.db)
                let summaries = PlanQueries.summaries(of: models, commitmentCounts: try await PlanQueries.commitmentCounts(plans: models.compactMap(\.id), on: req.db))
                return zip(summaries, try await PlanProgress.load(plans: models, versions: versions, request: req)).map { PlanCard(plan: $0, status: $1) }
            }
        }
        let kinds = JurisdictionKind.allCases
        func place(_ card: PlanCard) -> Int { kinds.firstIndex(of: card.plan.jurisdiction.kind) ?? 0 }
        // Stable: within a jurisdiction the plans keep their order, newest first.
        let sorted = cards.enumerated().sorted {
            (place($0.element), $0.element.plan.jurisdiction.name, $0.offset) < (place($1.element), $1.element.plan.jurisdiction.name, $1.offset)
        }.map(\.element)
        // Fifty plans to a page: a national programme holds hundreds.
        let pageNumber = try PageLinks.requestedPage(req)
        var page = PlansPage(
            page: PageMeta(request: req, title: req.t("plans.title")),
            plans: Array(sorted.dropFirst((pageNumber - 1) * Self.plansPerPage).prefix(Self.plansPerPage)), hasPlans: !cards.isEmpty,
            pages: PageLinks(page: pageNumber, total: sorted.count, size: Self.plansPerPage, request: req))
        page.openPhases = try await OpenPhases.notices(request: req)
        page.hasOpenPhases = !page.openPhases.isEmpty
        return try await req.view.render("plans", page)
    }

    static let plansPerPage = 50

    /// What the terms on the portal mean, in plain words.
    func terms(req: Request) async throws -> View {
        try await req.view.render("terms", TermsPage(page: PageMeta(request: req, title: req.t("terms.title")),
                                                     terms: ["semesters", "administrative", "categories", "cocreation", "published"].map(TermsPage.Term.init)))
    }

    func plan(req: Request) async throws -> View {
        let plan = try await PlanQueries.detail(code: try req.parameters.require("code"), on: req.db)
        let language = req.language.rawValue
        let categories = plan.scoringScheme.categories.map {
            CategoryView(label: $0.labels[language] ?? $0.code, range: "\($0.minScore ?? 0)–\($0.maxScore ?? 0)")
        } + [CategoryView(label: plan.scoringScheme.notApplicable.labels[language] ?? "N/A", range: req.t("scheme.not_applicable"))]
        let model = try await ActionPlanModel.query(on: req.db).filter(\.$code == plan.code).with(\.$semesters).first()
        let history = try await PlanHistory.load(planCode: plan.code, request: req)
        let status = history.latest
        let filter = CommitmentFilter(req)
        let rows = plan.commitments.filter { filter.keeps($0, status: status.commitment($0.number)) }.map {
            CommitmentRow(number: $0.number, title: $0.title, theme: $0.theme, responsible: $0.responsible.map(OrganisationView.init),
                          status: status.commitment($0.number))
        }
        let filters = filter.form(for: plan.commitments, progress: status, shown: rows.count, clearURL: SiteURL.plan.path(plan.code), request: req)
        let planID = model?.id?.uuidString ?? ""
        var requirements: MinimumRequirements?
        if let model, model.status == .adopted, let id = model.id {
            requirements = try await PlanRequirements.load(plans: [model], today: req.today, on: req.db)[id]
        }
        var page = PlanPage(page: PageMeta(request: req, title: plan.title), plan: plan,
                                                          commitments: rows, categories: categories, hasCommitments: !rows.isEmpty, status: status, progress: history, filters: filters,
                                                          history: try await HistoryView.entries(objectType: "plan", objectID: planID, plan: model?.id, request: req),
                                                          reports: try await EvaluationController.PeriodLink.load(for: model, request: req),
                                                          archivedOn: model?.archivedAt.map { Formatting.jakartaDateTime($0, req.language) },
                                                          requirements: requirements.map { API.MinimumRequirementsDTO($0).years.map { RequirementYearView($0, request: req) } } ?? [],
                                                          lastUpdated: requirements?.lastUpdated.map { Formatting.jakartaDateTime($0, req.language) })
        if let id = model?.id {
            page.openPhases = try await OpenPhases.notices(planID: id, request: req)
            page.hasOpenPhases = !page.openPhases.isEmpty
            page.forumMembers = try await ForumMemberModel.query(on: req.db).filter(\.$plan.$id == id).count()
        }
        return try await req.view.render("plan", page)
    }

    func commitment(req: Request) async throws -> View {
        let code: String = try req.parameters.require("code")
        let raw: String = try req.parameters.require("number")
        guard let number = Int(raw) else { throw AppError.commitmentNotFound(plan: code, number: raw) }
        let commitment = try await PlanQueries.commitment(planCode: code, number: number, on: req.db)
        let published = try await PublishedResults.targets(commitmentNumber: number, planCode: code, request: req)
        let (meetings, commitmentID, planID) = try await Self.meetings(planCode: code, number: number, request: req)
        let cocreation = try await Self.cocreation(planCode: code, commitmentID: commitmentID, request: req)
        let goals = commitment.goals.map { goal in
            GoalView(id: goal.id, number: goal.number, text: goal.text, measures: goal.measures.map { measure in
                MeasureView(anchor: CommitmentAnchor.measure(goal: goal.number, measure: measure.number), id: measure.id,
                            number: "\(goal.number).\(measure.number)", text: measure.text,
                            responsible: OrganisationView(measure.responsible), expectedEvidence: measure.expectedEvidence,
                            hasExpectedEvidence: !measure.expectedEvidence.isEmpty,
                            targets: measure.targets.map { target in
                                let result = published.targets["\(goal.number).\(measure.number).\(target.semester)"]
                                let hints = cocreation.isDraft ? CommitmentEditorController.hintMessages(for: target.text ?? "", request: req) : []
                                return TargetCell(anchor: CommitmentAnchor.target(goal: goal.number, measure: measure.number, semester: target.semester), id: target.id,
                                                  semester: target.semester, text: target.text ?? "", hasText: target.text != nil,
                                                  result: result, hasResult: result != nil, hints: hints, hasHints: !hints.isEmpty)
                            })
            })
        }
        let participantSections = [
            OrganisationSection(titleKey: "commitment.proposers", organisations: commitment.proposers.map(OrganisationView.init)),
            OrganisationSection(titleKey: "commitment.responsible", organisations: commitment.responsible.map(OrganisationView.init)),
            OrganisationSection(titleKey: "commitment.related", organisations: commitment.related.map(OrganisationView.init)),
            OrganisationSection(titleKey: "commitment.partners", organisations: commitment.partners.map(OrganisationView.init)),
        ].filter { !$0.organisations.isEmpty }
        let description = commitment.description
        let descriptionSections = [
            TextSection(titleKey: "commitment.problem", text: description.problem),
            TextSection(titleKey: "commitment.commitment", text: description.commitment),
            TextSection(titleKey: "commitment.how_it_solves", text: description.howItSolves),
            TextSection(titleKey: "commitment.relevance", text: description.openGovernmentRelevance),
            TextSection(titleKey: "commitment.rpjmn", text: description.rpjmnAlignment),
            TextSection(titleKey: "commitment.sdg", text: description.sdgAlignment),
            TextSection(titleKey: "commitment.sdg_targets", text: description.sdgTargets.joined(separator: ", ")),
            TextSection(titleKey: "commitment.additional", text: description.additionalInformation),
            TextSection(titleKey: "commitment.planning_directorate", text: commitment.planningDirectorate),
        ].filter { !$0.paragraphs.isEmpty }
        let indicators = commitment.indicators.map {
            IndicatorView(text: $0.text, start: $0.start ?? "–", end: $0.end ?? "–")
        }
        let title = req.t("commitment.heading", "\(commitment.number)") + ": " + commitment.title
        let monitoring = try await Self.monitoring(planCode: code, planID: planID, commitmentID: commitmentID, published: published.commitment, request: req)
        return try await req.view.render("commitment", CommitmentPage(
            page: PageMeta(request: req, title: title), commitment: commitment,
            period: [commitment.start, commitment.end].compactMap { $0 }.joined(separator: " – "),
            hasPeriod: commitment.start != nil || commitment.end != nil,
            participantSections: participantSections, descriptionSections: descriptionSections,
            indicators: indicators, hasIndicators: !indicators.isEmpty,
            contacts: commitment.contacts, hasContacts: !commitment.contacts.isEmpty,
            semesters: commitment.semesters, goals: goals, hasMatrix: !goals.isEmpty, hasNote: !commitment.note.isEmpty,
            results: published.commitment, hasResults: !published.commitment.isEmpty,
            resultChart: Self.resultChart(published.commitment, number: number, request: req),
            meetings: meetings, hasMeetings: !meetings.isEmpty, cocreation: cocreation, monitoring: monitoring,
            history: try await HistoryView.entries(objectType: "commitment", objectID: commitmentID, plan: planID, request: req)))
    }

    static func cocreation(planCode: String, commitmentID: String, request: Request) async throws -> CoCreationView {
        guard let plan = try await ActionPlanModel.query(on: request.db).filter(\.$code == planCode).first(), let id = UUID(uuidString: commitmentID) else {
            return CoCreationView(isDraft: false, consultationOpen: false, canEdit: false, comments: [], hasComments: false, hasVersions: false)
        }
        let planID = try plan.requireID()
        let phases = try await DraftPlanService.phases(planID: planID, on: request.db)
        let comments = try await ConsultationCommentModel.query(on: request.db).filter(\.$commitment.$id == id).filter(\.$status == .published)
            .sort(\.$createdAt).all().map {
                PublicComment(id: $0.id?.uuidString ?? "", author: $0.authorName, organisation: $0.authorOrganisation, body: $0.body,
                              date: $0.createdAt.map(Formatting.jakartaTime) ?? "", hasResponse: $0.response != nil,
                              responseKey: "consultation.response." + ($0.response?.rawValue ?? "noted"), responseText: $0.responseText)
            }
        let versions = try await PlanVersionModel.query(on: request.db).filter(\.$plan.$id == planID).count()
        var view = CoCreationView(isDraft: plan.status == .draft, consultationOpen: plan.status == .draft && phases.consultationOpen,
                                  canEdit: request.may(.editPlans, plan: planID), comments: comments, hasComments: !comments.isEmpty,
                                  hasVersions: versions > 0)
        // Where it came from: the adopted proposal, and the published minutes of the meetings its stages were discussed in.
        if let proposal = try await ProposalModel.query(on: request.db).filter(\.$commitment.$id == id).with(\.$organisation)
            .with(\.$stages) { $0.with(\.$meeting) }.first() {
            view.proposal = ProposalLink(id: try proposal.requireID().uuidString, title: proposal.title, organisation: proposal.organisation.name)
            var seen: Set<UUID> = []
            view.discussedIn = proposal.stages.sorted { $0.date < $1.date }.compactMap(\.meeting).filter { $0.isPublished && seen.insert($0.id!).inserted }
                .map { MeetingLink(id: $0.id!.uuidString, title: $0.title, date: $0.date) }
            view.hasDiscussions = !view.discussedIn.isEmpty
        }
        return view
    }

    /// The published independent assessments of a commitment; for the plan's monitors, a link to the latest semester begun.
    static func monitoring(planCode: String, planID: UUID?, commitmentID: String, published: [PublishedResults.CommitmentResult],
                           request: Request) async throws -> MonitoringSection {
        guard let planID, let id = UUID(uuidString: commitmentID) else { return MonitoringSection(lines: [], hasLines: false, writePath: nil) }
        let entries = try await MonitoringService.entries(planID: planID, withDrafts: false, commitmentID: id, on: request.db)
        let lines = entries.map { entry in
            let result = published.first { !$0.isYear && $0.semester == entry.semester }
            return MonitoringSection.Line(semester: entry.semester, anchor: CommitmentAnchor.monitoring(semester: entry.semester), ratingKey: "completion." + entry.rating.rawValue, text: entry.text,
                                          author: entry.authorName, publishedAt: entry.publishedAt.map { ReportingCalendar.day(of: $0).iso } ?? "",
                                          secretariatScore: result?.score, secretariatCategory: result?.categoryLabel ?? "")
        }
        var writePath: String?
        if request.may(.assessIndependently, plan: planID),
           let semester = try await PlanSemesterModel.query(on: request.db).filter(\.$plan.$id == planID)
               .filter(\.$startDate <= request.today.iso).sort(\.$month, .descending).first() {
            writePath = SiteURL.monitoring.path(planCode, semester.code)
        }
        return MonitoringSection(lines: lines, hasLines: !lines.isEmpty, writePath: writePath)
    }

    static func meetings(planCode: String, number: Int, request: Request) async throws -> ([MeetingLink], String, UUID?) {
        guard let plan = try await ActionPlanModel.query(on: request.db).filter(\.$code == planCode).first(),
              let commitment = try await CommitmentModel.query(on: request.db).filter(\.$plan.$id == plan.requireID())
                .filter(\.$number == number).first() else { return ([], "", nil) }
        let links = try await MeetingCommitmentModel.query(on: request.db).filter(\.$commitment.$id == commitment.requireID())
            .with(\.$meeting).all()
        let meetings = links.map(\.meeting).filter { MeetingService.canSee($0, user: request.currentUser) }
            .sorted { $0.date > $1.date }
            .map { MeetingLink(id: $0.id!.uuidString, title: $0.title, date: $0.date) }
        return (meetings, commitment.id!.uuidString, plan.id)
    }

    /// The commitment's score in every published period as bars (0–100) with the score and category written at their
    /// ends; empty until a period is published.
    static func resultChart(_ results: [PublishedResults.CommitmentResult], number: Int, request: Request) -> String {
        guard !results.isEmpty else { return "" }
        return SVGChart.bars(results.map { result in
            SVGChart.Item(label: result.semester, count: result.scoreValue ?? 0, percent: 0, key: result.categoryCode,
                          text: result.scoreValue.map { "\($0) · \(result.categoryLabel)" } ?? request.t("status.not_scored"))
        }, title: request.t("history.commitment_chart", String(number)), id: "results-\(number)", maximum: 100)
    }

}
