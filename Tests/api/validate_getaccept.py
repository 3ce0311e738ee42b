"""Validates JSON bodies that crossed the wire to or from the sandbox's GetAccept against GetAccept's own OpenAPI
document, so neither our client nor the simulation can drift from the real API.

usage: validate_getaccept.py <openapi.json> <records.json>
records.json: [{"operation": "CreateDocument" | ... | "Webhook", "body": "<json text>"}]
Prints one line per record and exits 1 when any is invalid (or when an operation is unknown)."""
import json
import sys

from openapi_schema_validator import OAS30Validator


def pointer(*parts):
    return "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def main():
    spec = json.load(open(sys.argv[1]))
    records = json.load(open(sys.argv[2]))
    request_schemas = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and "requestBody" in operation:
                request_schemas[operation["operationId"]] = pointer(
                    "paths", path, method, "requestBody", "content", "application/json", "schema"
                )
    request_schemas["Webhook"] = pointer("components", "schemas", "Webhook")
    failures = 0
    for record in records:
        target = request_schemas.get(record["operation"])
        if target is None:
            print(f"UNKNOWN {record['operation']}")
            failures += 1
            continue
        schema = dict(spec)
        schema["$ref"] = target
        errors = list(OAS30Validator(schema).iter_errors(json.loads(record["body"])))
        if errors:
            failures += 1
            for error in errors:
                print(f"INVALID {record['operation']}: {'/'.join(map(str, error.absolute_path))}: {error.message[:200]}")
        else:
            print(f"valid {record['operation']}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
