import Fluent
import SQLKit

/// Messages on a report say what they are (`ReportMessageKind`), so staff notes can be kept from implementers. Until
/// now every message was shown to the implementer: staff messages written before this are kept as clarification
/// requests (visible, as they were), implementers' as answers.
struct UpdateReportMessagesAddKind: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ReportMessageModel.schema).field("kind", .string, .required, .sql(.default("answer"))).update()
        try await (database as! any SQLDatabase).raw("UPDATE report_messages SET kind = 'clarification' WHERE author_role <> 'implementer'").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ReportMessageModel.schema).deleteField("kind").update()
    }
}
