#!/bin/sh
# Builds, once per test run, the trust store every new simulated guest starts from: a copy of this machine's
# /etc/ssl rebuilt with no local CAs. start-guest.sh copies it (GUEST_TRUST_TEMPLATE) instead of rebuilding the
# bundle inside each new guest, which costs ~1-2 s of CPU per guest and kept 30 guests from starting together.
#
# usage: make-trust-template.sh <dir>     (root)      result: <dir>/etc/ssl; kept when it already exists
set -eu

[ $# -eq 1 ] || { echo "usage: $0 <dir>" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "make-trust-template.sh: must run as root (unshare -m, bind mounts)" >&2; exit 2; }
mkdir -p "$1"
DIR=$(cd "$1" && pwd -P)
[ -d "$DIR/etc/ssl" ] && exit 0

WORK="$DIR/building"
rm -rf "$WORK"
mkdir -p "$WORK/etc" "$WORK/local" "$WORK/hooks" /usr/local/share/ca-certificates /etc/ca-certificates/update.d
cp -a /etc/ssl "$WORK/etc/ssl"
# Same rebuild as a guest's first start (start-guest.sh), in a namespace of its own: no local CAs, no hooks.
unshare -m --propagation private -- /bin/sh -eu -c '
  mount --bind "$1/etc/ssl" /etc/ssl
  mount --bind "$1/local" /usr/local/share/ca-certificates
  mount --bind "$1/hooks" /etc/ca-certificates/update.d
  update-ca-certificates --fresh >/dev/null 2>&1 || { echo "make-trust-template.sh: update-ca-certificates failed" >&2; exit 1; }
' make-trust-template "$WORK"
mkdir -p "$DIR/etc"
mv "$WORK/etc/ssl" "$DIR/etc/ssl"
rm -rf "$WORK"
