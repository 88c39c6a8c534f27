import Fluent
import Foundation
import PantauDomain
import SQLKit

extension SearchIndex {
    /// Narrows a search to one kind of entry and/or one plan.
    public struct Filter: Sendable, Equatable {
        public var kind: Kind?
        public var planCode: String?

        public init(kind: Kind? = nil, planCode: String? = nil) {
            self.kind = kind
            self.planCode = planCode
        }
    }

    /// The hits of a search, best first, and how many entries of each kind match in the plan filtered to (whatever the
    /// kind filter), so a page can offer the other kinds with their counts.
    public struct Results: Sendable {
        public let hits: [Hit]
        public let counts: [Kind: Int]

        /// Entries matching both filters, which may be more than the hits listed.
        public func total(of filter: Filter) -> Int {
            filter.kind.map { counts[$0] ?? 0 } ?? counts.values.reduce(0, +)
        }

        static let empty = Results(hits: [], counts: [:])
    }

    /// The entries whose terms hold every stem of the query (the last also as a beginning), best first: entries whose
    /// title matches before those matched in their text only; among those, by kind (a plan, then a commitment, then its
    /// measures and reports, then minutes); then by the database's own ranking.
    public static func search(_ query: String, filter: Filter = Filter(), on database: any Database, limit: Int = 50) async throws -> Results {
        let query = SearchQuery(query)
        guard !query.isEmpty else { return .empty }
        let sql = database as! any SQLDatabase
        let rows: [Row]
        let counted: [KindCount]
        if sql.dialect.name == "sqlite" {
            // Matched, ordered and cut to the page in the FTS5 table alone (it holds kind and plan); only the hits
            // listed are joined to their entries.
            let match = SQLQueryString("search_fts MATCH \(bind: query.fts5())\(planFilter(filter.planCode, column: "plan_code"))")
            rows = try await sql.raw("""
                SELECT e.kind, e.url, e.title, e.body, e.plan_code FROM (
                    SELECT entry_id, rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH \(bind: query.fts5(column: "title_terms"))) AS title_hit,
                           \(kindOrder("kind")) AS kind_order, rank
                    FROM search_fts WHERE \(match)\(kindFilter(filter.kind, column: "kind"))
                    ORDER BY title_hit DESC, kind_order, rank, rowid LIMIT \(literal: limit)
                ) f JOIN search_entries e ON e.id = f.entry_id
                ORDER BY f.title_hit DESC, f.kind_order, f.rank, e.url
                """).all(decoding: Row.self)
            counted = try await sql.raw("SELECT kind, COUNT(*) AS count FROM search_fts WHERE \(match) GROUP BY kind").all(decoding: KindCount.self)
        } else {
            let tsquery = query.tsquery
            let from = SQLQueryString("""
                FROM search_entries
                WHERE terms @@ to_tsquery('simple', \(bind: tsquery))\(planFilter(filter.planCode, column: "plan_code"))
                """)
            rows = try await sql.raw("""
                SELECT kind, url, title, body, plan_code \(from)\(kindFilter(filter.kind, column: "kind"))
                ORDER BY to_tsvector('simple', title_terms) @@ to_tsquery('simple', \(bind: tsquery)) DESC, \(kindOrder("kind")),
                         ts_rank(terms, to_tsquery('simple', \(bind: tsquery))) DESC, url
                LIMIT \(literal: limit)
                """).all(decoding: Row.self)
            counted = try await sql.raw("SELECT kind, COUNT(*) AS count \(from) GROUP BY kind").all(decoding: KindCount.self)
        }
        var counts: [Kind: Int] = [:]
        for row in counted { if let kind = Kind(rawValue: row.kind) { counts[kind] = row.count } }
        let hits = rows.map {
            Hit(kind: $0.kind, url: $0.url, title: $0.title, snippet: snippet($0.body, matching: query), planCode: $0.plan_code)
        }
        return Results(hits: hits, counts: counts)
    }

    private struct Row: Decodable {
        let kind: String
        let url: String
        let title: String
        let body: String
        let plan_code: String
    }

    private struct KindCount: Decodable {
        let kind: String
        let count: Int
    }

    private static func planFilter(_ planCode: String?, column: String) -> SQLQueryString {
        guard let planCode else { return "" }
        return " AND \(unsafeRaw: column) = \(bind: planCode)"
    }

    private static func kindFilter(_ kind: Kind?, column: String) -> SQLQueryString {
        guard let kind else { return "" }
        return " AND \(unsafeRaw: column) = \(bind: kind.rawValue)"
    }

    private static func kindOrder(_ column: String) -> SQLQueryString {
        let cases = Kind.allCases.map { "WHEN '\($0.rawValue)' THEN \($0.order)" }.joined(separator: " ")
        return "CASE \(unsafeRaw: column) \(unsafeRaw: cases) ELSE \(literal: Kind.allCases.count) END"
    }

    /// About 200 characters of the text around the first word found: a word whose stem is one of the query's, or
    /// which starts with the query's last word or stem as typed.
    static func snippet(_ text: String, matching query: SearchQuery) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        guard let found = firstMatch(in: flat, query: query) else { return String(flat.prefix(200)) }
        let start = flat.index(found, offsetBy: -80, limitedBy: flat.startIndex) ?? flat.startIndex
        let end = flat.index(start, offsetBy: 200, limitedBy: flat.endIndex) ?? flat.endIndex
        return (start > flat.startIndex ? "…" : "") + flat[start..<end] + (end < flat.endIndex ? "…" : "")
    }

    /// Where the first matching word of `text` starts. Words are taken from `text` itself and folded one by one, so
    /// the index found is an index of `text` (folding "İ" changes a text's length, and an index from the folded text
    /// used on the original stops the process).
    private static func firstMatch(in text: String, query: SearchQuery) -> String.Index? {
        var terms = SearchTerms()
        let stems = Set(query.stems)
        let beginnings = [query.words.last, query.stems.last].compactMap { $0 }
        var index = text.startIndex
        while index < text.endIndex {
            guard text[index].isLetter || text[index].isNumber else {
                index = text.index(after: index)
                continue
            }
            let end = text[index...].firstIndex { !($0.isLetter || $0.isNumber || $0 == "-") } ?? text.endIndex
            for word in IndonesianStemmer.words(of: String(text[index..<end])) {
                if terms.stems(of: word).contains(where: stems.contains) || beginnings.contains(where: word.hasPrefix) { return index }
            }
            index = end
        }
        return nil
    }
}
