import Fluent
import Foundation
import PantauDomain
import Vapor

/// The public portal's views of results: a plan's grid of commitments by semester, and each organisation's scorecard.
struct DashboardController {
    func plan(req: Request) async throws -> View {
        let (data, status) = try await dashboardAndStatus(req)
        let detail = try await PlanQueries.detail(code: data.planCode, on: req.db)
        let filter = CommitmentFilter(req)
        let kept = Set(detail.commitments.filter { filter.keeps($0, status: status.commitment($0.number)) }.map(\.number))
        let rows = data.rows.filter { kept.contains($0.number) }
        return try await req.view.render("dashboard", DashboardPage(
            page: PageMeta(request: req, title: req.t("dashboard.title", data.planTitle)), planCode: data.planCode, planTitle: data.planTitle,
            status: status, semesters: data.semesters, rows: rows, legend: data.legend,
            filters: filter.form(for: detail.commitments, progress: status, shown: rows.count, clearURL: SiteURL.dashboard.path(data.planCode), request: req)))
    }

    func organisation(req: Request) async throws -> View {
        let data = try await scorecard(req)
        let chart = SVGChart.bars(data.summary.map { SVGChart.Item(label: $0.label, count: $0.count, percent: $0.percent, key: $0.category) },
                                  title: req.t("organisation.scorecard"), id: "scorecard")
        return try await req.view.render("organisation", ScorecardPage(
            page: PageMeta(request: req, title: data.name), name: data.name, acronym: data.acronym.ifAny,
            kindKey: "organisation.kind." + data.kind, rows: data.rows, summary: data.summary, chart: chart, hasRows: !data.rows.isEmpty))
    }

    func dashboard(_ req: Request) async throws -> DashboardData {
        try await dashboardAndStatus(req).data
    }

