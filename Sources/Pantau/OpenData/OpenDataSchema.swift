import Foundation
import PantauDomain

/// The tables of the open data and what each column holds: one definition that the files, the data dictionary page,
/// the Data Package (`datapackage.json`) and the DCAT catalogue all read, so they cannot disagree.
///
/// A column name means the same in every table (its meaning is `data.column.<name>`), and its type follows from the
/// name (`OpenDataSchema.type(of:)`). Every row of a plan's data starts with the plan's id, code, status and version.
enum OpenDataSchema {
    /// Table Schema types (specs.frictionlessdata.io/table-schema).
    enum FieldType: String, Sendable {
        case string, integer, boolean, date, datetime, yearmonth
    }

    struct Field: Sendable {
        let name: String
        let type: FieldType
        /// `uuid` for ids, `uri` for addresses.
        let format: String?
        /// The codes a column may hold, when they are a fixed list.
        let codes: [String]?
    }

    struct ForeignKey: Sendable {
        let field: String
        let table: String
        let referencedField: String
    }

    struct Table: Sendable {
        let name: String
        let columns: [String]
        let primaryKey: String
        let foreignKeys: [ForeignKey]

        var fields: [Field] { columns.map(OpenDataSchema.field) }
        var titleKey: String { "data.table." + name }
    }

    /// What every row of a plan's data starts with: which plan, in which state and version, it belongs to.
    static let planColumns = ["plan_id", "plan_code", "plan_status", "plan_version"]

    static let tables: [Table] = [
        Table(name: "plans", columns: planColumns + ["title", "jurisdiction", "jurisdiction_kind", "period_start", "period_end", "archived_at",
                                                     "last_modified", "url"],
              primaryKey: "plan_id", foreignKeys: []),
        Table(name: "organisations", columns: ["organisation_id", "name", "acronym", "kind", "url"], primaryKey: "organisation_id", foreignKeys: []),
        planTable("commitments", ["commitment_id", "commitment_number", "title", "theme", "responsible_organisation_ids", "responsible", "start",
                                  "end", "proposal_id", "url"],
                  key: "commitment_id", references: [("proposal_id", "proposals", "proposal_id")]),
        planTable("goals", ["goal_id", "commitment_id", "goal_number", "goal"], key: "goal_id",
                  references: [("commitment_id", "commitments", "commitment_id")]),
        planTable("measures", ["measure_id", "goal_id", "commitment_id", "measure_number", "measure", "responsible_organisation_id",
                               "responsible_organisation", "expected_evidence", "url"],
                  key: "measure_id", references: [("goal_id", "goals", "goal_id"), ("commitment_id", "commitments", "commitment_id"),
                                                  ("responsible_organisation_id", "organisations", "organisation_id")]),
        planTable("targets", ["target_id", "measure_id", "commitment_id", "semester", "target", "url"], key: "target_id",
                  references: [("measure_id", "measures", "measure_id"), ("commitment_id", "commitments", "commitment_id")]),
        planTable("target_results", ["report_id", "target_id", "measure_id", "commitment_id", "semester", "commitment_number", "organisation_id",
                                     "responsible_organisation", "status", "progress", "achievement", "score", "not_applicable", "category",
                                     "category_label", "not_applicable_reason", "late", "corrected_at"],
                  key: "report_id", references: [("target_id", "targets", "target_id"), ("commitment_id", "commitments", "commitment_id"),
                                                 ("organisation_id", "organisations", "organisation_id")]),
        planTable("commitment_results", ["result_id", "commitment_id", "period", "commitment_number", "title", "score", "category",
                                         "category_label", "cocreation_rating", "cocreation_rating_label", "cocreation_justification",
                                         "scored_targets", "targets", "corrected_at"],
                  key: "result_id", references: [("commitment_id", "commitments", "commitment_id")]),
        planTable("corrections", ["correction_id", "commitment_id", "report_id", "target_id", "period", "commitment_number", "target",
                                  "corrected_at", "corrected_by", "reason", "score_before", "not_applicable_before", "category_before",
                                  "score_after", "not_applicable_after", "category_after", "cocreation_rating_before", "cocreation_rating_after"],
                  key: "correction_id", references: [("commitment_id", "commitments", "commitment_id")]),
        planTable("monitor_assessments", ["assessment_id", "commitment_id", "semester", "commitment_number", "completion_rating",
                                          "completion_rating_label", "assessment_text", "published_at", "updated_at"],
                  key: "assessment_id", references: [("commitment_id", "commitments", "commitment_id")]),
        planTable("meetings", ["meeting_id", "date", "title", "place", "commitment_ids", "commitments", "url"], key: "meeting_id", references: []),
        planTable("proposals", ["proposal_id", "organisation_id", "proposer", "title", "problem", "proposed_commitment", "how_it_solves", "stage",
                                "stage_label", "submitted_at", "decision_date", "decision_reason", "merged_into_id", "commitment_id"],
                  key: "proposal_id", references: [("organisation_id", "organisations", "organisation_id"),
                                                   ("merged_into_id", "proposals", "proposal_id"),
                                                   ("commitment_id", "commitments", "commitment_id")]),
        planTable("proposal_stages", ["stage_id", "proposal_id", "stage", "stage_label", "stage_date", "meeting_id", "decision_reason"],
                  key: "stage_id", references: [("proposal_id", "proposals", "proposal_id"), ("meeting_id", "meetings", "meeting_id")]),
        planTable("consultation_comments", ["comment_id", "commitment_id", "commitment_number", "author_name", "author_organisation", "comment",
                                            "created_at", "response", "response_label", "response_text", "url"],
                  key: "comment_id", references: [("commitment_id", "commitments", "commitment_id")]),
        planTable("plan_versions", ["version_id", "version", "reason", "changed_by", "created_at", "url"], key: "version_id", references: []),
        planTable("cocreation_phases", ["phase_id", "phase", "phase_label", "planned_start", "planned_end", "actual_start", "actual_end"],
                  key: "phase_id", references: []),
        planTable("forum_members", ["member_id", "organisation_id", "organisation", "seat", "seat_label"], key: "member_id",
                  references: [("organisation_id", "organisations", "organisation_id")]),
    ]

