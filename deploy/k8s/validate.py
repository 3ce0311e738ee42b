#!/usr/bin/env python3
"""Proves the Kubernetes deployment (deploy/k8s/) without a cluster: `make k8s`, and `make test` runs it.

1. Renders every overlay with `kubectl kustomize`.
2. Validates every object: built-in kinds against Kubernetes' own schemas (kubernetes-validate, offline, strict: an
   unknown field is an error) for the oldest and newest Kubernetes we support; the operators' kinds against the
   CRDs vendored in deploy/k8s/schemas/ (strict too: a field the CRD does not declare is an error).
3. Checks our policy: every Deployment's containers have probes (readiness, liveness, startup), requests and limits,
   run as non-root with a read-only root filesystem, no privilege, no capabilities; no Secret object and no secret
   value anywhere (only references); every Secret referenced is listed in docs/deploy.md; every service has its
   PodDisruptionBudget, ServiceMonitor, NetworkPolicy and scaling; only partner-api and signering's webhook route are
   on the public Ingress.
4. Proves the checks can fail: each is run on a copy spoiled for it and must catch it.

Exits 1 with every finding listed, 0 with a summary.
"""
import copy
import glob
import os
import re
import shutil
import subprocess
import sys

import jsonschema
import kubernetes_validate
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OVERLAYS = ["dev", "production"]
KUBERNETES_VERSIONS = ["1.31.0", "1.35.0"]
SERVICES = ["partner-api", "webbavtal", "kontroll", "signering", "foa", "gordis-export"]
QUEUE_WORKERS = ["webbavtal", "kontroll", "signering", "gordis-export"]
SECRET_NAME = re.compile(r"(PASSWORD|SECRET|TOKEN|_KEY|CREDENTIAL)", re.IGNORECASE)
URL_WITH_LOGIN = re.compile(r"^[a-z][a-z0-9+.-]*://([^/@\s]+)@")


def kubectl():
    for candidate in [os.environ.get("KUBECTL"), shutil.which("kubectl")]:
        if candidate and subprocess.run([candidate, "kustomize", "--help"], capture_output=True).returncode == 0:
            return candidate
    sys.exit("validate: no kubectl with `kustomize` (deploy/install-deps.sh installs Debian's kubernetes-client)")


def render(overlay):
    result = subprocess.run([kubectl(), "kustomize", os.path.join(HERE, "overlays", overlay)], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"validate: kubectl kustomize overlays/{overlay} failed:\n{result.stderr}")
    return [document for document in yaml.safe_load_all(result.stdout) if document]


def strict(schema):
    """The CRD's schema with unknown fields refused where the API server would prune them."""
    if isinstance(schema, dict):
        schema = {key: strict(value) for key, value in schema.items()}
        if schema.get("type") == "object" and "properties" in schema and "additionalProperties" not in schema:
            if not schema.get("x-kubernetes-preserve-unknown-fields"):
                schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    return schema


def crd_schemas():
    schemas = {}
    for path in glob.glob(os.path.join(HERE, "schemas", "*.yaml")):
        with open(path) as file:
            crd = yaml.safe_load(file)
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            schema = strict(version["schema"]["openAPIV3Schema"])
            # metadata is the API server's, not the CRD's: any ObjectMeta.
            schema.setdefault("properties", {})["metadata"] = {"type": "object"}
            schemas[(f"{group}/{version['name']}", kind)] = schema
    return schemas


def name_of(document):
    return f"{document.get('kind')}/{document.get('metadata', {}).get('name')}"


