#!/usr/bin/env bash
# Builds a real step-ca server binary offline from Debian's Go sources.
# Usage: build.sh [output-path]   (default: ${STEP_CA_BIN:-$HOME/.cache/phoenix-certs/step-ca})
# Idempotent: skips the build when the binary exists and is newer than main.go.
# The last line on stdout is the binary's path; everything else goes to stderr.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-${STEP_CA_BIN:-$HOME/.cache/phoenix-certs/step-ca}}"
# golang-go: the compiler; the -dev package: step-ca 0.19.0 sources and all Go deps under /usr/share/gocode;
# gcc + libc6-dev + libzstd-dev + pkgconf: cgo for github.com/DataDog/zstd (pulled in by badger).
packages=(golang-go golang-github-smallstep-certificates-dev gcc libc6-dev libzstd-dev pkgconf)

if [[ -x "$out" && "$out" -nt "$here/main.go" ]]; then
  echo "$out"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if (( ${#missing[@]} )); then
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo -n"
  echo "installing ${missing[*]}" >&2
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
    || { $sudo apt-get update -q >&2 && $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; }
fi

gopath="$(mktemp -d)"
trap 'rm -rf "$gopath"' EXIT
mkdir -p "$gopath/src/phoenix-step-ca" "$(dirname "$out")"
cp "$here/main.go" "$gopath/src/phoenix-step-ca/"
echo "building step-ca into $out" >&2
(cd "$gopath/src/phoenix-step-ca" &&
  GO111MODULE=off GOPATH="$gopath:/usr/share/gocode" GOFLAGS= CGO_CFLAGS="-Wno-deprecated-declarations" \
  go build -o "$out.tmp.$$" . >&2)
mv -f "$out.tmp.$$" "$out"
echo "$out"
