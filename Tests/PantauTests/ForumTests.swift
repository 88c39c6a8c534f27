import Fluent
import Foundation
import PantauDomain
@testable import Pantau
import Testing
import Vapor

/// A plan's multi-stakeholder forum on record: members chosen from the organisation list, meetings marked as the
/// forum's, and the minimum requirement counting the forum's meetings that presented results once it has members.
@Suite("Multi-stakeholder forum")
struct ForumTests {
    static let plan = SamplePlan.code

    @Test(arguments: TestDatabase.allCases)
    func theForumMeetsOnRecord(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let implementer = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            let visitor = TestBrowser(app: app)
            let page = "/plans/\(Self.plan)/forum"
            for (title, day, forum) in [("Forum multi-pihak semester 1", "2031-03-10", true), ("Rapat koordinasi internal", "2031-04-10", false)] {
                var record = MeetingRecord(plan: Self.plan, title: title, date: CalendarDay(iso: day)!,
                                           participants: [MeetingPerson(name: "Ani", organisation: "Perkumpulan Warga Contoh")], presentsResults: true)
                record.forumMeeting = forum
                _ = try await MeetingService.record(record, attachments: [], published: true, store: nil, actor: .system, organisationID: nil,
                                                    recorderID: nil, on: app.db)
            }
            func resultMeetings2031() async throws -> Int? {
                let plan = try #require(await ActionPlanModel.query(on: app.db).filter(\.$code == Self.plan).with(\.$semesters).first())
                return try await PlanRequirements.load(plans: [plan], today: CalendarDay(iso: "2031-12-31")!, on: app.db)[plan.id!]?
                    .years.first { $0.year == 2031 }?.resultMeetings
            }
            // Without a forum on record, every meeting that presented results counts.
            #expect(try await resultMeetings2031() == 2)
            #expect(try await visitor.get(page).text.contains("Anggota forum belum dicatat"))

            _ = try await seknas.get(page)
            #expect(try await seknas.post(page, form: ["organisation": "KCK", "seat": "government"]).status == .seeOther)
            #expect(try await seknas.post(page, form: ["organisation": "perkumpulan warga", "seat": "civil_society"]).status == .seeOther)
            let twice = try await seknas.post(page, form: ["organisation": "Kementerian Contoh Keterbukaan", "seat": "government"])
            #expect(twice.status == .conflict && twice.text.contains("sudah menjadi anggota"))
            let unknown = try await seknas.post(page, form: ["organisation": "Lembaga Khayalan Sekali", "seat": "other"])
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("value=\"Lembaga Khayalan Sekali\""))
            #expect(try await OrganisationModel.query(on: app.db).filter(\.$name == "Lembaga Khayalan Sekali").count() == 0)
            _ = try await implementer.get("/account")
            #expect(try await implementer.post(page, form: ["organisation": "KCK", "seat": "government"]).status == .forbidden)

            // With members on record, only the forum's meetings count.
            #expect(try await resultMeetings2031() == 1)
            let shown = try await visitor.get(page).text
            #expect(shown.contains("Kementerian Contoh Keterbukaan") && shown.contains("Perkumpulan Warga Contoh"))
            #expect(shown.contains("Forum multi-pihak semester 1") && !shown.contains("Rapat koordinasi internal"))
            #expect(try await visitor.get("/plans/\(Self.plan)").text.contains(page))

            let member = try #require(try await ForumMemberModel.query(on: app.db).filter(\.$seat == .civilSociety).first())
            #expect(try await seknas.post(page + "/\(member.id!.uuidString)/remove").status == .seeOther)
            #expect(try await ForumMemberModel.query(on: app.db).count() == 1)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action ~~ ["forum.add", "forum.remove"]).count() == 3)
        }
    }
}
