#!/usr/bin/env bash
# Installs the Debian packages the system needs, only those missing, so a second run is quick.
set -euo pipefail
packages=(rabbitmq-server librabbitmq-dev postgresql libpq-dev curl)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
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
exit 0
