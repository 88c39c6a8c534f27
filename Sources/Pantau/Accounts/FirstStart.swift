import Fluent
import Foundation
import PantauDomain
import Vapor

/// What the first start of an installation did, for the command line to tell the person who started it.
public struct FirstStartReport: Sendable {
    public struct Account: Sendable {
        public let email: String
        public let role: UserRole
        public let organisation: String?
        /// Shown once: only its hash is stored.
        public let password: String
    }

    public var loadedPlans: [String] = []
    public var loadedMeetings = 0
    public var accounts: [Account] = []
    /// Years of the working-day calendar loaded from `Resources/Holidays` at this start.
    public var holidayYears: [Int] = []
}

/// On an empty installation: load the built-in plans and create one secretariat account; with `demo`,
/// also demo accounts for an implementer of a K/L, of a CSO, and a reviewer.
public enum FirstStart {
    public static let secretariatEmail = "sekretariat@pantau.local"

    public static func run(_ app: Application, demo: Bool) async throws -> FirstStartReport {
        var report = FirstStartReport()
        let alreadyDone = try await SystemSettingModel.find(SystemSettingModel.firstStartCompleted, on: app.db) != nil
        if !alreadyDone {
            report.loadedPlans = try await BuiltInPlans.load(resourceRoot: app.directory.workingDirectory, on: app.db)
            report.loadedMeetings = try await MeetingService.loadBuiltIn(resourceRoot: app.directory.workingDirectory, on: app.db)
            if try await UserModel.query(on: app.db).filter(\.$role == .secretariat).count() == 0 {
                report.accounts.append(try await create("Sekretariat Nasional OGI", secretariatEmail, .secretariat, nil, on: app.db))
            }
            try await SystemSettingModel(key: SystemSettingModel.firstStartCompleted, value: ISO8601DateFormatter().string(from: Date()))
                .create(on: app.db)
        }
        // Every start: a year of holidays added to the repository is loaded once; the secretariat's changes stay.
        report.holidayYears = try await WorkingDaysStore.loadShipped(directory: app.directory.resourcesDirectory + "Holidays", on: app.db)
        if demo {
            report.accounts += try await demoAccounts(on: app.db)
        }
        return report
    }

    /// One implementer of a K/L, one of a CSO (the first responsible for a measure in the loaded plans), a reviewer and an
    /// independent monitor (of every plan, to try it out).
    private static func demoAccounts(on database: any Database) async throws -> [FirstStartReport.Account] {
        var accounts: [FirstStartReport.Account] = []
        // The organisations responsible for the most measures, so a demo implementer has the most to report on.
        var measureCounts: [UUID: Int] = [:]
        for id in try await SuccessMeasureModel.query(on: database).all(\.$responsible.$id) { measureCounts[id, default: 0] += 1 }
        let organisations = try await OrganisationModel.query(on: database).sort(\.$name).all()
            .filter { measureCounts[$0.id!] != nil }
            .sorted { (measureCounts[$0.id!]!, $1.name) > (measureCounts[$1.id!]!, $0.name) }
        let wanted: [(String, String, UserRole, OrganisationKind?)] = [
            ("Demo Pelaksana K/L", "demo.kl@pantau.local", .implementer, .governmentAgency),
            ("Demo Pelaksana OMS", "demo.oms@pantau.local", .implementer, .civilSociety),
            ("Demo Peninjau Sekber", "demo.reviewer@pantau.local", .reviewer, nil),
            ("Demo Pemantau Independen", "demo.monitor@pantau.local", .monitor, nil),
        ]
        for (name, email, role, kind) in wanted {
            guard try await UserModel.query(on: database).filter(\.$email == email).count() == 0 else { continue }
            var organisation: String?
            if let kind {
                guard let match = organisations.first(where: { $0.kind == kind }) else { continue }
                organisation = match.name
            }
            accounts.append(try await create(name, email, role, organisation, on: database))
        }
        return accounts
    }

    private static func create(_ name: String, _ email: String, _ role: UserRole, _ organisation: String?,
                               on database: any Database) async throws -> FirstStartReport.Account {
        let password = AccountCreation.generatePassword()
        try await AccountCreation.create(name: name, email: email, role: role, organisation: organisation, password: password, on: database)
        return FirstStartReport.Account(email: email, role: role, organisation: organisation, password: password)
    }
}
