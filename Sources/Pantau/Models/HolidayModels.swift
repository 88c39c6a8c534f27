import Fluent
import Foundation
import PantauDomain

/// A day off of the working-day calendar (`WorkingCalendar`): a national holiday or a collective leave day.
public final class HolidayModel: Model, @unchecked Sendable {
    public static let schema = "holidays"

    @ID(key: .id) public var id: UUID?
    /// `YYYY-MM-DD`, one row per day.
    @Field(key: "day") public var day: String
    @Field(key: "name") public var name: String
    @Field(key: "kind") public var kind: DayOff.Kind
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(dayOff: DayOff) {
        day = dayOff.day.iso
        name = dayOff.name
        kind = dayOff.kind
    }

    var dayOff: DayOff? { CalendarDay(iso: day).map { DayOff(day: $0, name: name, kind: kind) } }
}

/// A year of the calendar as it was first loaded from the repository (`Resources/Holidays/YEAR.json`), with the
/// decree it was taken from: loaded once, so that the secretariat's later changes are kept over restarts.
public final class HolidayYearModel: Model, @unchecked Sendable {
    public static let schema = "holiday_years"

    @ID(custom: "year", generatedBy: .user) public var id: Int?
    @Field(key: "source") public var source: String
    @Field(key: "checked") public var checked: String
    @Timestamp(key: "loaded_at", on: .create) public var loadedAt: Date?

    public init() {}

    public init(year: Int, source: String, checked: String) {
        id = year
        self.source = source
        self.checked = checked
    }
}