def validate_schemas(documents, schemas):
    findings = []
    for document in documents:
        key = (document.get("apiVersion"), document.get("kind"))
        if key in schemas:
            validator = jsonschema.Draft7Validator(schemas[key])
            for error in validator.iter_errors(document):
                path = ".".join(str(part) for part in error.absolute_path)
                findings.append(f"{name_of(document)}: {path}: {error.message[:200]}")
        elif "." in key[0].split("/")[0] and not key[0].startswith(("apps/", "policy/", "networking.k8s.io/", "autoscaling/")):
            findings.append(f"{name_of(document)}: no vendored schema for {key[0]} {key[1]}")
        else:
            for version in KUBERNETES_VERSIONS:
                try:
                    kubernetes_validate.validate(document, version, strict=True)
                except kubernetes_validate.ValidationError as error:
                    path = ".".join(str(part) for part in error.path)
                    findings.append(f"{name_of(document)} (Kubernetes {version}): {path}: {error.message[:200]}")
                except Exception as error:  # an unknown kind or version
                    findings.append(f"{name_of(document)} (Kubernetes {version}): {error}")
    return findings


def containers_of(pod_spec):
    return [("init", c) for c in pod_spec.get("initContainers", [])] + [("main", c) for c in pod_spec.get("containers", [])]


def check_workloads(documents):
    findings = []
    for document in documents:
        if document["kind"] != "Deployment":
            continue
        name = name_of(document)
        pod = document["spec"]["template"]["spec"]
        pod_security = pod.get("securityContext", {})
        if pod.get("hostNetwork") or pod.get("hostPID") or pod.get("hostIPC"):
            findings.append(f"{name}: shares the host's namespaces")
        if pod.get("automountServiceAccountToken") is not False:
            findings.append(f"{name}: mounts a service account token it does not use")
        for role, container in containers_of(pod):
            where = f"{name} container {container['name']}"
            security = container.get("securityContext", {})
            if not (security.get("runAsNonRoot") or pod_security.get("runAsNonRoot")):
                findings.append(f"{where}: may run as root (runAsNonRoot)")
            if security.get("readOnlyRootFilesystem") is not True:
                findings.append(f"{where}: root filesystem not read-only")
            if security.get("allowPrivilegeEscalation") is not False:
                findings.append(f"{where}: may escalate privileges")
            if security.get("privileged"):
                findings.append(f"{where}: privileged")
            if "ALL" not in security.get("capabilities", {}).get("drop", []) or security.get("capabilities", {}).get("add"):
                findings.append(f"{where}: keeps capabilities (drop ALL, add none)")
            resources = container.get("resources", {})
            for kind in ["requests", "limits"]:
                for resource in ["cpu", "memory"]:
                    if resource not in resources.get(kind, {}):
                        findings.append(f"{where}: no {resource} {kind[:-1]}")
            if role == "main":
                for probe in ["readinessProbe", "livenessProbe", "startupProbe"]:
                    if probe not in container:
                        findings.append(f"{where}: no {probe}")
    return findings


def documented_secrets():
    with open(os.path.join(ROOT, "docs", "deploy.md")) as file:
        text = file.read()
    return set(re.findall(r"`(avtal-[a-z0-9-]+)`", text))


def check_secrets(documents, documented):
    findings = []
    referenced = set()

    def walk(value):
        if isinstance(value, dict):
            if "secretKeyRef" in value:
                referenced.add(value["secretKeyRef"]["name"])
            if isinstance(value.get("secretName"), str):
                referenced.add(value["secretName"])
            for key, item in value.items():
                if key in ("passwordSecret", "secret", "importCredentialsSecret", "accessKeyId", "secretAccessKey") and isinstance(item, dict) and "name" in item:
                    referenced.add(item["name"])
                if key == "secretTargetRef":
                    for target in item:
                        referenced.add(target["name"])
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for document in documents:
        name = name_of(document)
        if document["kind"] == "Secret":
            findings.append(f"{name}: a Secret is committed; reference it instead")
        if document["kind"] == "ConfigMap":
            for key, value in (document.get("data") or {}).items():
                if SECRET_NAME.search(key):
                    findings.append(f"{name}: {key} looks secret; it belongs in a Secret")
                if URL_WITH_LOGIN.search(str(value)):
                    findings.append(f"{name}: {key} carries a login")
        if document["kind"] == "Deployment":
            for _, container in containers_of(document["spec"]["template"]["spec"]):
                for variable in container.get("env", []):
                    value = variable.get("value")
                    if value is None:
                        continue
                    if SECRET_NAME.search(variable["name"]):
                        findings.append(f"{name} {container['name']}: {variable['name']} has a value, not a secretKeyRef")
                    login = URL_WITH_LOGIN.search(value)
                    if login and not re.fullmatch(r"(\$\([A-Z_]+\))(:\$\([A-Z_]+\))?", login.group(1)):
                        findings.append(f"{name} {container['name']}: {variable['name']} carries a login, not references")
        walk(document.get("spec", {}))
    for secret in sorted(referenced - documented):
        findings.append(f"Secret {secret} is referenced but docs/deploy.md does not say how to create it")
    return findings, referenced


