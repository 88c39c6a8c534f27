import Fluent
import Foundation
import PantauDomain
import SQLKit
import Vapor

/// Every organisation that takes part in plans (`/organisations`, `/api/v1/organisations`), found by name or acronym,
/// each with the plans it works in: as proposer, responsible, related or partner of a commitment, or responsible
/// for a measure. Fifty to a page.
struct OrganisationIndexController {
    static let queryNames = ["q", "kind", "page"]
    static let pageSize = 50

    struct OrganisationDTO: Content {
        let id: String
        let name: String
        let acronym: String?
        let kind: OrganisationKind
        let plans: [API.PlanRefDTO]
    }

    struct ListDTO: Content {
        let query: String
        let kind: OrganisationKind?
        let page: Int
        let pageCount: Int
        /// How many organisations match, over all pages.
        let total: Int
        let organisations: [OrganisationDTO]
    }

    func api(req: Request) async throws -> ListDTO {
        try await list(req)
    }

    func page(req: Request) async throws -> View {
        let list = try await list(req)
        let kinds = SelectField(id: "kind", emptyLabel: req.t("overview.every_kind"), options: OrganisationKind.allCases.map {
            .init(value: $0.rawValue, label: req.t("organisation.kind." + $0.rawValue), selected: $0 == list.kind)
        })
        return try await req.view.render("organisations", Page(
            page: PageMeta(request: req, title: req.t("organisations.title")), list: list, kinds: kinds,
            rows: list.organisations.map { Row(organisation: $0, kindKey: "organisation.kind." + $0.kind.rawValue) },
            pages: PageLinks(page: list.page, total: list.total, size: Self.pageSize, request: req)))
    }

    private func list(_ req: Request) async throws -> ListDTO {
        let query = ((try? req.query.get(String.self, at: "q")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let kindText = (try? req.query.get(String.self, at: "kind")) ?? ""
        let kind = OrganisationKind(rawValue: kindText)
        if !kindText.isEmpty, kind == nil { throw AppError.invalid(key: "organisations.bad_query", arguments: ["kind", kindText]) }
        let page = try PageLinks.requestedPage(req)
        guard query.count <= 200 else { throw AppError.invalid(key: "form.too_long", arguments: ["200"]) }

        let needle = query.lowercased()
        let matching = try await OrganisationModel.query(on: req.db).sort(\.$name).all().filter { organisation in
            (kind == nil || organisation.kind == kind)
                && (needle.isEmpty || organisation.name.lowercased().contains(needle) || (organisation.acronym?.lowercased().contains(needle) ?? false))
        }
        let pageCount = max(1, (matching.count + Self.pageSize - 1) / Self.pageSize)
        let shown = Array(matching.dropFirst((page - 1) * Self.pageSize).prefix(Self.pageSize))
        let plans = try await Self.plans(of: shown.compactMap(\.id), on: req.db)
        return ListDTO(query: query, kind: kind, page: page, pageCount: pageCount, total: matching.count, organisations: shown.map {
            OrganisationDTO(id: $0.id!.uuidString, name: $0.name, acronym: $0.acronym, kind: $0.kind, plans: plans[$0.id!] ?? [])
        })
    }

    /// The plans each organisation works in, newest plan first, in two queries.
    static func plans(of organisations: [UUID], on database: any Database) async throws -> [UUID: [API.PlanRefDTO]] {
        guard !organisations.isEmpty, let sql = database as? any SQLDatabase else { return [:] }
        struct Row: Decodable { let organisation_id: UUID; let code: String; let title: String }
        let ids = SQLGroupExpression(organisations.map { SQLBind($0) })
        let asParty = try await sql.raw("""
            SELECT DISTINCT co.organisation_id, p.code, p.title FROM commitment_organisations co
            JOIN commitments c ON c.id = co.commitment_id JOIN action_plans p ON p.id = c.plan_id
            WHERE co.organisation_id IN \(ids)
            """).all(decoding: Row.self)
        let asResponsible = try await sql.raw("""
            SELECT DISTINCT m.responsible_organisation_id AS organisation_id, p.code, p.title FROM success_measures m
            JOIN goals g ON g.id = m.goal_id JOIN commitments c ON c.id = g.commitment_id JOIN action_plans p ON p.id = c.plan_id
            WHERE m.responsible_organisation_id IN \(ids)
            """).all(decoding: Row.self)
        var result: [UUID: [API.PlanRefDTO]] = [:]
        for (organisation, rows) in Dictionary(grouping: asParty + asResponsible, by: \.organisation_id) {
            var seen = Set<String>()
            result[organisation] = rows.filter { seen.insert($0.code).inserted }.sorted { $0.code > $1.code }
                .map { API.PlanRefDTO(code: $0.code, title: $0.title) }
        }
        return result
    }

    struct Page: Encodable {
        let page: PageMeta
        let list: ListDTO
        let kinds: SelectField
        let rows: [Row]
        let pages: PageLinks
    }

    struct Row: Encodable {
        let organisation: OrganisationDTO
        let kindKey: String
    }
}
