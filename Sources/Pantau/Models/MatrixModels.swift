import Fluent
import Foundation

/// Sasaran keberhasilan: a goal of a commitment.
public final class GoalModel: Model, @unchecked Sendable {
    public static let schema = "goals"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "commitment_id") public var commitment: CommitmentModel
    @Field(key: "position") public var position: Int
    @Field(key: "text") public var text: String
    @Children(for: \.$goal) public var measures: [SuccessMeasureModel]

    public init() {}

    public init(commitmentID: UUID, position: Int, text: String) {
        self.$commitment.id = commitmentID
        self.position = position
        self.text = text
    }
}

/// Ukuran keberhasilan: a success measure with exactly one responsible organisation.
public final class SuccessMeasureModel: Model, @unchecked Sendable {
    public static let schema = "success_measures"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "goal_id") public var goal: GoalModel
    @Field(key: "position") public var position: Int
    @Field(key: "text") public var text: String
    @Parent(key: "responsible_organisation_id") public var responsible: OrganisationModel
    @Field(key: "expected_evidence") public var expectedEvidence: String
    @Children(for: \.$measure) public var targets: [TargetModel]

    public init() {}

    public init(goalID: UUID, position: Int, text: String, responsibleID: UUID, expectedEvidence: String) {
        self.$goal.id = goalID
        self.position = position
        self.text = text
        self.$responsible.id = responsibleID
        self.expectedEvidence = expectedEvidence
    }
}

/// Target capaian: what a measure's responsible party must achieve by the end of one semester.
public final class TargetModel: Model, @unchecked Sendable {
    public static let schema = "targets"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "measure_id") public var measure: SuccessMeasureModel
    @Parent(key: "semester_id") public var semester: PlanSemesterModel
    @Field(key: "text") public var text: String

    public init() {}

    public init(measureID: UUID, semesterID: UUID, text: String) {
        self.$measure.id = measureID
        self.$semester.id = semesterID
        self.text = text
    }
}
