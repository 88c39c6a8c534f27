import Fluent
import Foundation
import PantauDomain

/// The national overview: the results of every plan for one stretch of time side by side (a calendar year, or a half
/// year, which is one semester of each plan), and the same breakdowns over all of them together. Each plan's numbers
/// are those of its evaluation report for that period; a period not yet published is counted only for those who read
/// the plan's unpublished work.
struct NationalOverview {
    /// A calendar year (`2021`) or one of its halves (`2021-1`: January to June; `2021-2`: July to December), from
    /// `?year=` or `?period=` (which takes either).
    enum Span: Equatable, CustomStringConvertible {
        case year(Int)
        case half(year: Int, half: Int)

        init?(year: String?, period: String?) {
            if let period, !period.isEmpty {
                // The page's one choice holds years and half years alike.
                if let year = Int(period), (2000...2100).contains(year) {
                    self = .year(year)
                    return
                }
                let parts = period.split(separator: "-")
                guard parts.count == 2, let year = Int(parts[0]), let half = Int(parts[1]), (2000...2100).contains(year), [1, 2].contains(half)
                else { return nil }
                self = .half(year: year, half: half)
            } else if let year, let value = Int(year), (2000...2100).contains(value) {
                self = .year(value)
            } else {
                return nil
            }
        }

        var description: String {
            switch self {
            case .year(let year): "\(year)"
            case .half(let year, let half): "\(year)-\(half)"
            }
        }

        var year: Int {
            switch self {
            case .year(let year), .half(let year, _): year
            }
        }

        /// The plan's period for this span: the year, if any of its semesters ends in it; the semester that ends in the half.
        func period(of plan: ActionPlanModel) -> ReportPeriod? {
            let semesters = plan.semesters.sorted { $0.month < $1.month }
            switch self {
            case .year(let year):
                return semesters.contains { $0.endDate.hasPrefix("\(year)-") } ? .year(year) : nil
            case .half(let year, let half):
                let months = half == 1 ? 1...6 : 7...12
                return semesters.first { semester in
                    guard let end = CalendarDay(iso: semester.endDate) else { return false }
                    return end.year == year && months.contains(end.month)
                }.map { .semester($0.code) }
            }
        }
    }

    enum Sort: String, CaseIterable {
        case jurisdiction, plan, commitments, coverage, publication
    }

    /// A plan's row: its figures (`row.report`, `row.period`... read through to them) and what depends on who looks and when.
    @dynamicMemberLookup
    struct PlanRow {
        let plan: ActionPlanModel
        let jurisdiction: JurisdictionModel
        let figures: Figures
        /// Whether this viewer sees the numbers: published, or the viewer reads the plan's unpublished work.
        let isShown: Bool
        let requirements: MinimumRequirements?

        subscript<Value>(dynamicMember keyPath: KeyPath<Figures, Value>) -> Value { figures[keyPath: keyPath] }

        var isPublished: Bool { figures.publishedAt != nil }
        /// Scored targets per 100 targets, for sorting.
        var coverage: Int { figures.targets == 0 ? 0 : figures.scored * 100 / figures.targets }
    }

    let span: Span
    let rows: [PlanRow]
    /// The breakdowns over every row whose numbers are shown, their counts added up; nil when no plan has a period
    /// in the span.
    let total: (breakdowns: EvaluationReport.Breakdowns, scheme: ScoringScheme)?

    /// What a plan's row shows of its period, whoever looks: kept in `PlanResultsCache` until the plan changes.
    struct Figures: Sendable {
        /// The plan's semester or year for the span.
        let period: ReportPeriod
        let publishedAt: Date?
        let report: EvaluationReport
        let input: EvaluationInput
        let scheme: ScoringScheme
        let targets: Int
        let reported: Int
        let scored: Int
    }

    /// A plan of the span with what anyone may be shown of it; whether this viewer is is decided per request.
    struct Listed: Sendable {
        let plan: ActionPlanModel
        let jurisdiction: JurisdictionModel
        let figures: Figures
        let requirements: MinimumRequirements?
    }

