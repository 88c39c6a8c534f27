import Fluent
import Foundation
import PantauDomain
import Vapor

extension CommitmentEditorController {
    struct OrganisationOption: Encodable {
        let name: String
        let selected: Bool
    }

    struct TargetField: Encodable {
        let semester: String
        let text: String
        let hints: [String]
        let hasHints: Bool
    }

    struct RowView: Encodable {
        let index: Int
        let goal: String
        let measure: String
        let evidence: String
        let organisations: [OrganisationOption]
        let targets: [TargetField]
    }

    struct EditorPage: Encodable {
        let page: PageMeta
        let code: String
        let number: Int
        let isRevision: Bool
        let record: CommitmentRecord
        let sdgTargets: String
        let proposers: String
        let responsible: String
        let related: String
        let partners: String
        let rows: [RowView]
        let hintCount: Int
        /// The reason typed for the change, kept when it could not be saved.
        let reason: String
        /// Messages beside `title` and `reason`, and `form` for the whole form.
        let errors: FormErrors
    }

    struct VersionRow: Encodable {
        let number: Int
        let date: String
        let actor: String
        let reason: String
    }

    struct VersionsPage: Encodable {
        let page: PageMeta
        let code: String
        let title: String
        let versions: [VersionRow]
        let hasVersions: Bool
    }

    struct ChangeView: Encodable {
        let place: String
        let before: String
        let after: String
        let hasBefore: Bool
        let hasAfter: Bool
    }

    struct CommitmentChangeView: Encodable {
        let number: Int
        let title: String
        let kindKey: String
        let changes: [ChangeView]
    }

    struct VersionPage: Encodable {
        let page: PageMeta
        let code: String
        let title: String
        let version: VersionRow
        let previous: Int?
        let commitments: [CommitmentChangeView]
        let hasChanges: Bool
    }
}
