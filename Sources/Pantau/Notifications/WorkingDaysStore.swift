import Fluent
import Foundation
import PantauDomain

/// The working-day calendar as the database holds it: loaded from the repository's yearly files once per year,
/// then kept by the national secretariat (`/admin/holidays`). Every change is audited.
enum WorkingDaysStore {
    /// One year's file, `Resources/Holidays/YEAR.json`: the decree it was taken from and its days off.
    struct YearFile: Decodable {
        let year: Int
        let source: String
        /// How and whether the list was checked against the decree.
        let checked: String
        let days: [DayOff]
    }

    /// Every day off, for counting.
    static func calendar(on database: any Database) async throws -> WorkingCalendar {
        WorkingCalendar(days: Set(try await HolidayModel.query(on: database).all(\.$day).compactMap(CalendarDay.init(iso:))))
    }

    /// The days off of `year`, in order.
    static func days(of year: Int, on database: any Database) async throws -> [HolidayModel] {
        try await HolidayModel.query(on: database).filter(\.$day >= "\(year)-01-01").filter(\.$day <= "\(year)-12-31").sort(\.$day).all()
    }

    /// Loads each year of `directory` that was never loaded (a year the secretariat has edited stays as it is);
    /// returns the years loaded. A file that cannot be read stops the start, naming it.
    static func loadShipped(directory: String, on database: any Database) async throws -> [Int] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        var loaded: [Int] = []
        for file in files {
            let path = directory + "/" + file
            let year: YearFile
            do {
                year = try JSONDecoder().decode(YearFile.self, from: try Data(contentsOf: URL(fileURLWithPath: path)))
            } catch {
                throw AppError.invalid(key: "holidays.bad_file", arguments: [path, "\(error)"])
            }
            guard year.days.allSatisfy({ $0.day.year == year.year }) else {
                throw AppError.invalid(key: "holidays.bad_file", arguments: [path, "a day outside \(year.year)"])
            }
            guard try await HolidayYearModel.find(year.year, on: database) == nil else { continue }
            try await AuditLog.transaction(on: database, actor: .system) { db in
                let existing = Set(try await HolidayModel.query(on: db).all(\.$day))
                var changes: [AuditChange] = []
                for dayOff in year.days where !existing.contains(dayOff.day.iso) {
                    let model = HolidayModel(dayOff: dayOff)
                    try await model.create(on: db)
                    changes.append(AuditChange(action: "holiday.create", objectType: "holiday", objectID: model.id!.uuidString,
                                               before: Optional<DayOff>.none, after: dayOff, reason: year.source))
                }
                try await HolidayYearModel(year: year.year, source: year.source, checked: year.checked).create(on: db)
                return ((), changes)
            }
            loaded.append(year.year)
        }
        return loaded
    }

    /// Adds a day off; a day already off is refused, naming it.
    static func add(_ dayOff: DayOff, actor: AuditActor, on database: any Database) async throws {
        let name = dayOff.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw FieldError(field: "name", error: .invalid(key: "holidays.name_required", arguments: [])) }
        guard name.count <= 200 else { throw FieldError(field: "name", error: .invalid(key: "form.too_long", arguments: ["200"])) }
        let cleaned = DayOff(day: dayOff.day, name: name, kind: dayOff.kind)
        try await AuditLog.transaction(on: database, actor: actor) { db in
            if let existing = try await HolidayModel.query(on: db).filter(\.$day == cleaned.day.iso).first() {
                throw FieldError(field: "day", error: .conflict(key: "holidays.day_taken", arguments: [cleaned.day.iso, existing.name]))
            }
            let model = HolidayModel(dayOff: cleaned)
            try await model.create(on: db)
            return ((), [AuditChange(action: "holiday.create", objectType: "holiday", objectID: model.id!.uuidString,
                                     before: Optional<DayOff>.none, after: cleaned)])
        }
    }

    /// Removes a day off (a working day again).
    static func remove(_ id: UUID, actor: AuditActor, on database: any Database) async throws {
        try await AuditLog.transaction(on: database, actor: actor) { db in
            guard let model = try await HolidayModel.find(id, on: db) else { throw AppError.notFound(what: "holiday") }
            let before = model.dayOff
            try await model.delete(on: db)
            return ((), [AuditChange(action: "holiday.delete", objectType: "holiday", objectID: id.uuidString,
                                     before: before, after: Optional<DayOff>.none)])
        }
    }
}
