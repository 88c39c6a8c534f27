import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// Issue 16: the working-day calendar. Indonesia's holidays and collective leave per year are files in the repository,
/// loaded once per year; the national secretariat checks and corrects them; every change is in the history.
@Suite("Working-day calendar")
struct HolidayTests {
    @Test(arguments: TestDatabase.allCases)
    func yearsLoadOnceAndTheSecretariatKeepsThem(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // The repository's years: 2026 with its decree named, every day within its year.
            let shipped = app.directory.resourcesDirectory + "Holidays"
            #expect(try await WorkingDaysStore.loadShipped(directory: shipped, on: app.db).contains(2026))
            let days2026 = try await WorkingDaysStore.days(of: 2026, on: app.db)
            #expect(days2026.count == 25)
            #expect(days2026.contains { $0.day == "2026-08-17" && $0.kind == .holiday })
            #expect(days2026.contains { $0.day == "2026-12-24" && $0.kind == .collectiveLeave })
            #expect(try await HolidayYearModel.find(2026, on: app.db)?.source.contains("Cuti Bersama Tahun 2026") == true)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "holiday.create").count() == 25)

            // A made-up year in a folder of the test's own: loaded once; a day the secretariat removed stays removed.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pantau-holidays-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            try Data("""
                {"year": 2031, "source": "Daftar uji", "checked": "Dibuat untuk pengujian.",
                 "days": [{"day": "2031-07-08", "name": "Libur uji", "kind": "holiday"},
                          {"day": "2031-07-09", "name": "Cuti uji", "kind": "collective_leave"}]}
                """.utf8).write(to: folder.appendingPathComponent("2031.json"))
            #expect(try await WorkingDaysStore.loadShipped(directory: folder.path, on: app.db) == [2031])
            let calendar = try await WorkingDaysStore.calendar(on: app.db)
            #expect(calendar.adding(workingDays: 5, to: try #require(CalendarDay(iso: "2031-07-04"))).iso == "2031-07-15")
            let leave = try #require(try await HolidayModel.query(on: app.db).filter(\.$day == "2031-07-09").first())
            try await WorkingDaysStore.remove(try leave.requireID(), actor: .system, on: app.db)
            #expect(try await WorkingDaysStore.loadShipped(directory: folder.path, on: app.db).isEmpty)
            #expect(try await WorkingDaysStore.days(of: 2031, on: app.db).map(\.day) == ["2031-07-08"])

            // A file with a day outside its year stops the start, naming the file; nothing of it is loaded.
            try Data("""
                {"year": 2032, "source": "Salah", "checked": "", "days": [{"day": "2033-01-01", "name": "Salah", "kind": "holiday"}]}
                """.utf8).write(to: folder.appendingPathComponent("2032.json"))
            await #expect(throws: AppError.self) { try await WorkingDaysStore.loadShipped(directory: folder.path, on: app.db) }
            #expect(try await WorkingDaysStore.days(of: 2033, on: app.db).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func theNationalSecretariatCorrectsTheCalendar(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            _ = try await WorkingDaysStore.loadShipped(directory: app.directory.resourcesDirectory + "Holidays", on: app.db)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let page = try await seknas.get("/admin/holidays?year=2026")
            #expect(page.status == .ok)
            #expect(page.text.contains("Hari libur dan cuti bersama 2026") && page.text.contains("Proklamasi Kemerdekaan"))
            #expect(page.text.contains("SKB 3 Menteri"), "the decree the list was taken from")

            // Half done, then a wrong date: each beside its field, what was typed kept, nothing written.
            let before = try await HolidayModel.query(on: app.db).count()
            let noName = try await seknas.post("/admin/holidays?year=2026", form: ["day": "2026-11-02", "name": " ", "kind": "holiday"])
            #expect(noName.status == .unprocessableEntity && noName.text.contains("Tulis nama hari liburnya") && noName.text.contains("value=\"2026-11-02\""))
            let badDay = try await seknas.post("/admin/holidays?year=2026", form: ["day": "2026-02-30", "name": "Libur", "kind": "holiday"])
            #expect(badDay.status == .unprocessableEntity && badDay.text.contains("value=\"Libur\""))
            // A day already off: refused, naming the day and what it is.
            let taken = try await seknas.post("/admin/holidays?year=2026", form: ["day": "2026-08-17", "name": "Lagi", "kind": "holiday"])
            #expect(taken.status == .conflict && taken.text.contains("2026-08-17 sudah tercatat sebagai hari libur: Proklamasi Kemerdekaan"))
            #expect(try await HolidayModel.query(on: app.db).count() == before)

            // Added, then a working day again; both in the history.
            let added = try await seknas.post("/admin/holidays?year=2026", form: ["day": "2026-11-02", "name": "Libur tambahan uji", "kind": "collective_leave"])
            #expect(added.status == .seeOther && added.headers.first(name: .location) == "/admin/holidays?year=2026")
            #expect(try await seknas.get("/admin/holidays?year=2026").text.contains("Libur tambahan uji"))
            #expect(!(try await WorkingDaysStore.calendar(on: app.db)).isWorkingDay(try #require(CalendarDay(iso: "2026-11-02"))))
            let model = try #require(try await HolidayModel.query(on: app.db).filter(\.$day == "2026-11-02").first())
            #expect(try await seknas.post("/admin/holidays/\(model.requireID())/remove", form: [:]).status == .seeOther)
            #expect(try await WorkingDaysStore.calendar(on: app.db).isWorkingDay(try #require(CalendarDay(iso: "2026-11-02"))))
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$objectID == model.requireID().uuidString).count() == 2)
            #expect(try await seknas.post("/admin/holidays/\(model.requireID())/remove", form: [:]).status == .notFound)
            #expect(try await seknas.get("/admin/holidays?year=abc").status == .unprocessableEntity)
            #expect(try await seknas.get("/admin/holidays?year=2026&lang=en").text.contains("Collective leave"))

            // Only the national secretariat: a reviewer is refused.
            let reviewer = try await TestBrowser.signedIn(TestAccounts.reviewer, app: app)
            #expect(try await reviewer.get("/admin/holidays").status == .forbidden)
        }
    }
}
