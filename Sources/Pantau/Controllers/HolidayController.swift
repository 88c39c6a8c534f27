import Fluent
import Foundation
import PantauDomain
import Vapor

/// `/admin/holidays`: the working-day calendar a year at a time, for the national secretariat to check against the
/// decree and correct: add a day off, or make one a working day again.
struct HolidayController {
    struct AddForm: Content {
        var day: String = ""
        var name: String = ""
        var kind: String = DayOff.Kind.holiday.rawValue
        /// With the reminder form's field, which shares the page.
        static let fields = ["day", "name", "kind", "reminderDays"]
    }

    func page(req: Request) async throws -> Response {
        try await render(req, year: try Self.year(req), form: AddForm(), errors: FormErrors(fields: AddForm.fields))
    }

    func add(req: Request) async throws -> Response {
        let form = try req.decodeForm(AddForm.self)
        var errors = FormErrors(fields: AddForm.fields)
        let day = CalendarDay(iso: form.day.trimmingCharacters(in: .whitespaces))
        if day == nil { errors.add("day", req.t("form.invalid_day", form.day)) }
        let kind = DayOff.Kind(rawValue: form.kind)
        if kind == nil { errors.add("kind", req.t("holidays.bad_kind", form.kind)) }
        if let day, let kind, errors.isEmpty {
            do {
                try await WorkingDaysStore.add(DayOff(day: day, name: form.name, kind: kind), actor: req.auditActor, on: req.db)
                return req.redirect(to: SiteURL.adminHolidays.path() + "?year=\(day.year)", notice: "holidays.added", day.iso)
            } catch let error as FieldError {
                errors.add(error, on: req)
            }
        }
        return try await render(req, year: day?.year ?? (try Self.year(req)), form: form, errors: errors)
    }

    struct ReminderForm: Content {
        var reminderDays: String = ""
    }

    /// The working days before a reporting window closes when those who have not reported are reminded.
    func setReminderDays(req: Request) async throws -> Response {
        let form = try req.decodeForm(ReminderForm.self)
        do {
            try await Reminders.setClosingWorkingDays(form.reminderDays, actor: req.auditActor, on: req.db)
        } catch let error as FieldError {
            var errors = FormErrors(fields: AddForm.fields)
            errors.add(error, on: req)
            return try await render(req, year: try Self.year(req), form: AddForm(), errors: errors, reminderDays: form.reminderDays)
        }
        return req.redirect(to: SiteURL.adminHolidays.path() + "?year=\(try Self.year(req))", notice: "holidays.reminder_saved",
                            form.reminderDays.trimmingCharacters(in: .whitespaces))
    }

    func remove(req: Request) async throws -> Response {
        let id = try req.idParameter()
        let day = try await HolidayModel.find(id, on: req.db).flatMap { CalendarDay(iso: $0.day) }
        try await WorkingDaysStore.remove(id, actor: req.auditActor, on: req.db)
        return req.redirect(to: SiteURL.adminHolidays.path() + (day.map { "?year=\($0.year)" } ?? ""), notice: "holidays.removed", day?.iso ?? "")
    }

    /// `?year=`, else this year in Jakarta; refused (422, naming it) when it is not a year.
    static func year(_ req: Request) throws -> Int {
        let text = (try? req.query.get(String.self, at: "year")) ?? ""
        guard !text.isEmpty else { return req.today.year }
        guard let year = Int(text), (2000...2100).contains(year) else { throw AppError.invalid(key: "holidays.bad_year", arguments: [text]) }
        return year
    }

    private func render(_ req: Request, year: Int, form: AddForm, errors: FormErrors, reminderDays: String? = nil) async throws -> Response {
        let days = try await WorkingDaysStore.days(of: year, on: req.db)
        let shownReminderDays: String
        if let reminderDays { shownReminderDays = reminderDays } else { shownReminderDays = "\(try await Reminders.closingWorkingDays(on: req.db))" }
        let loaded = try await HolidayYearModel.find(year, on: req.db)
        let view = try await req.view.render("admin-holidays", HolidaysPage(
            page: PageMeta(request: req, title: req.t("holidays.title_year", "\(year)")), year: year,
            previousYear: year > 2000 ? year - 1 : nil, nextYear: year < 2100 ? year + 1 : nil,
            days: days.map { model in
                let day = CalendarDay(iso: model.day)
                return HolidaysPage.Row(id: model.id!.uuidString, day: model.day,
                                        weekdayKey: "weekday.\(day?.weekday ?? 0)",
                                        name: model.name, kindKey: "holidays.kind." + model.kind.rawValue,
                                        onWeekend: day.map(WorkingCalendar.isWeekend) ?? false)
            },
            hasDays: !days.isEmpty, source: loaded?.source, checked: loaded?.checked,
            kinds: DayOff.Kind.allCases.map { .init(value: $0.rawValue, labelKey: "holidays.kind." + $0.rawValue) },
            form: form, reminderDays: shownReminderDays, errors: errors))
        return try await view.encodeResponse(status: errors.isEmpty ? .ok : errors.status, for: req)
    }
}

struct HolidaysPage: Encodable {
    struct Row: Encodable {
        let id: String
        let day: String
        let weekdayKey: String
        let name: String
        let kindKey: String
        let onWeekend: Bool
    }

    let page: PageMeta
    let year: Int
    let previousYear: Int?
    let nextYear: Int?
    let days: [Row]
    let hasDays: Bool
    let source: String?
    let checked: String?
    let kinds: [AdminController.KindOption]
    let form: HolidayController.AddForm
    /// The working days before closing when reminders go, as in force or as typed.
    let reminderDays: String
    let errors: FormErrors
}
