import Fluent
import Foundation
import PantauDomain
import Vapor

/// A signed-in person's own page: who they are, and their personal API tokens.
struct AccountController {
    struct TokenForm: Content {
        let name: String
    }

    /// The page, with a token just created shown once (kept by `createToken` for this redirect, gone on reload).
    func page(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let newToken = try await req.takeOncePassword(of: user.id)
        let response = try await render(req, newToken: newToken, typedName: "", errors: FormErrors(fields: ["name"])).encodeResponse(for: req)
        if newToken != nil { response.headers.replaceOrAdd(name: .cacheControl, value: "no-store") }
        req.forgetOncePassword(in: response, path: SiteURL.account.path())
        return response
    }

    func createToken(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let typed = try req.decodeForm(TokenForm.self).name
        let name = typed.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 100 else {
            var errors = FormErrors(fields: ["name"])
            errors.add("name", req.t("account.token_name_required"))
            return try await render(req, newToken: nil, typedName: typed, errors: errors).encodeResponse(status: errors.status, for: req)
        }
        let token = APITokens.generate()
        try await AuditLog.transaction(on: req.db, actor: req.auditActor) { db in
            let model = APITokenModel(userID: user.id, name: name, tokenHash: APITokens.hash(token))
            try await model.create(on: db)
            return ((), [AuditChange(action: "token.create", objectType: "api_token", objectID: model.id!.uuidString,
                                     before: Optional<TokenState>.none, after: TokenState(name: name, revoked: false))])
        }
        let response = req.redirect(to: SiteURL.account.path(), notice: "account.token_made")
        try await req.keepForOnce(token, of: user.id, in: response, path: SiteURL.account.path())
        return response
    }

    func revokeToken(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let id = try req.idParameter()
        try await AuditLog.transaction(on: req.db, actor: req.auditActor) { db in
            // Only one's own tokens: another person's id is simply not found.
            guard let token = try await APITokenModel.query(on: db).filter(\.$id == id).filter(\.$user.$id == user.id).first() else {
                throw AppError.notFound(what: "token")
            }
            token.revokedAt = Date()
            try await token.save(on: db)
            return ((), [AuditChange(action: "token.revoke", objectType: "api_token", objectID: id.uuidString,
                                     before: TokenState(name: token.name, revoked: false), after: TokenState(name: token.name, revoked: true))])
        }
        return req.redirect(to: SiteURL.account.path(), redirectType: .normal)
    }

    /// What the account chose for its notifications: the language of what Pantau writes to it, the hour of its daily
    /// digest (WIB), and for each kind whether an email goes at once, in the digest, or not at all.
    struct NotificationSettings: Codable, Sendable, Equatable {
        var language: String
        var digestHour: Int
        var deliveries: [String: String]
    }

    func saveNotifications(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode([String: String].self)
        guard let language = form["language"].flatMap(Language.init(rawValue:)),
              let hour = form["digestHour"].flatMap(Int.init), (0...23).contains(hour) else {
            throw AppError.invalid(key: "account.notifications_invalid", arguments: [])
        }
        var chosen: [NotificationKind: NotificationDelivery] = [:]
        for kind in NotificationKind.allCases {
            guard let delivery = form["delivery." + kind.rawValue].flatMap(NotificationDelivery.init(rawValue:)) else {
                throw AppError.invalid(key: "account.notifications_invalid", arguments: [])
            }
            chosen[kind] = delivery
        }
        let deliveries = chosen
        try await AuditLog.transaction(on: req.db, actor: req.auditActor) { db in
            guard let model = try await UserModel.find(user.id, on: db) else { throw AppError.notFound(what: "user") }
            let existing = try await NotificationPreferenceModel.query(on: db).filter(\.$user.$id == user.id).all()
            let before = NotificationSettings(language: model.language, digestHour: model.digestHour,
                                              deliveries: Dictionary(existing.map { ($0.kind.rawValue, $0.delivery.rawValue) }, uniquingKeysWith: { a, _ in a }))
            model.language = language.rawValue
            model.digestHour = hour
            try await model.save(on: db)
            try await NotificationPreferenceModel.query(on: db).filter(\.$user.$id == user.id).delete()
            for (kind, delivery) in deliveries where delivery != .immediately {
                try await NotificationPreferenceModel(userID: user.id, kind: kind, delivery: delivery).create(on: db)
            }
            let after = NotificationSettings(language: language.rawValue, digestHour: hour,
                                             deliveries: Dictionary(uniqueKeysWithValues: deliveries.filter { $0.value != .immediately }
                                                 .map { ($0.key.rawValue, $0.value.rawValue) }))
            return ((), [AuditChange(action: "user.notifications", objectType: "user", objectID: user.id.uuidString, before: before, after: after)])
        }
        return req.redirect(to: SiteURL.account.path() + "#notifications", notice: "account.notifications_saved")
    }

    private func render(_ req: Request, newToken: String?, typedName: String, errors: FormErrors) async throws -> View {
        let user = try req.requireUser()
        let model = try await UserModel.query(on: req.db).filter(\.$id == user.id).with(\.$organisation).first()
        let formatter = ISO8601DateFormatter()
        let tokens = try await APITokenModel.query(on: req.db).filter(\.$user.$id == user.id).sort(\.$createdAt, .descending).all().map {
            TokenRow(id: $0.id!.uuidString, name: $0.name, createdAt: $0.createdAt.map(formatter.string) ?? "",
                     lastUsedAt: $0.lastUsedAt.map(formatter.string) ?? "–", revoked: $0.revokedAt != nil)
        }
        let chosen = Dictionary(try await NotificationPreferenceModel.query(on: req.db).filter(\.$user.$id == user.id).all()
            .map { ($0.kind, $0.delivery) }, uniquingKeysWith: { a, _ in a })
        let language = model?.language ?? Language.id.rawValue
        return try await req.view.render("account", AccountPage(
            page: PageMeta(request: req, title: req.t("account.title")), name: user.name, email: user.email,
            roleKey: "role." + user.role.rawValue, organisation: model?.organisation?.name ?? "", tokens: tokens, newToken: newToken,
            typedName: typedName, errors: errors,
            language: SelectField(id: "language", options: Language.allCases.map {
                .init(value: $0.rawValue, label: req.t("language." + $0.rawValue), selected: $0.rawValue == language)
            }),
            digestHour: SelectField(id: "digestHour", options: (0...23).map {
                .init(value: "\($0)", label: String(format: "%02d.00 WIB", $0), selected: $0 == (model?.digestHour ?? 7))
            }),
            kinds: NotificationKind.allCases.map { kind in
                AccountPage.KindChoice(labelKey: "notification_kind." + kind.rawValue, field: SelectField(
                    id: "delivery-" + kind.rawValue, name: "delivery." + kind.rawValue, options: NotificationDelivery.allCases.map {
                        .init(value: $0.rawValue, label: req.t("delivery." + $0.rawValue), selected: $0 == (chosen[kind] ?? .immediately))
                    }))
            }))
    }
}

extension Request {
    /// The signed-in user; routes with a policy other than `.everyone` always have one.
    func requireUser() throws -> CurrentUser {
        guard let user = currentUser else { throw AppError.signInRequired }
        return user
    }
}
