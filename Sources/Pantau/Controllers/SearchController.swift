import Fluent
import Foundation
import Vapor

/// Search across plans, commitments, measures and targets, published reports and minutes, filtered by kind and plan.
struct SearchController {
    struct HitView: Encodable {
        let kindKey: String
        let url: String
        let title: String
        let snippet: String
        let planCode: String
    }

    /// A link that narrows the results to one kind (or shows all), with how many there are.
    struct KindLink: Encodable {
        let labelKey: String
        let count: Int
        let url: String
        let isSelected: Bool
    }

    struct PlanOption: Encodable {
        let code: String
        let title: String
        let isSelected: Bool
    }

    struct SearchPage: Encodable {
        let page: PageMeta
        let query: String
        let hits: [HitView]
        let hasQuery: Bool
        let hasHits: Bool
        /// Matches of the kind and plan chosen, which may be more than the hits listed.
        let total: Int
        let kinds: [KindLink]
        let plans: [PlanOption]
    }

    /// What a search asks for, from the query string; unknown kinds and plans are ignored, as elsewhere in the API.
    struct Parameters {
        let query: String
        let filter: SearchIndex.Filter

        init(_ req: Request) {
            query = String(((try? req.query.get(String.self, at: "q")) ?? "").prefix(200))
            let plan = ((try? req.query.get(String.self, at: "plan")) ?? "").prefix(100)
            filter = SearchIndex.Filter(kind: (try? req.query.get(String.self, at: "kind")).flatMap(SearchIndex.Kind.init(rawValue:)),
                                        planCode: plan.isEmpty ? nil : String(plan))
        }
    }

    func page(req: Request) async throws -> View {
        let asked = Parameters(req)
        let results = try await SearchIndex.search(asked.query, filter: asked.filter, on: req.db)
        let hits = results.hits.map {
            HitView(kindKey: "search.kind." + $0.kind, url: $0.url, title: $0.title, snippet: $0.snippet, planCode: $0.planCode)
        }
        let plans = try await ActionPlanModel.query(on: req.db).sort(\.$code).all().map {
            PlanOption(code: $0.code, title: $0.title, isSelected: $0.code == asked.filter.planCode)
        }
        return try await req.view.render("search", SearchPage(
            page: PageMeta(request: req, title: req.t("search.title")), query: asked.query, hits: hits,
            hasQuery: !asked.query.isEmpty, hasHits: !hits.isEmpty, total: results.total(of: asked.filter),
            kinds: Self.kindLinks(results, asked: asked), plans: plans))
    }

    /// "All" and each kind that has matches (or is chosen), keeping the query and the plan.
    static func kindLinks(_ results: SearchIndex.Results, asked: Parameters) -> [KindLink] {
        func url(_ kind: SearchIndex.Kind?) -> String {
            var components = URLComponents()
            components.path = SiteURL.search.path()
            components.queryItems = [URLQueryItem(name: "q", value: asked.query)]
                + (kind.map { [URLQueryItem(name: "kind", value: $0.rawValue)] } ?? [])
                + (asked.filter.planCode.map { [URLQueryItem(name: "plan", value: $0)] } ?? [])
            return components.string ?? SiteURL.search.path()
        }
        let all = KindLink(labelKey: "search.kind.all", count: results.total(of: SearchIndex.Filter(planCode: asked.filter.planCode)),
                           url: url(nil), isSelected: asked.filter.kind == nil)
        return [all] + SearchIndex.Kind.allCases.filter { (results.counts[$0] ?? 0) > 0 || $0 == asked.filter.kind }.map {
            KindLink(labelKey: "search.kind." + $0.rawValue, count: results.counts[$0] ?? 0, url: url($0), isSelected: $0 == asked.filter.kind)
        }
    }

    /// The hits as JSON, best first; how many match in all is in the `X-Total-Count` header.
    func api(req: Request) async throws -> Response {
        let asked = Parameters(req)
        let results = try await SearchIndex.search(asked.query, filter: asked.filter, on: req.db)
        let response = try await results.hits.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: "X-Total-Count", value: "\(results.total(of: asked.filter))")
        return response
    }
}

extension SearchIndex.Hit: Content {}
