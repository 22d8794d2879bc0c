#!/usr/bin/env bash
# npm run test:image: builds the FJC image (infra/image/build.sh: podman, a cached Debian minbase
# base, the built dist and a production-only install) and runs test/deploy/image against the
# local stack (brought up or reused, as npm test does): the migration step and the four services
# as containers, a spec applied through them running in Flink, SIGTERM stopping them cleanly.
# Needs root on Debian (podman, buildah, runc, mmdebstrap are installed with apt-get when missing).
# Removes the containers and the image it made; keeps the cached base (FJC_CACHE_DIR/images).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$FJC_HOME"
started=$SECONDS

ensure_installed
before="$(running_components)"
image="localhost/fjc:image-test-$$"
cleanup() {
  local rc=$?
  podman rmi -f "$image" >/dev/null 2>&1 || true
  stop_started_components "$before"
  log test "image test finished in $((SECONDS - started))s with exit code $rc"
  exit $rc
}
trap cleanup EXIT

bash infra/stack up
load_stack_env
export NX_TUI=false NX_DAEMON=false
log test "build of every project (the image takes their dist)"
npx nx run-many -t build --outputStyle=static
FJC_IMAGE="$image" bash infra/image/build.sh >/dev/null
podman image inspect --format "image $image: {{.Size}} bytes" "$image" >&2
export FJC_IMAGE_UNDER_TEST="$image"
npx jest -c test/deploy/jest.image.config.js --runInBand
