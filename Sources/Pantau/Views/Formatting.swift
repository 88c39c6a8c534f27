import Foundation
import PantauDomain

/// Numbers and times as pages show them, the same in both languages.
enum Formatting {
    /// "625 B", "12 KB", "3.4 MB": international units, no words to translate.
    static func fileSize(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return "\(bytes / 1024) KB" }
        return String(format: "%.1f MB", Double(bytes) / 1024 / 1024)
    }

    /// "2026-11-23 20:58 WIB": the time where the plans' deadlines fall.
    static func jakartaTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = ReportingCalendar.timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date) + " WIB"
    }

    /// "1 Desember 2026 14.05 WIB", "1 December 2026 14:05 WIB": a moment as a person reads it, in their language.
    static func jakartaDateTime(_ date: Date, _ language: Language) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: language == .id ? "id_ID" : "en_GB")
        formatter.timeZone = ReportingCalendar.timeZone
        formatter.dateFormat = language == .id ? "d MMMM yyyy HH.mm" : "d MMMM yyyy HH:mm"
        return formatter.string(from: date) + " WIB"
    }

    /// "30 Juni 2026", "30 June 2026": a day (a deadline) as a person reads it.
    static func day(_ day: CalendarDay, _ language: Language) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = ReportingCalendar.timeZone
        guard let date = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12)) else { return day.iso }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: language == .id ? "id_ID" : "en_GB")
        formatter.timeZone = ReportingCalendar.timeZone
        formatter.dateFormat = "d MMMM yyyy"
        return formatter.string(from: date)
    }
}
