import Fluent
import Foundation
import PantauDomain
import SQLKit

/// Keeps the search index in step with what is public, and answers searches (`SearchIndex+Search.swift`).
///
/// Each entry stores the stems of its words (`SearchTerms`), and a query is stemmed the same way, so both databases
/// find the same entries: SQLite matches the stems with FTS5, PostgreSQL with its 'simple' text search, neither
/// stemming anything itself.
public enum SearchIndex {
    /// What an entry is, in the order a search lists kinds whose titles match equally well.
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case plan, commitment, measure, report, meeting, assessment

        var order: Int { Self.allCases.firstIndex(of: self)! }
    }

    public struct Hit: Sendable, Codable {
        public let kind: String
        /// The page, and for a measure or a report the place on it (`#measure-…`, `#target-…`).
        public let url: String
        public let title: String
        public let snippet: String
        public let planCode: String
    }

    /// Rebuilds the index of one plan (or of all) from what is public now. Called when something is published or imported.
    /// - Parameters:
    ///   - written: the plan's document as just written, if the caller has it: a big plan is not read back.
    ///   - writtenEntries: `Prepared(written, …)`, if the caller has already computed them.
    public static func rebuild(planCode: String? = nil, written: PlanDocument? = nil, writtenEntries: Prepared? = nil,
                               on database: any Database) async throws {
        var terms = SearchTerms()
        var prepared = Prepared(forPostgres: isPostgres(database))
        let plans = try await ActionPlanModel.query(on: database).with(\.$jurisdiction).all().filter { planCode == nil || $0.code == planCode }
        let planIDs = plans.map { $0.id! }
        for plan in plans {
            // A plan is found by its region's name too.
            prepared.append([SearchEntryModel(kind: .plan, url: SiteURL.plan.path(plan.code), title: plan.title,
                                              body: [plan.code, plan.jurisdiction?.name ?? ""].joined(separator: "\n"), planCode: plan.code,
                                              terms: &terms)])
            guard let written, written.code == plan.code else {
                prepared.append(documentEntries(try await PlanReader.document(code: plan.code, on: database), terms: &terms))
                continue
            }
            if let writtenEntries, writtenEntries.forPostgres == prepared.forPostgres {
                prepared.append(writtenEntries)
            } else {
                prepared.append(documentEntries(written, terms: &terms))
            }
        }
        prepared.append(try await reportEntries(planIDs: planIDs, terms: &terms, on: database))
        let meetings = try await MeetingModel.query(on: database).filter(\.$isPublished == true).filter(\.$plan.$id ~~ planIDs).with(\.$plan).all()
        prepared.append(meetings.map { meeting in
            let record = meeting.record
            let body = ((record?.agenda ?? []) + (record?.points.map(\.text) ?? []) + (record?.followUps ?? [])).joined(separator: "\n")
            return SearchEntryModel(kind: .meeting, url: SiteURL.meeting.path(meeting.id!), title: meeting.title, body: body,
                                    planCode: meeting.plan.code, terms: &terms)
        })
        prepared.append(try await assessmentEntries(plans: plans, terms: &terms, on: database))
        try await replace(planCode: planCode, with: prepared, on: database)
    }

    /// Entries with the rows `replace` writes for them. A big plan's are built on another core while the database
    /// writes the plan (`PlanImport`): after its commit, building them was a third of a second nothing else overlapped.
    public struct Prepared: Sendable {
        fileprivate(set) var entries: [SearchEntryModel] = []
        fileprivate(set) var rows: [[BulkInsert.Value]] = []
        /// Whether the rows carry PostgreSQL's text-search vector.
        let forPostgres: Bool

        init(forPostgres: Bool) {
            self.forPostgres = forPostgres
        }

        /// The entries of a plan's commitments, measures and targets, stems computed: Swift's work alone.
        init(_ document: PlanDocument, forPostgres: Bool) {
            self.forPostgres = forPostgres
            var terms = SearchTerms()
            append(SearchIndex.documentEntries(document, terms: &terms))
        }

        fileprivate mutating func append(_ more: [SearchEntryModel]) {
            entries += more
            rows += more.map { entry in
                let row: [BulkInsert.Value] = [.id(entry.id!), .text(entry.kind), .text(entry.url), .text(entry.title), .text(entry.body),
                                               .text(entry.planCode), .text(entry.titleTerms), .text(entry.bodyTerms)]
                // With the text-search vector where Pantau can write it; the rest the database computes (`fillVectors`).
                guard forPostgres else { return row }
                return row + [SearchTerms.postgresVector(of: entry.titleTerms + " " + entry.bodyTerms).map(BulkInsert.Value.text) ?? .null]
            }
        }

        fileprivate mutating func append(_ more: Prepared) {
            entries += more.entries
            rows += more.rows
        }
    }

    static func isPostgres(_ database: any Database) -> Bool {
        (database as? any SQLDatabase)?.dialect.name == "postgresql"
    }

    /// Independent monitors' published assessments, each linking to its place on its commitment's page.
    private static func assessmentEntries(plans: [ActionPlanModel], terms: inout SearchTerms, on database: any Database) async throws -> [SearchEntryModel] {
        let planIDs = plans.compactMap(\.id)
        let records = try await MonitorAssessmentModel.query(on: database).filter(\.$plan.$id ~~ planIDs).filter(\.$state == .published)
            .with(\.$commitment).with(\.$semester).all()
        let codeOfPlan = Dictionary(plans.map { ($0.id!, $0.code) }, uniquingKeysWith: { a, _ in a })
        return records.compactMap { record -> SearchEntryModel? in
            guard let planCode = codeOfPlan[record.$plan.id] else { return nil }
            return SearchEntryModel(
                kind: .assessment,
                url: CommitmentAnchor.url(planCode: planCode, commitment: record.commitment.number,
                                          anchor: CommitmentAnchor.monitoring(semester: record.semester.code)),
                title: "\(record.semester.code) · \(record.commitment.title)", body: [record.authorName, record.text].joined(separator: "\n"),
                planCode: planCode, terms: &terms)
        }.sorted { $0.url < $1.url }
    }

    private static func documentEntries(_ document: PlanDocument, terms: inout SearchTerms) -> [SearchEntryModel] {
        var entries: [SearchEntryModel] = []
        for commitment in document.commitments {
            entries += commitmentEntries(commitment, planCode: document.code, terms: &terms)
        }
        return entries
    }

    /// A commitment and each of its measures with their targets, each measure linking to its place on the page. A
    /// measure and its targets are one entry: the page shows them together, and a row per target would make the
    /// index of a big plan five times as long (a 100,000-row import took twice as long).
    private static func commitmentEntries(_ commitment: CommitmentRecord, planCode: String, terms: inout SearchTerms) -> [SearchEntryModel] {
        let description = commitment.description
        var entries = [SearchEntryModel(
            kind: .commitment, url: CommitmentAnchor.url(planCode: planCode, commitment: commitment.number),
            title: "\(commitment.number). \(commitment.title)",
            body: [description.problem, description.commitment, description.howItSolves, description.openGovernmentRelevance,
                   commitment.responsible.joined(separator: " "), commitment.proposers.joined(separator: " ")].joined(separator: "\n"),
            planCode: planCode, terms: &terms)]
        for (goalIndex, goal) in commitment.goals.enumerated() {
            for (measureIndex, measure) in goal.measures.enumerated() {
                entries.append(SearchEntryModel(
                    kind: .measure,
                    url: CommitmentAnchor.url(planCode: planCode, commitment: commitment.number,
                                              anchor: CommitmentAnchor.measure(goal: goalIndex + 1, measure: measureIndex + 1)),
                    title: measure.text, body: ([goal.text, measure.responsible] + measure.targets.map(\.text)).joined(separator: "\n"),
                    planCode: planCode, terms: &terms))
            }
        }
        return entries
    }

    /// Scored reports of published semesters: the public ones, each linking to its target's result on the page.
    private static func reportEntries(planIDs: [UUID], terms: inout SearchTerms, on database: any Database) async throws -> [SearchEntryModel] {
        let semesterIDs = try await PlanSemesterModel.query(on: database).filter(\.$plan.$id ~~ planIDs).all(\.$id)
        let published = try await SemesterPublicationModel.query(on: database).filter(\.$semester.$id ~~ semesterIDs).all().map { $0.$semester.id }
        let targetIDs = try await TargetModel.query(on: database).filter(\.$semester.$id ~~ published).all(\.$id)
        let reports = try await TargetReportModel.query(on: database)
            .filter(\.$target.$id ~~ targetIDs).filter(\.$status == .scored)
            .with(\.$organisation)
            .with(\.$target) { $0.with(\.$semester) { $0.with(\.$plan) }.with(\.$measure) { $0.with(\.$goal) { $0.with(\.$commitment) } } }
            .all()
        return reports.map { report in
            let target = report.target
            let (goal, measure) = (target.measure.goal.position + 1, target.measure.position + 1)
            let planCode = target.semester.plan.code
            return SearchEntryModel(
                kind: .report,
                url: CommitmentAnchor.url(planCode: planCode, commitment: target.measure.goal.commitment.number,
                                          anchor: CommitmentAnchor.target(goal: goal, measure: measure, semester: target.semester.code)),
                title: "\(target.semester.code) · \(target.text)", body: [report.organisation.name, report.achievement].joined(separator: "\n"),
                planCode: planCode, terms: &terms)
        }.sorted { $0.url < $1.url }
    }

    /// Swaps the plan's entries (or all) for the new ones in one transaction, SQLite's FTS5 table with them.
    private static func replace(planCode: String?, with prepared: Prepared, on database: any Database) async throws {
        let isSQLite = (database as! any SQLDatabase).dialect.name == "sqlite"
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
            let columns = ["id", "kind", "url", "title", "body", "plan_code", "title_terms", "body_terms"]
            if isSQLite {
                try await BulkInsert.rows(into: SearchEntryModel.schema, columns: columns, prepared.rows, on: db)
            } else {
                try await BulkInsert.rows(into: SearchEntryModel.schema, columns: columns + ["terms"], prepared.rows, on: db)
                try await fillVectors(on: sql)
            }
            if isSQLite {
                try await BulkInsert.rows(into: "search_fts", columns: ["title_terms", "body_terms", "entry_id", "kind", "plan_code"],
                                          prepared.entries.map { [.text($0.titleTerms), .text($0.bodyTerms), .text($0.id!.uuidString), .text($0.kind), .text($0.planCode)] },
                                          on: db)
            }
        }
    }

    /// Gives PostgreSQL's entries without a text-search vector (restored, or with a term Pantau leaves to PostgreSQL)
    /// the vector their GIN index and ranking read.
    static func fillVectors(on sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE search_entries SET terms = to_tsvector('simple', title_terms || ' ' || body_terms) WHERE terms IS NULL").run()
    }

    /// Gives entries without terms (written before terms were stored, or restored from such a backup) their terms,
    /// and refills SQLite's FTS5 table from `search_entries`, which it is derived from.
    static func fillTerms(on sql: any SQLDatabase) async throws {
        let isSQLite = sql.dialect.name == "sqlite"
        var terms = SearchTerms()
        if isSQLite {
            // By rowid: how a restored row's id is stored in SQLite depends on where it came from.
            struct Row: Decodable { let rowid: Int; let title: String; let body: String }
            for row in try await sql.raw("SELECT rowid, title, body FROM search_entries WHERE title_terms = '' AND body_terms = ''").all(decoding: Row.self) {
                try await sql.raw("""
                    UPDATE search_entries SET title_terms = \(bind: terms.indexed(row.title)), body_terms = \(bind: terms.indexed(row.body))
                    WHERE rowid = \(bind: row.rowid)
                    """).run()
            }
            try await sql.raw("DELETE FROM search_fts").run()
            try await sql.raw("""
                INSERT INTO search_fts (title_terms, body_terms, entry_id, kind, plan_code)
                SELECT title_terms, body_terms, id, kind, plan_code FROM search_entries
                """).run()
        } else {
            struct Row: Decodable { let id: UUID; let title: String; let body: String }
            for row in try await sql.raw("SELECT id, title, body FROM search_entries WHERE title_terms = '' AND body_terms = ''").all(decoding: Row.self) {
                try await sql.raw("""
                    UPDATE search_entries SET title_terms = \(bind: terms.indexed(row.title)), body_terms = \(bind: terms.indexed(row.body))
                    WHERE id = \(bind: row.id)
                    """).run()
            }
        }
    }
}
