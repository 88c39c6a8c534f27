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

    struct PlanRow {
        let plan: ActionPlanModel
        let jurisdiction: JurisdictionModel
        /// The plan's semester or year for the span.
        let period: ReportPeriod
        let publishedAt: Date?
        /// Whether this viewer sees the numbers: published, or the viewer reads the plan's unpublished work.
        let isShown: Bool
        let report: EvaluationReport
        let input: EvaluationInput
        let scheme: ScoringScheme
        let targets: Int
        let reported: Int
        let scored: Int
        let requirements: MinimumRequirements?

        var isPublished: Bool { publishedAt != nil }
        /// Scored targets per 100 targets, for sorting.
        var coverage: Int { targets == 0 ? 0 : scored * 100 / targets }
    }

    let span: Span
    let rows: [PlanRow]
    /// The breakdowns over every row whose numbers are shown, counted again from their commitments and targets; nil
    /// when no plan has a period in the span.
    let total: (report: EvaluationReport, scheme: ScoringScheme)?

    static func load(span: Span, kind: JurisdictionKind?, sort: Sort, descending: Bool, viewer: Caller?, today: CalendarDay,
                     on database: any Database) async throws -> NationalOverview {
        let jurisdictions = Dictionary(uniqueKeysWithValues: try await JurisdictionModel.query(on: database).all().map { ($0.id!, $0) })
        let plans = try await ActionPlanModel.query(on: database).filter(\.$status == .adopted).with(\.$semesters).sort(\.$code).all()
        let listed = plans.filter { plan in
            guard let jurisdiction = plan.$jurisdiction.id.flatMap({ jurisdictions[$0] }) else { return false }
            return (kind == nil || jurisdiction.kind == kind) && span.period(of: plan) != nil
        }
        let requirements = try await PlanRequirements.load(plans: listed, today: today, on: database)
        var rows: [PlanRow] = []
        for plan in listed {
            guard let jurisdiction = plan.$jurisdiction.id.flatMap({ jurisdictions[$0] }), let period = span.period(of: plan) else { continue }
            let built = try await EvaluationQueries.build(planCode: plan.code, period: period, on: database)
            let targets = built.results.commitments.flatMap(\.rows)
            rows.append(PlanRow(
                plan: plan, jurisdiction: jurisdiction, period: period, publishedAt: built.results.publication?.at,
                isShown: built.isPublished || viewer.may(.readUnpublished, inPlan: plan.id),
                report: built.report, input: built.input, scheme: built.scheme, targets: targets.count,
                reported: targets.filter { $0.outcome.reported }.count, scored: targets.filter { $0.outcome.score != nil }.count,
                requirements: requirements[plan.id!]))
        }
        rows = Self.sorted(rows, by: sort, descending: descending)
        // Totals in the national plan's scheme (every plan here scores on it); a category another scheme names is not counted.
        let scheme = (rows.first { $0.jurisdiction.kind == .national } ?? rows.first)?.scheme
        let shown = rows.filter(\.isShown)
        let total = scheme.map {
            (EvaluationReport(EvaluationInput(scheme: $0, targets: shown.flatMap(\.input.targets), commitments: shown.flatMap(\.input.commitments),
                                              semesters: [])), $0)
        }
        return NationalOverview(span: span, rows: rows, total: total)
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
