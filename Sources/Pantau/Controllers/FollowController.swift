import Fluent
import Foundation
import PantauDomain
import Vapor

/// Following a plan or a commitment by email, for anyone (`Followers`): the form, the confirmation and the end of a
/// following. Confirming and ending are buttons on a page the emailed link opens, never the link itself, so that a
/// mail scanner that opens every link confirms nothing.
struct FollowController {
    struct FollowForm: Content {
        var email: String = ""
        static let fields = ["email", "form"]
    }

    struct FormPage: Encodable {
        let page: PageMeta
        let code: String
        let number: Int?
        let title: String
        let action: String
        let feed: String?
        let hasMailServer: Bool
        let form: FollowForm
        let errors: FormErrors
    }

    struct TokenPage: Encodable {
        let page: PageMeta
        let token: String
        let subject: String
        /// "confirm" or "unsubscribe": which button the page shows.
        let step: String
        let done: Bool
        let back: String
    }

    func form(req: Request) async throws -> Response {
        try await render(req, form: FollowForm(), errors: FormErrors(fields: FollowForm.fields))
    }

    func submit(req: Request) async throws -> Response {
        let form = try req.decodeForm(FollowForm.self)
        let (plan, commitment) = try await subject(req)
        var errors = FormErrors(fields: FollowForm.fields)
        guard req.application.emailOutbox != nil else { throw AppError.conflict(key: "follow.no_mail_server", arguments: []) }
        do {
            try await Followers.request(email: form.email, plan: plan, commitmentID: commitment?.id, language: req.language,
                                        address: req.clientAddress, now: req.now, on: req.db)
        } catch let error as FieldError {
            errors.add(error, on: req)
            return try await render(req, form: form, errors: errors)
        }
        let back = commitment.map { SiteURL.commitment.path(plan.code, $0.number) } ?? SiteURL.plan.path(plan.code)
        return req.redirect(to: back, notice: "follow.sent", form.email.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func confirmPage(req: Request) async throws -> Response { try await tokenPage(req, step: "confirm") }
    func unsubscribePage(req: Request) async throws -> Response { try await tokenPage(req, step: "unsubscribe") }

    private func tokenPage(_ req: Request, step: String) async throws -> Response {
        let token: String = try req.parameters.require("token")
        guard let follower = try await FollowerModel.query(on: req.db).filter(\.$token == token).with(\.$plan).first() else {
            throw AppError.notFound(what: "follower")
        }
        return try await renderToken(req, follower: follower, step: step, done: false)
    }

    func confirm(req: Request) async throws -> Response {
        guard let follower = try await Followers.confirm(token: try req.parameters.require("token"), now: req.now, on: req.db) else {
            throw AppError.notFound(what: "follower")
        }
        return try await renderToken(req, follower: follower, step: "confirm", done: true)
    }

    func unsubscribe(req: Request) async throws -> Response {
        guard let follower = try await Followers.unsubscribe(token: try req.parameters.require("token"), now: req.now, on: req.db) else {
            throw AppError.notFound(what: "follower")
        }
        return try await renderToken(req, follower: follower, step: "unsubscribe", done: true)
    }

    /// The plan (adopted, not archived) and, on a commitment's address, its commitment.
    private func subject(_ req: Request) async throws -> (ActionPlanModel, CommitmentModel?) {
        let code: String = try req.parameters.require("code")
        let plan = try await ActionPlanModel.require(code: code, on: req.db)
        guard plan.status == .adopted, plan.archivedAt == nil else { throw AppError.planNotFound(code: code) }
        guard let numberText = req.parameters.get("number") else { return (plan, nil) }
        guard let number = Int(numberText), let commitment = try await CommitmentModel.query(on: req.db).filter(\.$plan.$id == plan.requireID())
            .filter(\.$number == number).first() else { throw AppError.commitmentNotFound(plan: code, number: numberText) }
        return (plan, commitment)
    }

    private func render(_ req: Request, form: FollowForm, errors: FormErrors) async throws -> Response {
        let (plan, commitment) = try await subject(req)
        let title = try await Followers.subjectName(plan: plan, commitmentID: commitment?.id, on: req.db)
        let action = commitment.map { SiteURL.commitmentFollow.path(plan.code, $0.number) } ?? SiteURL.planFollow.path(plan.code)
        return try await req.view.render("follow", FormPage(
            page: PageMeta(request: req, title: req.t("follow.title", title)).withCSRF(req), code: plan.code, number: commitment?.number,
            title: title, action: action, feed: commitment.map { SiteURL.commitmentFeed.path(plan.code, $0.number) },
            hasMailServer: req.application.emailOutbox != nil, form: form, errors: errors))
            .encodeResponse(status: errors.isEmpty ? .ok : errors.status, for: req)
    }

    private func renderToken(_ req: Request, follower: FollowerModel, step: String, done: Bool) async throws -> Response {
        let subject = try await Followers.subjectName(plan: follower.plan, commitmentID: follower.$commitment.id, on: req.db)
        var number: Int?
        if let commitmentID = follower.$commitment.id { number = try await CommitmentModel.find(commitmentID, on: req.db)?.number }
        let back = number.map { SiteURL.commitment.path(follower.plan.code, $0) } ?? SiteURL.plan.path(follower.plan.code)
        return try await req.view.render("follow-token", TokenPage(
            page: PageMeta(request: req, title: req.t("follow.\(step)_title")).withCSRF(req), token: follower.token, subject: subject,
            step: step, done: done, back: back)).encodeResponse(for: req)
    }
}
