import Fluent
import Foundation
import PantauDomain
import Vapor

/// A plan's multi-stakeholder forum on record (`/plans/{code}/forum`): its members by seat and its meetings year by
/// year, how many of them presented results; the plan's secretariat adds and removes members.
struct ForumController {
    func page(req: Request) async throws -> Response {
        try await render(req, typed: nil, error: nil)
    }

    struct MemberForm: Content {
        var organisation: String?
        var seat: String?
    }

    func add(req: Request) async throws -> Response {
        let code: String = try req.parameters.require("code")
        let form = try req.decodeForm(MemberForm.self)
        do {
            guard let seat = ForumSeat(rawValue: form.seat ?? "") else { throw AppError.invalid(key: "forum.seat_unknown", arguments: [form.seat ?? ""]) }
            try await ForumService.add(planCode: code, organisation: form.organisation ?? "", seat: seat, actor: try req.requireUser().auditActor, on: req.db)
        } catch {
            let appError = AppError.from(error)
            guard [.unprocessableEntity, .conflict].contains(appError.status) else { throw error }
            return try await render(req, typed: form, error: appError)
        }
        return req.redirect(to: SiteURL.planForum.path(code), notice: "forum.member_added")
    }

    func remove(req: Request) async throws -> Response {
        let code: String = try req.parameters.require("code")
        try await ForumService.remove(planCode: code, memberID: try req.idParameter(), actor: try req.requireUser().auditActor, on: req.db)
        return req.redirect(to: SiteURL.planForum.path(code), notice: "forum.member_removed")
    }

    private func render(_ req: Request, typed: MemberForm?, error: AppError?) async throws -> Response {
        let code: String = try req.parameters.require("code")
        let plan = try await ActionPlanModel.require(code: code, on: req.db)
        let planID = try plan.requireID()
        let members = try await ForumMemberModel.query(on: req.db).filter(\.$plan.$id == planID).with(\.$organisation).all()
            .sorted { ($0.organisation.name) < ($1.organisation.name) }
        let canManage = req.may(.editPlans, plan: planID) && plan.archivedAt == nil
        let meetings = try await MeetingModel.query(on: req.db).filter(\.$plan.$id == planID).filter(\.$isPublished == true).sort(\.$date).all()
            .filter { $0.record?.forumMeeting == true }
        let years = Dictionary(grouping: meetings, by: { String($0.date.prefix(4)) }).map { year, held in
            ForumPage.Year(year: year, meetings: held.count, presentedResults: held.filter { $0.record?.presentsResults == true }.count)
        }.sorted { $0.year < $1.year }
        let seats = ForumSeat.allCases.map { seat in
            ForumPage.Seat(nameKey: "forum.seat." + seat.rawValue, members: members.filter { $0.seat == seat }.map {
                ForumPage.Member(id: $0.id!.uuidString, organisationID: $0.$organisation.id.uuidString, name: $0.organisation.name)
            })
        }.filter { !$0.members.isEmpty }
        let page = ForumPage(
            page: PageMeta(request: req, title: req.t("forum.page_title", plan.title)), code: code, planTitle: plan.title,
            seats: seats, hasMembers: !members.isEmpty,
            meetings: meetings.map { ForumPage.Meeting(id: $0.id!.uuidString, date: $0.date, title: $0.title, presentedResults: $0.record?.presentsResults == true) },
            hasMeetings: !meetings.isEmpty, years: years, canManage: canManage,
            seatField: SelectField(id: "seat", options: ForumSeat.allCases.map {
                .init(value: $0.rawValue, label: req.t("forum.seat." + $0.rawValue), selected: $0.rawValue == typed?.seat)
            }),
            organisation: typed?.organisation ?? "",
            error: error.map { req.application.localizer.message(for: $0, req.language) })
        return try await req.view.render("forum", page).encodeResponse(status: error?.status ?? .ok, for: req)
    }
}

extension ForumController {
    struct ForumPage: Encodable {
        struct Seat: Encodable {
            let nameKey: String
            let members: [Member]
        }

        struct Member: Encodable {
            let id: String
            let organisationID: String
            let name: String
        }

        struct Meeting: Encodable {
            let id: String
            let date: String
            let title: String
            let presentedResults: Bool
        }

        struct Year: Encodable {
            let year: String
            let meetings: Int
            let presentedResults: Int
        }

        let page: PageMeta
        let code: String
        let planTitle: String
        let seats: [Seat]
        let hasMembers: Bool
        let meetings: [Meeting]
        let hasMeetings: Bool
        let years: [Year]
        let canManage: Bool
        let seatField: SelectField
        /// The organisation as typed when adding it was refused.
        let organisation: String
        let error: String?
    }
}
