import Fluent
import Foundation
import PantauDomain
import SQLKit

/// Keeps the search index in step with what is public, and answers searches.
public enum SearchIndex {
    public struct Hit: Sendable, Codable {
        public let kind: String
        public let url: String
        public let title: String
        public let snippet: String
        public let planCode: String
    }

    /// Rebuilds the index of one plan (or of all) from what is public now. Called when something is published or imported.
    /// - Parameter written: the plan's document as just written, if the caller has it: a big plan is not read back.
    public static func rebuild(planCode: String? = nil, written: PlanDocument? = nil, on database: any Database) async throws {
        var entries: [SearchEntryModel] = []
        let plans = try await ActionPlanModel.query(on: database).all().filter { planCode == nil || $0.code == planCode }
        let planIDs = plans.map { $0.id! }
        for plan in plans {
            entries.append(SearchEntryModel(kind: "plan", url: SiteURL.plan.path(plan.code), title: plan.title, body: plan.code, planCode: plan.code))
            let document = if let written, written.code == plan.code { written } else {
                try await PlanReader.document(code: plan.code, on: database)
            }
            for commitment in document.commitments {
                let url = SiteURL.commitment.path(plan.code, commitment.number)
                let description = commitment.description
                entries.append(SearchEntryModel(
                    kind: "commitment", url: url, title: "\(commitment.number). \(commitment.title)",
                    body: [description.problem, description.commitment, description.howItSolves, description.openGovernmentRelevance,
                           commitment.responsible.joined(separator: " "), commitment.proposers.joined(separator: " ")].joined(separator: "\n"),
                    planCode: plan.code))
                for goal in commitment.goals {
                    for measure in goal.measures {
                        entries.append(SearchEntryModel(kind: "measure", url: url, title: measure.text,
                                                        body: ([goal.text, measure.responsible] + measure.targets.map(\.text)).joined(separator: "\n"),
                                                        planCode: plan.code))
                    }
                }
            }
        }
        let semesterIDs = try await PlanSemesterModel.query(on: database).filter(\.$plan.$id ~~ planIDs).all(\.$id)
        let published = try await SemesterPublicationModel.query(on: database).filter(\.$semester.$id ~~ semesterIDs).all().map { $0.$semester.id }
        let targetIDs = try await TargetModel.query(on: database).filter(\.$semester.$id ~~ published).all(\.$id)
        let reports = try await ReportQueries.reports({ $0.filter(\.$target.$id ~~ targetIDs).filter(\.$status == .scored) },
                                                      language: .id, viewer: nil, on: database)
        entries += reports.map {
            SearchEntryModel(kind: "report", url: SiteURL.commitment.path($0.planCode, $0.commitmentNumber), title: "\($0.semester) · \($0.target)",
                             body: [$0.organisation, $0.achievement].joined(separator: "\n"), planCode: $0.planCode)
        }
        let meetings = try await MeetingModel.query(on: database).filter(\.$isPublished == true).filter(\.$plan.$id ~~ planIDs).with(\.$plan).all()
        for meeting in meetings {
            let record = meeting.record
            let body = ((record?.agenda ?? []) + (record?.points.map(\.text) ?? []) + (record?.followUps ?? [])).joined(separator: "\n")
            entries.append(SearchEntryModel(kind: "meeting", url: SiteURL.meeting.path(meeting.id!), title: meeting.title, body: body,
                                            planCode: meeting.plan.code))
        }

        let sql = database as! any SQLDatabase
        let isSQLite = sql.dialect.name == "sqlite"
        let all = entries
        try await database.transaction { db in
            let sql = db as! any SQLDatabase
            if let planCode {
                if isSQLite {
                    try await sql.raw("DELETE FROM search_fts WHERE entry_id IN (SELECT id FROM search_entries WHERE plan_code = \(bind: planCode))").run()
                }
                try await SearchEntryModel.query(on: db).filter(\.$planCode == planCode).delete()
            } else {
                try await SearchEntryModel.query(on: db).delete()
                if isSQLite { try await sql.raw("DELETE FROM search_fts").run() }
            }
            try await BulkInsert.rows(into: SearchEntryModel.schema, columns: ["id", "kind", "url", "title", "body", "plan_code"],
                                      all.map { [.id($0.id!), .text($0.kind), .text($0.url), .text($0.title), .text($0.body), .text($0.planCode)] },
                                      on: db)
            if isSQLite {
                try await BulkInsert.rows(into: "search_fts", columns: ["title", "body", "entry_id"],
                                          all.map { [.text($0.title), .text($0.body), .text($0.id!.uuidString)] }, on: db)
            }
        }
    }

    public static func search(_ query: String, on database: any Database, limit: Int = 50) async throws -> [Hit] {
        let words = query.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init).filter { !$0.isEmpty }.prefix(10)
        guard !words.isEmpty else { return [] }
        let sql = database as! any SQLDatabase
        struct Row: Decodable {
            let kind: String
            let url: String
            let title: String
            let body: String
            let plan_code: String
        }
        let rows: [Row]
        if sql.dialect.name == "sqlite" {
            // Every word must occur, as a word or the start of one ("adu" finds "aduan").
            let match = words.map { "\"\($0.replacingOccurrences(of: "\"", with: ""))\"*" }.joined(separator: " AND ")
            rows = try await sql.raw("""
                SELECT e.kind, e.url, e.title, e.body, e.plan_code FROM search_fts f JOIN search_entries e ON e.id = f.entry_id
                WHERE search_fts MATCH \(bind: match) ORDER BY rank LIMIT \(literal: limit)
                """).all(decoding: Row.self)
        } else {
            // Indonesian stemming: "pengaduan" and "aduan" share a stem.
            let text = words.joined(separator: " ")
            rows = try await sql.raw("""
                SELECT kind, url, title, body, plan_code FROM search_entries
                WHERE to_tsvector('indonesian', title || ' ' || body) @@ plainto_tsquery('indonesian', \(bind: text))
                ORDER BY ts_rank(to_tsvector('indonesian', title || ' ' || body), plainto_tsquery('indonesian', \(bind: text))) DESC
                LIMIT \(literal: limit)
                """).all(decoding: Row.self)
        }
        return rows.map { Hit(kind: $0.kind, url: $0.url, title: $0.title, snippet: snippet($0.body, words: Array(words)), planCode: $0.plan_code) }
    }

    /// About 200 characters of the text around the first word found.
    static func snippet(_ text: String, words: [String]) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        // Searched in `flat` itself: an index found in `flat.lowercased()` may lie elsewhere, or past the end, in `flat`
        // ("İ" lower-cases to two scalars), and using it there stops the process.
        guard let found = words.lazy.compactMap({ flat.range(of: $0, options: [.caseInsensitive, .diacriticInsensitive]) }).first else {
            return String(flat.prefix(200))
        }
        let start = flat.index(found.lowerBound, offsetBy: -80, limitedBy: flat.startIndex) ?? flat.startIndex
        let end = flat.index(start, offsetBy: 200, limitedBy: flat.endIndex) ?? flat.endIndex
        return (start > flat.startIndex ? "…" : "") + flat[start..<end] + (end < flat.endIndex ? "…" : "")
    }
}
