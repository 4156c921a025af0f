#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine:
#   1. `docker-compose config -q` (Debian's docker-compose 1.29, installed here if missing) must accept the file,
#      and must reject a deliberately broken copy of it (so a silent validator cannot pass everything);
#   2. the deployment's invariants, checked on the rendered config: no auto-setup image, every image pinned,
#      temporalio/ui >= 2.34.6, server and admin-tools from one release, inventory and secrets read-only,
#      secrets only from git-ignored files under deploy/secrets/, no database password in any environment,
#      postgres healthcheck, schema and namespace one-shots wired with the right conditions, one network,
#      only 7233, 8080, 8742 and 9090 published and on 127.0.0.1 by default, the Temporal UI's write actions
#      disabled, Prometheus pinned with deploy/prometheus mounted read-only, its config and rules in place and its
#      metrics token the worker's, bind-mount sources present, scripts parse; the port, UI and Prometheus checks
#      must also reject deliberately insecure copies (UI writes enabled again, the UI or Prometheus published
#      beyond loopback, Prometheus' config mounted writable), for the same reason as in 1.
# Usage: .ci/check-compose.sh [--require-secrets]   (also check that every secret file exists and is not empty)
set -euo pipefail

cd "$(dirname "$0")/.."
REQUIRE_SECRETS=false
for arg in "$@"; do
  case "$arg" in
    --require-secrets) REQUIRE_SECRETS=true ;;
    *) echo "usage: $0 [--require-secrets]" >&2; exit 2 ;;
  esac
done

if ! command -v docker-compose >/dev/null 2>&1; then
  echo "check-compose: installing Debian's docker-compose"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
fi
echo "check-compose: $(docker-compose version --short 2>/dev/null || docker-compose version | head -1)"

# Interpolate with the file's own defaults, whatever this shell happens to export.
unset POSTGRES_USER TEMPORAL_NAMESPACE TEMPORAL_NAMESPACE_RETENTION TEMPORAL_LOG_LEVEL TEMPORAL_CORS_ORIGINS \
      PHOENIX_BIND_ADDRESS TEMPORAL_PORT TEMPORAL_UI_PORT PROMETHEUS_PORT PROMETHEUS_RETENTION COMPOSE_FILE \
      COMPOSE_PROJECT_NAME 2>/dev/null || true

# 1. Schema validation by docker-compose itself.
docker-compose -f docker-compose.yml config -q
echo "check-compose: docker-compose config accepts docker-compose.yml"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# The copy gains one service with a depends_on condition that the Compose schema does not know.
sed '/^services:[[:space:]]*$/a\
  zz-broken-by-check:\
    image: busybox:1.36\
    depends_on:\
      postgresql:\
        condition: service_finished_somehow' docker-compose.yml > "$tmp/docker-compose.yml"
if cmp -s docker-compose.yml "$tmp/docker-compose.yml"; then
  echo "check-compose: FAIL: could not break a copy (no top-level services: line?)" >&2
  exit 1
fi
if docker-compose -f "$tmp/docker-compose.yml" --project-directory "$PWD" config -q 2>"$tmp/err"; then
  echo "check-compose: FAIL: docker-compose accepted a broken file, so its verdict proves nothing" >&2
  exit 1
