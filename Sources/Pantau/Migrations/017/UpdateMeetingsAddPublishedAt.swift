import Fluent
import SQLKit

/// When minutes were published, for the date a plan's public record was last updated. Minutes published before this
/// migration take the time they were recorded.
struct UpdateMeetingsAddPublishedAt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MeetingModel.schema).field("published_at", .datetime).update()
        try await (database as! any SQLDatabase).raw("UPDATE meetings SET published_at = created_at WHERE is_published").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MeetingModel.schema).deleteField("published_at").update()
    }
}
