/// A failure talking to a third-party system, by what the caller should do about it.
public struct ThirdPartyError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// It did not answer, or answered 5xx/429, within the retries: try again later.
        public static let unavailable = Code("unavailable")
        /// It refused the request (4xx other than 404/429): repeating it will not help.
        public static let rejected = Code("rejected")
        /// It answered something we cannot read.
        public static let invalidResponse = Code("invalidResponse")

        public var description: String { name }
    }

    public let code: Code
    public let system: String
    public let message: String

    public init(_ code: Code, system: String, _ message: String) {
        self.code = code
        self.system = system
        self.message = message
    }

    public var description: String { "\(system) \(code): \(message)" }
}
