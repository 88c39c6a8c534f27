import Fluent
import Foundation
import PantauDomain
import Vapor

/// Minutes of co-creation meetings: anyone reads published ones; implementers and the secretariat record them.
struct MeetingController {
    struct MeetingForm: Content {
        var plan: String
        var title: String
        var date: String
        var startTime: String?
        var endTime: String?
        var place: String?
        var online: String?
        var presentsResults: String?
        /// "on" when it was a meeting of the plan's multi-stakeholder forum.
        var forumMeeting: String?
        var agenda: String?
        var moderator: String?
        var participants: String?
        var points: String?
        var followUps: String?
        var commitments: String?
        var attachment: File?
    }

    /// One-line fields and text areas have limits, as report texts do; refused with a message, never cut.
    static let lineLimit = 500
    static let textLimit = 20_000

    /// Published minutes, newest first, for the API.
    func listAPI(req: Request) async throws -> [MeetingRow] {
        try await MeetingModel.query(on: req.db).filter(\.$isPublished == true).with(\.$plan).sort(\.$date, .descending).all()
            .map { MeetingRow(id: $0.id!.uuidString, title: $0.title, date: $0.date, planCode: $0.plan.code, isPublished: $0.isPublished) }
    }

    func showAPI(req: Request) async throws -> MeetingDTO {
        let id = try req.idParameter()
        guard let meeting = try await MeetingModel.query(on: req.db).filter(\.$id == id).with(\.$plan).with(\.$attachments)
            .with(\.$links) { $0.with(\.$commitment) }.first(),
              MeetingService.canSee(meeting, user: req.currentUser), let record = meeting.record else { throw AppError.notFound(what: "meeting") }
        return MeetingDTO(id: id.uuidString, planCode: meeting.plan.code, record: record, commitments: meeting.links.map(\.commitment.number).sorted(),
                          attachments: meeting.attachments.map { SiteURL.meetingAttachment.path($0.id!) })
    }

    func list(req: Request) async throws -> View {
        let user = req.currentUser
        let meetings = try await MeetingModel.query(on: req.db).with(\.$plan).sort(\.$date, .descending).all()
            .filter { MeetingService.canSee($0, user: user) }
        let rows = meetings.map { MeetingRow(id: $0.id!.uuidString, title: $0.title, date: $0.date, planCode: $0.plan.code, isPublished: $0.isPublished) }
        return try await req.view.render("meetings", ListPage(
            page: PageMeta(request: req, title: req.t("meeting.list_title")), meetings: rows, hasMeetings: !rows.isEmpty,
            canRecord: user?.caller.mayEver(.recordMeeting) ?? false))
    }

    func show(req: Request) async throws -> View {
        try await render(req, id: try req.idParameter())
    }

    static let formFields = ["form", "title", "date", "startTime", "participants", "commitments", "attachment"]

    func form(req: Request) async throws -> Response {
        try await renderForm(req, form: nil, errors: FormErrors(fields: Self.formFields))
    }

    /// The minutes form, empty or with what was typed (a chosen file must be chosen again) and what is wrong with it.
    private func renderForm(_ req: Request, form: MeetingForm?, errors: FormErrors) async throws -> Response {
        let plans = try await ActionPlanModel.query(on: req.db).sort(\.$code).all().map(\.code)
        var typed = form
        typed?.attachment = nil
        return try await req.view.render("meeting-form", FormPage(
            page: PageMeta(request: req, title: req.t("meeting.new")),
            plan: SelectField(id: "plan", options: plans.map { .init(value: $0, label: $0, selected: $0 == form?.plan) }),
            form: typed, errors: errors)).encodeResponse(status: errors.isEmpty ? .ok : errors.status, for: req)
    }

    func create(req: Request) async throws -> Response {
        let form = try req.decodeForm(MeetingForm.self)
        do {
            return try await record(form, req: req)
        } catch {
            var errors = FormErrors(fields: Self.formFields)
            let key = (error as? AppError)?.messageKey
            let field = switch key {
            case MeetingRecord.Problem.emptyTitle.rawValue: "title"
            case MeetingRecord.Problem.badTime.rawValue: "startTime"
            case MeetingRecord.Problem.noParticipants.rawValue: "participants"
            case "form.invalid_day": "date"
            case "meeting.unknown_commitment": "commitments"
            case "evidence.too_large", "evidence.type_not_allowed", "evidence.empty": "attachment"
            default: "form"
            }
            try errors.add(field, error, on: req)
            return try await renderForm(req, form: form, errors: errors)
        }
    }

