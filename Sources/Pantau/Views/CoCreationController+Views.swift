import Fluent
import Foundation
import PantauDomain
import Vapor

extension CoCreationController {
    struct PlanRow: Encodable {
        let code: String
        let title: String
        let period: String
        let isDraft: Bool
        let proposalsOpen: Bool
        let consultationOpen: Bool
        let commitments: Int
    }

    struct HubPage: Encodable {
        let page: PageMeta
        let plans: [PlanRow]
        let hasPlans: Bool
        /// An implementer's own organisation's proposals, wherever they are.
        let ownProposals: [ProposalRow]
        let hasOwnProposals: Bool
        let scheme: SelectField
        let canCreate: Bool
        /// The new plan as typed, when it was refused, and why.
        let form: NewPlanForm?
        let error: String?
    }

    struct ProposalRow: Encodable {
        let id: String
        let title: String
        let organisation: String
        let stageKey: String
        let date: String
    }

    struct CommitmentLink: Encodable {
        let number: Int
        let title: String
        let hints: Int
        let comments: Int
        let pendingComments: Int
    }

    struct PlanCoCreationPage: Encodable {
        let page: PageMeta
        let code: String
        let title: String
        let period: String
        let isDraft: Bool
        let proposalsOpen: Bool
        let consultationOpen: Bool
        let proposals: [ProposalRow]
        let hasProposals: Bool
        let commitments: [CommitmentLink]
        let hasCommitments: Bool
        let canManage: Bool
        let canPropose: Bool
        let agenciesMayPropose: Bool
        let canModerate: Bool
        let history: [HistoryView]
        /// Why the phases or the adoption typed into their forms were refused, and the adoption note as typed.
        let phasesError: String?
        let adoptError: String?
        let adoptNote: String
        /// What is still open, for the secretariat before it adopts; nil for everyone else.
        let adoptCheck: AdoptionCheckView?
        /// The dated timeline, every phase in order, public; with the secretariat's form while the plan is a draft.
        let timeline: [TimelineRow]
        let hasTimeline: Bool
        let timelineError: String?
    }

    /// One phase of the timeline: its days as shown, and as the form's date fields hold them (as typed after a refusal).
    struct TimelineRow: Encodable {
        struct Day: Encodable {
            let shown: String?
            let value: String
        }

        let phase: String
        let nameKey: String
        let plannedStart: Day
        let plannedEnd: Day
        let actualStart: Day
        let actualEnd: Day
        /// `cocreation.phase_state.*`: not planned, planned, open, done.
        let stateKey: String
        let isOpen: Bool
        /// The call and the consultation: their actual days come from their switches, not from the form.
        let hasSwitch: Bool
    }

    /// The adoption check as the plan's page shows it (Leaf takes empty lists for true: counts and flags instead).
    struct AdoptionCheckView: Encodable {
        struct Commitment: Encodable {
            let number: Int
        }

        let isClear: Bool
        let proposals: [DraftPlanService.AdoptionCheck.Proposal]
        let proposalCount: Int
        let hasProposals: Bool
        let unansweredComments: Int
        let hasComments: Bool
        let commitments: [Commitment]
        let commitmentCount: Int
        let hasCommitments: Bool

        init(_ check: DraftPlanService.AdoptionCheck, code: String) {
            isClear = check.isClear
            proposals = check.undecidedProposals
            proposalCount = proposals.count
            hasProposals = !proposals.isEmpty
            unansweredComments = check.unansweredComments
            hasComments = check.unansweredComments > 0
            commitments = check.commitmentsWithHints.map(Commitment.init(number:))
            commitmentCount = commitments.count
            hasCommitments = !commitments.isEmpty
        }
    }

    struct ProposalFormPage: Encodable {
        let page: PageMeta
        /// Where the form posts: a new proposal of the plan, or the proposer's edit of one.
        let action: String
        let heading: String
        let code: String
        let planTitle: String
        let semesters: [String]
        /// What the fields hold: empty, or what was typed when the proposal could not be sent.
        let form: ProposalForm
        let rows: [MeasureRowView]
        /// Messages beside `title`, `problem` and `commitment`, and `form` for the whole form.
        let errors: FormErrors
    }

    /// One success measure of the proposal form, with a target per semester.
    struct MeasureRowView: Encodable {
        struct Target: Encodable {
            let semester: String
            let text: String
        }

        let index: Int
        /// Counted from 1, as people count.
        let number: Int
        let text: String
        let targets: [Target]
    }

    struct StageView: Encodable {
        let stageKey: String
        let date: String
        let note: String
        let hasNote: Bool
        let meetingID: String?
        let meetingTitle: String
        let recordedBy: String
    }

    struct MeasureProposalView: Encodable {
        let text: String
        let targets: [TargetRecord]
    }

    struct ProposalPage: Encodable {
        let page: PageMeta
        let id: String
        let planCode: String
        let planTitle: String
        let title: String
        let organisation: String
        let stageKey: String
        let isFinal: Bool
        let sections: [PlanPageController.TextSection]
        let measures: [MeasureProposalView]
        let proposing: [String]
        let agencies: [String]
        let sdgTargets: String
        let stages: [StageView]
        let mergedInto: SelectField.Option?
        let hasMergedInto: Bool
        let commitmentNumber: Int?
        let canRecord: Bool
        let nextStage: SelectField
        let meeting: SelectField
        let mergeTarget: SelectField
        /// The stage form's date and note: today and empty, or as typed when the stage was refused.
        let date: String
        let note: String
        let stageError: String?
        let history: [HistoryView]
        /// Its proposer, until review starts: the edit link and the withdrawal form (with the reason as typed).
        var canChange = false
        var withdrawReason = ""
        var withdrawError: String?
    }

    struct CommentFormPage: Encodable {
        let page: PageMeta
        let code: String
        let number: Int
        let commitmentTitle: String
        let isOpen: Bool
        let needsName: Bool
        let maximumLength: Int
        /// What the fields hold: empty, or what was typed when the comment could not be sent.
        let form: CommentForm
        /// Messages beside `name`, `organisation` and `body`, and `form` for the whole form.
        let errors: FormErrors
    }

    struct ModerationRow: Encodable {
        let id: String
        let commitment: Int
        let author: String
        let organisation: String
        let body: String
        let statusKey: String
        let responseText: String
        let date: String
        let statusField: SelectField
        let responseField: SelectField
        /// Why the moderation typed into this comment's form was refused.
        let error: String?
    }

    struct ModerationPage: Encodable {
        let page: PageMeta
        let code: String
        let title: String
        let comments: [ModerationRow]
        let hasComments: Bool
        let canModerate: Bool
    }
}
