#!/usr/bin/env bash
# Build target/fjc-test-job.jar (and target/fjc-test-job.jar.sha256, hex only) when the sources
# or the pom changed since the last build, or the jar is missing. Prints the jar path on stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$here/../lib/common.sh"

jar="$here/target/fjc-test-job.jar"
stamp="$here/target/.sources.sha256"

# One checksum over pom.xml and every file under src/, by relative path and content.
sources_sum() {
  (cd "$here" && find pom.xml src -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

sum="$(sources_sum)"
if [ -f "$jar" ] && [ -f "$jar.sha256" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
  log test-job "up to date: $jar"
else
  log test-job "building $jar"
  rm -f "$stamp" "$jar.sha256"
  mvn_quiet -f "$here/pom.xml" package || die test-job "maven build failed (see $FJC_LOG_DIR/maven.log)"
  [ -f "$jar" ] || die test-job "build produced no $jar"
  sha256sum "$jar" | cut -d' ' -f1 > "$jar.sha256"
  echo "$sum" > "$stamp"
  log test-job "built $jar sha256 $(cat "$jar.sha256")"
fi
echo "$jar"
