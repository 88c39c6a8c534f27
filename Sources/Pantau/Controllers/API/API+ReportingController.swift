import Fluent
import Foundation
import PantauDomain
import Vapor

extension API {
    struct OwedTargetDTO: Content {
        let targetId: String
        let planCode: String
        let semester: String
        let commitmentNumber: Int
        let measure: String
        let target: String
        let reportStatus: String
        let closes: String
    }

    struct EvidenceDTO: Content {
        let id: String
        let name: String
        let url: String
        let isFile: Bool
        let isPublic: Bool
        let description: String
    }

    struct MessageDTO: Content {
        let author: String
        let role: String
        let kind: String
        let body: String
        let at: String
    }

    struct ReportDTO: Content {
        let id: String
        let targetId: String
        let planCode: String
        let semester: String
        let commitmentNumber: Int
        let measure: String
        let target: String
        let organisation: String
        let status: String
        let achievement: String
        let progress: Int
        let late: Bool
        let score: Int?
        let notApplicable: Bool
        let notApplicableReason: String
        /// The category's code in the plan's scheme, as everywhere else in the API and the open data.
        let category: String?
        /// Its name in the request's language.
        let categoryLabel: String?
        var evidence: [EvidenceDTO]
        var messages: [MessageDTO]
        /// In published results: corrections of this report's score.
        var corrections: [CorrectionDTO]?

        init(_ view: ReportQueries.ReportView) {
            id = view.id
            targetId = view.targetID
            planCode = view.planCode
            semester = view.semester
            commitmentNumber = view.commitmentNumber
            measure = view.measure
            target = view.target
            organisation = view.organisation
            status = view.status
            achievement = view.achievement
            progress = view.progress
            late = view.isLate
            score = Int(view.score)
            notApplicable = view.score == "N/A"
            notApplicableReason = view.notApplicableReason
            category = view.categoryCode.isEmpty ? nil : view.categoryCode
            categoryLabel = view.categoryLabel.isEmpty ? nil : view.categoryLabel
            evidence = view.evidence.map { EvidenceDTO(id: $0.id, name: $0.name, url: $0.url, isFile: $0.isFile, isPublic: $0.isPublic, description: $0.description) }
            messages = (view.messages + view.staffNotes).map {
                MessageDTO(author: $0.author, role: String($0.roleKey.dropFirst("role.".count)),
                           kind: String($0.kindKey.dropFirst("report.message_kind.".count)), body: $0.body, at: $0.at)
            }
        }
    }

    struct DraftInput: Content {
        let achievement: String
        let progress: Int
    }

    struct EvidenceInput: Content {
        var file: File?
        var link: String?
        var description: String?
        var isPublic: Bool?
    }

    struct StatusDTO: Content {
        let status: String
    }

    struct CommitmentResultDTO: Content {
        let number: Int
        let title: String
        let score: Int?
        let category: String?
        let coCreationRating: CoCreationRating?
        let coCreationJustification: String
        let scoredTargets: Int
        let reportedTargets: Int
        let targets: Int
        let corrections: [CorrectionDTO]
    }

    struct SemesterResultsDTO: Content {
        let planCode: String
        /// The semester code, or the year.
        let semester: String
        let publishedAt: String
        /// Why it was published although incomplete; empty when complete.
        let publicationReason: String
        let commitments: [CommitmentResultDTO]
        let reports: [ReportDTO]
    }

    /// A correction of a published result: when, who, why, and the result before and after.
    struct CorrectionDTO: Content {
        let at: String
        let by: String
        let reason: String
        let before: CorrectedValue
        let after: CorrectedValue

        init(_ model: ResultCorrectionModel) {
            at = ISO8601DateFormatter().string(from: model.madeAt)
            by = model.madeBy
            reason = model.reason
            let empty = CorrectedValue(score: nil, category: nil)
            before = model.beforeValue ?? empty
            after = model.afterValue ?? empty
        }
    }

    struct PublicationCheckDTO: Content {
        struct Commitment: Content {
            let number: Int
            let title: String
            let targets: Int
            let reported: Int
            let scored: Int
            let partial: Bool
        }

        struct OpenWindow: Content {
            let semester: String
            let closes: String?
        }

