import Fluent
import Foundation
import PantauDomain

/// Starting a region, in one step for the national secretariat: the jurisdiction, its first secretariat account (given
/// the new plan only) and its plan, co-created from scratch or read from a plan file. One transaction: all of it or
/// nothing, so a mistake in the third part leaves no jurisdiction or account behind.
enum RegionStart {
    enum PlanSource {
        /// An empty draft whose co-creation begins now.
        case draft(PlanDocument)
        /// A plan file, adopted as it is.
        case file(PlanDocument, sourceFile: String)

        var document: PlanDocument {
            switch self {
            case .draft(let document), .file(let document, _): document
            }
        }
    }

    struct Started {
        let jurisdictionID: UUID
        let userID: UUID
        let planCode: String
        /// The secretariat account's first password, to be shown once.
        let password: String
    }

    struct JurisdictionState: Codable {
        let name: String
        let kind: JurisdictionKind
    }

    /// - Throws: `FieldError` for `jurisdictionName`, `jurisdictionKind`, `secretariatName`, `secretariatEmail` and
    ///   `planCode`, beside the field the page shows.
    static func run(jurisdictionName: String, kind: JurisdictionKind, secretariatName: String, secretariatEmail: String, plan: PlanSource,
                    actor: AuditActor, on database: any Database) async throws -> Started {
        let name = jurisdictionName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw FieldError(field: "jurisdictionName", error: .invalid(key: "region.name_required", arguments: [])) }
        guard name.count <= 200 else { throw FieldError(field: "jurisdictionName", error: .invalid(key: "form.too_long", arguments: ["200"])) }
        guard kind != .national else { throw FieldError(field: "jurisdictionKind", error: .invalid(key: "region.kind_not_national", arguments: [])) }
        let password = AccountCreation.generatePassword()
        let document = plan.document
        let started = try await AuditLog.transaction(on: database, actor: actor) { db in
            if try await JurisdictionModel.query(on: db).filter(\.$name == name).count() > 0 {
                throw FieldError(field: "jurisdictionName", error: .conflict(key: "region.name_taken", arguments: [name]))
            }
            if try await ActionPlanModel.query(on: db).filter(\.$code == document.code).count() > 0 {
                throw FieldError(field: "planCode", error: .conflict(key: "region.plan_code_taken", arguments: [document.code]))
            }
            let jurisdiction = JurisdictionModel(name: name, kind: kind)
            try await jurisdiction.create(on: db)
            let jurisdictionID = try jurisdiction.requireID()
            let (planID, planChange) = switch plan {
            case .draft(let document): try await DraftPlanService.writeDraft(document, jurisdictionID: jurisdictionID, on: db)
            case .file(let document, let sourceFile):
                try await PlanImport.write(document, status: .adopted, sourceFile: sourceFile, jurisdictionID: jurisdictionID, on: db)
            }
            let user: UserModel
            do {
                user = try await AccountCreation.create(name: secretariatName, email: secretariatEmail, role: .secretariat, organisationID: nil,
                                                        password: password, on: db)
            } catch let error as AccountError {
                throw FieldError(field: AdminController.field(of: error) == "email" ? "secretariatEmail" : "secretariatName", error: AppError.from(error))
            }
            user.allPlans = false
            try await user.save(on: db)
            try await PlanGrantModel(userID: user.requireID(), planID: planID).create(on: db)
            let changes = [
                AuditChange(action: "jurisdiction.create", objectType: "jurisdiction", objectID: jurisdictionID.uuidString,
                            before: Optional<JurisdictionState>.none, after: JurisdictionState(name: name, kind: kind)),
                planChange,
                AuditChange(action: "user.create", objectType: "user", objectID: try user.requireID().uuidString,
                            before: Optional<AdminController.UserState>.none, after: try await AdminController.state(user, on: db)),
            ]
            return (Started(jurisdictionID: jurisdictionID, userID: try user.requireID(), planCode: document.code, password: password), changes)
        }
        try await SearchIndex.rebuild(planCode: document.code, on: database)
        return started
    }
}
