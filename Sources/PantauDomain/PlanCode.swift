/// A plan's short identifier used in addresses, such as `ran-ogi-2020-2022`.
public enum PlanCode {
    /// Lowercase letters, digits and single hyphens, 3 to 64 characters, starting with a letter.
    public static func isValid(_ code: String) -> Bool {
        guard (3...64).contains(code.count), let first = code.first, first.isASCII, first.isLetter,
              !code.hasSuffix("-"), !code.contains("--") else { return false }
        return code.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }
}