def check_shape(documents, overlay):
    findings = []
    by_kind = {}
    for document in documents:
        by_kind.setdefault(document["kind"], {})[document["metadata"]["name"]] = document
    for service in SERVICES:
        for kind in ["Deployment", "Service", "PodDisruptionBudget", "ServiceMonitor", "NetworkPolicy"]:
            if service not in by_kind.get(kind, {}):
                findings.append(f"{service}: no {kind}")
        policy = by_kind.get("NetworkPolicy", {}).get(service)
        if policy and sorted(policy["spec"].get("policyTypes", [])) != ["Egress", "Ingress"]:
            findings.append(f"{service}: its NetworkPolicy does not limit both directions")
    for worker in QUEUE_WORKERS:
        scaled = by_kind.get("ScaledObject", {}).get(worker)
        if not scaled or scaled["spec"]["triggers"][0]["metadata"].get("queueName") != f"{worker}.work":
            findings.append(f"{worker}: not scaled on {worker}.work")
    if "partner-api" not in by_kind.get("HorizontalPodAutoscaler", {}):
        findings.append("partner-api: no HorizontalPodAutoscaler")
    public = by_kind.get("Ingress", {}).get("avtal-public")
    if not public or not public["spec"].get("tls"):
        findings.append("avtal-public: no Ingress with TLS")
    else:
        routes = {(path["backend"]["service"]["name"], path["path"]) for rule in public["spec"]["rules"] for path in rule["http"]["paths"]}
        allowed = {("partner-api", "/v1"), ("signering", "/webhooks/getaccept")}
        for route in sorted(routes - allowed):
            findings.append(f"avtal-public: {route[0]} {route[1]} is on the internet")
    if not by_kind.get("Ingress", {}).get("avtal-internal", {}).get("spec", {}).get("tls"):
        findings.append("avtal-internal: no TLS")
    expected = {"production": (3, 3), "dev": (1, 1)}[overlay]
    rabbit = by_kind.get("RabbitmqCluster", {}).get("avtal-rabbitmq", {}).get("spec", {}).get("replicas")
    postgres = by_kind.get("Cluster", {}).get("avtal-postgres", {}).get("spec", {}).get("instances")
    if (rabbit, postgres) != expected:
        findings.append(f"{overlay}: RabbitMQ {rabbit} nodes and PostgreSQL {postgres} instances, expected {expected}")
    if overlay == "production":
        if "sandbox" in by_kind.get("Deployment", {}):
            findings.append("production: the sandbox is deployed")
        if by_kind.get("ConfigMap", {}).get("avtal-common", {}).get("data", {}).get("AVTAL_ENVIRONMENT") != "production":
            findings.append("production: not in production mode")
        for deployment in by_kind.get("Deployment", {}).values():
            for _, container in containers_of(deployment["spec"]["template"]["spec"]):
                if ":" not in container["image"].rsplit("/", 1)[-1]:
                    findings.append(f"{name_of(deployment)}: image {container['image']} has no tag")
    return findings


def check(documents, overlay, schemas, documented):
    secrets, referenced = check_secrets(documents, documented)
    return validate_schemas(documents, schemas) + check_workloads(documents) + secrets + check_shape(documents, overlay), referenced


