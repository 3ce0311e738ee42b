#!/usr/bin/env bash
# `make images`: one OCI image per service (and the sandbox, and avtalctl), built with Debian's buildah (no daemon, the
# vfs storage driver) on a base made from Debian 12's own packages by mmdebstrap — only the shared libraries the
# binaries need, no shell, no package manager, no compiler — then proved: each image's root filesystem is unpacked and
# its binary started in it under chroot, as the image's non-root user, against the test stack's PostgreSQL and
# RabbitMQ, until /ready answers 200. Images land in .run/images/<name>.tar (OCI archives, for `kind load` or a
# registry push); each one's size is printed. docs/deploy.md, "Images".
source "$(dirname "$0")/common.sh" test
"$ROOT/deploy/install-deps.sh"

# A build folder of its own: the static runtime changes the build's parameters, so sharing the benchmarks' folder
# (dynamic runtime) rebuilt everything each time one followed the other.
RELEASE_DIR=${IMAGES_RELEASE_DIR:-$HOME/.cache/avtalsflode/release-static}
OUT="$ROOT/.run/images"
WORK="$ROOT/.run/images-work"
TAG=${IMAGE_TAG:-dev}
STORAGE=(--storage-driver vfs)
# What the binaries link besides the Swift runtime, which is linked in statically (--static-swift-stdlib):
# rabbitmq-c (and the OpenSSL it uses), zlib (ZIPFoundation), libxml2 (FoundationXML: the form's XLSX upload) and
# ICU under it, the C++ runtime; ca-certificates for HTTPS to the third parties, tzdata for Europe/Stockholm.
PACKAGES=libc6,libgcc-s1,libstdc++6,librabbitmq4,libssl3,zlib1g,libxml2,ca-certificates,tzdata
SERVICES=(partner-api webbavtal kontroll signering foa gordis-export)
UID_GID=65532

