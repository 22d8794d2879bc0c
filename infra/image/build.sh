#!/usr/bin/env bash
# Builds the FJC image (infra/image/Containerfile) with podman, offline:
# 1. the tools: podman, buildah, runc and mmdebstrap from Debian's packages (installed with
#    apt-get when missing and we are root; a clear error otherwise);
# 2. the base: a Debian 12 minbase root file system with tini and ca-certificates, made once by
#    mmdebstrap and cached as $FJC_CACHE_DIR/images/debian-bookworm-minbase-tini-slim.tar, imported as
#    localhost/fjc-base:bookworm;
# 3. the context: the built dist of every library, service, the CLI and the web console (run the build first), a
#    production-only `npm ci --omit=dev` (cached per package-lock.json) and the pinned node binary.
# Prints the image reference on stdout. Env: FJC_IMAGE (default localhost/fjc:<version>).
set -euo pipefail
shopt -s inherit_errexit
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
cd "$FJC_HOME"

BASE_REF=localhost/fjc-base:bookworm
IMAGE_CACHE="$FJC_CACHE_DIR/images"
BASE_TAR="$IMAGE_CACHE/debian-bookworm-minbase-tini-slim.tar"
mkdir -p "$IMAGE_CACHE"

ensure_tools() {
  local missing=() t
  for t in podman buildah runc mmdebstrap; do command -v "$t" >/dev/null || missing+=("$t"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
    || die image "missing ${missing[*]}: install podman, buildah, runc and mmdebstrap (Debian: apt-get install podman buildah runc mmdebstrap) or run as root on Debian"
  log image "installing ${missing[*]} with apt-get"
  # A fresh machine may have no package lists yet: update once when the first try fails.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman buildah runc mmdebstrap >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman buildah runc mmdebstrap >/dev/null; } \
    || die image "apt-get install podman buildah runc mmdebstrap failed"
}

ensure_base() {
  if [ ! -f "$BASE_TAR" ]; then
    # mmdebstrap picks its output format by the name's extension: the temporary name ends in .tar too.
    local tmp="$IMAGE_CACHE/.partial-$(basename "$BASE_TAR")"
    rm -rf "$tmp"
    log image "making the Debian 12 minbase base with mmdebstrap (once; cached in $BASE_TAR)"
    # No manuals, documentation (but the copyright files) or translations: nobody reads them here.
    mmdebstrap --quiet --variant=minbase --include=tini,ca-certificates \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-include=/usr/share/doc/*/copyright' bookworm "$tmp" \
      || die image "mmdebstrap failed"
    mv "$tmp" "$BASE_TAR"
  fi
  local want
  want="$(sha256sum "$BASE_TAR" | cut -c1-16)"
  # The tag carries the tar's digest, so a new tar is imported again.
  if ! podman image exists "$BASE_REF-$want"; then
    log image "importing the base image"
    podman import --quiet "$BASE_TAR" "$BASE_REF-$want" >/dev/null || die image "podman import of $BASE_TAR failed"
  fi
  echo "$BASE_REF-$want"
}

# The production node_modules for this lockfile: workspace links plus runtime dependencies only.
prod_modules() {
  local key dir ws
  key="$( (cat package-lock.json; node -p 'process.versions.node') | sha256sum | cut -c1-16)"
  dir="$IMAGE_CACHE/prod-modules-$key"
  if [ ! -d "$dir/node_modules" ]; then
    log image "production install (npm ci --omit=dev), cached in $dir"
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    cp package.json package-lock.json "$dir.tmp/"
    for ws in libs/* services/* tools/* test; do
      [ -f "$ws/package.json" ] || continue
      mkdir -p "$dir.tmp/$ws" && cp "$ws/package.json" "$dir.tmp/$ws/"
    done
    (cd "$dir.tmp" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2) \
      || die image "npm ci --omit=dev failed"
    # Type declarations, source maps and docs are not run.
    find "$dir.tmp/node_modules" -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' -o -name '*.md' \) -delete
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
  fi
  echo "$dir/node_modules"
}

stage_context() {
  local ctx="$1" modules="$2" ws
  rm -rf "$ctx" && mkdir -p "$ctx/app/infra/image"
  cp -L "$(command -v node)" "$ctx/node"
  cp package.json "$ctx/app/"
  cp -a "$modules" "$ctx/node_modules"
  for ws in libs/* services/* tools/* test; do
    [ -f "$ws/package.json" ] || continue
    mkdir -p "$ctx/app/$ws" && cp "$ws/package.json" "$ctx/app/$ws/"
    case "$ws" in libs/testing|test) continue ;; esac
    [ -d "$ws/dist" ] || die image "$ws/dist is missing: build first (npx nx run-many -t build)"
    # The compiled JavaScript only: no type declarations, source maps or tests. The web console's
    # dist is a browser bundle (index.html, hashed script and stylesheet) the spec-service serves
    # at /: all of it.
    if [ "$ws" = libs/console ]; then
      cp -a "$ws/dist" "$ctx/app/$ws/"
    else
      (cd "$ws" && find dist -type f -name '*.js' ! -name '*.spec.js' ! -path '*/testing/*' -print0 \
        | xargs -0 cp --parents -t "$FJC_HOME/$ctx/app/$ws/")
    fi
    [ -d "$ws/bin" ] && cp -a "$ws/bin" "$ctx/app/$ws/"
  done
  cp infra/image/entrypoint.js infra/image/healthcheck.js "$ctx/app/infra/image/"
  # Nothing writable by the runtime user, no build-time timestamps leaking into layers.
  chmod -R a-w,a+rX "$ctx/app" "$ctx/node_modules"
}

ensure_tools
base="$(ensure_base)"
version="$(node -p 'require("./package.json").version')"
revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
source_url="$(git config --get remote.origin.url 2>/dev/null || echo "$FJC_HOME")"
image="${FJC_IMAGE:-localhost/fjc:$version}"
ctx=".stack/image-context"
stage_context "$ctx" "$(prod_modules)"
log image "building $image from $base"
epoch="$(git log -1 --format=%ct 2>/dev/null || echo 0)"
podman build --quiet --format docker --pull=never --network=none --timestamp "$epoch" \
  --build-arg BASE="$base" --build-arg VERSION="$version" --build-arg REVISION="$revision" \
  --build-arg SOURCE="$source_url" --build-arg CREATED="$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)" \
  -f infra/image/Containerfile -t "$image" "$ctx" >/dev/null || die image "podman build failed"
chmod -R u+w "$ctx" && rm -rf "$ctx"
log image "built $image ($(podman image inspect --format '{{.Size}}' "$image") bytes)"
echo "$image"
