import Foundation
@testable import Pantau
import PantauDomain
import Testing

@Suite("Localisation")
struct LocalizationTests {
    static let root = PantauApplication.resourceRoot()
    static let localizer = try! Localizer(directory: root + "Resources/Localization")

    static func templates() throws -> [(name: String, text: String)] {
        let folder = root + "Resources/Views"
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".leaf") }.sorted().map {
            ($0, try String(contentsOfFile: folder + "/" + $0, encoding: .utf8))
        }
    }

    @Test func bothLanguagesHaveTheSameKeys() {
        let indonesian = Set(Self.localizer.messages[.id]!.keys)
        let english = Set(Self.localizer.messages[.en]!.keys)
        #expect(indonesian.subtracting(english).isEmpty, "missing in en.json: \(indonesian.subtracting(english).sorted())")
        #expect(english.subtracting(indonesian).isEmpty, "missing in id.json: \(english.subtracting(indonesian).sorted())")
        for language in Language.allCases {
            for (key, text) in Self.localizer.messages[language]! {
                #expect(!text.trimmingCharacters(in: .whitespaces).isEmpty, "\(language.rawValue).json: \(key) is empty")
            }
        }
    }

    @Test func everyKeyTheTemplatesUseExists() throws {
        let literalKey = try Regex(#"#t\("([^"]+)""#)
        for template in try Self.templates() {
            for match in template.text.matches(of: literalKey) {
                let key = String(template.text[match.range].dropFirst(4).dropLast())
                #expect(Self.localizer.messages[.id]?[key] != nil, "\(template.name) uses unknown key \(key)")
            }
        }
    }

    /// Views hold markup and `#t(...)` keys only: any words left once tags and Leaf expressions are removed
    /// are user-facing text that escaped localisation.
    @Test func templatesHoldNoHardCodedText() throws {
        for template in try Self.templates() {
            var text = template.text
            for pattern in [#"<[^>]*>"#, #"#[a-zA-Z]*\((?:[^()]|\([^()]*\))*\)"#, #"#(endfor|endif|else|endexport|endextend)"#, #"&[a-z]+;"#] {
                text = text.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
            }
            let leftover = text.split(whereSeparator: \.isWhitespace).filter { word in word.contains(where: \.isLetter) }
            #expect(leftover.isEmpty, "\(template.name) has hard-coded text: \(leftover)")
        }
    }

    /// In Leaf a colon right after a tag opens a body (`#t("x"):` is not text and a colon); that breaks the page.
    @Test func noTagIsFollowedByAColon() throws {
        for template in try Self.templates() {
            let lines = template.text.split(separator: "\n").enumerated().filter { _, line in
                line.contains(/#t\([^)]*\):|#\([a-zA-Z.]+\):/)
            }
            #expect(lines.isEmpty, "\(template.name) lines \(lines.map { $0.offset + 1 })")
        }
    }

    @Test func everyErrorHasAMessageInBothLanguages() {
        var keys: [String] = [
            AppError.planNotFound(code: "x").messageKey, AppError.commitmentNotFound(plan: "x", number: "1").messageKey,
            AppError.http(.notFound).messageKey, AppError.http(.methodNotAllowed).messageKey,
            AppError.http(.badRequest).messageKey, AppError.http(.internalServerError).messageKey,
            ConfigurationError.unsupportedDatabaseURL.messageKey, ConfigurationError.dataDirectoryUnusable("x").messageKey,
            ConfigurationError.invalidPublicURL("x").messageKey, ConfigurationError.invalidIdleTimeout("x").messageKey,
            ConfigurationError.invalidTrustedProxy("x").messageKey, ConfigurationError.invalidDataLicence("x", "y").messageKey,
            PlanWriteError.planExists("x").messageKey, PlanWriteError.unknownScheme("x").messageKey,
            InvalidPlanError(problems: []).messageKey,
        ]
        keys += [AccountError.invalidEmail(""), .emailTaken(""), .emptyName, .organisationRequired, .organisationNotAllowed(.reviewer),
                 .organisationNotFound(""), .passwordTooShort(minimum: 1)].map(\.messageKey)
        keys += [PlanProblem.Kind.invalidCode, .emptyTitle, .periodReversed, .noSemesters, .unknownSemester, .duplicateSemester,
                 .duplicateOrganisation, .emptyOrganisationName, .unknownOrganisation, .duplicateCommitment,
                 .invalidCommitmentNumber, .emptyCommitmentTitle, .emptyGoal, .emptyMeasure, .missingResponsible,
                 .duplicateTarget].map(\.rawValue)
        keys += OrganisationKind.allCases.map { "organisation.kind." + $0.rawValue }
        for key in keys {
            for language in Language.allCases {
                #expect(Self.localizer.messages[language]?[key] != nil, "\(language.rawValue).json lacks \(key)")
            }
        }
    }

    @Test func placeholdersAreFilledAndMissingKeysFallBack() {
        #expect(Self.localizer.text("plans.commitment_count", .en, ["3"]) == "3 commitments")
        #expect(Self.localizer.text("plans.commitment_count", .id, ["3"]) == "3 komitmen")
        let partial = Localizer(messages: [.id: ["only.id": "Hanya"], .en: [:]])
        #expect(partial.text("only.id", .en) == "Hanya")
        #expect(partial.text("nowhere", .en) == "nowhere")
    }
}
