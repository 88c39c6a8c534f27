import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// Issue 16: notifications are written in the same transaction as the change that causes them, to the people the
/// change concerns, listed in the app with an unread count in the header.
@Suite("Notifications")
struct NotificationTests {
    static func unread(_ account: TestAccounts.Account, app: Application) async throws -> [NotificationModel] {
        let user = try #require(try await UserModel.query(on: app.db).filter(\.$email == account.email).first())
        return try await NotificationModel.query(on: app.db).filter(\.$user.$id == user.requireID()).filter(\.$readAt == nil)
            .sort(\.$createdAt).all()
    }

    @Test(arguments: TestDatabase.allCases)
    func aClarificationAndAScoreReachTheirPeople(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (seknas, implementerA, _, reportPath) = try await ReportingCycleTests.openReport(app)
            #expect(try await implementerA.postAndFollow(reportPath, form: ["achievement": "Rancangan portal selesai disusun.", "progress": "60"]).status == .ok)
            #expect(try await implementerA.postAndFollow(reportPath, form: ["action": "submit"]).status == .ok)
            try await ReportingCycleTests.startVerification(app) // Wednesday 2031-07-09
            // A day off on the Friday: the answer is due five working days later, on Thursday 2031-07-17.
            try await WorkingDaysStore.add(DayOff(day: try #require(CalendarDay(iso: "2031-07-11")), name: "Libur uji", kind: .collectiveLeave),
                                           actor: .system, on: app.db)
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            let verifyPath = "/verify/reports/\(try report.requireID().uuidString)"

            // A refused clarification (empty) writes nothing.
            #expect(try await seknas.postAndFollow("\(verifyPath)/clarify", form: ["body": " "]).status == .unprocessableEntity)
            #expect(try await NotificationModel.query(on: app.db).count() == 0)

            #expect(try await seknas.postAndFollow("\(verifyPath)/clarify", form: ["body": "Mohon lampirkan daftar hadir."]).status == .ok)
            let asked = try await Self.unread(TestAccounts.implementerA, app: app)
            #expect(asked.map(\.kind) == [.clarificationRequested])
            #expect(try await Self.unread(TestAccounts.implementerB, app: app).isEmpty, "another organisation's implementer is not told")
            #expect(asked.first?.emailState == .pending && asked.first?.messageID.hasSuffix("@pantau>") == true)

            // The header counts it; the page tells it in the reader's language, with the due day in working days.
            let work = try await implementerA.get("/work")
            #expect(work.text.contains("Notifikasi (1 baru)"))
            let page = try await implementerA.get("/notifications")
            #expect(page.text.contains("Permintaan klarifikasi: Rancangan portal selesai"))
            #expect(page.text.contains("Jawab paling lambat 17 Juli 2031"))
            #expect(try await implementerA.get("/notifications?lang=en").text.contains("Answer by 17 July 2031"))

            // Opening it marks it read and goes to the report; nobody else can open it.
            let notificationID = try asked[0].requireID()
            let stranger = try await TestBrowser.signedIn(TestAccounts.implementerB, app: app)
            #expect(try await stranger.get("/notifications/\(notificationID)").status == .notFound)
            let opened = try await implementerA.get("/notifications/\(notificationID)")
            #expect(opened.status == .seeOther && opened.headers.first(name: .location) == reportPath)
            #expect(try await Self.unread(TestAccounts.implementerA, app: app).isEmpty)
            #expect(!(try await implementerA.get("/work?lang=id")).text.contains("baru)"))

            // The answer, handed in again: the plan's secretariat is told (the reviewer is not).
            #expect(try await implementerA.postAndFollow(reportPath, form: ["answer": "Daftar hadir terlampir.", "action": "save"]).status == .ok)
            #expect(try await implementerA.postAndFollow(reportPath, form: ["action": "submit"]).status == .ok)
            #expect(try await Self.unread(TestAccounts.secretariat, app: app).map(\.kind) == [.clarificationAnswered])
            #expect(try await Self.unread(TestAccounts.reviewer, app: app).isEmpty)

            // The score: the implementer chose no email for scores, so it is listed in the app and never sent.
            let userA = try #require(try await UserModel.query(on: app.db).filter(\.$email == TestAccounts.implementerA.email).first())
            try await NotificationPreferenceModel(userID: userA.requireID(), kind: .reportScored, delivery: .off).create(on: app.db)
            #expect(try await seknas.postAndFollow("\(verifyPath)/score", form: ["score": "85"]).status == .ok)
            let scored = try await Self.unread(TestAccounts.implementerA, app: app)
            #expect(scored.map(\.kind) == [.reportScored] && scored.first?.emailState == NotificationModel.EmailState.none)
            #expect(try await implementerA.get("/notifications").text.contains("dinilai 85"))

            // Mark all read.
            #expect(try await implementerA.postAndFollow("/notifications/read", form: [:]).status == .ok)
            #expect(try await Self.unread(TestAccounts.implementerA, app: app).isEmpty)
        }
    }