    /// The grid, and the plan's headline status taken from the same results: every period's results are read once.
    func dashboardAndStatus(_ req: Request) async throws -> (data: DashboardData, status: PlanProgress) {
        let code: String = try req.parameters.require("code")
        let plan = try await PeriodResults.plan(code: code, on: req.db)
        let scheme = try SchemeStore.domainScheme(plan.scheme, categories: plan.scheme.categories)
        let semesters = plan.semesters.sorted { $0.month < $1.month }
        // Each semester, then each year assessed as a whole, as its own column.
        var periods: [ReportPeriod] = semesters.map { .semester($0.code) }
        for year in semesters.compactMap({ CalendarDay(iso: $0.endDate)?.year }) where !periods.contains(.year(year)) { periods.append(.year(year)) }
        var columns: [String: [Int: PeriodResults.Commitment]] = [:]
        var progress: [SemesterProgress] = []
        var titles: [Int: String] = [:]
        var published: [String: PeriodResults] = [:]
        for period in periods {
            let results = try await PeriodResults.load(plan: plan, period: period, on: req.db)
            for commitment in results.commitments { titles[commitment.number] = commitment.title }
            if results.isPublished {
                published[period.description] = results
                columns[period.description] = Dictionary(results.commitments.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
            }
            progress.append(SemesterProgress(code: period.description, published: results.isPublished,
                                             scoredTargets: results.isPublished ? results.commitments.reduce(0) { $0 + $1.result.coverage.scored } : 0,
                                             targets: results.commitments.reduce(0) { $0 + $1.result.coverage.targets }))
        }
        let rows = titles.keys.sorted().map { number in
            GridRow(number: number, title: titles[number] ?? "", cells: periods.map { period in
                guard let result = columns[period.description]?[number] else { return Cell(text: "–", category: "none") }
                // Published without a score says so; a bare dash is only for what is not published.
                guard let score = result.result.finalScore else { return Cell(text: req.t("result.state.not_scored"), category: "not_scored") }
                // The category in words as well as by colour.
                return Cell(text: [String(score), result.categoryLabel(req.language)].filter { !$0.isEmpty }.joined(separator: " · "),
                            category: result.result.category?.code ?? "none",
                            coverage: req.t("coverage.scored", String(result.result.coverage.scored), String(result.result.coverage.targets)))
            })
        }
        let language = req.language.rawValue
        // The latest published period, ordered as everywhere else (`PublishedPeriods`).
        let publishedPeriods = PublishedPeriods(
            semesters: Set(semesters.filter { published[$0.code] != nil }.compactMap(\.id)),
            years: [try plan.requireID(): periods.compactMap { period in
                if case .year(let year) = period, published[period.description] != nil { return year } else { return nil }
            }])
        let status = publishedPeriods.of(plan).last.flatMap { period in
            published[period.description].map { PlanProgress($0, period: period, request: req) }
        } ?? .none(plan.code)
        let data = DashboardData(planCode: plan.code, planTitle: plan.title, semesters: progress, rows: rows,
                             legend: scheme.categories.map { Cell(text: "\($0.labels[language] ?? $0.code) \($0.minScore)–\($0.maxScore)", category: $0.code) })
        return (data, status)
    }

    func scorecard(_ req: Request) async throws -> ScorecardData {
        let id = try req.idParameter()
        guard let organisation = try await OrganisationModel.find(id, on: req.db) else { throw AppError.notFound(what: "organisation") }
        // The targets it answers for: a report stays with the organisation that wrote it when its measure moves.
        let answered = try await ReportingQueries.targets(answeredBy: id, on: req.db)
        let semesterIDs = Set(answered.map { $0.target.$semester.id })
        let published = Set(try await SemesterPublicationModel.query(on: req.db).filter(\.$semester.$id ~~ semesterIDs).all().map { $0.$semester.id })
        var rows: [ScorecardRow] = []
        var codes: [String] = []
        var schemeForSummary: ScoringScheme?
        for (target, report) in answered {
            let measure = target.measure
            let plan = measure.goal.commitment.plan
            let scheme = try SchemeStore.domainScheme(plan.scheme, categories: plan.scheme.categories)
            schemeForSummary = schemeForSummary ?? scheme
            let isPublished = published.contains(target.$semester.id)
            let score = isPublished && report?.status == .scored ? report?.domainScore : nil
            let category = try score.map { try scheme.category(for: $0) }
            if isPublished { codes.append(category?.code ?? EvaluationReport.notYet) }
            // Without a score, the row says why: not published yet, not reported, or reported and not scored.
            var state = "unpublished"
            if isPublished, score == nil {
                state = report?.submittedAt != nil || report?.status == .submitted ? "not_scored" : "not_reported"
            }
            rows.append(ScorecardRow(
                planCode: plan.code, semester: target.semester.code, commitment: measure.goal.commitment.number, measure: measure.text,
                target: target.text, score: score.map { if case .points(let p) = $0 { String(p) } else { "N/A" } } ?? "",
                category: category?.code ?? state,
                categoryLabel: category.map { $0.labels[req.language.rawValue] ?? $0.code } ?? req.t("result.state." + state)))
        }
        rows.sort { ($0.planCode, $0.semester, $0.commitment) < ($1.planCode, $1.semester, $1.commitment) }
        let scheme = schemeForSummary ?? ScoringScheme.ogi
        let keys = scheme.allCategories.map(\.code) + [EvaluationReport.notYet]
        let breakdown = PercentBreakdown.rows(keys.map { key in (key, codes.filter { $0 == key }.count) })
        let summary = breakdown.map { row in
            EvaluationDocument.Row(category: row.key, label: row.key == EvaluationReport.notYet ? req.t("evaluation.not_yet")
                                   : scheme.allCategories.first { $0.code == row.key }?.labels[req.language.rawValue] ?? row.key,
                                   count: row.count, percent: row.percent)
        }
        return ScorecardData(id: id.uuidString, name: organisation.name, acronym: organisation.acronym ?? "", kind: organisation.kind.rawValue,
                             summary: summary, rows: rows)
    }

    func dashboardAPI(req: Request) async throws -> DashboardData { try await dashboard(req) }
    func scorecardAPI(req: Request) async throws -> ScorecardData { try await scorecard(req) }
}
