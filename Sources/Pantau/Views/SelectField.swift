/// One `<select>` of a form, drawn by `select.leaf` (`#extend("select", field):#endextend`); its `<label>` stays
/// in the page, which knows the words.
struct SelectField: Encodable {
    struct Option: Encodable {
        let value: String
        let label: String
        let selected: Bool
        /// The label is plan content (an organisation, a theme, a title), in `Language.content` whatever the page's language.
        let isContent: Bool

        init(value: String, label: String, selected: Bool = false, content: Bool = false) {
            self.value = value
            self.label = label
            self.selected = selected
            self.isContent = content
        }
    }

    let id: String
    let name: String
    /// A first option without a value ("–", "choose…"), when choosing nothing is allowed.
    let emptyLabel: String?
    let options: [Option]
    /// The browser asks for a choice before sending.
    let isRequired: Bool

    init(id: String, name: String? = nil, emptyLabel: String? = nil, options: [Option], required: Bool = false) {
        self.id = id
        self.name = name ?? id
        self.emptyLabel = emptyLabel
        self.options = options
        self.isRequired = required
    }
}