def self_test(documents, schemas, documented):
    """Each check must catch what it is for, on a copy of the production objects spoiled for it: the finding it
    must report contains the case's text."""
    def spoiled(change):
        copied = copy.deepcopy(documents)
        change(copied)
        return copied

    def deployment(docs, name="kontroll"):
        return next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == name)

    def main(docs):
        return deployment(docs)["spec"]["template"]["spec"]["containers"][0]

    cases = {
        "a writable root filesystem": (lambda d: main(d)["securityContext"].pop("readOnlyRootFilesystem"), "root filesystem not read-only"),
        "no readiness probe": (lambda d: main(d).pop("readinessProbe"), "no readinessProbe"),
        "no memory limit": (lambda d: main(d)["resources"]["limits"].pop("memory"), "no memory limit"),
        "a privileged container": (lambda d: main(d)["securityContext"].update(privileged=True), "privileged"),
        "an added capability": (lambda d: main(d)["securityContext"]["capabilities"].update(add=["NET_ADMIN"]), "keeps capabilities"),
        "a committed Secret": (lambda d: d.append({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}, "stringData": {"password": "x"}}), "a Secret is committed"),
        "a password as a value": (lambda d: main(d)["env"].append({"name": "POSTGRES_PASSWORD", "value": "hunter2"}), "has a value, not a secretKeyRef"),
        "a login in a URL": (lambda d: main(d)["env"].append({"name": "AMQP_URLS", "value": "amqp://avtal:hunter2@rabbit:5672"}), "carries a login"),
        "an undocumented Secret": (lambda d: main(d)["env"].append({"name": "X", "valueFrom": {"secretKeyRef": {"name": "avtal-nowhere", "key": "k"}}}), "avtal-nowhere is referenced"),
        "an unknown field in a Deployment": (lambda d: main(d).update(imagePullPolicyy="Always"), "'imagePullPolicyy' was unexpected"),
        "an unknown field in a RabbitmqCluster": (lambda d: next(x for x in d if x["kind"] == "RabbitmqCluster")["spec"].update(replica=3), "'replica' was unexpected"),
        "a wrong type in a CNPG Cluster": (lambda d: next(x for x in d if x["kind"] == "Cluster")["spec"].update(instances="three"), "is not of type 'integer'"),
        "the back office on the internet": (lambda d: next(x for x in d if x["metadata"]["name"] == "avtal-public")["spec"]["rules"][0]["http"]["paths"].append(
            {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "webbavtal", "port": {"name": "http"}}}}
        ), "webbavtal / is on the internet"),
        "a worker without scaling": (lambda d: d.remove(next(x for x in d if x["kind"] == "ScaledObject" and x["metadata"]["name"] == "kontroll")), "not scaled on kontroll.work"),
    }
    missed = []
    for what, (change, expected) in cases.items():
        findings, _ = check(spoiled(change), "production", schemas, documented)
        if not any(expected in finding for finding in findings):
            missed.append(what)
    return missed, len(cases)


def main():
    schemas = crd_schemas()
    documented = documented_secrets()
    findings = []
    counts = {}
    referenced = set()
    rendered = {}
    for overlay in OVERLAYS:
        documents = render(overlay)
        rendered[overlay] = documents
        counts[overlay] = len(documents)
        overlay_findings, overlay_referenced = check(documents, overlay, schemas, documented)
        referenced |= overlay_referenced
        findings += [f"{overlay}: {finding}" for finding in overlay_findings]
    missed, cases = self_test(rendered["production"], schemas, documented)
    findings += [f"self-test: the checks did not catch {what}" for what in missed]
    if findings:
        print("\n".join(findings))
        print(f"k8s: {len(findings)} findings")
        return 1
    print(
        f"k8s: overlays {', '.join(f'{o} ({counts[o]} objects)' for o in OVERLAYS)} rendered by {os.path.basename(kubectl())}; "
        f"every object valid (Kubernetes {' and '.join(KUBERNETES_VERSIONS)}, {len(schemas)} vendored CRD versions); "
        f"policy held; {len(referenced)} Secrets referenced, none committed; the self-test's {cases} spoiled copies all caught"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
