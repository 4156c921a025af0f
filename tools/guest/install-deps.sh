#!/bin/sh
# Installs what tools/guest/start-guest.sh needs (Debian 12). Idempotent, non-interactive, needs root.
# Leaves no system sshd/nginx running or enabled: services are blocked from starting during the install
# (policy-rc.d) and then stopped/disabled in case they were started anyway.
set -eu

# perl: JSON::PP for the stand-in qm (tools/guest/pve); perl-base alone lacks it.
# pebble: Let's Encrypt's test ACME server and its pebble-challtestsrv (the DNS the acme issuer's tests resolve with).
# prometheus: the metrics tests start it on loopback and run its promtool on deploy/prometheus.
# chromium: the audit test loads the HTML report headless; iproute2: ss, which the audit's ports source runs;
# lego: obtains the certificates of the audit's Traefik acme.json over ACME, as Traefik does.
PKGS="openssh-server openssh-client ca-certificates nginx-light util-linux mount openssl curl procps perl pebble prometheus chromium iproute2 lego"

missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done

if [ -n "$missing" ]; then
  # Block service starts during install unless a policy already exists (e.g. Docker images ship one).
  added_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    added_policy=1
  fi
  trap 'if [ -n "$added_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi' EXIT
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing
fi

# Make sure no system-wide instance runs or starts at boot (harmless when there is no systemd).
for svc in ssh nginx prometheus; do
  if [ -d /run/systemd/system ]; then
    systemctl disable --now "$svc" >/dev/null 2>&1 || true
    [ "$svc" = ssh ] && systemctl disable --now ssh.socket >/dev/null 2>&1 || true
  else
    service "$svc" stop >/dev/null 2>&1 || true
    update-rc.d "$svc" disable >/dev/null 2>&1 || true
  fi
done
# Fallback: kill daemons started from the system configs only (guests use their own -f/-c config).
for pidf in /run/sshd.pid /run/nginx.pid; do
  if [ -s "$pidf" ]; then kill "$(cat "$pidf")" 2>/dev/null || true; rm -f "$pidf"; fi
done

# Privilege-separation dir needed by every sshd, including the guests' ones.
mkdir -p /run/sshd && chmod 755 /run/sshd

echo "guest deps OK: $(/usr/sbin/sshd -V 2>&1 | head -1); $(/usr/sbin/nginx -v 2>&1); $(command -v pebble);" \
  "$(promtool --version 2>&1 | head -1)"
