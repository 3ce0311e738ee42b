/// The name and schema version of an event, as carried in the envelope's `type` and `version` fields.
///
/// Consumers route on both: a message whose name or version they do not know is parked, never guessed at.
public struct EventType: Hashable, Sendable, CustomStringConvertible {
    /// The event's name in UpperCamelCase, for example `ContractStored`.
    public let name: String
    /// The payload's schema version; a breaking change to a payload gets a new version.
    public let version: Int

    public init(_ name: String, version: Int) {
        self.name = name
        self.version = version
    }

    public var description: String { "\(name)@v\(version)" }
}
