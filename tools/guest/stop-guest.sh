#!/bin/sh
# Stops a guest started by start-guest.sh: every process in the guest's mount namespace (sshd, ssh sessions,
# nginx, ...). Safe to run twice or after the sshd PID was already killed.   usage: stop-guest.sh <dir>
set -eu
[ $# -eq 1 ] || { echo "usage: $0 <dir>" >&2; exit 2; }
DIR=$1
[ -s "$DIR/mntns" ] || exit 0
NS=$(cat "$DIR/mntns")
pids() {
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$NS" ] && echo "${p#/proc/}"
  done
  return 0
}
P=$(pids)
[ -n "$P" ] && kill $P 2>/dev/null || true
i=0
while [ -n "$(pids)" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
P=$(pids)
[ -n "$P" ] && kill -9 $P 2>/dev/null || true
rm -f "$DIR/mntns"