log "release build (static Swift runtime) in $RELEASE_DIR"
touch "$ROOT"/Services/*/main.swift
swift build --package-path "$ROOT" --scratch-path "$RELEASE_DIR" -c release --static-swift-stdlib 2>&1 | { grep -E "error:" || true; } >&2
BIN=$(swift build --package-path "$ROOT" --scratch-path "$RELEASE_DIR" -c release --show-bin-path)

rm -rf "$WORK" && mkdir -p "$WORK" "$OUT"
log "base root filesystem from Debian 12's packages: $PACKAGES"
mmdebstrap --quiet --variant=extract --include="$PACKAGES" bookworm "$WORK/rootfs" >&2
# Documentation, manuals and translations are not needed to run; the CA bundle is what update-ca-certificates would
# have made (the extract variant runs no maintainer script).
rm -rf "$WORK/rootfs"/usr/share/{doc,man,info,locale,lintian} "$WORK/rootfs"/var/cache/* "$WORK/rootfs"/var/lib/{apt,dpkg}
cp /etc/ssl/certs/ca-certificates.crt "$WORK/rootfs/etc/ssl/certs/ca-certificates.crt"
mkdir -p "$WORK/rootfs/tmp" && chmod 1777 "$WORK/rootfs/tmp"
printf 'avtal:x:%s:%s::/nonexistent:/usr/sbin/nologin\n' $UID_GID $UID_GID >>"$WORK/rootfs/etc/passwd"
printf 'avtal:x:%s:\n' $UID_GID >>"$WORK/rootfs/etc/group"
for shell in "$WORK/rootfs"/bin/sh "$WORK/rootfs"/bin/bash "$WORK/rootfs"/bin/dash; do
    if [ -e "$shell" ]; then log "the base has a shell ($shell): it should not"; exit 1; fi
done
tar -C "$WORK/rootfs" -cf "$WORK/base.tar" .

build_image() {
    local name=$1
    local container
    container=$(buildah "${STORAGE[@]}" from scratch)
    buildah "${STORAGE[@]}" add "$container" "$WORK/base.tar" / >/dev/null
    # Without the debug information (three quarters of a release binary); the symbol table stays for crash reports.
    strip --strip-debug -o "$WORK/$name" "$BIN/$name"
    buildah "${STORAGE[@]}" copy --chmod 0555 "$container" "$WORK/$name" "/usr/local/bin/$name" >/dev/null
    # SwiftPM's resource bundles (the back office's templates, partner-api's OpenAPI document) sit beside the binary:
    # all four in every image (0.3 MiB), since a service's bundle is also the shared libraries' it links.
    for bundle in "$BIN"/*.resources; do
        buildah "${STORAGE[@]}" copy "$container" "$bundle" "/usr/local/bin/$(basename "$bundle")" >/dev/null
    done
    buildah "${STORAGE[@]}" config --user "$UID_GID:$UID_GID" --workingdir / --entrypoint "[\"/usr/local/bin/$name\"]" --cmd '[]' \
        --env TZ=Europe/Stockholm --label org.opencontainers.image.title="avtalsflode-$name" \
        --label org.opencontainers.image.source=https://github.com/avtalsflode/avtalsflode "$container"
    buildah "${STORAGE[@]}" commit --quiet --rm "$container" "avtalsflode/$name:$TAG" >/dev/null
    rm -f "$OUT/$name.tar"
    buildah "${STORAGE[@]}" push --quiet "avtalsflode/$name:$TAG" "oci-archive:$OUT/$name.tar:avtalsflode/$name:$TAG"
}

for name in "${SERVICES[@]}" sandbox avtalctl; do
    log "image avtalsflode/$name:$TAG"
    build_image "$name"
done

# The proof: each image's root filesystem, unpacked from the image itself, runs its service.
"$ROOT/deploy/postgres.sh" test reset
"$ROOT/deploy/rabbitmq.sh" test reset
cleanup() {
    for pid in $(jobs -p); do kill "$pid" 2>/dev/null || true; done
    for mounted in "$WORK"/mounts/*; do [ -d "$mounted" ] && umount -R "$mounted" 2>/dev/null || true; done
    buildah "${STORAGE[@]}" rm --all >/dev/null 2>&1 || true
    # The images an earlier run left untagged (vfs keeps a whole copy of each layer).
    buildah "${STORAGE[@]}" rmi --prune >/dev/null 2>&1 || true
    "$ROOT/deploy/rabbitmq.sh" test stop || true
    "$ROOT/deploy/postgres.sh" test stop || true
}
trap cleanup EXIT
mkdir -p "$WORK/mounts" "$RUN/logs"
ready() { curl -fsS "http://127.0.0.1:$1/ready" >/dev/null 2>&1; }

start_in_image() {
    local name=$1 port=$2
    local container root
    container=$(buildah "${STORAGE[@]}" from "avtalsflode/$name:$TAG")
    root=$(buildah "${STORAGE[@]}" mount "$container")
    mount -t proc proc "$root/proc" 2>/dev/null || { mkdir -p "$root/proc" && mount -t proc proc "$root/proc"; }
    ln -sfn "$root" "$WORK/mounts/$name"
    # As the image's user, with nothing from the host but the network: its own libraries, certificates and zones.
    env -i AVTAL_ENVIRONMENT=local TZ=Europe/Stockholm HTTP_PORT="$port" ADMIN_PORT=$((port + 1000)) \
        POSTGRES_PORT="$PG_PORT" POSTGRES_USER="avtal_${name//-/_}" POSTGRES_MIGRATION_USER=avtal_owner \
        AMQP_URLS="amqp://guest:guest@127.0.0.1:$AMQP_PORT" REGISTER_URL="http://127.0.0.1:28290" \
        CREDIT_BUREAU_URL="http://127.0.0.1:28290" MAIL_GATEWAY_URL="http://127.0.0.1:28290" XELLENT_URL="http://127.0.0.1:28290" \
        GETACCEPT_URL="http://127.0.0.1:28290/getaccept/v1" \
        /usr/sbin/chroot --userspec=$UID_GID:$UID_GID "$root" "/usr/local/bin/$name" >"$RUN/logs/image-$name.log" 2>&1 &
}

log "starting each image's binary under chroot against the test stack"
start_in_image sandbox 28290
wait_for 60 "sandbox (image) to be ready" ready 29290 || { cat "$RUN/logs/image-sandbox.log" >&2; exit 1; }
port=28280
declare -A ports
for name in "${SERVICES[@]}"; do
    ports[$name]=$port
    start_in_image "$name" "$port"
    port=$((port + 1))
done
failed=0
for name in "${SERVICES[@]}"; do
    if wait_for 120 "$name (image) to be ready" ready $((ports[$name] + 1000)); then
        log "$name: /ready 200 from the image's root filesystem"
    else
        log "$name did not become ready in its image:"; tail -20 "$RUN/logs/image-$name.log" >&2; failed=1
    fi
done
# avtalctl has no server: it must run and answer.
container=$(buildah "${STORAGE[@]}" from "avtalsflode/avtalctl:$TAG")
root=$(buildah "${STORAGE[@]}" mount "$container")
if env -i /usr/sbin/chroot --userspec=$UID_GID:$UID_GID "$root" /usr/local/bin/avtalctl --help >/dev/null; then log "avtalctl: runs in its image"; else failed=1; fi
[ $failed -eq 0 ] || exit 1

log "images (uncompressed size; the OCI archive in $OUT):"
for name in "${SERVICES[@]}" sandbox avtalctl; do
    size=$(buildah "${STORAGE[@]}" images --format '{{.Size}}' "avtalsflode/$name:$TAG" | head -1)
    printf '  %-32s %10s   %s, %s MiB\n' "avtalsflode/$name:$TAG" "$size" "$OUT/$name.tar" "$(($(stat -c %s "$OUT/$name.tar") / 1048576))"
done
