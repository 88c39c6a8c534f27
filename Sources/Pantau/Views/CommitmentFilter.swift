import Foundation
import PantauDomain
import Vapor

/// The filters of a plan's commitments on its page and its dashboard: theme, latest published category, one responsible
/// organisation, and the kind of organisation responsible (a ministry or agency, a CSO). Read from the query string;
/// a value no commitment has simply matches nothing, never an error.
struct CommitmentFilter {
    static let queryNames = ["theme", "category", "organisation", "kind"]

    let theme: String?
    let category: String?
    let organisation: String?
    let kind: String?

    init(_ request: Request) {
        func value(_ name: String) -> String? {
            (try? request.query.get(String.self, at: name)).flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
        }
        theme = value("theme")
        category = value("category")
        organisation = value("organisation")
        kind = value("kind")
    }

    var isActive: Bool { [theme, category, organisation, kind].contains { $0 != nil } }

    func keeps(_ commitment: API.CommitmentSummaryDTO, status: PlanProgress.CommitmentStatus?) -> Bool {
        if let theme, commitment.theme != theme { return false }
        if let category, (status?.categoryCode ?? "") != category { return false }
        if let organisation, !commitment.responsible.contains(where: { $0.id == organisation }) { return false }
        if let kind, !commitment.responsible.contains(where: { $0.kind.rawValue == kind }) { return false }
        return true
    }

    /// The filter form's selects, offering only what the plan's commitments have.
    func form(for commitments: [API.CommitmentSummaryDTO], progress: PlanProgress, shown: Int, clearURL: String, request: Request) -> Form {
        let any = request.t("filter.any")
        let themes = Array(Set(commitments.map(\.theme).filter { !$0.isEmpty })).sorted()
        var organisations: [API.OrganisationRefDTO] = []
        for organisation in commitments.flatMap(\.responsible) where !organisations.contains(where: { $0.id == organisation.id }) {
            organisations.append(organisation)
        }
        organisations.sort { ($0.acronym ?? $0.name) < ($1.acronym ?? $1.name) }
        let kinds = OrganisationKind.allCases.filter { kind in organisations.contains { $0.kind == kind } }
        var categories = progress.categories.map { SelectField.Option(value: $0.code, label: $0.label, selected: $0.code == category) }
        if categories.isEmpty, let category { categories = [.init(value: category, label: category, selected: true)] }
        return Form(
            theme: SelectField(id: "filter-theme", name: "theme", emptyLabel: any,
                               options: themes.map { .init(value: $0, label: $0, selected: $0 == theme, content: true) }),
            category: SelectField(id: "filter-category", name: "category", emptyLabel: any, options: categories),
            hasCategories: !categories.isEmpty,
            organisation: SelectField(id: "filter-organisation", name: "organisation", emptyLabel: any, options: organisations.map { item in
                .init(value: item.id, label: item.acronym.map { "\($0) – \(item.name)" } ?? item.name, selected: item.id == organisation,
                      content: true)
            }),
            kind: SelectField(id: "filter-kind", name: "kind", emptyLabel: any, options: kinds.map {
                .init(value: $0.rawValue, label: request.t("organisation.kind." + $0.rawValue), selected: $0.rawValue == kind)
            }),
            isActive: isActive, summary: request.t("filter.shown", String(shown), String(commitments.count)), clearURL: clearURL)
    }

    struct Form: Encodable {
        let theme: SelectField
        let category: SelectField
        let hasCategories: Bool
        let organisation: SelectField
        let kind: SelectField
        let isActive: Bool
        /// "5 dari 18 komitmen ditampilkan".
        let summary: String
        /// The same page without filters.
        let clearURL: String
    }
}
