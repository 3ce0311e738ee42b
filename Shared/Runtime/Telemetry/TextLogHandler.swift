public import Logging

/// swift-log's `StreamLogHandler` on standard error, its lines unchanged, with the logger's own metadata kept here
/// until a line is written. The stream handler formats all of its metadata anew on every change, and a consumer
/// sets four keys on its logger for each message it handles — a message that, at `info`, mostly writes no line at
/// all (issue 19: that formatting was 1–2 % of each service's CPU under load).
public struct TextLogHandler: LogHandler {
    private var stream: StreamLogHandler
    public var metadata: Logger.Metadata = [:]

    public init(label: String, metadataProvider: Logger.MetadataProvider?) {
        stream = StreamLogHandler.standardError(label: label, metadataProvider: metadataProvider)
    }

    /// Writing to `stream` instead (the tests).
    package init(label: String, stream: any TextOutputStream & Sendable, metadataProvider: Logger.MetadataProvider?) {
        self.stream = StreamLogHandler(label: label, stream: stream, metadataProvider: metadataProvider)
    }

    public var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// The line the stream handler writes, the logger's metadata given with the record's own (which wins). A key
    /// both in the logger's metadata and in the provider's (the span's ids) is the logger's here, the provider's
    /// there; no logger of ours sets those keys.
    public func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty { event.metadata = metadata.merging(event.metadata ?? [:]) { _, own in own } }
        stream.log(event: event)
    }
}
