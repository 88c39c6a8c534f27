import Fluent
import Foundation
@testable import Pantau
import Testing
import Vapor

/// A body that cannot be read at all is the caller's mistake: 400 with the usual error, nothing written.
/// (Found by schemathesis: a multipart body with no parts answered 500.)
@Suite("Unreadable request bodies")
struct MalformedBodyTests {
    @Test(arguments: TestDatabase.allCases)
    func aMultipartBodyWithoutPartsIsABadRequest(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let tracker = try await ReportingAPITests.Client(app: app, email: TestAccounts.implementerA.email,
                                                             checker: try SchemaChecker(document: OpenAPITests.document()))
            let target = try #require(try await TargetModel.query(on: app.db).filter(\.$text == "Rancangan portal selesai").first())
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: tracker.token)
            let empty = try await tracker.browser.send(
                .POST, "/api/v1/reporting/targets/\(target.id!.uuidString)/report/evidence", body: ByteBuffer(string: "--batas--\r\n"),
                contentType: HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": "batas"]), headers: headers)
            #expect(empty.status == .badRequest)
            let problems = try tracker.checker.check(try JSONSerialization.jsonObject(with: Data(empty.body.readableBytesView)),
                                                     path: "/api/v1/reporting/targets/{id}/report/evidence", status: 400, method: "post")
            #expect(problems.isEmpty, "\(problems)")
            #expect(try await EvidenceModel.query(on: app.db).count() == 0)
            #expect(try await TargetReportModel.query(on: app.db).count() == 0)
        }
    }
}
