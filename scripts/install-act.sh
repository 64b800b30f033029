#!/usr/bin/env bash
# Installs nektos/act (an independent implementation of the GitHub runner) into .cache/bin/act,
# built from source with `go install` from the Go module proxy. Idempotent: does nothing when the
# pinned version is already there. Used by .ci/run and test/integration/runner-act.test.ts.
#
# v0.2.81 is the first release whose action.yml check accepts `runs.using: node24`
# (nektos/act#5883); we pin a later one.
set -euo pipefail
ACT_VERSION="${ACT_VERSION:-v0.2.88}"
cd "$(dirname "$0")/.."
bin_dir="$PWD/.cache/bin"
act="$bin_dir/act"

if [ -x "$act" ] && [ "$("$act" --version 2>/dev/null)" = "act version ${ACT_VERSION#v}" ]; then
  echo "act ${ACT_VERSION} already installed: $act"
  exit 0
fi
command -v go >/dev/null || { echo "install-act: Go is required (go install github.com/nektos/act@${ACT_VERSION})." >&2; exit 1; }
mkdir -p "$bin_dir"
echo "install-act: building github.com/nektos/act@${ACT_VERSION} into $bin_dir (a few minutes on a cold cache)"
# GOTOOLCHAIN=auto unless set: an older Go fetches the toolchain act's go.mod asks for.
build() { GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOBIN="$bin_dir" nice -n 19 go install "github.com/nektos/act@${ACT_VERSION}"; }
if ! build; then
  # As .ci/run does for the control plane: some machines cannot reach the checksum database.
  echo "install-act: go install failed; retrying without the checksum database (GONOSUMDB)" >&2
  GONOSUMDB='*' build
fi
"$act" --version