        let planCode: String
        let period: String
        let published: Bool
        let complete: Bool
        let targets: Int
        let reported: Int
        let scored: Int
        let commitments: [Commitment]
        let partialCommitments: [Int]
        let openClarifications: Int
        let openWindows: [OpenWindow]
        let unpublishedSemesters: [String]

        init(_ check: PublicationCheck, results: PeriodResults) {
            planCode = results.plan.code
            period = results.period.description
            published = results.isPublished
            complete = check.isComplete
            targets = check.targets
            reported = check.reported
            scored = check.scored
            commitments = check.commitments.map {
                Commitment(number: $0.number, title: $0.title, targets: $0.coverage.targets, reported: $0.coverage.reported,
                           scored: $0.coverage.scored, partial: $0.coverage.isPartial)
            }
            partialCommitments = check.partialCommitments.map(\.number)
            openClarifications = check.openClarifications
            openWindows = check.openWindows.map { OpenWindow(semester: $0.semester, closes: $0.closes?.iso) }
            unpublishedSemesters = check.unpublishedSemesters
        }
    }

    struct ErrorDTO: Content {
        let status: Int
        let code: String
        let message: String
    }

    struct PublicationRefusedDTO: Content {
        let error: ErrorDTO
        let check: PublicationCheckDTO
    }

    /// The semester cycle over the API: what an implementer's own tracker needs to report, and what the
    /// secretariat's tools need to verify; results for everyone once published.
    struct ReportingController {
        func owed(req: Request) async throws -> [OwedTargetDTO] {
            let user = try req.requireUser()
            let organisationID = try user.organisationID.orThrow(AppError.forbidden)
            return try await ReportingQueries.owedTargets(organisationID: organisationID, on: req.db, today: req.today).map {
                OwedTargetDTO(targetId: $0.targetID, planCode: $0.planCode, semester: $0.semester, commitmentNumber: $0.commitmentNumber,
                              measure: $0.measure, target: $0.target, reportStatus: $0.status, closes: $0.closes)
            }
        }

        func targetReport(req: Request) async throws -> ReportDTO {
            let targetID = try req.idParameter()
            guard let report = try await TargetReportModel.query(on: req.db).filter(\.$target.$id == targetID).first() else {
                throw AppError.notFound(what: "report")
            }
            return try await reportDTO(report.requireID(), req: req)
        }

        func saveDraft(req: Request) async throws -> ReportDTO {
            let input = try req.decodeForm(DraftInput.self)
            let report = try await ReportService.saveDraft(targetID: try req.idParameter(), achievement: input.achievement,
                                                           progress: input.progress, by: try req.requireUser(), on: req.db,
                                                           store: req.application.evidenceStore, now: req.now, today: req.today)
            return try await reportDTO(report.requireID(), req: req)
        }

        func addEvidence(req: Request) async throws -> EvidenceDTO {
            let input = try req.decodeForm(EvidenceInput.self)
            let file = input.file.flatMap { $0.data.readableBytes > 0 || !$0.filename.isEmpty ? (name: $0.filename, data: Data(buffer: $0.data)) : nil }
            let evidence = try await ReportService.addEvidence(
                targetID: try req.idParameter(),
                ReportService.NewEvidence(file: file, link: input.link, description: input.description ?? "", isPublic: input.isPublic ?? false),
                store: req.application.evidenceStore, by: try req.requireUser(), on: req.db, now: req.now, today: req.today)
            let view = ReportQueries.evidenceView(evidence)
            return EvidenceDTO(id: view.id, name: view.name, url: view.url, isFile: view.isFile, isPublic: view.isPublic, description: view.description)
        }

        func submit(req: Request) async throws -> ReportDTO {
            let targetID = try req.idParameter()
            try await ReportService.submit(targetID: targetID, by: try req.requireUser(), on: req.db, store: req.application.evidenceStore,
                                           now: req.now, today: req.today)
            return try await targetReport(req: req)
        }

        func report(req: Request) async throws -> ReportDTO {
            try await reportDTO(try req.idParameter(), req: req)
        }

