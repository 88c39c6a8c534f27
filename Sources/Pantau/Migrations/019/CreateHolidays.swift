import Fluent

/// The working-day calendar: national holidays and collective leave days, and the years loaded from the repository.
struct CreateHolidays: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(HolidayModel.schema)
            .id()
            .field("day", .string, .required)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "day")
            .create()
        try await database.schema(HolidayYearModel.schema)
            .field("year", .int, .identifier(auto: false))
            .field("source", .string, .required)
            .field("checked", .string, .required)
            .field("loaded_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(HolidayYearModel.schema).delete()
        try await database.schema(HolidayModel.schema).delete()
    }
}
