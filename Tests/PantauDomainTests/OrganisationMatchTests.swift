import Foundation
import PantauDomain
import Testing

/// Finding an organisation by what a person typed.
@Suite("Organisation picker")
struct OrganisationMatchTests {
    static let kominfo = OrganisationMatch.Candidate(id: UUID(), name: "Kementerian Komunikasi dan Informatika", acronym: "Kominfo")
    static let kemendagri = OrganisationMatch.Candidate(id: UUID(), name: "Kementerian Dalam Negeri", acronym: "Kemendagri")
    static let icw = OrganisationMatch.Candidate(id: UUID(), name: "Indonesia Corruption Watch", acronym: "ICW")
    static let pattiro = OrganisationMatch.Candidate(id: UUID(), name: "Pusat Telaah dan Informasi Regional", acronym: nil)
    static let all = [kominfo, kemendagri, icw, pattiro]

    @Test func exactNamesAcronymsAndSuggestionsWin() {
        #expect(OrganisationMatch.resolve("icw", among: Self.all) == .found(Self.icw))
        #expect(OrganisationMatch.resolve("  Kementerian dalam negeri ", among: Self.all) == .found(Self.kemendagri))
        #expect(OrganisationMatch.resolve("ICW – Indonesia Corruption Watch", among: Self.all) == .found(Self.icw))
        #expect(Self.pattiro.label == "Pusat Telaah dan Informasi Regional")
        #expect(OrganisationMatch.resolve(Self.pattiro.label, among: Self.all) == .found(Self.pattiro))
    }

    /// The same name or acronym spelt with other spaces, hyphens or marks is the same organisation, not a new one.
    @Test func otherSpacesAndMarksAreTheSameName() {
        let kemenpan = OrganisationMatch.Candidate(id: UUID(), name: "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
                                                   acronym: "KemenPAN RB")
        #expect(OrganisationMatch.resolve("KemenPAN-RB", among: Self.all + [kemenpan]) == .found(kemenpan))
        #expect(OrganisationMatch.resolve("kemenpanrb", among: Self.all + [kemenpan]) == .found(kemenpan))
        #expect(OrganisationMatch.resolve("Kementerian Dalam-Negeri.", among: Self.all) == .found(Self.kemendagri))
        #expect(OrganisationMatch.resolve("Kementerian Luar Negeri", among: Self.all) == .notFound)
    }

    @Test func aUniquePartIsEnough() {
        #expect(OrganisationMatch.resolve("corruption", among: Self.all) == .found(Self.icw))
        #expect(OrganisationMatch.resolve("DAGRI", among: Self.all) == .found(Self.kemendagri))
    }

    @Test func aPartThatFitsSeveralIsNoGuess() {
        #expect(OrganisationMatch.resolve("kementerian", among: Self.all) == .ambiguous([Self.kemendagri, Self.kominfo]))
        // "Informa" is in two names: the exact rules come first, but none fits.
        #expect(OrganisationMatch.resolve("informa", among: Self.all) == .ambiguous([Self.kominfo, Self.pattiro]))
        #expect(OrganisationMatch.resolve("Bappenas", among: Self.all) == .notFound)
        #expect(OrganisationMatch.resolve("  ", among: Self.all) == .empty)
    }

    @Test func anExactAcronymBeatsAPartOfAnotherName() {
        let kpk = OrganisationMatch.Candidate(id: UUID(), name: "Komisi Pemberantasan Korupsi", acronym: "KPK")
        let kpkp = OrganisationMatch.Candidate(id: UUID(), name: "Komite Pemantau KPK Partisipatif", acronym: "KPKP")
        #expect(OrganisationMatch.resolve("kpk", among: [kpk, kpkp]) == .found(kpk))
    }
}
