public import Configuration

/// Whether the service exports traces: only when an OTLP collector is named, by OpenTelemetry's own variables —
/// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (the full URL of its traces path) or `OTEL_EXPORTER_OTLP_ENDPOINT` (its base
/// URL; `/v1/traces` is added) — and `OTEL_SDK_DISABLED` is not `true` nor `OTEL_TRACES_EXPORTER` `none`.
///
/// The exporter reads the rest of the standard variables itself: `OTEL_EXPORTER_OTLP_PROTOCOL` (`http/protobuf`, the
/// default, or `http/json`), `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_TRACES_SAMPLER` and its argument, the batch's delays.
/// Off (the default, and `make up`'s unless a collector is given), no span is recorded and no `traceparent` written.
public struct TracingSettings: Sendable, Equatable {
    /// The collector's address as configured, or nil: tracing is off.
    public var endpoint: String?

    public init(reader: ConfigReader) {
        let endpoint = reader.string(forKey: "otel.exporter.otlp.traces.endpoint") ?? reader.string(forKey: "otel.exporter.otlp.endpoint")
        let disabled =
            reader.string(forKey: "otel.sdk.disabled", default: "false").lowercased() == "true"
            || reader.string(forKey: "otel.traces.exporter", default: "otlp").lowercased() == "none"
        self.endpoint = disabled || endpoint?.isEmpty != false ? nil : endpoint
    }

    public var isOn: Bool { endpoint != nil }
}
