import Fluent
import SQLKit

/// Indexes on the columns Pantau looks rows up by (parent ids, a period's results, an object's history), so that
/// reading one plan among hundreds does not scan every plan's rows.
struct CreateLookupIndexes: AsyncMigration {
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("plan_semesters_plan", "plan_semesters", ["plan_id"]),
        ("commitments_plan", "commitments", ["plan_id"]),
        ("commitment_organisations_commitment", "commitment_organisations", ["commitment_id"]),
        ("commitment_contacts_commitment", "commitment_contacts", ["commitment_id"]),
        ("commitment_indicators_commitment", "commitment_indicators", ["commitment_id"]),
        ("goals_commitment", "goals", ["commitment_id"]),
        ("success_measures_goal", "success_measures", ["goal_id"]),
        ("success_measures_responsible", "success_measures", ["responsible_organisation_id"]),
        ("targets_measure", "targets", ["measure_id"]),
        ("targets_semester", "targets", ["semester_id"]),
        ("target_reports_organisation", "target_reports", ["organisation_id"]),
        ("evidence_report", "evidence", ["report_id"]),
        ("report_messages_report", "report_messages", ["report_id"]),
        ("commitment_assessments_semester", "commitment_assessments", ["semester_id"]),
        ("year_assessments_plan_year", "year_assessments", ["plan_id", "year"]),
        ("result_corrections_plan_period", "result_corrections", ["plan_id", "period"]),
        ("audit_entries_object", "audit_entries", ["object_type", "object_id"]),
    ]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for index in Self.indexes {
            var builder = sql.create(index: index.name).on(index.table)
            for column in index.columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for index in Self.indexes.reversed() {
            try await sql.drop(index: index.name).run()
        }
    }
}
