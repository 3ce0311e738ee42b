public import Foundation

extension Duration {
    /// The duration in seconds, as Foundation's dates count them (`addingTimeInterval`, `make_interval(secs =>)`).
    public var timeInterval: TimeInterval { TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18 }
}