fi
echo "check-compose: docker-compose config rejects a broken copy ($(grep -o 'contains "[^"]*"' "$tmp/err" | head -1))"

docker-compose -f docker-compose.yml config > "$tmp/rendered.yml"

# Copies the security invariants below must reject, each rendered like the real file: label, then the sed edit.
broken=()
n=0
while IFS='|' read -r label edit; do
  n=$((n + 1))
  sed "$edit" docker-compose.yml > "$tmp/insecure-$n.yml"
  if cmp -s docker-compose.yml "$tmp/insecure-$n.yml"; then
    broken+=("$label=")   # the edit matched nothing: reported below, after the real file's own verdict
    continue
  fi
  docker-compose -f "$tmp/insecure-$n.yml" --project-directory "$PWD" config > "$tmp/insecure-$n.rendered.yml"
  broken+=("$label=$tmp/insecure-$n.rendered.yml")
done <<'EDITS'
UI write actions enabled|s/^\( *TEMPORAL_DISABLE_WRITE_ACTIONS:\) "true"$/\1 "false"/
the UI's terminate button back|/^ *TEMPORAL_WORKFLOW_TERMINATE_DISABLED:/d
the UI on every address|s/"${PHOENIX_BIND_ADDRESS:-127.0.0.1}:${TEMPORAL_UI_PORT/"0.0.0.0:${TEMPORAL_UI_PORT/
Prometheus on every address|s/"${PHOENIX_BIND_ADDRESS:-127.0.0.1}:${PROMETHEUS_PORT/"0.0.0.0:${PROMETHEUS_PORT/
Prometheus' config writable|s#^\( *- ./deploy/prometheus:/etc/prometheus\):ro$#\1#
EDITS

# 2. Invariants (python3-yaml comes with docker-compose).
REQUIRE_SECRETS="$REQUIRE_SECRETS" python3 - "$tmp/rendered.yml" docker-compose.yml "${broken[@]}" <<'PY'
import os, re, subprocess, sys
import yaml

rendered_path, raw_path = sys.argv[1], sys.argv[2]
cfg = yaml.safe_load(open(rendered_path))
raw = open(raw_path).read()
services = cfg.get("services", {})
errors = []

def err(msg):
    errors.append(msg)

def version_tuple(v):
    return tuple(int(x) for x in re.findall(r"\d+", v))

# -- images ---------------------------------------------------------------------------------------------------
code = "\n".join(line.split("#", 1)[0] for line in raw.splitlines())
if "auto-setup" in code:
    err("the deprecated temporalio/auto-setup image (auto-setup outside a comment) is in docker-compose.yml")
images = {}
for name, svc in services.items():
    image = svc.get("image")
    if not image and "build" not in svc:
        err(f"{name}: neither image nor build")
        continue
    if not image:
        continue
    images[name] = image
    if "auto-setup" in image:
        err(f"{name}: {image} is the deprecated auto-setup image")
    ref = image.split("@", 1)[0]
    last = ref.rsplit("/", 1)[-1]
    if "@sha256:" in image:
        continue
    if ":" not in last:
        err(f"{name}: image {image} has no tag (pin one)")
    elif last.split(":", 1)[1] in ("latest", "edge", "main", "master", "nightly"):
        err(f"{name}: image {image} uses a moving tag")

def repo_and_tag(image):
    ref = image.split("@", 1)[0]
    repo, _, tag = ref.rpartition(":") if ":" in ref.rsplit("/", 1)[-1] else (ref, "", "")
    return repo, tag

ui = [repo_and_tag(i)[1] for i in images.values() if repo_and_tag(i)[0] == "temporalio/ui"]
if not ui:
    err("no temporalio/ui service")
for tag in ui:
    if not re.fullmatch(r"v?\d+\.\d+\.\d+", tag) or version_tuple(tag) < (2, 34, 6):
        err(f"temporalio/ui:{tag} is not a release >= 2.34.6 (activity summaries need 2.34.6)")

server = [repo_and_tag(i)[1] for i in images.values() if repo_and_tag(i)[0] == "temporalio/server"]
admin = [repo_and_tag(i)[1] for i in images.values() if repo_and_tag(i)[0] == "temporalio/admin-tools"]
if len(set(server)) != 1:
    err(f"expected exactly one temporalio/server version, found {sorted(set(server))}")
if not admin:
    err("no temporalio/admin-tools service (schema setup and namespace creation)")
for tag in set(admin):
    if server and tag.split("-", 1)[0] != server[0]:
        err(f"temporalio/admin-tools:{tag} is not from the server's release {server[0]}")

# -- postgres ---------------------------------------------------------------------------------------------------
pg = [n for n, i in images.items() if repo_and_tag(i)[0] == "postgres"]
if len(pg) != 1:
    err(f"expected one postgres service, found {pg}")
else:
    pgs = services[pg[0]]
    if repo_and_tag(images[pg[0]])[1].split(".")[0] != "16":
        err(f"{pg[0]}: postgres major version is not 16")
    test = (pgs.get("healthcheck") or {}).get("test")
    test_s = " ".join(test) if isinstance(test, list) else str(test or "")
    if "pg_isready" not in test_s:
        err(f"{pg[0]}: no pg_isready healthcheck")
    if not any(str(v).split(":")[0] in cfg.get("volumes", {}) for v in pgs.get("volumes", [])):
        err(f"{pg[0]}: data is not on a named volume")
    if "POSTGRES_PASSWORD_FILE" not in (pgs.get("environment") or {}):
        err(f"{pg[0]}: password does not come from a secret file (POSTGRES_PASSWORD_FILE)")

# -- no plaintext database password in any environment -----------------------------------------------------------
for name, svc in services.items():
    for key in (svc.get("environment") or {}):
        if key in ("POSTGRES_PASSWORD", "POSTGRES_PWD", "SQL_PASSWORD", "PGPASSWORD"):
            err(f"{name}: {key} is set in the environment; read it from the postgres_password secret")

# -- one-shot wiring ----------------------------------------------------------------------------------------------
def cond(svc, dep):
    d = services.get(svc, {}).get("depends_on") or {}
    if isinstance(d, list):
        return "service_started" if dep in d else None
    return (d.get(dep) or {}).get("condition")

def needs(svc, dep, condition):
    got = cond(svc, dep)
    if got != condition:
        err(f"{svc}: depends_on {dep} should be {condition}, is {got}")

for svc, dep, c in [
    ("temporal-admin-tools", "postgresql", "service_healthy"),
    ("temporal", "temporal-admin-tools", "service_completed_successfully"),
    ("temporal-create-namespace", "temporal", "service_healthy"),
    ("temporal-ui", "temporal", "service_healthy"),
    ("phoenix-certs-worker", "temporal-create-namespace", "service_completed_successfully"),
]:
    needs(svc, dep, c)
for one_shot in ("temporal-admin-tools", "temporal-create-namespace"):
    if str(services.get(one_shot, {}).get("restart", "no")) != "no":
        err(f"{one_shot}: a one-shot job must have restart: \"no\"")
if "temporal-sql-tool" not in open("deploy/temporal/scripts/setup-schema.sh").read():
    err("setup-schema.sh does not run temporal-sql-tool")
t = services.get("temporal", {})
tenv = t.get("environment") or {}
for k, v in {"DB": "postgres12", "POSTGRES_SEEDS": "postgresql", "DB_PORT": "5432"}.items():
    if str(tenv.get(k)) != v:
        err(f"temporal: {k} should be {v}, is {tenv.get(k)}")
dyn = str(tenv.get("DYNAMIC_CONFIG_FILE_PATH", ""))
if not any(str(v).endswith(":ro") and str(v).split(":")[1] == os.path.dirname(dyn) for v in t.get("volumes", [])):
    err("temporal: the dynamic config directory is not mounted read-only where DYNAMIC_CONFIG_FILE_PATH points")
if not t.get("healthcheck"):
    err("temporal: no healthcheck (create-namespace and the UI wait on it)")

# -- worker: inventory and secrets read-only -------------------------------------------------------------------------
w = services.get("phoenix-certs-worker")
if not w:
    err("no phoenix-certs-worker service")
else:
    wenv = w.get("environment") or {}
    if wenv.get("TEMPORAL_ADDRESS") != "temporal:7233" or not wenv.get("TEMPORAL_NAMESPACE"):
        err("phoenix-certs-worker: TEMPORAL_ADDRESS/TEMPORAL_NAMESPACE not set for the compose Temporal")
    inv = wenv.get("PHOENIX_INVENTORY")
    mounts = [str(v) for v in w.get("volumes", [])]
    inv_mounts = [m for m in mounts if m.split(":")[1:2] == [inv]]
    if not inv or not inv_mounts:
        err("phoenix-certs-worker: PHOENIX_INVENTORY is not a mounted file")
    for m in inv_mounts:
        if not m.endswith(":ro"):
            err(f"phoenix-certs-worker: inventory mount {m} is not read-only")
    for m in mounts:
        if m.split(":")[1:2] and m.split(":")[1].startswith(("/etc/", "/run/secrets")) and not m.endswith(":ro"):
            err(f"phoenix-certs-worker: configuration mount {m} is not read-only")
    wsecrets = {s["source"] if isinstance(s, dict) else s for s in w.get("secrets", [])}
    for s in ("provisioner_password", "ssh_identity", "ssh_known_hosts"):
        if s not in wsecrets:
            err(f"phoenix-certs-worker: secret {s} is not mounted")
    if w.get("command") != ["run"]:
        err(f"phoenix-certs-worker: command should be [\"run\"], is {w.get('command')}")
    if not any(str(v).split(":")[0] in cfg.get("volumes", {}) and str(v).split(":")[1] == "/var/lib/phoenix-certs"
               for v in w.get("volumes", [])):
        err("phoenix-certs-worker: /var/lib/phoenix-certs is not on a named volume")

# Compose file secrets are always bind-mounted read-only; make sure none is smuggled in as a writable volume and
# that every secret comes from a git-ignored file under deploy/secrets/.
repo = os.getcwd()
for name, sec in (cfg.get("secrets") or {}).items():
    f = sec.get("file")
    if not f:
        err(f"secret {name}: not a file secret")
        continue
    rel = os.path.relpath(f, repo)
    if not rel.startswith("deploy/secrets/"):
        err(f"secret {name}: {rel} is outside deploy/secrets/")
    ignored = subprocess.run(["git", "check-ignore", "-q", rel], capture_output=True).returncode == 0
    if os.path.isdir(".git") and not ignored:
        err(f"secret {name}: {rel} is not git-ignored")
    if os.environ.get("REQUIRE_SECRETS") == "true" and (not os.path.isfile(f) or os.path.getsize(f) == 0):
        err(f"secret {name}: {rel} is missing or empty (see deploy/secrets/README.md)")

# -- network and ports ---------------------------------------------------------------------------------------------
nets = {tuple(sorted(svc.get("networks") or ["default"])) for svc in services.values()}
if len(nets) != 1 or len(next(iter(nets))) != 1:
    err(f"services are not all on one network: {nets}")

def port_problems(c):
    problems, published = [], []
    for name, svc in (c.get("services") or {}).items():
        for p in svc.get("ports", []) or []:
            s = (str(p) if not isinstance(p, dict)
                 else f"{p.get('host_ip', '')}:{p.get('published')}:{p.get('target')}")
            parts = s.split(":")
            if len(parts) != 3 or parts[0] != "127.0.0.1":
                problems.append(f"{name}: port {s} is not bound to 127.0.0.1")
            published.append(parts[-1].split("/")[0])
    # Temporal's frontend, its UI, the worker's events endpoint (and /metrics), and Prometheus
    if sorted(published) != ["7233", "8080", "8742", "9090"]:
        problems.append(f"published container ports should be 7233, 8080, 8742 and 9090, are {sorted(published)}")
    return problems

# -- Prometheus: pinned, its config and rules read-only from deploy/prometheus, the worker's metrics token ----------
def prometheus_problems(c):
    problems = []
    svcs = c.get("services") or {}
    proms = [n for n, svc in svcs.items() if repo_and_tag(str(svc.get("image") or ""))[0] == "prom/prometheus"]
    if len(proms) != 1:
        return [f"expected one prom/prometheus service, found {proms}"]
    name = proms[0]
    svc = svcs[name]
    mounts = [str(v) for v in svc.get("volumes", []) or []]
    conf = [m for m in mounts if m.split(":")[1:2] == ["/etc/prometheus"]]
    if len(conf) != 1 or os.path.relpath(conf[0].split(":")[0], os.getcwd()) != "deploy/prometheus":
        problems.append(f"{name}: deploy/prometheus is not mounted at /etc/prometheus ({conf})")
    elif not conf[0].endswith(":ro"):
        problems.append(f"{name}: {conf[0]} is not read-only")
    if not any(m.split(":")[0] in (c.get("volumes") or {}) and m.split(":")[1] == "/prometheus" for m in mounts):
        problems.append(f"{name}: /prometheus (its data) is not on a named volume")
    if "--config.file=/etc/prometheus/prometheus.yml" not in (svc.get("command") or []):
        problems.append(f"{name}: --config.file is not /etc/prometheus/prometheus.yml")
    if "metrics_token" not in {s["source"] if isinstance(s, dict) else s for s in svc.get("secrets", [])}:
        problems.append(f"{name}: the metrics_token secret is not mounted")
    worker_env = env_of(svcs.get("phoenix-certs-worker") or {})
    if worker_env.get("PHOENIX_METRICS_TOKEN_FILE") != "/run/secrets/metrics_token":
        problems.append("phoenix-certs-worker: PHOENIX_METRICS_TOKEN_FILE is not /run/secrets/metrics_token")
    if "metrics_token" not in {s["source"] if isinstance(s, dict) else s
                               for s in (svcs.get("phoenix-certs-worker") or {}).get("secrets", [])}:
        problems.append("phoenix-certs-worker: the metrics_token secret is not mounted")
    return problems

try:
    pconf = yaml.safe_load(open("deploy/prometheus/prometheus.yml"))
    jobs = {j.get("job_name"): j for j in pconf.get("scrape_configs", [])}
    job = jobs.get("phoenix-certs") or {}
    if ((job.get("authorization") or {}).get("credentials_file")) != "/run/secrets/metrics_token":
        err("deploy/prometheus/prometheus.yml: job phoenix-certs does not send /run/secrets/metrics_token")
    targets = [t for sc in job.get("static_configs", []) for t in sc.get("targets", [])]
    if targets != ["phoenix-certs-worker:8742"]:
        err(f"deploy/prometheus/prometheus.yml: job phoenix-certs scrapes {targets}, not phoenix-certs-worker:8742")
    for pattern in pconf.get("rule_files", []):
        import glob
        if not glob.glob(os.path.join("deploy/prometheus", pattern)):
            err(f"deploy/prometheus/prometheus.yml: rule_files {pattern} matches no file")
except Exception as e:
    err(f"deploy/prometheus/prometheus.yml: {e}")

# -- the Temporal UI is read-only ------------------------------------------------------------------------------------
# Whoever reaches the UI must not be able to start, signal, terminate, cancel, reset or batch anything: the CLI
# and the hookscript are the write paths. Names from the image's config template (temporalio/ui
# server/config/docker.yaml). The first is the one the UI server enforces (405 for any non-GET API call but
# workflow queries); the others hide the UI's buttons for each write action.
UI_WRITES_DISABLED = (
    "TEMPORAL_DISABLE_WRITE_ACTIONS",
    "TEMPORAL_START_WORKFLOW_DISABLED",
    "TEMPORAL_WORKFLOW_SIGNAL_DISABLED",
    "TEMPORAL_WORKFLOW_UPDATE_DISABLED",
    "TEMPORAL_WORKFLOW_TERMINATE_DISABLED",
    "TEMPORAL_WORKFLOW_CANCEL_DISABLED",
    "TEMPORAL_WORKFLOW_RESET_DISABLED",
    "TEMPORAL_BATCH_ACTIONS_DISABLED",
    "TEMPORAL_ACTIVITY_COMMANDS_DISABLED",
)

def env_of(svc):
    env = svc.get("environment") or {}
    if isinstance(env, list):
        env = dict(e.split("=", 1) if "=" in e else (e, None) for e in env)
    return env

def ui_write_problems(c):
    problems = []
    uis = [n for n, svc in (c.get("services") or {}).items()
           if repo_and_tag(str(svc.get("image") or ""))[0] == "temporalio/ui"]
    for name in uis:
        env = env_of(c["services"][name])
        for key in UI_WRITES_DISABLED:
            if str(env.get(key)).lower() != "true":
                problems.append(f"{name}: {key} should be \"true\" (the UI is read-only), is {env.get(key)}")
    return problems

for e in port_problems(cfg) + ui_write_problems(cfg) + prometheus_problems(cfg):
    err(e)

# The same checks must reject each deliberately insecure copy the shell rendered, or their verdict proves nothing.
rejected = []
for arg in sys.argv[3:]:
    label, path = arg.split("=", 1)
    if not path:
        err(f"could not make a copy with {label}: docker-compose.yml lacks the line the self-test edits "
            "(changed form, or already in that state)")
        continue
    copy = yaml.safe_load(open(path))
    found = port_problems(copy) + ui_write_problems(copy) + prometheus_problems(copy)
    if found:
        rejected.append(f"{label} ({found[0]})")
    else:
        err(f"the invariants accept a copy with {label}, so their verdict proves nothing")

# -- bind-mount sources ---------------------------------------------------------------------------------------------
for name, svc in services.items():
    for v in svc.get("volumes", []) or []:
        src = str(v).split(":")[0]
        if src.startswith("/") and not os.path.exists(src):
            err(f"{name}: bind-mount source {os.path.relpath(src, repo)} does not exist")
dyn_local = "deploy/temporal/dynamicconfig/development-sql.yaml"
try:
    if not isinstance(yaml.safe_load(open(dyn_local)), dict):
        err(f"{dyn_local} is not a YAML mapping")
except Exception as e:
    err(f"{dyn_local}: {e}")

for e in errors:
    print(f"check-compose: FAIL: {e}", file=sys.stderr)
if errors:
    sys.exit(1)
print(f"check-compose: invariants hold for {len(services)} services: " + ", ".join(
    f"{n}={images.get(n, 'build')}" for n in services))
for r in rejected:
    print(f"check-compose: invariants reject a copy with {r}")
PY

for s in deploy/temporal/scripts/*.sh; do
  sh -n "$s" || { echo "check-compose: FAIL: $s does not parse" >&2; exit 1; }
done
echo "check-compose: OK"
