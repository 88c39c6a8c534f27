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
        let category: String?
        var evidence: [EvidenceDTO]
        var messages: [MessageDTO]

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
            category = view.categoryLabel.isEmpty ? nil : view.categoryLabel
            evidence = view.evidence.map { EvidenceDTO(id: $0.id, name: $0.name, url: $0.url, isFile: $0.isFile, isPublic: $0.isPublic, description: $0.description) }
            messages = view.messages.map { MessageDTO(author: $0.author, role: String($0.roleKey.dropFirst("role.".count)), body: $0.body, at: $0.at) }
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

    struct MessageInput: Content {
        let body: String
    }

    struct ScoreInput: Content {
        let score: Int?
        let notApplicable: Bool?
        let reason: String?
    }

    struct WindowInput: Content {
        let reportOpens: String
        let reportCloses: String
        let verifyOpens: String
        let verifyCloses: String
    }

    struct AssessmentInput: Content {
        let scoreOverride: Int?
        let overrideReason: String?
        let rating: CoCreationRating?
        let justification: String?
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
        let targets: Int
    }

    struct SemesterResultsDTO: Content {
        let planCode: String
        let semester: String
        let publishedAt: String
        let commitments: [CommitmentResultDTO]
        let reports: [ReportDTO]
    }

    /// The semester cycle over the API: what an implementer's own tracker needs to report, and what the
    /// secretariat's tools need to verify; results for everyone once published.
    struct ReportingController {
        func owed(req: Request) async throws -> [OwedTargetDTO] {
            let user = try req.requireUser()
            let organisationID = try user.organisationID.orThrow(AppError.forbidden)
            return try await ReportingQueries.owedTargets(organisationID: organisationID, on: req.db).map {
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
                                                           progress: input.progress, by: try req.requireUser(), on: req.db)
            return try await reportDTO(report.requireID(), req: req)
        }

        func addEvidence(req: Request) async throws -> EvidenceDTO {
            let input = try req.decodeForm(EvidenceInput.self)
            let file = input.file.flatMap { $0.data.readableBytes > 0 || !$0.filename.isEmpty ? (name: $0.filename, data: Data(buffer: $0.data)) : nil }
            let evidence = try await ReportService.addEvidence(targetID: try req.idParameter(), file: file, link: input.link,
                                                               description: input.description ?? "", isPublic: input.isPublic ?? false,
                                                               store: req.application.evidenceStore, by: try req.requireUser(), on: req.db)
            let view = ReportQueries.evidenceView(evidence)
            return EvidenceDTO(id: view.id, name: view.name, url: view.url, isFile: view.isFile, isPublic: view.isPublic, description: view.description)
        }

        func submit(req: Request) async throws -> ReportDTO {
            let targetID = try req.idParameter()
            try await ReportService.submit(targetID: targetID, by: try req.requireUser(), on: req.db)
            return try await targetReport(req: req)
        }

        func report(req: Request) async throws -> ReportDTO {
            try await reportDTO(try req.idParameter(), req: req)
        }

        func message(req: Request) async throws -> ReportDTO {
            let id = try req.idParameter()
            try await ReportService.postMessage(reportID: id, body: try req.decodeForm(MessageInput.self).body, asksClarification: false,
                                                by: try req.requireUser(), on: req.db)
            return try await reportDTO(id, req: req)
        }

        func clarification(req: Request) async throws -> ReportDTO {
            let id = try req.idParameter()
            try await ReportService.postMessage(reportID: id, body: try req.decodeForm(MessageInput.self).body, asksClarification: true,
                                                by: try req.requireUser(), on: req.db)
            return try await reportDTO(id, req: req)
        }

        func score(req: Request) async throws -> ReportDTO {
            let id = try req.idParameter()
            let input = try req.decodeForm(ScoreInput.self)
            if input.notApplicable != true, input.score == nil { throw AppError.invalid(key: "score.not_a_number", arguments: [""]) }
            try await ReportService.score(reportID: id, points: input.notApplicable == true ? nil : input.score,
                                          notApplicableReason: input.reason, by: try req.requireUser(), on: req.db)
            return try await reportDTO(id, req: req)
        }

        func verificationQueue(req: Request) async throws -> [ReportDTO] {
            let plan = try? req.query.get(String.self, at: "plan")
            let semester = try? req.query.get(String.self, at: "semester")
            let status = (try? req.query.get(String.self, at: "status")).flatMap(ReportStatus.init(rawValue:))
            return try await ReportQueries.reports({ query in
                let query = query.filter(\.$status != .draft)
                return status.map { query.filter(\.$status == $0) } ?? query
            }, language: req.language, on: req.db)
                .filter { plan == nil || $0.planCode == plan } .filter { semester == nil || $0.semester == semester }
                .map(ReportDTO.init)
        }

        func setWindow(req: Request) async throws -> StatusDTO {
            let input = try req.decodeForm(WindowInput.self)
            let days = try [input.reportOpens, input.reportCloses, input.verifyOpens, input.verifyCloses].map {
                try CalendarDay(iso: $0).orThrow(AppError.invalid(key: "form.invalid_day", arguments: [$0]))
            }
            let window: ReportingWindow
            do {
                window = try ReportingWindow(reportOpens: days[0], reportCloses: days[1], verifyOpens: days[2], verifyCloses: days[3])
            } catch let problem as ReportingWindow.Problem {
                throw AppError.invalid(key: problem.rawValue, arguments: [])
            }
            try await SemesterService.setWindow(semesterID: try await semester(req).requireID(), window: window, by: try req.requireUser(), on: req.db)
            return StatusDTO(status: "ok")
        }

        func assess(req: Request) async throws -> StatusDTO {
            let input = try req.decodeForm(AssessmentInput.self)
            let semester = try await semester(req)
            let number = try req.parameters.require("number", as: Int.self)
            guard let commitment = try await CommitmentModel.query(on: req.db).filter(\.$plan.$id == semester.$plan.id)
                .filter(\.$number == number).first() else { throw AppError.commitmentNotFound(plan: semester.plan.code, number: "\(number)") }
            try await SemesterService.assess(commitmentID: commitment.requireID(), semesterID: semester.requireID(), scoreOverride: input.scoreOverride,
                                             overrideReason: input.overrideReason ?? "", rating: input.rating, justification: input.justification ?? "",
                                             by: try req.requireUser(), on: req.db)
            return StatusDTO(status: "ok")
        }

        func publish(req: Request) async throws -> StatusDTO {
            try await SemesterService.publish(semesterID: try await semester(req).requireID(), by: try req.requireUser(), on: req.db)
            return StatusDTO(status: "published")
        }

        /// Published results of a semester: commitment scores and ratings, and every handed-in report.
        func results(req: Request) async throws -> SemesterResultsDTO {
            let semester = try await semester(req)
            guard let publication = try await SemesterPublicationModel.query(on: req.db).filter(\.$semester.$id == semester.requireID()).first() else {
                throw AppError.notFound(what: "results")
            }
            let commitments = try await CommitmentResults.results(planID: semester.$plan.id, semesterID: semester.requireID(),
                                                                  language: req.language, on: req.db)
            let targetIDs = try await TargetModel.query(on: req.db).filter(\.$semester.$id == semester.requireID()).all(\.$id)
            let reports = try await ReportQueries.reports({ $0.filter(\.$target.$id ~~ targetIDs).filter(\.$status ~~ [.submitted, .scored]) },
                                                          language: req.language, on: req.db)
            return SemesterResultsDTO(
                planCode: semester.plan.code, semester: semester.code, publishedAt: ISO8601DateFormatter().string(from: publication.publishedAt),
                commitments: commitments.map {
                    CommitmentResultDTO(number: $0.number, title: $0.title, score: $0.finalScore, category: $0.categoryCode, coCreationRating: $0.rating,
                                        coCreationJustification: $0.justification, scoredTargets: $0.scoredTargets, targets: $0.targets)
                },
                reports: reports.map { view in
                    // Only public evidence leaves the secretariat.
                    let dto = ReportDTO(view)
                    return ReportDTO(copying: dto, evidence: dto.evidence.filter(\.isPublic), messages: [])
                })
        }

        // MARK: -

        private func semester(_ req: Request) async throws -> PlanSemesterModel {
            try await PlanSemesterModel.find(req)
        }

        /// A report as the caller may see it: staff and the owning organisation always, others once published.
        private func reportDTO(_ id: UUID, req: Request) async throws -> ReportDTO {
            guard let model = try await TargetReportModel.query(on: req.db).filter(\.$id == id).with(\.$target).first() else {
                throw AppError.notFound(what: "report")
            }
            let published = try await SemesterService.isPublished(semesterID: model.target.$semester.id, on: req.db)
            guard ReportQueries.canSee(model, user: req.currentUser, published: published) else { throw AppError.notFound(what: "report") }
            guard let view = try await ReportQueries.reports({ $0.filter(\.$id == id) }, language: req.language, on: req.db).first else {
                throw AppError.notFound(what: "report")
            }
            let dto = ReportDTO(view)
            let isStaffOrOwner = req.currentUser.map { $0.role != .implementer || $0.organisationID == model.$organisation.id } ?? false
            return isStaffOrOwner ? dto : ReportDTO(copying: dto, evidence: dto.evidence.filter(\.isPublic), messages: [])
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
