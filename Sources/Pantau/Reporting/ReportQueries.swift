import Fluent
import Foundation
import PantauDomain

/// Reads of the semester cycle, with the visibility rules in one place.
enum ReportQueries {
    /// A report with what a page needs to show it.
    struct ReportView: Encodable {
        let id: String
        let targetID: String
        let plan: String
        let planCode: String
        /// For permission checks, not shown.
        let planID: UUID
        let commitmentNumber: Int
        let commitmentTitle: String
        let measure: String
        let target: String
        let semester: String
        let semesterID: String
        let organisation: String
        var statusKey: String
        let status: String
        let achievement: String
        let progress: Int
        let isLate: Bool
        let score: String
        let categoryLabel: String
        /// The category's code in the plan's scheme; empty before a score.
        let categoryCode: String
        let notApplicableReason: String
        let evidence: [EvidenceView]
        /// The clarification requests and answers, oldest first, for those who read the report in full.
        let messages: [MessageView]
        /// Notes for staff only: empty for everyone else.
        let staffNotes: [MessageView]
        /// The clarification request the implementer has to answer, while the report waits for that.
        let openQuestion: MessageView?
        /// The last day to answer the open question, as a reader reads it; nil when none is open (an empty text would
        /// count as true in a template).
        var answerDue: String?
        /// For the templates, which cannot test a list for emptiness.
        var hasEvidence = false
        var hasMessages = false
        var hasStaffNotes = false
        var isEditable: Bool
        let canBeScored: Bool
        let hasScore: Bool
        /// Clarification can be asked of a report that is handed in and not yet scored.
        let canAskClarification: Bool
    }

    struct EvidenceView: Encodable {
        let id: String
        let name: String
        let url: String
        let isFile: Bool
        let isPublic: Bool
        let description: String
        let size: String
        /// Whether the implementer may still take it off the report.
        let isRemovable: Bool
    }

    struct MessageView: Encodable {
        let author: String
        let roleKey: String
        let kindKey: String
        let body: String
        let at: String
    }

    /// Loads reports with their target, measure, commitment, plan and semester.
    /// - Parameter viewer: who reads them (nil: a visitor), which decides the messages shown.
    static func reports(_ filter: (QueryBuilder<TargetReportModel>) -> QueryBuilder<TargetReportModel>, language: Language,
                        viewer: Caller?, on database: any Database) async throws -> [ReportView] {
        let reports = try await filter(TargetReportModel.query(on: database))
            .with(\.$organisation)
            .with(\.$evidence)
            .with(\.$messages)
            .with(\.$target) { target in
                target.with(\.$semester) { $0.with(\.$plan) { $0.with(\.$scheme) { $0.with(\.$categories) } } }
                    .with(\.$measure) { $0.with(\.$goal) { $0.with(\.$commitment) } }
            }
            .all()
        return try reports.map { try view($0, language: language, viewer: viewer) }
            .sorted { ($0.planCode, $0.semester, $0.commitmentNumber, $0.measure) < ($1.planCode, $1.semester, $1.commitmentNumber, $1.measure) }
    }

