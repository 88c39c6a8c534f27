import Fluent
import Foundation
import Vapor

/// An Atom feed of what the secretariat publishes: semester results and minutes of meetings. It is the same for
/// everyone (and kept by `PublicPageCache`), so nothing in it comes from the request: links are absolute under
/// `PANTAU_PUBLIC_URL` when it is set, else relative to the feed's own address (never the request's Host header,
/// which anyone can forge); entry ids are then `tag:` URIs, which need no host.
struct FeedController {
    func atom(req: Request) async throws -> Response {
        let base = req.application.publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        func link(_ path: String) -> String { (base ?? "") + path }
        func id(_ path: String) -> String { base.map { $0 + path } ?? "tag:pantau,2020:" + path }
        let formatter = ISO8601DateFormatter()
        var entries: [(date: Date, xml: String)] = []
        let publications = try await SemesterPublicationModel.query(on: req.db).with(\.$semester) { $0.with(\.$plan) }.all()
        for publication in publications {
            let plan = publication.semester.plan
            let path = SiteURL.evaluation.path(plan.code).with(query: [("period", publication.semester.code)])
            let title = req.t("feed.results", plan.title, publication.semester.code)
            entries.append((publication.publishedAt, entry(id: id(path), title: title, link: link(path), updated: formatter.string(from: publication.publishedAt),
                                                            summary: req.t("feed.results_summary", publication.semester.code, plan.title))))
        }
        let meetings = try await MeetingModel.query(on: req.db).filter(\.$isPublished == true).all()
        for meeting in meetings {
            let path = SiteURL.meeting.path(meeting.id!)
            let date = meeting.createdAt ?? Date(timeIntervalSince1970: 0)
            entries.append((date, entry(id: id(path), title: req.t("feed.meeting", meeting.title), link: link(path),
                                        updated: formatter.string(from: date), summary: meeting.date)))
        }
        entries.sort { $0.date > $1.date }
        let updated = entries.first.map { formatter.string(from: $0.date) } ?? formatter.string(from: Date(timeIntervalSince1970: 0))
        let xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(req.language.rawValue)">
            <title>\(escape(req.t("feed.title")))</title>
            <id>\(escape(id(SiteURL.feed.path())))</id>
            <link rel="self" href="\(escape(link(SiteURL.feed.path())))"/>
            <link href="\(escape(link("/")))"/>
            <updated>\(updated)</updated>
            <author><name>\(escape(req.t("app.name")))</name></author>
            \(entries.map(\.xml).joined(separator: "\n"))
            </feed>
            """
        let response = Response(status: .ok, body: .init(string: xml))
        response.headers.replaceOrAdd(name: .contentType, value: "application/atom+xml; charset=utf-8")
        return response
    }

    private func entry(id: String, title: String, link: String, updated: String, summary: String) -> String {
        "<entry><id>\(escape(id))</id><title>\(escape(title))</title><link href=\"\(escape(link))\"/><updated>\(updated)</updated>"
            + "<summary>\(escape(summary))</summary></entry>"
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

extension Application {
    private struct PublicURLKey: StorageKey { typealias Value = String }

    /// `PANTAU_PUBLIC_URL`: the address people use, such as `https://pantau.example.go.id`.
    var publicURL: String? {
        get { storage[PublicURLKey.self] }
        set { storage[PublicURLKey.self] = newValue }
    }
}
