import Fluent
import Foundation

/// Facts about the installation itself, such as when its first start was completed.
public final class SystemSettingModel: Model, @unchecked Sendable {
    public static let schema = "system_settings"

    @ID(custom: "key", generatedBy: .user) public var id: String?
    @Field(key: "value") public var value: String

    public init() {}

    public init(key: String, value: String) {
        self.id = key
        self.value = value
    }

    static let firstStartCompleted = "first_start_completed"
}