        func message(req: Request) async throws -> ReportDTO {
            let id = try req.idParameter()
            try await ReportService.postMessage(reportID: id, body: try req.decodeForm(MessageForm.self).body, asksClarification: false,
                                                by: try req.requireUser(), on: req.db, now: req.now, today: req.today)
            return try await reportDTO(id, req: req)
        }

        func clarification(req: Request) async throws -> ReportDTO {
            let id = try req.idParameter()
            try await ReportService.postMessage(reportID: id, body: try req.decodeForm(MessageForm.self).body, asksClarification: true,
                                                by: try req.requireUser(), on: req.db, now: req.now, today: req.today)
            return try await reportDTO(id, req: req)
        }

        func score(req: Request) async throws -> ReportDTO {
            let id = try req.idParameter()
            let input = try req.decodeForm(ScoreForm.self)
            try await ReportService.score(reportID: id, points: input.score,
                                          notApplicableReason: input.notApplicable ? input.reason : nil, correctionReason: input.correctionReason ?? "",
                                          by: try req.requireUser(), on: req.db, now: req.now, today: req.today)
            return try await reportDTO(id, req: req)
        }

        func verificationQueue(req: Request) async throws -> [ReportDTO] {
            let plan = (try? req.query.get(String.self, at: "plan")).flatMap { $0.isEmpty ? nil : $0 }
            let semester = (try? req.query.get(String.self, at: "semester")).flatMap { $0.isEmpty ? nil : $0 }
            let status = (try? req.query.get(String.self, at: "status")).flatMap(ReportStatus.init(rawValue:))
            return try await VerificationQueue.load(.init(planCode: plan, semester: semester, status: status), caller: try req.requireUser().caller,
                                                    page: nil, language: req.language, cache: req.application.planResultsCache,
                                                    on: req.db).reports.map(ReportDTO.init)
        }

        func setWindow(req: Request) async throws -> StatusDTO {
            let window = try req.decodeForm(WindowForm.self).window()
            try await SemesterService.setWindow(semesterID: try await semester(req).requireID(), window: window, by: try req.requireUser(), on: req.db)
            return StatusDTO(status: "ok")
        }

        /// A commitment's assessment for a semester or, under `/years/{year}`, for a year.
        func assess(req: Request) async throws -> StatusDTO {
            let input = try req.decodeForm(AssessmentForm.self)
            let (code, period) = try await Self.period(req)
            let number = try req.parameters.require("number", as: Int.self)
            try await ResultsService.assess(planCode: code, period: period, commitmentNumber: number, assessment: try input.assessment(),
                                            correctionReason: input.correctionReason, by: try req.requireUser(), now: req.now, on: req.db)
            return StatusDTO(status: "ok")
        }

        func publicationCheck(req: Request) async throws -> PublicationCheckDTO {
            let (code, period) = try await Self.period(req)
            let (results, check) = try await ResultsService.check(planCode: code, period: period, today: req.today, on: req.db)
            return PublicationCheckDTO(check, results: results)
        }

        /// Publishes a semester or a year; when anything is incomplete it takes a reason, else answers 409 with the check.
        func publish(req: Request) async throws -> Response {
            let input = (try? req.content.decode(PublishForm.self)) ?? PublishForm(confirm: nil, reason: nil)
            let (code, period) = try await Self.period(req)
            do {
                try await ResultsService.publish(planCode: code, period: period, reason: input.reason ?? "", by: try req.requireUser(),
                                                 now: req.now, today: req.today, on: req.db)
            } catch PublicationCheck.Problem.reasonRequired {
                let (results, check) = try await ResultsService.check(planCode: code, period: period, today: req.today, on: req.db)
                let error = AppError.conflict(key: PublicationCheck.Problem.reasonRequired.rawValue, arguments: [])
                let body = PublicationRefusedDTO(
                    error: ErrorDTO(status: 409, code: error.code, message: req.application.localizer.text(error.messageKey, req.language)),
                    check: PublicationCheckDTO(check, results: results))
                return try await body.encodeResponse(status: .conflict, for: req)
            }
            return try await StatusDTO(status: "published").encodeResponse(for: req)
        }

