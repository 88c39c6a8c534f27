import Foundation
import PantauDomain
import Vapor

/// Transfer types of the read API (`/api/v1`), described in `Resources/OpenAPI/openapi.json`.
/// The pages render the same values, so what the API says and what a person sees never differ.
enum API {
    struct SemesterDTO: Content, Equatable {
        let code: String
        let month: Int
        let startDate: String
        let endDate: String
    }

    struct OrganisationRefDTO: Content, Equatable {
        /// Its scorecard is at `/organisations/{id}`.
        let id: String
        let name: String
        let acronym: String?
        let kind: OrganisationKind
    }

    struct ScoreCategoryDTO: Content, Equatable {
        let code: String
        let labels: [String: String]
        let minScore: Int?
        let maxScore: Int?
    }

    struct ScoringSchemeDTO: Content, Equatable {
        let code: String
        let labels: [String: String]
        let categories: [ScoreCategoryDTO]
        let notApplicable: ScoreCategoryDTO
    }

    struct PlanSummaryDTO: Content, Equatable {
        /// Stable across revisions: the same in the open data files (`plan_id`).
        let id: String
        let code: String
        let title: String
        let periodStart: String
        let periodEnd: String
        let semesters: [SemesterDTO]
        let commitmentCount: Int
        /// A draft is still being co-created; an adopted plan changes only by recorded revisions.
        let status: PlanStatus
        let jurisdiction: JurisdictionDTO
        /// ISO 8601 (UTC) when the plan was archived: read-only from then on; nil while it is not.
        let archivedAt: String?
    }

    /// The government a plan belongs to.
    struct JurisdictionDTO: Content, Hashable {
        let name: String
        let kind: JurisdictionKind
    }

    struct CommitmentSummaryDTO: Content, Equatable {
        /// Stable across revisions (a revision may renumber a commitment): the same in the open data and in the page's anchors.
        let id: String
        let number: Int
        let title: String
        let theme: String
        let responsible: [OrganisationRefDTO]
    }

    struct PlanDetailDTO: Content, Equatable {
        let id: String
        let code: String
        let title: String
        let periodStart: String
        let periodEnd: String
        let semesters: [SemesterDTO]
        let scoringScheme: ScoringSchemeDTO
        let commitments: [CommitmentSummaryDTO]
        let status: PlanStatus
        var jurisdiction: JurisdictionDTO?
        /// ISO 8601 (UTC) when the plan was archived; nil while it is not.
        var archivedAt: String?
        /// OGP's minimum requirements, computed from the plan's publications and minutes (the API's plan only).
        var minimumRequirements: MinimumRequirementsDTO?
    }

    /// OGP's minimum requirements of a plan, per year up to the current one.
    struct MinimumRequirementsDTO: Content, Equatable {
        struct Year: Content, Equatable {
            let year: Int
            let publications: Int
            let resultMeetings: Int
            /// `met`, `notMet`, or `inProgress` (the year is not over).
            let publicationState: String
            let meetingState: String
        }

        let years: [Year]
        /// ISO 8601 (UTC) when what the public sees of the plan last changed.
        let lastUpdated: String?

        init(_ requirements: MinimumRequirements, onlyYear: Int? = nil) {
            years = requirements.years.filter { onlyYear == nil || $0.year == onlyYear }.map {
                Year(year: $0.year, publications: $0.publications, resultMeetings: $0.resultMeetings,
                     publicationState: $0.publicationState.rawValue, meetingState: $0.meetingState.rawValue)
            }
            lastUpdated = requirements.lastUpdated.map { ISO8601DateFormatter().string(from: $0) }
        }
    }

    struct PlanRefDTO: Content, Equatable {
        let code: String
        let title: String
    }

    struct IndicatorDTO: Content, Equatable {
        let text: String
        let start: String?
        let end: String?
    }

    struct TargetDTO: Content, Equatable {
        /// Null where the plan sets no target for this measure in that semester.
        let id: String?
        let semester: String
        /// Null where the plan sets no target for this measure in that semester.
        let text: String?
    }

    struct MeasureDTO: Content, Equatable {
        let id: String
        let number: Int
        let text: String
        let responsible: OrganisationRefDTO
        let expectedEvidence: String
        /// One entry per semester of the plan, in order.
        let targets: [TargetDTO]
    }

    struct GoalDTO: Content, Equatable {
        let id: String
        let number: Int
        let text: String
        let measures: [MeasureDTO]
    }

    struct CommitmentDetailDTO: Content, Equatable {
        let plan: PlanRefDTO
        let id: String
        let number: Int
        let title: String
        let theme: String
        let description: CommitmentDescription
        let proposers: [OrganisationRefDTO]
        let responsible: [OrganisationRefDTO]
        let related: [OrganisationRefDTO]
        let partners: [OrganisationRefDTO]
        let planningDirectorate: String
        let contacts: [ContactRecord]
        let start: String?
        let end: String?
        let indicators: [IndicatorDTO]
        let semesters: [SemesterDTO]
        let goals: [GoalDTO]
        let note: String
    }
}
