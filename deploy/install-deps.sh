#!/usr/bin/env bash
# Installs the Debian packages the system needs, only those missing, so a second run is quick.
set -euo pipefail
# chromium and its WebDriver: the back office's browser tests.
# zlib1g-dev and pkg-config: ZIPFoundation (the form's XLSX upload) links zlib, found through pkg-config.
# buildah and mmdebstrap: `make images` (an image base from Debian's packages, built without a daemon).
# prometheus: its promtool checks and tests the alert rules (`make alerts`); its server is never started here.
packages=(rabbitmq-server librabbitmq-dev zlib1g-dev pkg-config postgresql curl chromium chromium-driver buildah mmdebstrap prometheus)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# Python tools in a virtual environment of the project's (pinned, from PyPI): schemathesis, which tests partner-api
# against its OpenAPI document; openapi-schema-validator, which checks what crosses the wire to GetAccept;
# kubernetes-validate (with its jsonschema and PyYAML), which validates the Kubernetes manifests offline (`make k8s`);
# opentelemetry-proto (with protobuf), which the tests' OTLP receiver (Tests/otlp) decodes exported spans with.
python_tools() {
    local venv=${AVTAL_VENV:-$HOME/.cache/avtalsflode/venv}
    local wanted=(schemathesis==4.32.5 openapi-schema-validator==0.9.0 kubernetes-validate==1.37.0 opentelemetry-proto==1.45.2)
    local frozen
    frozen=$("$venv/bin/pip" freeze 2>/dev/null || true)
    local missing_tools=0
    for tool in "${wanted[@]}"; do grep -qx "$tool" <<<"$frozen" || missing_tools=1; done
    [ $missing_tools -eq 0 ] && return 0
    echo "installing ${wanted[*]} into $venv" >&2
    [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "${wanted[@]}"
}

# kubectl with kustomize renders the Kubernetes overlays: Debian's kubernetes-client, unless a kubectl is already
# there (one from another source would conflict with the package).
if ! { command -v kubectl >/dev/null && kubectl kustomize --help >/dev/null 2>&1; }; then
    dpkg-query -W -f='${Status}' kubernetes-client 2>/dev/null | grep -q "install ok installed" || missing+=(kubernetes-client)
fi

if [ ${#missing[@]} -eq 0 ]; then python_tools; exit 0; fi
echo "installing: ${missing[*]}" >&2
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# The packages' own init scripts would start system-wide servers: we run project-local ones instead.
$SUDO mkdir -p /usr/sbin
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null; $SUDO chmod +x "$policy"; created_policy=1; fi
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
[ $created_policy -eq 1 ] && $SUDO rm -f "$policy"
python_tools
exit 0
