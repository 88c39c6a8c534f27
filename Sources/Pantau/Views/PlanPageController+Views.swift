import Fluent
import PantauDomain
import Vapor

extension PlanPageController {
    struct OrganisationView: Encodable {
        let id: String
        let name: String
        let shortName: String
        let kindKey: String

        init(_ dto: API.OrganisationRefDTO) {
            id = dto.id
            name = dto.name
            shortName = dto.acronym ?? dto.name
            kindKey = "organisation.kind." + dto.kind.rawValue
        }
    }

    struct PlansPage: Encodable {
        let page: PageMeta
        /// By jurisdiction: the national plans first, then regions by kind and name; newest first within each.
        let plans: [PlanCard]
        let hasPlans: Bool
        let pages: PageLinks
        /// Co-creation phases open today, in any plan (`OpenPhases`).
        var openPhases: [OpenPhases.Notice] = []
        var hasOpenPhases = false
    }

    /// A plan in the list, with how it is going.
    struct PlanCard: Encodable, Sendable {
        let plan: API.PlanSummaryDTO
        let status: PlanProgress
        let jurisdictionKindKey: String

        init(plan: API.PlanSummaryDTO, status: PlanProgress) {
            self.plan = plan
            self.status = status
            jurisdictionKindKey = "jurisdiction.kind." + plan.jurisdiction.kind.rawValue
        }
    }

    struct TermsPage: Encodable {
        struct Term: Encodable {
            /// The anchor other pages link to: `/terms#cocreation`.
            let id: String
            let titleKey: String
            let textKey: String

            init(_ id: String) {
                self.id = id
                titleKey = "terms.\(id).title"
                textKey = "terms.\(id).text"
            }
        }

        let page: PageMeta
        let terms: [Term]
    }

    struct CommitmentRow: Encodable {
        let number: Int
        let title: String
        let theme: String
        let responsible: [OrganisationView]
        /// Its latest published result, if any.
        let status: PlanProgress.CommitmentStatus?
    }

    struct PlanPage: Encodable {
        let page: PageMeta
        let plan: API.PlanDetailDTO
        let commitments: [CommitmentRow]
        let categories: [CategoryView]
        let hasCommitments: Bool
        let status: PlanProgress
        let progress: PlanHistory
        let filters: CommitmentFilter.Form
        let history: [HistoryView]
        let reports: [EvaluationController.PeriodLink]
        /// When the plan was archived (WIB); nil while it is not.
        let archivedOn: String?
        /// OGP's minimum requirements, year by year up to this one; empty for a plan without semesters.
        let requirements: [RequirementYearView]
        /// When what the public sees of the plan last changed (WIB).
        let lastUpdated: String?
        /// This plan's co-creation phases open today (`OpenPhases`).
        var openPhases: [OpenPhases.Notice] = []
        var hasOpenPhases = false
        /// How many members its multi-stakeholder forum has on record.
        var forumMembers = 0
    }

    struct CategoryView: Encodable {
        let label: String
        let range: String
    }

    struct TargetCell: Encodable {
        /// The element's id, which search hits on the target's report link to (`CommitmentAnchor`).
        let anchor: String
        /// The target's id (`CommitmentAnchor.id`), the anchor of its semester label; nil where the plan sets no target.
        let id: String?
        let semester: String
        let text: String
        let hasText: Bool
        /// The published result of this target, if its semester is published and it was reported.
        let result: PublishedResults.TargetResult?
        let hasResult: Bool
        /// Target-quality hints, shown while the plan is a draft.
        let hints: [String]
        let hasHints: Bool
    }

    struct MeasureView: Encodable {
        /// The element's id, which search hits on the measure and its targets link to (`CommitmentAnchor`).
        let anchor: String
        /// The measure's id (`CommitmentAnchor.id`), the anchor of its heading.
        let id: String
        let number: String
        let text: String
        let responsible: OrganisationView
        let expectedEvidence: String
        let hasExpectedEvidence: Bool
        let targets: [TargetCell]
    }

    struct GoalView: Encodable {
        let id: String
        let number: Int
        let text: String
        let measures: [MeasureView]
    }

    /// A titled list of organisations, shown only when it has any.
    struct OrganisationSection: Encodable {
        let titleKey: String
        let organisations: [OrganisationView]
    }

    /// A titled paragraph of the description, shown only when the plan gives it.
    struct TextSection: Encodable {
        let titleKey: String
        let paragraphs: [String]

        init(titleKey: String, text: String) {
            self.titleKey = titleKey
            self.paragraphs = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    struct IndicatorView: Encodable {
        let text: String
        let start: String
        let end: String
    }

    struct CommitmentPage: Encodable {
        let page: PageMeta
        let commitment: API.CommitmentDetailDTO
        let period: String
        let hasPeriod: Bool
        let participantSections: [OrganisationSection]
        let descriptionSections: [TextSection]
        let indicators: [IndicatorView]
        let hasIndicators: Bool
        let contacts: [ContactRecord]
        let hasContacts: Bool
        let semesters: [API.SemesterDTO]
        let goals: [GoalView]
        let hasMatrix: Bool
        let hasNote: Bool
        let results: [PublishedResults.CommitmentResult]
        let hasResults: Bool
        /// The results over time as an SVG chart; the chips beside it give the same numbers in words.
        let resultChart: String
        let meetings: [MeetingLink]
        let hasMeetings: Bool
        let cocreation: CoCreationView
        let monitoring: MonitoringSection
        let history: [HistoryView]
    }

    /// The plan's independent monitor's published assessments of the commitment, each beside the secretariat's
    /// published score for the same semester.
    struct MonitoringSection: Encodable {
        struct Line: Encodable {
            let semester: String
            /// Where search links to it on the page.
            let anchor: String
            let ratingKey: String
            let text: String
            let author: String
            let publishedAt: String
            /// The secretariat's score and category for the semester, when published.
            let secretariatScore: String?
            let secretariatCategory: String
        }

        let lines: [Line]
        let hasLines: Bool
        /// Where this plan's monitors write their assessments; nil for everyone else.
        let writePath: String?
    }

    /// The commitment in co-creation: a draft with its consultation, or an adopted plan with its versions.
    struct CoCreationView: Encodable {
        let isDraft: Bool
        let consultationOpen: Bool
        let canEdit: Bool
        let comments: [PublicComment]
        let hasComments: Bool
        let hasVersions: Bool
        /// The proposal the commitment came from, and the published minutes of the meetings that discussed it.
        var proposal: ProposalLink?
        var discussedIn: [MeetingLink] = []
        var hasDiscussions = false
    }

    struct ProposalLink: Encodable {
        let id: String
        let title: String
        let organisation: String
    }

    struct PublicComment: Encodable {
        /// Its id, the anchor of the comment on the page (as in the API and the open data).
        let id: String
        let author: String
        let organisation: String
        let body: String
        let date: String
        let hasResponse: Bool
        let responseKey: String
        let responseText: String
    }

    struct MeetingLink: Encodable {
        let id: String
        let title: String
        let date: String
    }
}
