#!/usr/bin/env bash
# Installs the Debian packages the system needs, only those missing, so a second run is quick.
set -euo pipefail
# chromium and its WebDriver: the back office's browser tests.
# zlib1g-dev and pkg-config: ZIPFoundation (the form's XLSX upload) links zlib, found through pkg-config.
packages=(rabbitmq-server librabbitmq-dev zlib1g-dev pkg-config postgresql curl chromium chromium-driver)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# Python tools in a virtual environment of the project's (pinned, from PyPI): schemathesis, which tests partner-api
# against its OpenAPI document, and openapi-schema-validator, which checks what crosses the wire to GetAccept.
python_tools() {
    local venv=${AVTAL_VENV:-$HOME/.cache/avtalsflode/venv}
    local wanted=(schemathesis==4.32.5 openapi-schema-validator==0.9.0)
    if [ -x "$venv/bin/pip" ] && "$venv/bin/pip" freeze 2>/dev/null | grep -qx "schemathesis==4.32.5" \
        && "$venv/bin/pip" freeze 2>/dev/null | grep -qx "openapi-schema-validator==0.9.0"; then
        return 0
    fi
    echo "installing ${wanted[*]} into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "${wanted[@]}"
}

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