        /// Published results of a semester or a year: commitment results with coverage and corrections, and every
        /// verified report with its corrections.
        func results(req: Request) async throws -> SemesterResultsDTO {
            let (code, period) = try await Self.period(req)
            let results = try await PeriodResults.load(planCode: code, period: period, on: req.db)
            guard let publication = results.publication else { throw AppError.notFound(what: "results") }
            let reportIDs = results.commitments.flatMap(\.rows).compactMap { row -> UUID? in
                guard let report = row.report, ReportLifecycle.isPublic(report.status, semesterPublished: true) else { return nil }
                return report.id
            }
            let reports = reportIDs.isEmpty ? [] : try await ReportQueries.reports({ $0.filter(\.$id ~~ reportIDs) }, language: req.language, viewer: req.currentUser?.caller, on: req.db)
            return SemesterResultsDTO(
                planCode: code, semester: period.description, publishedAt: ISO8601DateFormatter().string(from: publication.at),
                publicationReason: publication.reason,
                commitments: results.commitments.map { commitment in
                    CommitmentResultDTO(number: commitment.number, title: commitment.title, score: commitment.result.finalScore,
                                        category: commitment.result.category?.code, coCreationRating: commitment.assessment.rating,
                                        coCreationJustification: commitment.assessment.justification,
                                        scoredTargets: commitment.result.coverage.scored, reportedTargets: commitment.result.coverage.reported,
                                        targets: commitment.result.coverage.targets,
                                        corrections: results.corrections(ofCommitment: commitment.commitmentID).map(CorrectionDTO.init))
                },
                reports: reports.map { view in
                    // Only public evidence leaves the secretariat.
                    let dto = ReportDTO(view)
                    var copy = ReportDTO(copying: dto, evidence: dto.evidence.filter(\.isPublic), messages: [])
                    copy.corrections = results.corrections(ofReport: UUID(uuidString: view.id)!).map(CorrectionDTO.init)
                    return copy
                })
        }

        /// The plan code and the period a path names: `/semesters/{semester}` or `/years/{year}`; unknown ones are 404.
        static func period(_ req: Request) async throws -> (String, ReportPeriod) {
            let code: String = try req.parameters.require("code")
            let plan = try await PeriodResults.plan(code: code, on: req.db)
            let period: ReportPeriod
            if let semester = req.parameters.get("semester") {
                guard Semester.month(fromCode: semester) != nil else { throw AppError.notFound(what: "semester") }
                period = .semester(semester)
            } else {
                guard let text = req.parameters.get("year"), let year = Int(text), (1900...9999).contains(year) else { throw AppError.notFound(what: "semester") }
                period = .year(year)
            }
            _ = try PeriodResults.semestersOf(period, plan: plan)
            return (code, period)
        }

        // MARK: -

        private func semester(_ req: Request) async throws -> PlanSemesterModel {
            try await PlanSemesterModel.find(req)
        }

        /// A report as the caller may see it: staff and the owning organisation always, others once published.
        private func reportDTO(_ id: UUID, req: Request) async throws -> ReportDTO {
            guard let model = try await TargetReportModel.query(on: req.db).filter(\.$id == id).with(\.$target, { $0.with(\.$semester) }).first() else {
                throw AppError.notFound(what: "report")
            }
            let plan = model.target.semester.$plan.id
            let published = try await SemesterService.isPublished(semesterID: model.target.$semester.id, on: req.db)
            guard ReportQueries.canSee(model, plan: plan, user: req.currentUser, published: published) else { throw AppError.notFound(what: "report") }
            guard let view = try await ReportQueries.reports({ $0.filter(\.$id == id) }, language: req.language, viewer: req.currentUser?.caller, on: req.db).first else {
                throw AppError.notFound(what: "report")
            }
            let dto = ReportDTO(view)
            return ReportQueries.readsInFull(model, plan: plan, user: req.currentUser) ? dto : ReportDTO(copying: dto, evidence: dto.evidence.filter(\.isPublic), messages: [])
        }
    }
}

extension API.ReportDTO {
    init(copying other: API.ReportDTO, evidence: [API.EvidenceDTO], messages: [API.MessageDTO]) {
        self = other
        self.evidence = evidence
        self.messages = messages
    }
}