    /// - Parameter versions: the plans' `PlanChanges`, read before anything of the plans.
    static func load(span: Span, kind: JurisdictionKind?, sort: Sort, descending: Bool, viewer: Caller?, today: CalendarDay,
                     versions: PlanChanges.Versions, cache: PlanResultsCache, on database: any Database) async throws -> NationalOverview {
        // Kept whole while no plan changes (the models in it are only read); after a change, only the changed plan's
        // figures are computed again.
        let listed = try await cache.value(everyPlan: "overview|\(span)|\(kind?.rawValue ?? "")|\(today.iso)", versions: versions) {
            try await listing(span: span, kind: kind, today: today, versions: versions, cache: cache, on: database)
        }
        var rows = listed.map { entry in
            PlanRow(plan: entry.plan, jurisdiction: entry.jurisdiction, figures: entry.figures,
                    isShown: entry.figures.publishedAt != nil || viewer.may(.readUnpublished, inPlan: entry.plan.id),
                    requirements: entry.requirements)
        }
        rows = Self.sorted(rows, by: sort, descending: descending)
        // Totals in the national plan's scheme (every plan here scores on it); a category another scheme names is not counted.
        let scheme = (rows.first { $0.jurisdiction.kind == .national } ?? rows.first)?.scheme
        let shown = rows.filter(\.isShown)
        let total = scheme.map { scheme in
            // Each plan's counts added up: an empty report first gives the rows of the scheme, in its order.
            let empty = EvaluationReport(EvaluationInput(scheme: scheme, targets: [], commitments: [], semesters: []))
            return (EvaluationReport.Breakdowns(combining: [empty] + shown.map(\.report)), scheme)
        }
        return NationalOverview(span: span, rows: rows, total: total)
    }

    private static func listing(span: Span, kind: JurisdictionKind?, today: CalendarDay, versions: PlanChanges.Versions,
                                cache: PlanResultsCache, on database: any Database) async throws -> [Listed] {
        let jurisdictions = Dictionary(uniqueKeysWithValues: try await JurisdictionModel.query(on: database).all().map { ($0.id!, $0) })
        let plans = try await ActionPlanModel.query(on: database).filter(\.$status == .adopted).sort(\.$code).all()
        try await plans.loadChildren(\.$semesters, on: database)
        var listed: [(plan: ActionPlanModel, period: ReportPeriod, jurisdiction: JurisdictionModel)] = []
        for plan in plans {
            guard let jurisdiction = plan.$jurisdiction.id.flatMap({ jurisdictions[$0] }), kind == nil || jurisdiction.kind == kind,
                  let period = span.period(of: plan) else { continue }
            listed.append((plan, period, jurisdiction))
        }
        // Kept per plan and day (a requirement is counted up to today); boxed, as a plan may have none.
        struct Requirements: Sendable { let value: MinimumRequirements? }
        let requirements = try await cache.values(listed.map { (try $0.plan.requireID(), "requirements|\(today.iso)") }, versions: versions) { missing in
            let plans = missing.map { listed[$0].plan }
            let found = try await PlanRequirements.load(plans: plans, today: today, on: database)
            return plans.map { Requirements(value: found[$0.id!]) }
        }
        let figures = try await cache.values(listed.map { (try $0.plan.requireID(), "overview|\($0.period)") }, versions: versions) { missing in
            try await Figures.load(missing.map { (listed[$0].plan, listed[$0].period) }, on: database)
        }
        return zip(zip(listed, figures), requirements).map { entry, requirements in
            Listed(plan: entry.0.plan, jurisdiction: entry.0.jurisdiction, figures: entry.1, requirements: requirements.value)
        }
    }

    static func sorted(_ rows: [PlanRow], by sort: Sort, descending: Bool) -> [PlanRow] {
        let kinds = JurisdictionKind.allCases
        func place(_ row: PlanRow) -> Int { kinds.firstIndex(of: row.jurisdiction.kind) ?? 0 }
        let ascending: [PlanRow]
        switch sort {
        case .jurisdiction: ascending = rows.sorted { (place($0), $0.jurisdiction.name, $0.plan.code) < (place($1), $1.jurisdiction.name, $1.plan.code) }
        case .plan: ascending = rows.sorted { $0.plan.code < $1.plan.code }
        case .commitments: ascending = rows.sorted { ($0.input.commitments.count, $0.plan.code) < ($1.input.commitments.count, $1.plan.code) }
        case .coverage: ascending = rows.sorted { ($0.coverage, $0.plan.code) < ($1.coverage, $1.plan.code) }
        case .publication:
            ascending = rows.sorted { ($0.publishedAt ?? .distantPast, $0.plan.code) < ($1.publishedAt ?? .distantPast, $1.plan.code) }
        }
        return descending ? ascending.reversed() : ascending
    }
}
