#!/usr/bin/env python3
"""`make alerts` (and `make test`): the alert rules of deploy/k8s/base/monitoring/alerts.yaml, proved.

1. Takes the rule groups out of the PrometheusRule (the single source) and checks them with `promtool check rules`.
2. Runs `promtool test rules` with deploy/observability/alerts.test.yaml: synthetic series that must fire each alert
   with its labels and text, and series that must not.
3. Every metric a rule reads must exist: an `avtal_*` metric must be one the code emits (its label in a Swift source),
   anything else one RabbitMQ's Prometheus plugin or Prometheus itself provides. Every alert has a test.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RULES = os.path.join(ROOT, "deploy", "k8s", "base", "monitoring", "alerts.yaml")
TESTS = os.path.join(HERE, "alerts.test.yaml")
EXTERNAL = {"up", "rabbitmq_queue_messages_ready", "rabbitmq_queue_consumers"}
FUNCTIONS = {"sum", "max", "min", "by", "rate", "increase", "and", "or", "on", "without", "humanize"}


def emitted_metrics():
    names = set()
    for path in glob.glob(os.path.join(ROOT, "Shared", "**", "*.swift"), recursive=True) + glob.glob(
        os.path.join(ROOT, "Services", "**", "*.swift"), recursive=True
    ):
        with open(path) as file:
            names |= set(re.findall(r'label: "(avtal_[a-z_]+)"', file.read()))
    return names


def main():
    with open(RULES) as file:
        rule = yaml.safe_load(file)
    groups = rule["spec"]["groups"]
    alerts = [r["alert"] for g in groups for r in g["rules"]]
    findings = []
    emitted = emitted_metrics()
    for group in groups:
        for r in group["rules"]:
            for name in set(re.findall(r"\b([a-z_][a-z0-9_]*)\s*(?=[{\[(]|\s*[=!<>]|\s*$|\))", r["expr"])):
                if name in FUNCTIONS or name.startswith(("outcome", "queue", "schema", "service", "job")):
                    continue
                if name.startswith("avtal_") and name not in emitted:
                    findings.append(f"{r['alert']}: {name} is not a metric the code emits")
                elif not name.startswith("avtal_") and name not in EXTERNAL:
                    findings.append(f"{r['alert']}: {name} is not a metric we know of")
    with open(TESTS) as file:
        tested = {test["alertname"] for case in yaml.safe_load(file)["tests"] for test in case.get("alert_rule_test", [])}
    findings += [f"{alert}: no test in alerts.test.yaml" for alert in alerts if alert not in tested]
    promtool = shutil.which("promtool") or sys.exit("check-alerts: no promtool (deploy/install-deps.sh installs Debian's prometheus)")
    with tempfile.TemporaryDirectory() as work:
        with open(os.path.join(work, "rules.yaml"), "w") as file:
            yaml.safe_dump({"groups": groups}, file, sort_keys=False)
        shutil.copy(TESTS, os.path.join(work, "alerts.test.yaml"))
        for command in (["check", "rules", "rules.yaml"], ["test", "rules", "alerts.test.yaml"]):
            result = subprocess.run([promtool, *command], cwd=work, capture_output=True, text=True)
            if result.returncode != 0:
                findings.append(f"promtool {' '.join(command)}:\n{result.stdout}{result.stderr}")
    if findings:
        print("\n".join(findings))
        return 1
    print(f"alerts: {len(alerts)} rules checked by promtool, each fired and held back by its tests; every metric they read exists")
    return 0


if __name__ == "__main__":
    sys.exit(main())
