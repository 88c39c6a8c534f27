import Foundation
import Vapor

/// Search across plans, commitments, measures and targets, published reports and minutes.
struct SearchController {
    struct HitView: Encodable {
        let kindKey: String
        let url: String
        let title: String
        let snippet: String
        let planCode: String
    }

    struct SearchPage: Encodable {
        let page: PageMeta
        let query: String
        let hits: [HitView]
        let hasQuery: Bool
        let hasHits: Bool
    }

    func page(req: Request) async throws -> View {
        let query = String(((try? req.query.get(String.self, at: "q")) ?? "").prefix(200))
        let hits = try await SearchIndex.search(query, on: req.db).map {
            HitView(kindKey: "search.kind." + $0.kind, url: $0.url, title: $0.title, snippet: $0.snippet, planCode: $0.planCode)
        }
        return try await req.view.render("search", SearchPage(page: PageMeta(request: req, title: req.t("search.title")), query: query,
                                                              hits: hits, hasQuery: !query.isEmpty, hasHits: !hits.isEmpty))
    }

    func api(req: Request) async throws -> [SearchIndex.Hit] {
        let query = String(((try? req.query.get(String.self, at: "q")) ?? "").prefix(200))
        return try await SearchIndex.search(query, on: req.db)
    }
}

extension SearchIndex.Hit: Content {}
