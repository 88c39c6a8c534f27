import Fluent
import Foundation
import Vapor

/// An Atom feed of what the secretariat publishes: semester results and minutes of meetings.
struct FeedController {
    func atom(req: Request) async throws -> Response {
        let base = req.application.publicBaseURL(for: req)
        let formatter = ISO8601DateFormatter()
        var entries: [(date: Date, xml: String)] = []
        let publications = try await SemesterPublicationModel.query(on: req.db).with(\.$semester) { $0.with(\.$plan) }.all()
        for publication in publications {
            let plan = publication.semester.plan
            let link = "\(base)/plans/\(plan.code)/report?period=\(publication.semester.code)"
            let title = req.t("feed.results", plan.title, publication.semester.code)
            entries.append((publication.publishedAt, entry(id: link, title: title, link: link, updated: formatter.string(from: publication.publishedAt),
                                                            summary: req.t("feed.results_summary", publication.semester.code, plan.title))))
        }
        let meetings = try await MeetingModel.query(on: req.db).filter(\.$isPublished == true).all()
        for meeting in meetings {
            let link = "\(base)/meetings/\(meeting.id!.uuidString)"
            let date = meeting.createdAt ?? Date(timeIntervalSince1970: 0)
            entries.append((date, entry(id: link, title: req.t("feed.meeting", meeting.title), link: link,
                                        updated: formatter.string(from: date), summary: meeting.date)))
        }
        entries.sort { $0.date > $1.date }
        let updated = entries.first.map { formatter.string(from: $0.date) } ?? formatter.string(from: Date(timeIntervalSince1970: 0))
        let xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(req.language.rawValue)">
            <title>\(escape(req.t("feed.title")))</title>
            <id>\(escape(base))/feed.atom</id>
            <link rel="self" href="\(escape(base))/feed.atom"/>
            <link href="\(escape(base))/"/>
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

    /// `PANTAU_PUBLIC_URL` when set; otherwise the address the request came to.
    var publicURL: String? {
        get { storage[PublicURLKey.self] }
        set { storage[PublicURLKey.self] = newValue }
    }

    func publicBaseURL(for request: Request) -> String {
        if let url = publicURL { return url.hasSuffix("/") ? String(url.dropLast()) : url }
        return "http://" + (request.headers.first(name: .host) ?? "localhost")
    }
}
