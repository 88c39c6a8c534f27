/// Reading the free text people type into forms: one item per line, or a list of numbers.
enum FormText {
    /// The non-empty lines of a text area, trimmed.
    static func lines(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Items separated by commas or spaces, as in "16.6, 16.10" or "2, 5".
    static func items(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
    }
}
