import Foundation
import Vapor

/// Which page of a long list a page shows, with links to the pages beside it that keep every other query parameter
/// (`pages.leaf` draws them).
struct PageLinks: Encodable {
    let page: Int
    let pageCount: Int
    let total: Int
    let previous: String?
    let next: String?

    init(page: Int, total: Int, size: Int, request: Request) {
        self.page = page
        self.total = total
        pageCount = max(1, (total + size - 1) / size)
        func link(_ page: Int) -> String {
            var components = URLComponents(string: request.url.string) ?? URLComponents()
            var items = (components.queryItems ?? []).filter { $0.name != "page" }
            items.append(URLQueryItem(name: "page", value: "\(page)"))
            components.queryItems = items
            return (components.path.isEmpty ? request.url.path : components.path) + "?" + (components.percentEncodedQuery ?? "")
        }
        previous = page > 1 ? link(min(page - 1, pageCount)) : nil
        next = page < pageCount ? link(page + 1) : nil
    }

    /// The `page` the request asks for: 1 when it names none; refused (422, naming it) when it is not a page number.
    static func requestedPage(_ request: Request) throws -> Int {
        let text = (try? request.query.get(String.self, at: "page")) ?? ""
        guard !text.isEmpty else { return 1 }
        guard let page = Int(text), (1...100_000).contains(page) else { throw AppError.invalid(key: "pages.bad_page", arguments: [text]) }
        return page
    }
}
