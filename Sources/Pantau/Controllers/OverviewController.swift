import Fluent
import Foundation
import PantauDomain
import SQLKit
import Vapor

/// The national overview (`/overview`, `/api/v1/overview`): every plan of a year or half year side by side, and the
/// same breakdowns over all of them together. The page and the API render the same `OverviewData`.
struct OverviewController {
    static let queryNames = ["year", "period", "kind", "sort", "order"]

    struct BreakdownsDTO: Content {
        let commitmentsByCategory: [EvaluationDocument.Row]
        let commitmentsByRating: [EvaluationDocument.Row]
        let agencyTargetsByCategory: [EvaluationDocument.Row]
        let civilSocietyTargetsByCategory: [EvaluationDocument.Row]
    }

    struct PlanDTO: Content {
        let code: String
        let title: String
        let jurisdiction: API.JurisdictionDTO
        let status: String
        /// ISO 8601 (UTC), like every time in the API.
        let archivedAt: String?
        /// The plan's semester (`B12`) or the year whose results these are.
        let period: String
        let published: Bool
        let publishedAt: String?
        /// Counts and breakdowns; absent when the period is not published and the caller does not read the plan's
        /// unpublished work.
        let commitments: Int?
        let targets: Int?
        let reportedTargets: Int?
        let scoredTargets: Int?
        let breakdowns: BreakdownsDTO?
        /// OGP's minimum requirements for the span's year, and when the plan's public record was last updated.
        let minimumRequirements: API.MinimumRequirementsDTO?
    }

    struct OverviewData: Content {
        /// `2021` or `2021-1` (January to June) / `2021-2` (July to December).
        let span: String
        /// The calendar year of the span, whose minimum requirements each plan shows.
        let year: Int
        let kind: JurisdictionKind?
        let plans: [PlanDTO]
        /// Over every plan whose numbers are given, counted together (largest remainder for the shares).
        let total: BreakdownsDTO?
        let totalPlans: Int
        let totalCommitments: Int
        let totalTargets: Int
    }

    func api(req: Request) async throws -> OverviewData {
        try await data(req, versions: try await PlanChanges.versions(on: req.db)).1
    }

