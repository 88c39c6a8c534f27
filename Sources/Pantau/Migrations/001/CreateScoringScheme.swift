import Fluent

struct CreateScoringScheme: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ScoringSchemeModel.schema)
            .id()
            .field("code", .string, .required)
            .field("name_id", .string, .required)
            .field("name_en", .string, .required)
            .unique(on: "code")
            .create()
        try await database.schema(ScoreCategoryModel.schema)
            .id()
            .field("scheme_id", .uuid, .required, .references(ScoringSchemeModel.schema, "id", onDelete: .cascade))
            .field("code", .string, .required)
            .field("label_id", .string, .required)
            .field("label_en", .string, .required)
            .field("min_score", .int, .required)
            .field("max_score", .int, .required)
            .field("is_not_applicable", .bool, .required)
            .field("position", .int, .required)
            .unique(on: "scheme_id", "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ScoreCategoryModel.schema).delete()
        try await database.schema(ScoringSchemeModel.schema).delete()
    }
}
