import Fluent
import Foundation
import PantauDomain
import Vapor

/// "Notifikasi": what Pantau told the signed-in account, newest first; opening one marks it read and goes to its page.
struct NotificationController {
    static let pageSize = 50

    func page(req: Request) async throws -> View {
        let user = try req.requireUser()
        let pageNumber = try PageLinks.requestedPage(req)
        let found = try await NotificationModel.query(on: req.db).filter(\.$user.$id == user.id)
            .sort(\.$createdAt, .descending).sort(\.$id)
            .paginate(PageRequest(page: pageNumber, per: Self.pageSize))
        let localizer = req.application.localizer
        let rows = found.items.map { notification in
            let words = Notifier.words(notification, language: req.language, localizer: localizer)
            return NotificationsPage.Row(openPath: SiteURL.notificationOpen.path(notification.id!), subject: words.subject, body: words.body,
                                         at: Formatting.jakartaDateTime(notification.createdAt, req.language), isUnread: notification.readAt == nil)
        }
        return try await req.view.render("notifications", NotificationsPage(
            page: PageMeta(request: req, title: req.t("notifications.title")), notifications: rows, hasNotifications: !rows.isEmpty,
            hasUnread: req.unreadNotifications > 0,
            pages: PageLinks(page: pageNumber, total: found.metadata.total, size: Self.pageSize, request: req)))
    }

    /// Marks the notification read and goes to the page it is about. Another account's notification is not found.
    func open(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let notification = try await NotificationModel.query(on: req.db).filter(\.$id == req.idParameter())
            .filter(\.$user.$id == user.id).first() else { throw AppError.notFound(what: "notification") }
        if notification.readAt == nil {
            notification.readAt = req.now
            try await notification.save(on: req.db)
        }
        // Only a path of this site: a link is never sent elsewhere.
        let link = notification.link.hasPrefix("/") && !notification.link.hasPrefix("//") ? notification.link : SiteURL.notifications.path()
        return req.redirect(to: link)
    }

    func markAllRead(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try await NotificationModel.query(on: req.db).filter(\.$user.$id == user.id).filter(\.$readAt == nil)
            .set(\.$readAt, to: req.now).update()
        return req.redirect(to: SiteURL.notifications.path(), notice: "notifications.all_read")
    }
}

struct NotificationsPage: Encodable {
    struct Row: Encodable {
        let openPath: String
        let subject: String
        let body: String
        let at: String
        let isUnread: Bool
    }

    let page: PageMeta
    let notifications: [Row]
    let hasNotifications: Bool
    let hasUnread: Bool
    let pages: PageLinks
}
