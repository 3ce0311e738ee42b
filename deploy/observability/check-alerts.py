#!/usr/bin/env python3
"""`make alerts` (and `make test`): the alert rules of deploy/k8s/base/monitoring/alerts.yaml, proved.

1. Takes the rule groups out of the PrometheusRule (the single source) and checks them with `promtool check rules`.
2. Runs `promtool test rules` with deploy/observability/alerts.test.yaml: synthetic series that must fire each alert
   with its labels and text, and series that must not.
3. Every metric a rule reads must exist: an `avtal_*` metric must be one the code emits (its label in a Swift source),
   anything else one RabbitMQ's Prometheus plugin or Prometheus itself provides. Every alert has a test.
4. The Grafana dashboard (deploy/observability/grafana/avtalsflode-flow.json): every query parses (promtool checks each
   as a recording rule) and reads only metrics that exist (a histogram's _bucket/_sum/_count by its own name); panel ids
   are unique and every panel reads the dashboard's Prometheus data source variable.
"""
import json
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
DASHBOARD = os.path.join(HERE, "grafana", "avtalsflode-flow.json")
EXTERNAL = {"up", "rabbitmq_queue_messages_ready", "rabbitmq_queue_consumers"}
FUNCTIONS = {"sum", "max", "min", "by", "rate", "increase", "and", "or", "on", "without", "humanize", "vector", "histogram_quantile", "le"}
LABELS = ("outcome", "queue", "schema", "service", "job", "state", "system", "channel", "kind", "from", "to", "input")


def emitted_metrics():
    names = set()
    for path in glob.glob(os.path.join(ROOT, "Shared", "**", "*.swift"), recursive=True) + glob.glob(
        os.path.join(ROOT, "Services", "**", "*.swift"), recursive=True
    ):
        with open(path) as file:
            names |= set(re.findall(r'label: "(avtal_[a-z_]+)"', file.read()))
    return names


def unknown_metrics(where, expr, emitted):
    """The metrics `expr` reads that nobody emits."""
    findings = []
    for name in set(re.findall(r"\b([a-z_][a-z0-9_]*)\s*(?=[{\[(]|\s*[=!<>]|\s*$|\))", expr)):
        if name in FUNCTIONS or name.startswith(LABELS):
            continue
        base = re.sub(r"_(bucket|sum|count)$", "", name)
        if name.startswith("avtal_") and name not in emitted and base not in emitted:
            findings.append(f"{where}: {name} is not a metric the code emits")
        elif not name.startswith("avtal_") and name not in EXTERNAL:
            findings.append(f"{where}: {name} is not a metric we know of")
    return findings


def dashboard_queries(emitted):
    """The dashboard's queries as recording rules for promtool, and what is wrong with its panels."""
    with open(DASHBOARD) as file:
        dashboard = json.load(file)
    findings, rules, ids = [], [], set()
    variables = {v["name"] for v in dashboard.get("templating", {}).get("list", [])}
    if "datasource" not in variables:
        findings.append("dashboard: no datasource variable")
    for panel in dashboard["panels"]:
        if panel["id"] in ids:
            findings.append(f"dashboard: panel id {panel['id']} twice")
        ids.add(panel["id"])
        if panel["type"] == "row":
            continue
        if panel.get("datasource", {}).get("uid") != "${datasource}":
            findings.append(f"dashboard: {panel['title']} does not read the datasource variable")
        if not panel.get("targets"):
            findings.append(f"dashboard: {panel['title']} has no query")
        for target in panel.get("targets", []):
            findings += unknown_metrics(f"dashboard: {panel['title']}", target["expr"], emitted)
            rules.append({"record": f"dashboard:panel_{panel['id']}:{target['refId'].lower()}", "expr": target["expr"]})
    return rules, findings


def main():
    with open(RULES) as file:
        rule = yaml.safe_load(file)
    groups = rule["spec"]["groups"]
    alerts = [r["alert"] for g in groups for r in g["rules"]]
    findings = []
    emitted = emitted_metrics()
    for group in groups:
        for r in group["rules"]:
            findings += unknown_metrics(r["alert"], r["expr"], emitted)
    dashboard_rules, dashboard_findings = dashboard_queries(emitted)
    findings += dashboard_findings
    with open(TESTS) as file:
        tested = {test["alertname"] for case in yaml.safe_load(file)["tests"] for test in case.get("alert_rule_test", [])}
    findings += [f"{alert}: no test in alerts.test.yaml" for alert in alerts if alert not in tested]
    promtool = shutil.which("promtool") or sys.exit("check-alerts: no promtool (deploy/install-deps.sh installs Debian's prometheus)")
    with tempfile.TemporaryDirectory() as work:
        with open(os.path.join(work, "rules.yaml"), "w") as file:
            yaml.safe_dump({"groups": groups}, file, sort_keys=False)
        shutil.copy(TESTS, os.path.join(work, "alerts.test.yaml"))
        with open(os.path.join(work, "dashboard.yaml"), "w") as file:
            yaml.safe_dump({"groups": [{"name": "dashboard", "rules": dashboard_rules}]}, file, sort_keys=False)
        for command in (["check", "rules", "rules.yaml"], ["test", "rules", "alerts.test.yaml"], ["check", "rules", "dashboard.yaml"]):
            result = subprocess.run([promtool, *command], cwd=work, capture_output=True, text=True)
            if result.returncode != 0:
                findings.append(f"promtool {' '.join(command)}:\n{result.stdout}{result.stderr}")
    if findings:
        print("\n".join(findings))
        return 1
    print(f"alerts: {len(alerts)} rules checked by promtool, each fired and held back by its tests; every metric they read exists")
    print(f"dashboard: {len(dashboard_rules)} queries parse and read metrics that exist")
    return 0


if __name__ == "__main__":
    sys.exit(main())
