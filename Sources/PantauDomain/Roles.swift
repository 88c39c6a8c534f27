/// What kind of body an organisation is; implementers are K/L or OMS, the parliament plan adds its units.
public enum OrganisationKind: String, CaseIterable, Codable, Sendable {
    /// Kementerian/Lembaga: a government ministry or agency.
    case governmentAgency = "government_agency"
    /// Organisasi Masyarakat Sipil: a civil-society organisation.
    case civilSociety = "civil_society"
    /// A unit of the parliament (DPR), for the Open Parliament plan.
    case parliamentUnit = "parliament_unit"
    case internationalOrganisation = "international_organisation"
}

/// What an account may do; see SPEC.md "Who uses it".
public enum UserRole: String, CaseIterable, Codable, Sendable {
    case secretariat
    /// Reports for exactly one organisation.
    case implementer
    /// Joint secretariat: reads everything, changes nothing.
    case reviewer
    /// Independent monitor (a plan's monitoring body): reads everything of its plans, comments, and publishes its own
    /// assessment of each commitment per semester beside the secretariat's score.
    case monitor

    public var needsOrganisation: Bool { self == .implementer }
}

/// How an organisation takes part in a commitment.
public enum CommitmentRole: String, CaseIterable, Codable, Sendable {
    /// Organisasi Masyarakat Sipil Pengusul.
    case proposer
    /// Kementerian/Lembaga Penanggung Jawab.
    case responsible
    /// Other government actors involved.
    case related
    /// CSOs, private sector, multilaterals and working groups involved.
    case partner
}

/// What kind of government runs a plan: the national one, or a region taking part in OGP Local.
public enum JurisdictionKind: String, CaseIterable, Codable, Sendable {
    case national
    /// Provinsi.
    case province
    /// Kabupaten.
    case regency
    /// Kota.
    case city
}