    static var names: [String] { tables.map(\.name) }

    static func table(_ name: String) -> Table? { tables.first { $0.name == name } }

    /// A table of one plan's data: the plan's columns first, and its `plan_id` refers to the plans table.
    private static func planTable(_ name: String, _ columns: [String], key: String, references: [(String, String, String)]) -> Table {
        Table(name: name, columns: planColumns + columns, primaryKey: key,
              foreignKeys: [ForeignKey(field: "plan_id", table: "plans", referencedField: "plan_id")]
                  + references.map { ForeignKey(field: $0.0, table: $0.1, referencedField: $0.2) })
    }

    static let integerColumns: Set = ["plan_version", "commitment_number", "goal_number", "measure_number", "progress", "score", "score_before",
                                      "score_after", "scored_targets", "targets", "version"]
    static let booleanColumns: Set = ["late", "not_applicable", "not_applicable_before", "not_applicable_after"]
    static let dateColumns: Set = ["date", "stage_date", "decision_date", "planned_start", "planned_end", "actual_start", "actual_end"]
    static let dateTimeColumns: Set = ["archived_at", "last_modified", "corrected_at", "published_at", "updated_at", "submitted_at", "created_at"]
    static let yearMonthColumns: Set = ["period_start", "period_end"]

    /// The fixed codes of a column, where there are some (categories follow each plan's scoring scheme, so they are not listed).
    static let codes: [String: [String]] = [
        "plan_status": ["draft", "adopted", "archived"],
        "jurisdiction_kind": ["national", "province", "regency", "city"],
        "kind": ["government_agency", "civil_society", "parliament_unit", "international_organisation"],
        "phase": CoCreationPhase.allCases.map(\.rawValue),
        "seat": ForumSeat.allCases.map(\.rawValue),
    ]

    static func field(_ name: String) -> Field {
        let type: FieldType = integerColumns.contains(name) ? .integer
            : booleanColumns.contains(name) ? .boolean
            : dateColumns.contains(name) ? .date
            : dateTimeColumns.contains(name) ? .datetime
            : yearMonthColumns.contains(name) ? .yearmonth
            : .string
        let format: String? = name.hasSuffix("_id") && !["result_id", "phase_id"].contains(name) ? "uuid" : name == "url" ? "uri" : nil
        return Field(name: name, type: type, format: format, codes: codes[name])
    }
}

/// One cell of an open data table, typed: JSON writes numbers as numbers, booleans as booleans and `null` for none;
/// CSV writes the text, and nothing for none.
enum OpenDataValue: Encodable, Equatable, Sendable {
    case text(String)
    case integer(Int)
    case boolean(Bool)
    case null

    /// Text, or null when there is none.
    static func optional(_ text: String?) -> OpenDataValue {
        guard let text, !text.isEmpty else { return .null }
        return .text(text)
    }

    static func optional(_ number: Int?) -> OpenDataValue { number.map(OpenDataValue.integer) ?? .null }

    /// Ids are written as the pages and the API write them (`UUID.uuidString`).
    static func id(_ id: UUID?) -> OpenDataValue { id.map { .text($0.uuidString) } ?? .null }

    /// ISO 8601 in UTC, to the second.
    static func time(_ date: Date?) -> OpenDataValue { date.map { .text($0.formatted(.iso8601)) } ?? .null }

    var csvText: String {
        switch self {
        case .text(let text): text
        case .integer(let number): String(number)
        case .boolean(let value): value ? "true" : "false"
        case .null: ""
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .integer(let number): try container.encode(number)
        case .boolean(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }
}
