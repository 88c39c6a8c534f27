import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// The semester cycle through the API, as a ministry's own tracker and the secretariat's tools use it,
/// every answer checked against the OpenAPI document.
@Suite("The reporting cycle over the API")
struct ReportingAPITests {
    final class Client: @unchecked Sendable {
        let browser: TestBrowser
        let token: String
        let checker: SchemaChecker

        init(app: Application, email: String, checker: SchemaChecker) async throws {
            browser = TestBrowser(app: app)
            let user = try #require(try await UserModel.query(on: app.db).filter(\.$email == email).first())
            token = APITokens.generate()
            try await APITokenModel(userID: user.id!, name: "pelacak", tokenHash: APITokens.hash(token)).create(on: app.db)
            self.checker = checker
        }

        /// Sends JSON (or a multipart body), checks the answer against the document, returns status and parsed body.
        @discardableResult
        func call(_ method: HTTPMethod, _ path: String, documented: String, json: [String: Any]? = nil, multipart: (fields: [String: String], file: Data)? = nil,
                  expect status: HTTPResponseStatus = .ok) async throws -> [String: Any] {
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: token)
            var body: ByteBuffer?
            var contentType: HTTPMediaType?
            if let json {
                body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
                contentType = .json
            } else if let multipart {
                let boundary = "api-\(UUID().uuidString)"
                var data = Data()
                for (name, value) in multipart.fields { data += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8) }
                data += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bukti.pdf\"\r\n\r\n".utf8) + multipart.file
                data += Data("\r\n--\(boundary)--\r\n".utf8)
                body = ByteBuffer(data: data)
                contentType = HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary])
            }
            let response = try await browser.send(method, path, body: body, contentType: contentType, headers: headers)
            #expect(response.status == status, "\(method) \(path): \(response.status) \(response.text)")
            let value = try JSONSerialization.jsonObject(with: Data(buffer: response.body), options: [.fragmentsAllowed])
            let problems = try checker.check(value, path: documented, status: Int(response.status.code), method: method.rawValue.lowercased())
            #expect(problems.isEmpty, "\(method) \(path): \(problems)")
            return value as? [String: Any] ?? ["items": value]
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aTrackerReportsAndTheSecretariatVerifies(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let checker = try SchemaChecker(document: OpenAPITests.document())
            let seknas = try await Client(app: app, email: TestAccounts.secretariat.email, checker: checker)
            let tracker = try await Client(app: app, email: TestAccounts.implementerA.email, checker: checker)
            let other = try await Client(app: app, email: TestAccounts.implementerB.email, checker: checker)
            let visitor = TestBrowser(app: app)
            // The application's clock: five days after B06 ended, reporting open until tomorrow, verification from the day after.
            let today = ReportingCycleTests.reportingDay
            app.clock.set(today: today)
            func day(_ offset: Int) -> String { today.adding(days: offset).iso }

            let semesterPath = "/api/v1/plans/contoh-2030-2032/semesters/B06"
            try await tracker.call(.PUT, "\(semesterPath)/window", documented: "/api/v1/plans/{code}/semesters/{semester}/window",
                                   json: ["reportOpens": day(-1), "reportCloses": day(1), "verifyOpens": day(2), "verifyCloses": day(5)], expect: .forbidden)
            try await seknas.call(.PUT, "\(semesterPath)/window", documented: "/api/v1/plans/{code}/semesters/{semester}/window",
                                  json: ["reportOpens": day(-1), "reportCloses": day(1), "verifyOpens": day(2), "verifyCloses": day(5)])

            let owed = try await tracker.call(.GET, "/api/v1/reporting/targets", documented: "/api/v1/reporting/targets")["items"] as? [[String: Any]]
            let target = try #require(owed?.first { $0["target"] as? String == "Rancangan portal selesai" })
            let targetID = try #require(target["targetId"] as? String)
            let reportPath = "/api/v1/reporting/targets/\(targetID)/report"
            let documentedReport = "/api/v1/reporting/targets/{id}/report"

            try await tracker.call(.PUT, reportPath, documented: documentedReport, json: ["achievement": "Rancangan selesai.", "progress": 50])
            try await other.call(.PUT, reportPath, documented: documentedReport, json: ["achievement": "bukan milik saya", "progress": 1], expect: .forbidden)
            try await tracker.call(.PUT, reportPath, documented: documentedReport, json: ["achievement": "x", "progress": 150], expect: .unprocessableEntity)
            try await tracker.call(.POST, "\(reportPath)/evidence", documented: "/api/v1/reporting/targets/{id}/report/evidence",
                                   multipart: (["description": "Notulen", "isPublic": "true"], ReportingCycleTests.pdf))
            let submitted = try await tracker.call(.POST, "\(reportPath)/submit", documented: "/api/v1/reporting/targets/{id}/report/submit")
            #expect(submitted["status"] as? String == "submitted")
            let reportID = try #require(submitted["id"] as? String)

            // Not public yet: a visitor gets 404, as if the report did not exist.
            #expect(try await visitor.get("/api/v1/reports/\(reportID)").status == .notFound)

            // Verification waits for its window.
            try await seknas.call(.POST, "/api/v1/reports/\(reportID)/score", documented: "/api/v1/reports/{id}/score", json: ["score": 72], expect: .conflict)
            app.clock.set(today: today.adding(days: 2))
            let queue = try await seknas.call(.GET, "/api/v1/verification/reports?plan=contoh-2030-2032", documented: "/api/v1/verification/reports")
            #expect((queue["items"] as? [Any])?.count == 1)
            let asked = try await seknas.call(.POST, "/api/v1/reports/\(reportID)/clarification", documented: "/api/v1/reports/{id}/clarification",
                                              json: ["body": "Lengkapi daftar hadir."])
            #expect(asked["status"] as? String == "clarification_requested")
            try await tracker.call(.POST, "/api/v1/reports/\(reportID)/messages", documented: "/api/v1/reports/{id}/messages", json: ["body": "Sudah dilengkapi."])
            try await tracker.call(.PUT, reportPath, documented: documentedReport, json: ["achievement": "Rancangan selesai; daftar hadir ada.", "progress": 80])
            try await tracker.call(.POST, "\(reportPath)/submit", documented: "/api/v1/reporting/targets/{id}/report/submit")
            try await tracker.call(.POST, "/api/v1/reports/\(reportID)/score", documented: "/api/v1/reports/{id}/score", json: ["score": 90], expect: .forbidden)
            let scored = try await seknas.call(.POST, "/api/v1/reports/\(reportID)/score", documented: "/api/v1/reports/{id}/score", json: ["score": 72])
            #expect(scored["score"] as? Int == 72)
            #expect(scored["category"] as? String == "baik" && scored["categoryLabel"] as? String == "Baik")

            try await seknas.call(.PUT, "\(semesterPath)/assessments/1", documented: "/api/v1/plans/{code}/semesters/{semester}/assessments/{number}",
                                  json: ["scoreOverride": 65, "overrideReason": "Satu target belum lengkap.", "rating": "semi_aktif", "justification": "Baru satu rapat."])
            #expect(try await visitor.get("\(semesterPath)/results").status == .notFound)
            // The publication check: commitment 1 rests on 1 of its 1 targets, commitment 2's B06 target was never reported,
            // and verification is still open.
            try await tracker.call(.GET, "\(semesterPath)/publication-check", documented: "/api/v1/plans/{code}/semesters/{semester}/publication-check",
                                   expect: .forbidden)
            let check = try await seknas.call(.GET, "\(semesterPath)/publication-check", documented: "/api/v1/plans/{code}/semesters/{semester}/publication-check")
            #expect(check["complete"] as? Bool == false)
            #expect(check["targets"] as? Int == 2 && check["reported"] as? Int == 1 && check["scored"] as? Int == 1)
            #expect(check["partialCommitments"] as? [Int] == [2])
            #expect((check["openWindows"] as? [[String: Any]])?.first?["closes"] as? String == day(5))
            let refused = try await seknas.call(.POST, "\(semesterPath)/publish", documented: "/api/v1/plans/{code}/semesters/{semester}/publish",
                                                json: [:], expect: .conflict)
            #expect((refused["check"] as? [String: Any])?["partialCommitments"] as? [Int] == [2])
            #expect(try await SemesterPublicationModel.query(on: app.db).count() == 0)
            try await seknas.call(.POST, "\(semesterPath)/publish", documented: "/api/v1/plans/{code}/semesters/{semester}/publish",
                                  json: ["reason": "Komitmen 2 belum melapor."])
            try await seknas.call(.POST, "\(semesterPath)/publish", documented: "/api/v1/plans/{code}/semesters/{semester}/publish",
                                  json: ["reason": "lagi"], expect: .conflict)

            // Publication freezes the semester: no submitting, no scoring without a correction, no reopening.
            try await tracker.call(.PUT, reportPath, documented: documentedReport, json: ["achievement": "Diubah setelah publikasi.", "progress": 90],
                                   expect: .conflict)
            try await seknas.call(.POST, "/api/v1/reports/\(reportID)/score", documented: "/api/v1/reports/{id}/score", json: ["score": 40], expect: .conflict)
            try await seknas.call(.PUT, "\(semesterPath)/assessments/1", documented: "/api/v1/plans/{code}/semesters/{semester}/assessments/{number}",
                                  json: ["rating": "aktif", "justification": "x"], expect: .conflict)
            #expect(try await TargetReportModel.find(UUID(uuidString: reportID), on: app.db)?.score == 72)

            let results = try await visitor.get("\(semesterPath)/results")
            #expect(results.status == .ok)
            let published = try #require(try JSONSerialization.jsonObject(with: Data(buffer: results.body)) as? [String: Any])
            #expect(try checker.check(published, path: "/api/v1/plans/{code}/semesters/{semester}/results", status: 200).isEmpty)
            let commitment = try #require((published["commitments"] as? [[String: Any]])?.first { $0["number"] as? Int == 1 })
            #expect(commitment["score"] as? Int == 65)
            #expect(commitment["category"] as? String == "cukup")
            #expect(commitment["coCreationRating"] as? String == "semi_aktif")
            #expect(commitment["scoredTargets"] as? Int == 1 && commitment["targets"] as? Int == 1)
            #expect((commitment["corrections"] as? [Any])?.isEmpty == true)
            #expect(published["publicationReason"] as? String == "Komitmen 2 belum melapor.")
            let publicReport = try #require((published["reports"] as? [[String: Any]])?.first)
            #expect((publicReport["messages"] as? [Any])?.isEmpty == true, "the clarification thread stays internal")
            #expect(try await visitor.get("/api/v1/reports/\(reportID)").status == .ok)

            // A correction: with a reason, dated, and in the public results.
            app.clock.set(today: today.adding(days: 30))
            try await seknas.call(.POST, "/api/v1/reports/\(reportID)/score", documented: "/api/v1/reports/{id}/score",
                                  json: ["score": 50, "correctionReason": "Bukti daftar hadir ternyata untuk rapat lain."])
            try await seknas.call(.PUT, "\(semesterPath)/assessments/1", documented: "/api/v1/plans/{code}/semesters/{semester}/assessments/{number}",
                                  json: ["rating": "semi_aktif", "justification": "Baru satu rapat.", "correctionReason": "Override dicabut setelah koreksi nilai."])
            let corrected = try #require(try JSONSerialization.jsonObject(with: Data(buffer: try await visitor.get("\(semesterPath)/results").body)) as? [String: Any])
            #expect(try checker.check(corrected, path: "/api/v1/plans/{code}/semesters/{semester}/results", status: 200).isEmpty)
            let correctedCommitment = try #require((corrected["commitments"] as? [[String: Any]])?.first { $0["number"] as? Int == 1 })
            #expect(correctedCommitment["score"] as? Int == 50)
            #expect(correctedCommitment["category"] as? String == "kurang")
            let commitmentCorrection = try #require((correctedCommitment["corrections"] as? [[String: Any]])?.first)
            #expect(commitmentCorrection["reason"] as? String == "Override dicabut setelah koreksi nilai.")
            #expect((commitmentCorrection["before"] as? [String: Any])?["score"] as? Int == 65)
            #expect((commitmentCorrection["after"] as? [String: Any])?["score"] as? Int == 50)
            #expect((commitmentCorrection["at"] as? String)?.hasPrefix(today.adding(days: 30).iso.prefix(7)) == true)
            let reportCorrection = try #require(((corrected["reports"] as? [[String: Any]])?.first?["corrections"] as? [[String: Any]])?.first)
            #expect((reportCorrection["before"] as? [String: Any])?["score"] as? Int == 72)
            #expect((reportCorrection["after"] as? [String: Any])?["category"] as? String == "kurang")
            let commitmentPage = try await visitor.get("/plans/contoh-2030-2032/commitments/1")
            #expect(commitmentPage.text.contains("Bukti daftar hadir ternyata untuk rapat lain."))
            #expect(commitmentPage.text.contains("Dikoreksi pada"))
            #expect(try await ResultCorrectionModel.query(on: app.db).count() == 2)
            // Open data carries the whole correction history.
            let history = try await visitor.get("/data/corrections.json?plan=contoh-2030-2032").json(OpenDataTests.OpenDataFile.self).rows
            #expect(history.count == 2)
            #expect(history.first { $0["target"] == .text("Rancangan portal selesai") }.map { [$0["score_before"], $0["score_after"], $0["category_after"]] }
                        == [.integer(72), .integer(50), .text("kurang")])
            #expect(history.contains { $0["reason"] == .text("Override dicabut setelah koreksi nilai.") && $0["target"] == .null })

            // The evaluation report of the published semester, in every format.
            let evaluation = try await visitor.get("/api/v1/plans/contoh-2030-2032/report?period=B06")
            #expect(evaluation.status == .ok)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(buffer: evaluation.body)) as? [String: Any])
            #expect(try checker.check(report, path: "/api/v1/plans/{code}/report", status: 200).isEmpty)
            let breakdowns = try #require(report["breakdowns"] as? [[String: Any]])
            for breakdown in breakdowns {
                let percents = (breakdown["rows"] as? [[String: Any]] ?? []).compactMap { $0["percent"] as? Int }
                #expect(percents.reduce(0, +) == 100 || percents.allSatisfy { $0 == 0 }, "\(breakdown["key"] ?? "")")
            }
            let byCategory = try #require(breakdowns.first { $0["key"] as? String == "commitments_by_category" }?["rows"] as? [[String: Any]])
            #expect(byCategory.map { $0["count"] as? Int } == [0, 0, 1, 1])
            #expect(byCategory.map { $0["percent"] as? Int } == [0, 0, 50, 50])
            let page = try await visitor.get("/plans/contoh-2030-2032/report?period=B06")
            #expect(page.text.contains("Laporan evaluasi B06"))
            #expect(page.text.contains("<svg"))
            #expect(page.text.contains("Kurang: 1 (50%)"))
            #expect(page.text.contains("Dikoreksi pada"))
            #expect(page.text.contains("Tidak dilaporkan"))
            let csv = try await visitor.get("/plans/contoh-2030-2032/report.csv?period=B06")
            #expect(csv.status == .ok)
            #expect(csv.text.contains("commitments_by_category,kurang,Kurang,1,50"))
            // B12 is not published: only staff see its draft report.
            #expect(try await visitor.get("/api/v1/plans/contoh-2030-2032/report?period=B12").status == .notFound)
            #expect(try await seknas.browser.send(.GET, "/api/v1/plans/contoh-2030-2032/report?period=B12", body: nil, contentType: nil,
                                                  headers: ["Authorization": "Bearer \(seknas.token)"]).status == .ok)
            #expect(try await visitor.get("/api/v1/plans/contoh-2030-2032/report?period=B99").status == .notFound)
            #expect(try await visitor.get("/api/v1/plans/contoh-2030-2032/report?period=X1").status == .unprocessableEntity)
        }
    }
}
