import Fluent
import SQLKit

/// Many plans: each plan belongs to a jurisdiction (the existing ones to Indonesia, the national one) and can be
/// archived; secretariat and reviewer accounts act on the plans they are given, or on all (the existing ones keep all).
struct CreateJurisdictions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(JurisdictionModel.schema)
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "name")
            .create()
        let national = JurisdictionModel(name: JurisdictionModel.nationalName, kind: .national)
        try await national.create(on: database)

        // Added without NOT NULL (SQLite cannot add such a column to a table with rows); every plan is given one here
        // and every plan written later is given one by `PlanWriter`.
        try await database.schema(ActionPlanModel.schema)
            .field("jurisdiction_id", .uuid, .references(JurisdictionModel.schema, "id"))
            .update()
        try await database.schema(ActionPlanModel.schema).field("archived_at", .datetime).update()
        try await (database as! any SQLDatabase).update(ActionPlanModel.schema)
            .set("jurisdiction_id", to: SQLBind(national.id!)).run()
        try await (database as! any SQLDatabase).raw("CREATE INDEX action_plans_jurisdiction ON action_plans (jurisdiction_id)").run()

        try await database.schema(UserModel.schema).field("all_plans", .bool, .required, .sql(.default(false))).update()
        try await UserModel.query(on: database).filter(\.$role ~~ [.secretariat, .reviewer]).set(\.$allPlans, to: true).update()

        try await database.schema(PlanGrantModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("plan_id", .uuid, .required, .references(ActionPlanModel.schema, "id", onDelete: .cascade))
            .field("created_at", .datetime)
            .unique(on: "user_id", "plan_id")
            .create()
        try await (database as! any SQLDatabase).raw("CREATE INDEX plan_grants_plan ON plan_grants (plan_id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PlanGrantModel.schema).delete()
        try await database.schema(UserModel.schema).deleteField("all_plans").update()
        try await (database as! any SQLDatabase).raw("DROP INDEX IF EXISTS action_plans_jurisdiction").run()
        try await database.schema(ActionPlanModel.schema).deleteField("archived_at").update()
        try await database.schema(ActionPlanModel.schema).deleteField("jurisdiction_id").update()
        try await database.schema(JurisdictionModel.schema).delete()
    }
}