    /// Each account chooses, per kind, an email at once, in the daily digest, or none; and its language and digest hour.
    @Test(arguments: TestDatabase.allCases)
    func anAccountChoosesHowItIsTold(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let implementer = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            let page = try await implementer.get("/account")
            #expect(page.text.contains("id=\"notifications\"") && page.text.contains("Ringkasan harian"))
            var form = ["language": "en", "digestHour": "16"]
            for kind in NotificationKind.allCases { form["delivery." + kind.rawValue] = NotificationDelivery.immediately.rawValue }
            form["delivery.report_scored"] = "daily_digest"
            form["delivery.window_opened"] = "off"
            // A made-up hour changes nothing.
            #expect(try await implementer.post("/account/notifications", form: form.merging(["digestHour": "25"]) { $1 }).status == .unprocessableEntity)
            let user = try #require(try await UserModel.query(on: app.db).filter(\.$email == TestAccounts.implementerA.email).first())
            #expect(user.language == "id" && user.digestHour == 7)
            let saved = try await implementer.post("/account/notifications", form: form)
            #expect(saved.status == .seeOther)
            let after = try #require(try await UserModel.find(user.requireID(), on: app.db))
            #expect(after.language == "en" && after.digestHour == 16)
            let chosen = try await NotificationPreferenceModel.query(on: app.db).filter(\.$user.$id == user.requireID()).all()
            #expect(Dictionary(uniqueKeysWithValues: chosen.map { ($0.kind, $0.delivery) }) == [.reportScored: .dailyDigest, .windowOpened: .off])
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "user.notifications").count() == 1)
            // A score now goes to the digest (the email's language is the account's: `EmailTests`).
            try await Notifier.notify(.reportScored, arguments: ["Target", "contoh-2030-2032", "B06", "90"], link: "/work", to: [after],
                                      now: app.clock.now(), on: app.db)
            let written = try #require(try await NotificationModel.query(on: app.db).first())
            #expect(written.delivery == .dailyDigest && written.emailState == .pending && written.nextAttemptAt == nil)
            #expect(try await implementer.get("/notifications?lang=en").text.contains("was scored 90"))
        }
    }

    /// The other kinds a change causes: a publication reaches the plan's implementers, a proposal's step its proposer,
    /// a visitor's comment the secretariat that moderates it; a stage's name is read in the reader's language.
    @Test(arguments: TestDatabase.allCases)
    func publicationsProposalsAndCommentsReachTheirPeople(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            _ = try await ReportingCycleTests.openWindow(app, seknas: seknas)
            try await ReportingCycleTests.closeWindows(app)
            try await ReportingCycleTests.publish("B06", seknas: seknas, reason: "Tanpa laporan, untuk pengujian.")
            // Both implementers' organisations answer for measures of the plan; the reviewer does not.
            for account in [TestAccounts.implementerA, TestAccounts.implementerB] {
                #expect(try await Self.unread(account, app: app).map(\.kind) == [.resultsPublished])
            }
            #expect(try await Self.unread(TestAccounts.reviewer, app: app).isEmpty)
            let implementerB = try await TestBrowser.signedIn(TestAccounts.implementerB, app: app)
            #expect(try await implementerB.get("/notifications").text.contains("Hasil contoh-2030-2032 B06 diterbitkan"))
            #expect(try await implementerB.postAndFollow("/notifications/read", form: [:]).status == .ok)

            let code = "rencana-cadangan-2033-2034"
            let (secretariat, proposal) = try await CoCreationTests.draftWithProposal(app, code: code)
            try await ProposalService.recordStage(proposalID: proposal, stage: .bilateral, date: "2032-08-01", meetingID: nil, note: "",
                                                  mergedIntoID: nil, by: secretariat, on: app.db, now: app.clock.now())
            #expect(try await Self.unread(TestAccounts.implementerB, app: app).map(\.kind) == [.proposalStageChanged])
            #expect(try await implementerB.get("/notifications").text.contains("kini pada tahap Diskusi bilateral dengan pengusul"))
            #expect(try await implementerB.get("/notifications?lang=en").text.contains("is now at the stage"))

            try await ProposalService.recordStage(proposalID: proposal, stage: .adopted, date: "2032-09-02", meetingID: nil, note: "Disepakati.",
                                                  mergedIntoID: nil, by: secretariat, on: app.db, now: app.clock.now())
            // A visitor's comment waits for moderation and the secretariat hears; an account's is shown at once, and nobody is told.
            _ = try await ConsultationService.comment(planCode: code, number: 1, name: "Warga", organisation: "", body: "Setuju.", user: nil,
                                                      address: "192.0.2.1", on: app.db)
            #expect(try await Self.unread(TestAccounts.secretariat, app: app).map(\.kind) == [.commentAwaitingModeration])
            _ = try await ConsultationService.comment(planCode: code, number: 1, name: "", organisation: "", body: "Setuju juga.",
                                                      user: CurrentUser(try await ReminderTests.user(TestAccounts.implementerA.email, app: app)),
                                                      address: "192.0.2.2", on: app.db)
            #expect(try await Self.unread(TestAccounts.secretariat, app: app).count == 1)
            #expect(try await seknas.get("/notifications").text.contains("komitmen 1 pada konsultasi \(code) menunggu persetujuan"))
        }
    }
}
