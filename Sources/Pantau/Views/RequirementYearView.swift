import PantauDomain
import Vapor

/// A year of a plan's minimum requirements in words ("2 publications: met"), on the plan page and the overview.
struct RequirementYearView: Encodable {
    let year: Int
    let publications: String
    let meetings: String
    let publicationsMet: Bool
    let meetingsMet: Bool

    init(_ year: API.MinimumRequirementsDTO.Year, request: Request) {
        self.year = year.year
        publications = request.t("requirements.publications", "\(year.publications)", request.t("requirements.state." + year.publicationState))
        meetings = request.t("requirements.meetings", "\(year.resultMeetings)", request.t("requirements.state." + year.meetingState))
        publicationsMet = year.publicationState == MinimumRequirements.State.met.rawValue
        meetingsMet = year.meetingState == MinimumRequirements.State.met.rawValue
    }
}
