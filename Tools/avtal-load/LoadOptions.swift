import Foundation

/// `avtal-load`'s command line: `--name value` pairs, each with a default that fits `deploy/load.sh`'s stack.
struct LoadOptions: Sendable {
    var rate = 50
    var seconds = 120
    var partnerURL = "http://127.0.0.1:28080"
    var officeURL = "http://127.0.0.1:28081"
    var sandboxURL = "http://127.0.0.1:28090"
    var partnerKey = ""
    var seller = "load-seller"
    var sellerPasswordEnv = "AVTAL_LOAD_SELLER_PASSWORD"
    /// How long to wait for every contract to settle after the last submission.
    var settleSeconds = 300
    /// How long one submission is retried while a service is away.
    var retrySeconds = 120
    /// Submitting goes on after `seconds` until this file exists (the fault run: until its last fault is over, however
    /// slow the machine); nil: exactly `seconds`.
    var untilFile: String?
    var services = ["sandbox", "webbavtal", "kontroll", "signering", "gordis-export", "foa", "partner-api"]

    init(_ arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        while let name = iterator.next() {
            guard let value = iterator.next() else { throw Invalid(description: "\(name) needs a value") }
            switch name {
            case "--rate": rate = try Self.positive(name, value)
            case "--seconds": seconds = try Self.positive(name, value)
            case "--partner-url": partnerURL = value
            case "--office-url": officeURL = value
            case "--sandbox-url": sandboxURL = value
            case "--partner-key": partnerKey = value
            case "--seller": seller = value
            case "--seller-password-env": sellerPasswordEnv = value
            case "--settle-seconds": settleSeconds = try Self.positive(name, value)
            case "--retry-seconds": retrySeconds = try Self.positive(name, value)
            case "--until-file": untilFile = value
            case "--services": services = value.split(separator: ",").map(String.init)
            default: throw Invalid(description: "unknown option \(name)")
            }
        }
        if partnerKey.isEmpty { partnerKey = ProcessInfo.processInfo.environment["AVTAL_LOAD_PARTNER_KEY"] ?? "" }
        guard !partnerKey.isEmpty else { throw Invalid(description: "--partner-key or AVTAL_LOAD_PARTNER_KEY is required") }
    }

    struct Invalid: Error, CustomStringConvertible { var description: String }

    private static func positive(_ name: String, _ value: String) throws -> Int {
        guard let number = Int(value), number > 0 else { throw Invalid(description: "\(name) must be a positive whole number") }
        return number
    }
}
