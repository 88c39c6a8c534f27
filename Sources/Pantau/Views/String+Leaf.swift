extension String {
    /// The text, or nil when it is empty: Leaf's `#if` takes an empty string for true, so a view model hands
    /// optional text to the templates that show something only when there is some.
    var ifAny: String? { isEmpty ? nil : self }
}