    func page(req: Request) async throws -> View {
        // Fifty plans to a page, in the order chosen; the totals are over all of them.
        let pageNumber = try PageLinks.requestedPage(req)
        let versions = try await PlanChanges.versions(on: req.db)
        let (overview, data) = try await data(req, page: pageNumber, versions: versions)
        let spans = try await req.application.planResultsCache.value(everyPlan: "overview-spans", versions: versions) {
            try await Self.spans(on: req.db)
        }
        let query = Query(req)
        let kindField = SelectField(id: "kind", emptyLabel: req.t("overview.every_kind"), options: JurisdictionKind.allCases.map {
            .init(value: $0.rawValue, label: req.t("jurisdiction.kind." + $0.rawValue), selected: $0 == data.kind)
        })
        let spanField = SelectField(id: "period", options: spans.map {
            .init(value: $0.description, label: Self.label($0, request: req), selected: $0 == overview.span)
        })
        let columns = NationalOverview.Sort.allCases.map { sort -> Column in
            let isCurrent = sort == query.sort
            let order = isCurrent && !query.descending ? "desc" : "asc"
            var items = [URLQueryItem(name: "period", value: overview.span.description), URLQueryItem(name: "sort", value: sort.rawValue),
                         URLQueryItem(name: "order", value: order)]
            if let kind = data.kind { items.append(URLQueryItem(name: "kind", value: kind.rawValue)) }
            var components = URLComponents()
            components.queryItems = items
            return Column(key: sort.rawValue, labelKey: "overview.column." + sort.rawValue,
                          link: SiteURL.overview.path() + "?" + (components.percentEncodedQuery ?? ""),
                          ariaSort: isCurrent ? (query.descending ? "descending" : "ascending") : nil)
        }
        let onPage = zip(overview.rows.dropFirst((pageNumber - 1) * Self.pageSize), data.plans)
        let rows = onPage.map { row, plan in
            let year = plan.minimumRequirements?.years.first
            return PlanRowView(code: plan.code, title: plan.title, jurisdictionName: plan.jurisdiction.name, period: plan.period,
                               isArchived: plan.archivedAt != nil, commitments: plan.commitments.map(String.init) ?? "–",
                               isShown: plan.breakdowns != nil,
                               categories: plan.breakdowns?.commitmentsByCategory.filter { $0.count > 0 }
                                   .map { Chip(category: $0.category, label: $0.label, count: $0.count) } ?? [],
                               requirement: year.map { RequirementYearView($0, request: req) },
                               lastUpdated: row.requirements?.lastUpdated.map { ReportingCalendar.day(of: $0).iso },
                               kindKey: "jurisdiction.kind." + plan.jurisdiction.kind.rawValue,
                               periodPath: SiteURL.evaluation.path(plan.code) + (row.period.isYear ? "?year=" : "?period=") + row.period.description,
                               coverage: plan.targets.map { "\(plan.scoredTargets ?? 0)/\($0)" } ?? "–",
                               publishedOn: row.publishedAt.map { ReportingCalendar.day(of: $0).iso })
        }
        return try await req.view.render("overview", Page(
            page: PageMeta(request: req, title: req.t("overview.title_span", Self.label(overview.span, request: req))),
            spanLabel: Self.label(overview.span, request: req), year: data.year, totalPlans: data.totalPlans,
            totalCommitments: data.totalCommitments, totalTargets: data.totalTargets, rows: rows, hasRows: !rows.isEmpty,
            pages: PageLinks(page: pageNumber, total: overview.rows.count, size: Self.pageSize, request: req),
            kindField: kindField, spanField: spanField, columns: columns, apiPath: SiteURL.API.overview.path() + "?period=" + overview.span.description,
            csvPath: SiteURL.overviewCSV.path() + "?period=" + overview.span.description + (data.kind.map { "&kind=" + $0.rawValue } ?? ""),
            totalSections: data.total.map { total in [
                Section(titleKey: "evaluation.commitments_by_category", rows: total.commitmentsByCategory),
                Section(titleKey: "evaluation.commitments_by_rating", rows: total.commitmentsByRating),
                Section(titleKey: "evaluation.agency_targets_by_category", rows: total.agencyTargetsByCategory),
                Section(titleKey: "evaluation.cso_targets_by_category", rows: total.civilSocietyTargetsByCategory),
            ] } ?? []))
    }

    // MARK: -

    struct Query {
        let span: NationalOverview.Span?
        let kind: JurisdictionKind?
        let sort: NationalOverview.Sort
        let descending: Bool
        /// What the query asked for that is not a year, half year, kind or sort: refused with its name.
        let invalid: (name: String, value: String)?

        init(_ req: Request) {
            let year: String? = req.query["year"], period: String? = req.query["period"]
            let kind: String? = req.query["kind"], sort: String? = req.query["sort"], order: String? = req.query["order"]
            span = NationalOverview.Span(year: year, period: period)
            self.kind = kind.flatMap { $0.isEmpty ? nil : JurisdictionKind(rawValue: $0) }
            self.sort = sort.flatMap(NationalOverview.Sort.init(rawValue:)) ?? .jurisdiction
            descending = order == "desc"
            if span == nil, let value = period.flatMap({ $0.isEmpty ? nil : $0 }) ?? year.flatMap({ $0.isEmpty ? nil : $0 }) {
                invalid = (period?.isEmpty == false ? "period" : "year", value)
            } else if let kind, !kind.isEmpty, self.kind == nil {
                invalid = ("kind", kind)
            } else if let sort, !sort.isEmpty, NationalOverview.Sort(rawValue: sort) == nil {
                invalid = ("sort", sort)
            } else {
                invalid = nil
            }
        }
    }

