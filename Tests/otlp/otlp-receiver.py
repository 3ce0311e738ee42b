#!/usr/bin/env python3
"""A small OTLP/HTTP trace receiver for the tests (and for a look at a trace by hand).

Takes what the services export to POST /v1/traces -- OTLP's protobuf (the default) or its JSON -- decodes it with
OpenTelemetry's own message definitions (opentelemetry-proto), and keeps every span in memory. GET /spans answers
them as a JSON list, one object per span:

    {"service": "kontroll", "traceId": "…", "spanId": "…", "parentSpanId": "…" or "", "name": "…", "kind": "CONSUMER",
     "attributes": {"key": "value", …}, "links": [{"traceId": "…", "spanId": "…"}], "status": "OK" | "ERROR" | "UNSET"}

GET /spans?traceId=… answers one trace's. GET /health answers 200. Usage: otlp-receiver.py PORT
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest, ExportTraceServiceResponse
from opentelemetry.proto.trace.v1.trace_pb2 import Span, Status

MAX_BODY = 16 * 1024 * 1024
spans = []
lock = threading.Lock()


def value_of(any_value):
    kind = any_value.WhichOneof("value")
    if kind is None:
        return None
    if kind == "array_value":
        return [value_of(v) for v in any_value.array_value.values]
    if kind == "kvlist_value":
        return {kv.key: value_of(kv.value) for kv in any_value.kvlist_value.values}
    if kind == "bytes_value":
        return any_value.bytes_value.hex()
    return getattr(any_value, kind)


def flatten(request):
    found = []
    for resource_spans in request.resource_spans:
        resource = {kv.key: value_of(kv.value) for kv in resource_spans.resource.attributes}
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                found.append({
                    "service": resource.get("service.name", ""),
                    "traceId": span.trace_id.hex(),
                    "spanId": span.span_id.hex(),
                    "parentSpanId": span.parent_span_id.hex(),
                    "name": span.name,
                    "kind": Span.SpanKind.Name(span.kind).removeprefix("SPAN_KIND_"),
                    "attributes": {kv.key: value_of(kv.value) for kv in span.attributes},
                    "links": [{"traceId": link.trace_id.hex(), "spanId": link.span_id.hex()} for link in span.links],
                    "status": Status.StatusCode.Name(span.status.code).removeprefix("STATUS_CODE_"),
                    "statusMessage": span.status.message,
                    "startNanos": span.start_time_unix_nano,
                    "endNanos": span.end_time_unix_nano,
                })
    return found


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *_):
        pass

    def answer(self, status, body=b"", content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/health":
            return self.answer(200, b"{}")
        if url.path != "/spans":
            return self.answer(404, b"{}")
        wanted = parse_qs(url.query).get("traceId", [None])[0]
        with lock:
            chosen = [s for s in spans if wanted is None or s["traceId"] == wanted]
        self.answer(200, json.dumps(chosen).encode())

    def do_POST(self):
        if urlparse(self.path).path != "/v1/traces":
            return self.answer(404, b"{}")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self.answer(413, b"{}")
        body = self.rfile.read(length)
        request = ExportTraceServiceRequest()
        json_body = (self.headers.get("Content-Type") or "").startswith("application/json")
        try:
            if json_body:
                json_format.Parse(body.decode(), request)
            else:
                request.ParseFromString(body)
        except Exception as error:  # noqa: BLE001 -- any undecodable body is the sender's error
            return self.answer(400, json.dumps({"error": str(error)}).encode())
        received = flatten(request)
        with lock:
            spans.extend(received)
        if json_body:
            self.answer(200, b"{}")
        else:
            self.answer(200, ExportTraceServiceResponse().SerializeToString(), "application/x-protobuf")


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
