import AvtalTracing
import Configuration
import Foundation
import Logging
import Testing
import Webbavtal

@testable import AvtalRuntime

/// The pure pieces of tracing and logging: reading a `traceparent`, the settings that turn tracing on, the contract
/// page's trace link, and JSON log lines.
@Suite("Telemetry pieces")
struct TelemetryPiecesTests {
    static func reader(_ values: [String: String]) -> ConfigReader {
        ConfigReader(provider: InMemoryProvider(values: TestConfiguration.entries(values.mapValues { .init(.string($0), isSecret: false) })))
    }

    @Test("a traceparent's trace id: W3C's example read; wrong lengths, upper case, all zeros and garbage give none")
    func traceIds() {
        #expect(TraceParent.traceId(of: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01") == "4bf92f3577b34da6a3ce929d0e0e4736")
        for bad in [
            "", "00", "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e473x-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01",
        ] {
            #expect(TraceParent.traceId(of: bad) == nil, "\(bad)")
        }
    }

    @Test("with tracing off (the no-op tracer of a process that never set one up) nothing is written or read")
    func offWritesNothing() {
        #expect(TraceParent.current() == nil)
        #expect(TraceParent.of(TraceParent.context(from: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")) == nil)
    }

    @Test("tracing is on only when a collector is named, and off again when the SDK or the traces exporter is disabled")
    func settings() {
        #expect(!TracingSettings(reader: Self.reader([:])).isOn)
        #expect(TracingSettings(reader: Self.reader(["otel.exporter.otlp.endpoint": "http://collector:4318"])).endpoint == "http://collector:4318")
        #expect(
            TracingSettings(
                reader: Self.reader(["otel.exporter.otlp.traces.endpoint": "http://c:4318/v1/traces", "otel.exporter.otlp.endpoint": "http://x"])
            )
            .endpoint == "http://c:4318/v1/traces")
        #expect(!TracingSettings(reader: Self.reader(["otel.exporter.otlp.endpoint": "http://c:4318", "otel.sdk.disabled": "TRUE"])).isOn)
        #expect(!TracingSettings(reader: Self.reader(["otel.exporter.otlp.endpoint": "http://c:4318", "otel.traces.exporter": "none"])).isOn)
        #expect(!TracingSettings(reader: Self.reader(["otel.exporter.otlp.endpoint": ""])).isOn)
    }

    @Test("TRACE_LINK: unset is no link; an http(s) URL with {traceId} makes one; anything else stops the service")
    func traceLink() throws {
        #expect(try TraceLink.read(Self.reader([:])) == nil)
        let link = try #require(try TraceLink.read(Self.reader(["trace.link": "https://jaeger.example/trace/{traceId}"])))
        #expect(link.url(traceId: "4bf92f3577b34da6a3ce929d0e0e4736") == "https://jaeger.example/trace/4bf92f3577b34da6a3ce929d0e0e4736")
        for bad in ["https://jaeger.example/trace/", "javascript:alert(1)//{traceId}", "ftp://x.example/{traceId}", "{traceId}"] {
            #expect(throws: ServiceConfiguration.Invalid.self, "\(bad)") { try TraceLink.read(Self.reader(["trace.link": bad])) }
        }
    }

    @Test("LOG_FORMAT: text (the default) or json; anything else is a configuration error")
    func logFormat() throws {
        #expect(try LogFormat.read(Self.reader([:])) == .text)
        #expect(try LogFormat.read(Self.reader(["log.format": "json"])) == .json)
        #expect(throws: ServiceConfiguration.Invalid.self) { try LogFormat.read(Self.reader(["log.format": "xml"])) }
    }

    @Test("a JSON log line: one object on one line, fixed fields first, metadata by key, nested values and control characters escaped")
    func jsonLine() throws {
        let line = JSONLogHandler.line(
            time: Date(timeIntervalSince1970: 1_796_076_067.125), level: .warning, service: "kontroll",
            message: "a \"quoted\" word\nand a tab\t and \u{1}",
            metadata: [
                "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "avtal.attempts": .stringConvertible(3),
                "nested": .dictionary(["b": "2", "a": .array(["x", "y"])]), "message": "not twice",
            ])
        #expect(line.hasSuffix("}\n") && line.dropLast().contains("\n") == false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "warning" && object["service"] as? String == "kontroll")
        #expect(object["message"] as? String == "a \"quoted\" word\nand a tab\t and \u{1}")
        #expect(object["time"] as? String == "2026-11-30T22:01:07.125Z")
        #expect(object["trace_id"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736" && object["avtal.attempts"] as? String == "3")
        #expect((object["nested"] as? [String: Any])?["a"] as? [String] == ["x", "y"])
        #expect(line.hasPrefix(#"{"time":"#) && line.contains(#","level":"warning","service":"kontroll","message":"#))
    }

    /// Collects what a handler writes.
    final class Lines: TextOutputStream, @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        func write(_ string: String) { lock.withLock { text += string } }
        var written: String { lock.withLock { text } }
    }

    @Test("text lines: the logger's metadata, kept aside until a line is written, is written as swift-log's stream handler writes it")
    func textLines() {
        let provider = Logger.MetadataProvider { ["trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"] }
        let ours = Lines()
        let theirs = Lines()
        var lazy = Logger(label: "kontroll") { TextLogHandler(label: $0, stream: ours, metadataProvider: provider) }
        var eager = Logger(label: "kontroll") { StreamLogHandler(label: $0, stream: theirs, metadataProvider: provider) }
        lazy[metadataKey: "avtal.message.id"] = "m-1"
        eager[metadataKey: "avtal.message.id"] = "m-1"
        lazy[metadataKey: "avtal.event.type"] = "ContractStored v1"
        eager[metadataKey: "avtal.event.type"] = "ContractStored v1"
        lazy.debug("not written at info")
        lazy.info("handled", metadata: ["avtal.attempts": "2", "avtal.message.id": "m-2"])
        eager.info("handled", metadata: ["avtal.attempts": "2", "avtal.message.id": "m-2"])
        lazy.warning("plain")
        eager.warning("plain")
        // Each line begins with the local time to the second; the rest is compared whole.
        func withoutTime(_ text: String) -> [Substring] { text.split(separator: "\n").map { $0.drop { $0 != " " } } }
        #expect(withoutTime(ours.written) == withoutTime(theirs.written))
        #expect(withoutTime(ours.written).count == 2)
        #expect(
            ours.written.contains(
                "avtal.attempts=2 avtal.event.type=ContractStored v1 avtal.message.id=m-2 trace_id=4bf92f3577b34da6a3ce929d0e0e4736"))
    }
}
