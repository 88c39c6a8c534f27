import Fluent
import Foundation
import PantauDomain
import Vapor

/// A plan's published results over time: the status of every published semester and year in order, drawn as one
/// chart with its table, and the dated public updates (publications and corrections) as a timeline.
struct PlanHistory: Encodable {
    /// One dated public update.
    struct Update: Encodable {
        let date: String
        let text: String
        /// Nil when there is none (a complete publication).
        let reason: String?
        /// For sorting: the moment itself.
        let at: Date
    }

    /// The chart's numbers as a table: a row per period, a column per category or rating.
    struct Table: Encodable {
        struct Row: Encodable {
            let period: String
            let cells: [String]
        }

        let columns: [String]
        let rows: [Row]
    }

    let planCode: String
    let periods: [PlanProgress]
    let hasPeriods: Bool
    let chart: String
    let table: Table
    let updates: [Update]
    let hasUpdates: Bool

    /// The latest published status, or none.
    var latest: PlanProgress { periods.last ?? .none(planCode) }

    static func load(planCode: String, request: Request) async throws -> PlanHistory {
        let plan = try await PeriodResults.plan(code: planCode, on: request.db)
        let planID = try plan.requireID()
        let periods = try await PublishedPeriods.load(plans: [planID], on: request.db).of(plan)
        var statuses: [PlanProgress] = []
        for period in periods {
            statuses.append(PlanProgress(try await PeriodResults.load(plan: plan, period: period, on: request.db), period: period, request: request))
        }
        // Columns: every category and rating that appears, in the order the scheme and the ratings list them.
        var columns: [(code: String, label: String)] = []
        for status in statuses {
            for item in status.categories + status.ratings where !columns.contains(where: { $0.code == item.code }) {
                columns.append((item.code, item.label))
            }
        }
        let table = Table(columns: columns.map(\.label), rows: statuses.map { status in
            let counts = Dictionary((status.categories + status.ratings).map { ($0.code, $0.count) }, uniquingKeysWith: { first, _ in first })
            return Table.Row(period: status.period, cells: columns.map { String(counts[$0.code] ?? 0) })
        })
        let chart = statuses.isEmpty ? "" : SVGChart.stacked(
            statuses.map { status in
                (label: status.period, items: status.categories.map { SVGChart.Item(label: $0.label, count: $0.count, percent: 0, key: $0.code) })
            },
            title: request.t("history.chart_title", plan.title),
            description: statuses.map { status in "\(status.period): " + status.categories.map(\.text).joined(separator: "; ") }.joined(separator: ". "),
            id: "history-\(plan.code)")
        let updates = try await updates(of: plan, request: request)
        return PlanHistory(planCode: plan.code, periods: statuses, hasPeriods: !statuses.isEmpty, chart: chart, table: table,
                           updates: updates, hasUpdates: !updates.isEmpty)
    }

    /// Publications of the plan's semesters and years, and corrections of published results, newest first.
    static func updates(of plan: ActionPlanModel, request: Request) async throws -> [Update] {
        let planID = try plan.requireID()
        let semesters = Dictionary(plan.semesters.compactMap { semester in semester.id.map { ($0, semester.code) } }, uniquingKeysWith: { first, _ in first })
        var updates: [Update] = []
        for publication in try await SemesterPublicationModel.query(on: request.db).filter(\.$semester.$id ~~ Array(semesters.keys)).all() {
            let code = semesters[publication.$semester.id] ?? ""
            updates.append(Update(date: Formatting.jakartaTime(publication.publishedAt), text: request.t("history.published", code),
                                  reason: publication.reason.ifAny, at: publication.publishedAt))
        }
        for publication in try await YearPublicationModel.query(on: request.db).filter(\.$plan.$id == planID).all() {
            updates.append(Update(date: Formatting.jakartaTime(publication.publishedAt), text: request.t("history.published", String(publication.year)),
                                  reason: publication.reason.ifAny, at: publication.publishedAt))
        }
        let scheme = try SchemeStore.domainScheme(plan.scheme, categories: plan.scheme.categories)
        for correction in try await ResultCorrectionModel.query(on: request.db).filter(\.$plan.$id == planID).with(\.$commitment).all() {
            let view = CorrectionView(correction, scheme: scheme, request: request)
            updates.append(Update(date: view.at, text: request.t("history.corrected", String(correction.commitment.number), correction.period,
                                                                 view.before, view.after),
                                  reason: correction.reason.ifAny, at: correction.madeAt))
        }
        return updates.sorted { $0.at > $1.at }
    }
}