    /// - Parameter page: only the plans of this page (of `pageSize`) are told in full, for the page; all for the API.
    /// - Parameter versions: the plans' `PlanChanges`, read before anything of the plans.
    private func data(_ req: Request, page: Int? = nil, versions: PlanChanges.Versions) async throws -> (NationalOverview, OverviewData) {
        let query = Query(req)
        if let invalid = query.invalid { throw AppError.invalid(key: "overview.bad_query", arguments: [invalid.name, invalid.value]) }
        var span = query.span
        if span == nil { span = try await Self.latestPublished(on: req.db) }
        let chosen = span ?? .year(req.today.year)
        let overview = try await NationalOverview.load(span: chosen, kind: query.kind, sort: query.sort, descending: query.descending,
                                                       viewer: req.caller, today: req.today, versions: versions,
                                                       cache: req.application.planResultsCache, on: req.db)
        let localizer = req.application.localizer, language = req.language
        func breakdowns(_ shares: EvaluationReport.Breakdowns, scheme: ScoringScheme) -> BreakdownsDTO {
            func rows(_ rows: [BreakdownRow<String>]) -> [EvaluationDocument.Row] {
                EvaluationDocument.rows(rows, scheme: scheme, localizer: localizer, language: language)
            }
            return BreakdownsDTO(commitmentsByCategory: rows(shares.commitmentsByCategory), commitmentsByRating: rows(shares.commitmentsByRating),
                                 agencyTargetsByCategory: rows(shares.agencyTargetsByCategory),
                                 civilSocietyTargetsByCategory: rows(shares.civilSocietyTargetsByCategory))
        }
        let told = page.map { Array(overview.rows.dropFirst(($0 - 1) * Self.pageSize).prefix(Self.pageSize)) } ?? overview.rows
        let plans = told.map { row in
            PlanDTO(code: row.plan.code, title: row.plan.title,
                    jurisdiction: API.JurisdictionDTO(name: row.jurisdiction.name, kind: row.jurisdiction.kind),
                    status: row.plan.archivedAt == nil ? row.plan.status.rawValue : "archived", archivedAt: row.plan.archivedAt.map(Self.iso),
                    period: row.period.description, published: row.isPublished, publishedAt: row.publishedAt.map(Self.iso),
                    commitments: row.isShown ? row.input.commitments.count : nil, targets: row.isShown ? row.targets : nil,
                    reportedTargets: row.isShown ? row.reported : nil, scoredTargets: row.isShown ? row.scored : nil,
                    breakdowns: row.isShown ? breakdowns(EvaluationReport.Breakdowns(row.report), scheme: row.scheme) : nil,
                    minimumRequirements: row.requirements.map { API.MinimumRequirementsDTO($0, onlyYear: chosen.year) })
        }
        let shown = overview.rows.filter(\.isShown)
        let total = overview.total.map { breakdowns($0.breakdowns, scheme: $0.scheme) }
        return (overview, OverviewData(span: chosen.description, year: chosen.year, kind: query.kind, plans: plans, total: total, totalPlans: shown.count,
                                       totalCommitments: shown.reduce(0) { $0 + $1.input.commitments.count },
                                       totalTargets: shown.reduce(0) { $0 + $1.targets }))
    }

    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }

    /// The latest half year in which a plan published a semester: where the overview opens. One row from the database
    /// (thousands of publications at 550 plans).
    static func latestPublished(on database: any Database) async throws -> NationalOverview.Span? {
        struct Latest: Decodable { let end_date: String? }
        let latest = try await (database as! any SQLDatabase).raw("""
            SELECT MAX(s.end_date) AS end_date FROM semester_publications p JOIN plan_semesters s ON s.id = p.semester_id
            """).first(decoding: Latest.self)
        guard let end = latest?.end_date.flatMap(CalendarDay.init(iso:)) else { return nil }
        return .half(year: end.year, half: end.month <= 6 ? 1 : 2)
    }

    /// The overview as one CSV row per plan, for a spreadsheet: the API's figures, each breakdown's categories as
    /// columns (`commitments_baik`, `rating_involve`), and the span year's minimum requirements. Figures of a period
    /// the caller may not read yet are left empty, as on the page.
    func csv(req: Request) async throws -> Response {
        let data = try await data(req, versions: try await PlanChanges.versions(on: req.db)).1
        let breakdowns: [(prefix: String, rows: (BreakdownsDTO) -> [EvaluationDocument.Row])] = [
            ("commitments", \.commitmentsByCategory), ("rating", \.commitmentsByRating),
            ("agency_targets", \.agencyTargetsByCategory), ("cso_targets", \.civilSocietyTargetsByCategory),
        ]
        // Every category any plan's scheme names, in the order first met (the totals first: the national scheme).
        let categories = breakdowns.map { breakdown in
            var seen: [String] = []
            for found in ([data.total].compactMap { $0 } + data.plans.compactMap(\.breakdowns)).flatMap(breakdown.rows) where !seen.contains(found.category) {
                seen.append(found.category)
            }
            return seen
        }
        let header = ["plan_code", "title", "jurisdiction", "jurisdiction_kind", "plan_status", "period", "published_at",
                      "commitments", "targets", "reported_targets", "scored_targets"]
            + zip(breakdowns, categories).flatMap { breakdown, codes in codes.map { "\(breakdown.prefix)_\($0)" } }
            + ["year", "publications", "publication_requirement", "result_meetings", "meeting_requirement", "last_updated"]
        let rows = data.plans.map { plan -> [String] in
            let year = plan.minimumRequirements?.years.first
            let counts = zip(breakdowns, categories).flatMap { breakdown, codes in
                codes.map { code in plan.breakdowns.map { breakdown.rows($0).first { $0.category == code }.map { String($0.count) } ?? "0" } ?? "" }
            }
            return [plan.code, plan.title, plan.jurisdiction.name, plan.jurisdiction.kind.rawValue, plan.status, plan.period, plan.publishedAt ?? "",
                    plan.commitments.map(String.init) ?? "", plan.targets.map(String.init) ?? "", plan.reportedTargets.map(String.init) ?? "",
                    plan.scoredTargets.map(String.init) ?? ""]
                + counts
                + [String(data.year), year.map { String($0.publications) } ?? "", year?.publicationState ?? "",
                   year.map { String($0.resultMeetings) } ?? "", year?.meetingState ?? "", plan.minimumRequirements?.lastUpdated ?? ""]
        }
        let response = Response(status: .ok, body: .init(data: try PlanCSV.encode([header] + rows)))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.setAttachment(filename: "overview-\(data.span)\(data.kind.map { "-" + $0.rawValue } ?? "").csv")
        return response
    }

    /// Every year and half year some adopted plan has a semester ending in, latest first.
    static func spans(on database: any Database) async throws -> [NationalOverview.Span] {
        let adopted = try await ActionPlanModel.query(on: database).filter(\.$status == .adopted).all(\.$id)
        let ends = Set(try await PlanSemesterModel.query(on: database).filter(\.$plan.$id ~~ adopted).all(\.$endDate)
            .compactMap(CalendarDay.init(iso:)).map { ($0.year, $0.month <= 6 ? 1 : 2) }.map { "\($0.0)-\($0.1)" })
        let years = Set(ends.compactMap { Int($0.prefix(4)) })
        return years.sorted(by: >).flatMap { year -> [NationalOverview.Span] in
            [.year(year)] + [2, 1].filter { ends.contains("\(year)-\($0)") }.map { .half(year: year, half: $0) }
        }
    }

    static func label(_ span: NationalOverview.Span, request: Request) -> String {
        switch span {
        case .year(let year): request.t("overview.span_year", "\(year)")
        case .half(let year, let half): request.t("overview.span_half_\(half)", "\(year)")
        }
    }

    /// Plans one page shows.
    static let pageSize = 50

    /// What the page shows, and only that: Leaf encodes every value it is given.
    struct Page: Encodable {
        let page: PageMeta
        let spanLabel: String
        let year: Int
        let totalPlans: Int
        let totalCommitments: Int
        let totalTargets: Int
        let rows: [PlanRowView]
        let hasRows: Bool
        let pages: PageLinks
        let kindField: SelectField
        let spanField: SelectField
        let columns: [Column]
        let apiPath: String
        let csvPath: String
        let totalSections: [Section]
    }

    struct PlanRowView: Encodable {
        let code: String
        let title: String
        let jurisdictionName: String
        let period: String
        let isArchived: Bool
        let commitments: String
        /// Whether the viewer sees the numbers (published, or the viewer's own plan).
        let isShown: Bool
        /// The commitments' categories that have any, with their counts.
        let categories: [Chip]
        let requirement: RequirementYearView?
        let lastUpdated: String?
        let kindKey: String
        let periodPath: String
        let coverage: String
        let publishedOn: String?
    }

    struct Chip: Encodable {
        let category: String
        let label: String
        let count: Int
    }

    struct Column: Encodable {
        let key: String
        let labelKey: String
        let link: String
        let ariaSort: String?
    }

    struct Section: Encodable {
        let titleKey: String
        let rows: [EvaluationDocument.Row]
    }
}
