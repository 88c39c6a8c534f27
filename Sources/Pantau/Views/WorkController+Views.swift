import Fluent
import Foundation
import PantauDomain
import Vapor

extension WorkController {
    struct WorkPage: Encodable {
        let page: PageMeta
        let isImplementer: Bool
        let owed: [WorkQueries.TargetItem]
        let clarifications: [WorkQueries.TargetItem]
        let late: [WorkQueries.TargetItem]
        let semesters: [WorkQueries.SemesterItem]
        let pages: PageLinks
        let hasOwed: Bool
        let hasClarifications: Bool
        let hasLate: Bool
        let hasSemesters: Bool
        let monitored: [MonitoredPlan]
        let hasMonitored: Bool
        let nothingToDo: Bool
    }

    struct MonitoredPlan: Encodable {
        struct Semester: Encodable {
            let code: String
            let path: String
        }

        let code: String
        let title: String
        let semesters: [Semester]
    }
}