    private func record(_ form: MeetingForm, req: Request) async throws -> Response {
        let user = try req.requireUser()
        try form.checkLengths()
        guard let date = CalendarDay(iso: form.date) else { throw AppError.invalid(key: "form.invalid_day", arguments: [form.date]) }
        let record = MeetingRecord(
            plan: form.plan, title: form.title.trimmingCharacters(in: .whitespacesAndNewlines), date: date,
            startTime: form.startTime ?? "", endTime: form.endTime ?? "", place: form.place ?? "", online: form.online == "on",
            agenda: FormText.lines(form.agenda), moderator: Self.person(form.moderator ?? ""),
            participants: FormText.lines(form.participants).map(Self.person),
            points: FormText.lines(form.points).map { line in
                let parts = line.split(separator: ";", maxSplits: 2).map { $0.trimmingCharacters(in: .whitespaces) }
                return parts.count == 3
                    ? MeetingPoint(speaker: MeetingPerson(name: parts[0], organisation: parts[1]), text: parts[2])
                    : MeetingPoint(speaker: MeetingPerson(), text: line)
            },
            followUps: FormText.lines(form.followUps),
            commitments: FormText.items(form.commitments).compactMap { Int($0) }, presentsResults: form.presentsResults == "on",
            forumMeeting: form.forumMeeting == "on")
        let attachments = form.attachment.flatMap { $0.data.readableBytes > 0 ? [(name: $0.filename, data: Data(buffer: $0.data))] : nil } ?? []
        let id = try await MeetingService.record(record, attachments: attachments, published: false, store: req.application.evidenceStore,
                                                 actor: user.auditActor, organisationID: user.organisationID, recorderID: user.id, on: req.db)
        return req.redirect(to: SiteURL.meeting.path(id), redirectType: .normal)
    }

    func publish(req: Request) async throws -> Response {
        let id = try req.idParameter()
        try await MeetingService.publish(meetingID: id, by: try req.requireUser(), now: req.now, on: req.db)
        return req.redirect(to: SiteURL.meeting.path(id), notice: "meeting.published")
    }

    func attachment(req: Request) async throws -> Response {
        let id = try req.idParameter()
        guard let attachment = try await MeetingAttachmentModel.query(on: req.db).filter(\.$id == id).with(\.$meeting).first(),
              MeetingService.canSee(attachment.meeting, user: req.currentUser) else { throw AppError.notFound(what: "meeting") }
        let response = Response(status: .ok, body: .init(data: try req.application.evidenceStore.read(sha256: attachment.sha256)))
        response.headers.setContentType(stored: attachment.mediaType)
        response.headers.setAttachment(filename: attachment.fileName)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }

    private func render(_ req: Request, id: UUID) async throws -> View {
        guard let meeting = try await MeetingModel.query(on: req.db).filter(\.$id == id).with(\.$plan).with(\.$attachments)
            .with(\.$links) { $0.with(\.$commitment) }.first(),
              MeetingService.canSee(meeting, user: req.currentUser), let record = meeting.record else { throw AppError.notFound(what: "meeting") }
        return try await req.view.render("meeting", MeetingPage(
            page: PageMeta(request: req, title: meeting.title), id: id.uuidString, planCode: meeting.plan.code, record: record,
            when: Self.when(record), moderator: Self.line(record.moderator).ifAny, participants: record.participants.map(Self.line),
            points: record.points.map { Point(speaker: Self.line($0.speaker).ifAny, text: $0.text) },
            hasAgenda: !record.agenda.isEmpty, hasParticipants: !record.participants.isEmpty, hasPoints: !record.points.isEmpty,
            hasFollowUps: !record.followUps.isEmpty, hasAttachments: !meeting.attachments.isEmpty,
            commitments: meeting.links.map(\.commitment.number).sorted(),
            attachments: meeting.attachments.map {
                ReportQueries.EvidenceView(id: $0.id!.uuidString, name: $0.fileName, url: SiteURL.meetingAttachment.path($0.id!),
                                           isFile: true, isPublic: meeting.isPublished, description: "",
                                           size: Formatting.fileSize($0.size), isRemovable: false)
            },
            isPublished: meeting.isPublished, canPublish: req.may(.publish, plan: meeting.$plan.id) && !meeting.isPublished, history: try await HistoryView.entries(objectType: "meeting", objectID: id.uuidString, request: req)))
    }

    /// "Name; Organisation" (or just a name).
    static func person(_ line: String) -> MeetingPerson {
        let parts = line.split(separator: ";", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        return MeetingPerson(name: parts.first ?? "", organisation: parts.count > 1 ? parts[1] : "")
    }
}

extension MeetingController.MeetingForm {
    func checkLengths() throws {
        for line in [plan, title, date, startTime, endTime, place, moderator, commitments] where (line?.count ?? 0) > MeetingController.lineLimit {
            throw AppError.invalid(key: "form.too_long", arguments: ["\(MeetingController.lineLimit)"])
        }
        for text in [agenda, participants, points, followUps] where (text?.count ?? 0) > MeetingController.textLimit {
            throw AppError.invalid(key: "form.too_long", arguments: ["\(MeetingController.textLimit)"])
        }
    }
}
