import Fluent
import Foundation
import PantauDomain
import Vapor

/// An Atom feed of what the secretariat publishes: semester results and minutes of meetings. It is the same for
/// everyone (and kept by `PublicPageCache`), so nothing in it comes from the request: links are absolute under
/// `PANTAU_PUBLIC_URL` when it is set, else relative to the feed's own address (never the request's Host header,
/// which anyone can forge); entry ids are then `tag:` URIs, which need no host.
struct FeedController {
    func atom(req: Request) async throws -> Response {
        let addresses = FeedAddresses(req)
        func link(_ path: String) -> String { addresses.link(path) }
        func id(_ path: String) -> String { addresses.id(path) }
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
        // Co-creation phases as they open and close: the days on each draft plan's timeline.
        for phases in try await CoCreationPhaseModel.query(on: req.db).with(\.$plan).all() {
            let timeline = phases.timeline
            for phase in CoCreationPhase.allCases {
                let dates = timeline[phase]
                let name = req.t("cocreation.phase." + phase.rawValue)
                let path = SiteURL.cocreationPlan.path(phases.plan.code) + "#phase-" + phase.rawValue
                let planned = dates.plannedEnd.map { req.t("feed.phase_planned_end", Formatting.day($0, req.language)) } ?? ""
                for (day, key, suffix) in [(dates.actualStart, "feed.phase_opened", "-opened"), (dates.actualEnd, "feed.phase_closed", "-closed")] {
                    guard let day, let date = Self.startOfDay(day) else { continue }
                    entries.append((date, entry(id: id(path + suffix), title: req.t(key, name, phases.plan.title), link: link(path),
                                                updated: formatter.string(from: date), summary: suffix == "-opened" ? planned : name)))
                }
            }
        }
        return feed(req, title: req.t("feed.title"), selfPath: SiteURL.feed.path(), pagePath: "/", entries: entries)
    }

    /// Midnight in Jakarta on `day`: the secretariat records phases by the day.
    private static func startOfDay(_ day: CalendarDay) -> Date? {
        try? Date(day.iso + "T00:00:00+07:00", strategy: .iso8601)
    }

    /// One commitment's feed, for those who follow it without giving an address: its result in each published
    /// semester, and each correction of it with its reason.
    func commitment(req: Request) async throws -> Response {
        let code: String = try req.parameters.require("code")
        let numberText: String = try req.parameters.require("number")
        let plan = try await PeriodResults.plan(code: code, on: req.db)
        guard plan.status == .adopted, let number = Int(numberText),
              let commitment = try await CommitmentModel.query(on: req.db).filter(\.$plan.$id == plan.requireID()).filter(\.$number == number).first()
        else { throw AppError.commitmentNotFound(plan: code, number: numberText) }
        let addresses = FeedAddresses(req)
        func link(_ path: String) -> String { addresses.link(path) }
        func id(_ path: String) -> String { addresses.id(path) }
        let formatter = ISO8601DateFormatter()
        let page = SiteURL.commitment.path(code, number)
        var entries: [(date: Date, xml: String)] = []
        let publications = try await SemesterPublicationModel.query(on: req.db).join(PlanSemesterModel.self, on: \SemesterPublicationModel.$semester.$id == \PlanSemesterModel.$id)
            .filter(PlanSemesterModel.self, \.$plan.$id == plan.requireID()).with(\.$semester).all()
        for publication in publications {
            let period = ReportPeriod.semester(publication.semester.code)
            let result = try await PeriodResults.load(plan: plan, period: period, commitmentID: commitment.requireID(), on: req.db).commitments.first
            let summary = result.flatMap { row in row.result.finalScore.map { req.t("feed.commitment_score", "\($0)", row.categoryLabel(req.language)) } }
                ?? req.t("feed.commitment_unscored")
            entries.append((publication.publishedAt, entry(id: id(page + "#" + publication.semester.code), title: req.t("feed.commitment_result", "\(number)", publication.semester.code),
                                                            link: link(page), updated: formatter.string(from: publication.publishedAt), summary: summary)))
        }
        let corrections = try await ResultCorrectionModel.query(on: req.db).filter(\.$commitment.$id == commitment.requireID()).all()
        for correction in corrections {
            entries.append((correction.madeAt, entry(id: id(page + "#correction-" + (correction.id?.uuidString.lowercased() ?? "")),
                                                     title: req.t("feed.commitment_correction", "\(number)", correction.period), link: link(page),
                                                     updated: formatter.string(from: correction.madeAt), summary: correction.reason)))
        }
        return feed(req, title: req.t("feed.commitment_title", "\(number)", commitment.title, plan.code),
                    selfPath: SiteURL.commitmentFeed.path(code, number), pagePath: page, entries: entries)
    }

    /// The feed around its entries, newest first; links absolute under `PANTAU_PUBLIC_URL` (see the type's comment).
    private func feed(_ req: Request, title: String, selfPath: String, pagePath: String, entries: [(date: Date, xml: String)]) -> Response {
        let addresses = FeedAddresses(req)
        func link(_ path: String) -> String { addresses.link(path) }
        func id(_ path: String) -> String { addresses.id(path) }
        let formatter = ISO8601DateFormatter()
        let entries = entries.sorted { $0.date > $1.date }
        let updated = entries.first.map { formatter.string(from: $0.date) } ?? formatter.string(from: Date(timeIntervalSince1970: 0))
        let xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(req.language.rawValue)">
            <title>\(escape(title))</title>
            <id>\(escape(id(selfPath)))</id>
            <link rel="self" href="\(escape(link(selfPath)))"/>
            <link href="\(escape(link(pagePath)))"/>
            <updated>\(updated)</updated>
            <author><name>\(escape(req.t("app.name")))</name></author>
            <rights>\(escape(req.t("data.licence_line", req.application.dataLicence.title, req.application.dataLicence.url)))</rights>
            <link rel="license" href="\(escape(req.application.dataLicence.url))"/>
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

/// Links of a feed: absolute under `PANTAU_PUBLIC_URL` when it is set, else relative; entry ids `tag:` URIs then.
private struct FeedAddresses {
    let base: String?

    init(_ req: Request) {
        base = req.application.publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    func link(_ path: String) -> String { (base ?? "") + path }
    func id(_ path: String) -> String { base.map { $0 + path } ?? "tag:pantau,2020:" + path }
}

extension Application {
    private struct PublicURLKey: StorageKey { typealias Value = String }

    /// `PANTAU_PUBLIC_URL`: the address people use, such as `https://pantau.example.go.id`.
    var publicURL: String? {
        get { storage[PublicURLKey.self] }
        set { storage[PublicURLKey.self] = newValue }
    }
}