    static func view(_ report: TargetReportModel, language: Language, viewer: Caller?) throws -> ReportView {
        let target = report.target
        let shown = report.messages.filter { $0.kind.isVisible(to: viewer, plan: target.semester.$plan.id) }
            .sorted { ($0.createdAt ?? .distantPast) < ($1.createdAt ?? .distantPast) }.map(messageView)
        let conversation = shown.filter { $0.kindKey != "report.message_kind.staff_note" }
        let lastRequest = report.messages.filter { $0.kind == .clarificationRequest }.max { ($0.createdAt ?? .distantPast) < ($1.createdAt ?? .distantPast) }
        let plan = target.semester.plan
        let scheme = try SchemeStore.domainScheme(plan.scheme, categories: plan.scheme.categories)
        let category = try report.domainScore.map { try scheme.category(for: $0) }
        var view = ReportView(
            id: report.id!.uuidString, targetID: target.id!.uuidString, plan: plan.title, planCode: plan.code, planID: plan.id!,
            commitmentNumber: target.measure.goal.commitment.number, commitmentTitle: target.measure.goal.commitment.title,
            measure: target.measure.text, target: target.text, semester: target.semester.code, semesterID: target.$semester.id.uuidString,
            organisation: report.organisation.name, statusKey: "report.status." + report.status.rawValue, status: report.status.rawValue,
            achievement: report.achievement, progress: report.progress, isLate: report.isLate,
            score: report.notApplicable ? "N/A" : report.score.map(String.init) ?? "",
            categoryLabel: category.map { $0.labels[language.rawValue] ?? $0.code } ?? "", categoryCode: category?.code ?? "",
            notApplicableReason: report.notApplicableReason,
            evidence: report.evidence.sorted { ($0.createdAt ?? .distantPast) < ($1.createdAt ?? .distantPast) }.map {
                evidenceView($0, removable: isRemovable($0, of: report))
            },
            messages: conversation,
            staffNotes: shown.filter { $0.kindKey == "report.message_kind.staff_note" },
            openQuestion: report.status == .clarificationRequested && viewer != nil ? lastRequest.map(messageView) : nil,
            isEditable: report.status.isEditableByImplementer,
            canBeScored: report.status == .submitted || report.status == .scored,
            hasScore: report.score != nil || report.notApplicable,
            canAskClarification: report.status == .submitted)
        if view.openQuestion != nil, let due = lastRequest?.answerDue.flatMap(CalendarDay.init(iso:)) {
            view.answerDue = Formatting.day(due, language)
        }
        view.hasEvidence = !view.evidence.isEmpty
        view.hasMessages = !view.messages.isEmpty
        view.hasStaffNotes = !view.staffNotes.isEmpty
        return view
    }

    static func evidenceView(_ evidence: EvidenceModel, removable: Bool = false) -> EvidenceView {
        EvidenceView(id: evidence.id!.uuidString, name: evidence.fileName, url: evidence.url ?? SiteURL.evidence.path(evidence.id!),
                     isFile: evidence.isFile, isPublic: evidence.isPublic, description: evidence.description,
                     size: evidence.isFile ? Formatting.fileSize(evidence.size) : "", isRemovable: removable)
    }

    static func messageView(_ message: ReportMessageModel) -> MessageView {
        MessageView(author: message.authorName, roleKey: "role." + message.authorRole.rawValue,
                    kindKey: "report.message_kind." + message.kind.rawValue, body: message.body,
                    at: message.createdAt.map(Formatting.jakartaTime) ?? "")
    }

    /// Evidence can be taken off a report until it is handed in: what the secretariat has seen stays.
    static func isRemovable(_ evidence: EvidenceModel, of report: TargetReportModel) -> Bool {
        guard report.status.isEditableByImplementer else { return false }
        guard let submitted = report.submittedAt else { return true }
        return (evidence.createdAt ?? .distantFuture) > submitted
    }

    /// Whether the user is an implementer of the organisation the report belongs to (`ReportLifecycle.owner`: the one
    /// that wrote it, whoever holds the measure now).
    static func isOwner(_ user: CurrentUser?, of report: TargetReportModel) -> Bool {
        user?.caller.may(.report, organisation: report.$organisation.id) ?? false
    }

    /// Who reads a report in full, its messages and non-public evidence included: its organisation, and those who
    /// read its plan's unpublished work. `plan` is the report's plan, when the caller has it at hand.
    static func readsInFull(_ report: TargetReportModel, plan: UUID?, user: CurrentUser?) -> Bool {
        isOwner(user, of: report) || user?.caller.may(.readUnpublished, inPlan: plan) == true
    }

    /// Who may see a report: those who read it in full always; everyone once its semester is published and it was
    /// verified (the life cycle's rule).
    static func canSee(_ report: TargetReportModel, plan: UUID?, user: CurrentUser?, published: Bool) -> Bool {
        readsInFull(report, plan: plan, user: user) || ReportLifecycle.isPublic(report.status, semesterPublished: published)
    }
}
