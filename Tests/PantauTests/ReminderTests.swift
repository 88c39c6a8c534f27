import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// Issue 16: a semester walked on the app's clock, day by day, three times a day, with a real mail server: who is told
/// what, when, in which language; reminders counted in working days; each event once however often the server looks;
/// daily digests grouped at the reader's hour across the day boundary.
@Suite("Reminders on the app's clock")
struct ReminderTests {
    /// A moment in Jakarta time.
    static func jakarta(_ day: CalendarDay, _ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = ReportingCalendar.timeZone
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: hour, minute: minute))!
    }

    /// A message's subject, decoded when it is an RFC 2047 word.
    static func subject(_ message: String) -> String {
        let line = message.components(separatedBy: "\r\n").first { $0.hasPrefix("Subject: ") }.map { String($0.dropFirst(9)) } ?? ""
        guard line.hasPrefix("=?UTF-8?B?"), line.hasSuffix("?=") else { return line }
        return Data(base64Encoded: String(line.dropFirst(10).dropLast(2))).flatMap { String(data: $0, encoding: .utf8) } ?? line
    }

    static func user(_ email: String, app: Application) async throws -> UserModel {
        try #require(try await UserModel.query(on: app.db).filter(\.$email == email).first())
    }

    @Test(arguments: TestDatabase.allCases)
    func aSemesterWalkedDayByDay(_ database: TestDatabase) async throws {
        let server = CapturingMailServer()
        try await server.start()
        defer { server.stop() }
        try await withTestApp(database) { app in
            let outbox = server.outbox(app)
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let implementerA = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            // Implementer C answers for the other agency's B06 target ("Forum pertama") and never reports it.
            let userC = try await AccountCreation.create(name: "Pelaksana C", email: "pelaksana.c@contoh.test", role: .implementer,
                                                         organisation: SamplePlan.otherAgency.name, password: TestAccounts.password, on: app.db)
            // A reads English and is told at once; C reads Indonesian and takes the window reminders in a digest at 07.00.
            let userA = try await Self.user(TestAccounts.implementerA.email, app: app)
            userA.language = "en"
            try await userA.save(on: app.db)
            userC.digestHour = 7
            try await userC.save(on: app.db)
            for kind in [NotificationKind.windowOpened, .windowClosing, .windowClosedMissing] {
                try await NotificationPreferenceModel(userID: userC.requireID(), kind: kind, delivery: .dailyDigest).create(on: app.db)
            }

            // B06 reporting from Monday 7 to Thursday 10 July 2031, verification until the end of the month;
            // Tuesday 15 July is a day off.
            let semester = try #require(try await PlanSemesterModel.query(on: app.db).filter(\.$code == "B06").first())
            app.clock.set(today: CalendarDay(iso: "2031-07-01")!)
            let saved = try await seknas.postAndFollow("/admin/semesters/\(semester.id!.uuidString)/window", form: [
                "reportOpens": "2031-07-07", "reportCloses": "2031-07-10", "verifyOpens": "2031-07-11", "verifyCloses": "2031-07-31",
            ])
            #expect(saved.status == .ok, "\(saved.text)")
            try await WorkingDaysStore.add(DayOff(day: CalendarDay(iso: "2031-07-15")!, name: "Libur uji", kind: .holiday),
                                           actor: .system, on: app.db)
            let target = try await ReportingCycleTests.targetA(app)
            let reportPath = "/report/targets/\(target.id!.uuidString)"

            // What happens in a slot before the server looks.
            func act(_ day: String, _ hour: Int) async throws {
                switch (day, hour) {
                case ("2031-07-08", 19):
                    #expect(try await implementerA.postAndFollow(reportPath, form: ["achievement": "Rancangan portal selesai disusun.", "progress": "60"]).status == .ok)
                    #expect(try await implementerA.postAndFollow(reportPath, form: ["action": "submit"]).status == .ok)
                    #expect(!(try await implementerA.get(reportPath)).text.contains("jawaban ditunggu"), "no question, no answer day")
                    #expect(!(try await implementerA.get("/work")).text.contains("jawaban ditunggu"))
                case ("2031-07-14", 9):
                    let report = try #require(try await TargetReportModel.query(on: app.db).first())
                    #expect(try await seknas.postAndFollow("/verify/reports/\(try report.requireID().uuidString)/clarify",
                                                           form: ["body": "Mohon lampirkan daftar hadir."]).status == .ok)
                default: break
                }
            }

            var received: [String] = []
            var seen = 0
            var day = CalendarDay(iso: "2031-07-06")!
            while day <= CalendarDay(iso: "2031-07-31")! {
                for (hour, minute) in [(7, 30), (9, 0), (19, 0)] {
                    app.clock.set(now: Self.jakarta(day, hour, minute))
                    try await act(day.iso, hour)
                    // Looking twice (or from a second process) writes nothing more.
                    try await Reminders.run(now: app.clock.now(), on: app.db)
                    #expect(try await Reminders.run(now: app.clock.now(), on: app.db) == 0)
                    try await outbox.sendDue(now: app.clock.now(), on: app.db)
                    let messages = try server.messages()
                    // Messages of one look are sent in no particular order.
                    received += messages[seen...].map { message in
                        "\(day.iso) \(hour):\(minute == 0 ? "00" : "\(minute)") \(message.recipient): \(Self.subject(message.text))"
                    }.sorted()
                    seen = messages.count
                }
                day = day.adding(days: 1)
            }

            let a = TestAccounts.implementerA.email, c = "pelaksana.c@contoh.test", s = TestAccounts.secretariat.email
            #expect(received == [
                // The first look on the opening day, three working days before closing: A at once, in English.
                "2031-07-07 7:30 \(a): Reporting for contoh-2030-2032 B06 closes on 10 July 2031",
                "2031-07-07 7:30 \(a): Reporting for contoh-2030-2032 B06 is open",
                // Written after C's digest hour: both in the next morning's digest, nothing the same day.
                "2031-07-08 7:30 \(c): Ringkasan harian Pantau: 2 notifikasi",
                // Closed with C's target missing: the secretariat at once; C's digest the next morning (A reported).
                "2031-07-11 7:30 \(s): Periode pelaporan contoh-2030-2032 B06 ditutup dengan target belum dilaporkan",
                "2031-07-12 7:30 \(c): Ringkasan harian Pantau: 1 notifikasi",
                // Asked on Monday 14: five working days over the day off on the 15th, due Tuesday 22.
                "2031-07-14 9:00 \(a): Clarification requested: Rancangan portal selesai",
                // Not answered by the 22nd: both sides hear the next morning, once.
                "2031-07-23 7:30 \(a): Clarification overdue: Rancangan portal selesai",
                "2031-07-23 7:30 \(s): Klarifikasi melewati tenggat: Rancangan portal selesai",
            ])

            let messages = try server.messages()
            let byRecipient = { (email: String) in messages.filter { $0.recipient == email }.map { EmailTests.parts($0.text).first ?? "" } }
            let digests = byRecipient(c)
            #expect(digests.first?.contains("Periode pelaporan contoh-2030-2032 B06 dibuka") == true)
            #expect(digests.first?.contains("Organisasi Anda mempunyai 1 target untuk dilaporkan.") == true)
            #expect(digests.first?.contains("periode pelaporan ditutup 10 Juli 2031") == true)
            #expect(digests.first?.contains("https://pantau.contoh.test/report") == true)
            #expect(digests.last?.contains("ditutup 10 Juli 2031 dengan 1 target dari 1 organisasi belum diserahkan") == true)
            #expect(byRecipient(a)[2].contains("Answer by 22 July 2031"))
            #expect(byRecipient(s)[0].contains("1 target dari 1 organisasi"))
            // Every message once: distinct Message-IDs.
            let ids = messages.compactMap { $0.text.components(separatedBy: "\r\n").first { $0.hasPrefix("Message-ID: ") } }
            #expect(Set(ids).count == messages.count)
            // The reviewer and the CSO's implementer owe nothing and heard nothing; the app lists what the emails said.
            #expect(try await NotificationModel.query(on: app.db).filter(\.$user.$id == (try await Self.user(TestAccounts.reviewer.email, app: app)).requireID()).count() == 0)
            #expect(try await NotificationModel.query(on: app.db).filter(\.$user.$id == (try await Self.user(TestAccounts.implementerB.email, app: app)).requireID()).count() == 0)
            #expect(try await NotificationModel.query(on: app.db).filter(\.$user.$id == userC.requireID()).filter(\.$emailState == .sent).count() == 3)

            // The answer's day is shown with the report, to the implementer and to the secretariat.
            #expect(try await implementerA.get(reportPath).text.contains("22 Juli 2031"))
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            #expect(try await seknas.get("/verify/reports/\(try report.requireID().uuidString)").text.contains("22 Juli 2031"))
        }
    }

    /// The national secretariat chooses how many working days before closing the reminder goes; a wrong number is
    /// refused beside its field and changes nothing; nobody else may choose.
    @Test(arguments: TestDatabase.allCases)
    func theReminderDayIsTheSecretariatsChoice(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let implementerA = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            let semester = try #require(try await PlanSemesterModel.query(on: app.db).filter(\.$code == "B06").first())
            app.clock.set(today: CalendarDay(iso: "2031-07-01")!)
            #expect(try await seknas.postAndFollow("/admin/semesters/\(semester.id!.uuidString)/window", form: [
                "reportOpens": "2031-07-01", "reportCloses": "2031-07-10", "verifyOpens": "2031-07-11", "verifyCloses": "2031-07-31",
            ]).status == .ok)

            _ = try await seknas.get("/admin/holidays")
            let refused = try await seknas.postAndFollow("/admin/holidays/reminders", form: ["reminderDays": "0"])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("bukan jumlah hari kerja dari 1 sampai 20"))
            #expect(try await Reminders.closingWorkingDays(on: app.db) == 3)
            #expect(try await implementerA.postAndFollow("/admin/holidays/reminders", form: ["reminderDays": "1"]).status == .forbidden)
            let saved = try await seknas.postAndFollow("/admin/holidays/reminders", form: ["reminderDays": "1"])
            #expect(saved.status == .ok && saved.text.contains("1 hari kerja sebelum penutupan"))
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "settings.reminder_working_days").count() == 1)

            // One working day before Thursday 10 July: Wednesday 9, not before.
            var closingDays: [String] = []
            var day = CalendarDay(iso: "2031-07-01")!
            while day <= CalendarDay(iso: "2031-07-10")! {
                app.clock.set(now: Self.jakarta(day, 8))
                try await Reminders.run(now: app.clock.now(), on: app.db)
                if try await NotificationModel.query(on: app.db).filter(\.$kind == .windowClosing).count() > 0, closingDays.isEmpty {
                    closingDays.append(day.iso)
                }
                day = day.adding(days: 1)
            }
            #expect(closingDays == ["2031-07-09"])
        }
    }
}
