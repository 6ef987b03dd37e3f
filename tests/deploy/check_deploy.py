#!/usr/bin/python3
"""Offline checks of examples/deploy/ (no container engine or cluster needed).

    check_deploy.py HEARTH_BINARY REPO_ROOT

What it proves, against the binary just built:
  - every YAML file parses, each Kubernetes document has the kinds its folder must hold, and the
    compose file has a hearth and a postgres service;
  - probes: readiness on /readyz and liveness on /healthz, on a named port that is the
    container's HTTP port, which is the port HEARTH_LISTEN binds; the real binary answers 200 on
    both paths, and the Dockerfile's HEALTHCHECK command succeeds against it;
  - every HEARTH_* name the files set is one the binary reads (its --help lists them);
  - every ConfigMap, Secret and PersistentVolumeClaim a Deployment uses exists, Services select
    the pods and target named container ports;
  - the SQLite variant is one replica with strategy Recreate and its database on the PVC; the
    PostgreSQL variant has several replicas and a postgresql:// store;
  - the Dockerfile's runtime stage installs exactly the Debian packages that own the shared
    libraries `ldd HEARTH_BINARY` lists (dpkg -S), runs as a non-root user, has a data volume,
    and its build stage installs only packages tools/install_deps.sh names.
Not proven here: that the image builds and runs, or that a cluster accepts the manifests
(kubectl / a schema validator would need the network). Exits 1 naming every failure.
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

try:
    import yaml
except ImportError:
    sys.exit("check_deploy: PyYAML missing: install python3-yaml (tools/install_deps.sh --test)")

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


binary, root = sys.argv[1], sys.argv[2]
deploy = os.path.join(root, "examples", "deploy")


def load(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


# --- The names the binary reads -----------------------------------------------------------------
help_text = ""
for args in (["--help"], ["serve", "--help"]):
    help_text += subprocess.run([binary] + args, capture_output=True, text=True, check=True).stdout
known_env = set(re.findall(r"\bHEARTH_[A-Z0-9_]*[A-Z0-9]\b", help_text))
check(len(known_env) > 30, "hearth --help lists only %d HEARTH_* names" % len(known_env))


def check_env_names(names, where):
    for name in names:
        if name.startswith("HEARTH_"):
            check(name in known_env, "%s sets %s, which hearth does not read" % (where, name))


# --- Kubernetes ---------------------------------------------------------------------------------
k8s = os.path.join(deploy, "kubernetes")
expected_kinds = {
    "secrets.yaml": {"Secret"},
    "postgresql": {"ConfigMap", "Secret", "Deployment", "Service"},
    "sqlite": {"ConfigMap", "PersistentVolumeClaim", "Deployment", "Service"},
}
common = load(os.path.join(k8s, "secrets.yaml"))
check({d.get("kind") for d in common} == expected_kinds["secrets.yaml"], "secrets.yaml kinds")


def port_of(listen):
    return int(listen.rsplit(":", 1)[1])


for variant in ("postgresql", "sqlite"):
    folder = os.path.join(k8s, variant)
    docs = list(common)
    kinds = set()
    for name in sorted(os.listdir(folder)):
        for d in load(os.path.join(folder, name)):
            check(isinstance(d, dict) and "apiVersion" in d and "kind" in d,
                  "%s/%s: a document without apiVersion/kind" % (variant, name))
            kinds.add(d.get("kind"))
            docs.append(d)
    check(kinds == expected_kinds[variant], "%s: kinds %s" % (variant, sorted(kinds)))
    by_kind = {}
    for d in docs:
        by_kind.setdefault(d["kind"], {})[d["metadata"]["name"]] = d
    for kind in ("ConfigMap", "Secret"):
        for name, d in by_kind.get(kind, {}).items():
            check_env_names((d.get("data") or {}).keys(), "%s %s %s" % (variant, kind, name))
            check_env_names((d.get("stringData") or {}).keys(), "%s %s %s" % (variant, kind, name))

    deployments = list(by_kind.get("Deployment", {}).values())
    if not check(len(deployments) == 1, "%s: one Deployment" % variant):
        continue
    dep = deployments[0]
    spec = dep["spec"]
    pod = spec["template"]["spec"]
    labels = spec["template"]["metadata"]["labels"]
    check(spec["selector"]["matchLabels"].items() <= labels.items(), "%s: selector" % variant)
    check(pod.get("securityContext", {}).get("runAsNonRoot") is True, "%s: runAsNonRoot" % variant)
    container = pod["containers"][0]
    env = {}
    for source in container.get("envFrom", []):
        for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
            if key in source:
                ref = source[key]["name"]
                if check(ref in by_kind.get(kind, {}), "%s: %s %s missing" % (variant, kind, ref)):
                    d = by_kind[kind][ref]
                    env.update(d.get("data") or {})
                    env.update(d.get("stringData") or {})
    for e in container.get("env", []):
        env[e["name"]] = e.get("value", "")
    check_env_names(env.keys(), "%s Deployment env" % variant)
    ports = {p["name"]: p["containerPort"] for p in container.get("ports", [])}
    check("HEARTH_LISTEN" in env and ports.get("http") == port_of(env["HEARTH_LISTEN"]),
          "%s: container port http is not the HEARTH_LISTEN port" % variant)
    mllp = env.get("HEARTH_MLLP_TLS_LISTEN", "off")
    if mllp == "off":
        mllp = env.get("HEARTH_MLLP_LISTEN", "off")
    check(mllp != "off" and port_of(mllp) in ports.values(), "%s: no MLLP container port" % variant)
    for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
        get = container.get(probe, {}).get("httpGet", {})
        check(get.get("path") == path, "%s: %s path %s" % (variant, probe, get.get("path")))
        check(get.get("port") == "http", "%s: %s port is not http" % (variant, probe))
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    for v in volumes.values():
        if "secret" in v:
            check(v["secret"]["secretName"] in by_kind.get("Secret", {}),
                  "%s: Secret %s missing" % (variant, v["secret"]["secretName"]))
        if "persistentVolumeClaim" in v:
            check(v["persistentVolumeClaim"]["claimName"] in by_kind.get("PersistentVolumeClaim", {}),
                  "%s: PVC missing" % variant)
    for name, svc in by_kind.get("Service", {}).items():
        check(svc["spec"]["selector"].items() <= labels.items(), "%s: Service selector" % variant)
        for p in svc["spec"]["ports"]:
            check(p["targetPort"] in ports, "%s: Service targets %s" % (variant, p["targetPort"]))
    store = env.get("HEARTH_STORE", "")
    if variant == "sqlite":
        check(spec.get("replicas") == 1, "sqlite: replicas must be 1")
        check(spec.get("strategy", {}).get("type") == "Recreate", "sqlite: strategy must be Recreate")
        check(store.startswith("sqlite:/"), "sqlite: HEARTH_STORE %s" % store)
        data_dir = os.path.dirname(store[len("sqlite:"):])
        mounted = [m for m in container.get("volumeMounts", []) if m["mountPath"] == data_dir]
        check(len(mounted) == 1 and "persistentVolumeClaim" in volumes.get(mounted[0]["name"], {}),
              "sqlite: %s is not on the PersistentVolumeClaim" % data_dir)
    else:
        check(spec.get("replicas", 1) > 1, "postgresql: expected several replicas")
        check(store.startswith("postgresql://"), "postgresql: HEARTH_STORE is not postgresql://")

# --- docker compose -----------------------------------------------------------------------------
compose = load(os.path.join(deploy, "docker-compose.yml"))[0]
services = compose.get("services", {})
check({"hearth", "postgres"} <= services.keys(), "compose: hearth and postgres services")
hearth_env = services.get("hearth", {}).get("environment", {})
check_env_names(hearth_env.keys(), "docker-compose.yml")
check(str(hearth_env.get("HEARTH_STORE", "")).startswith("postgresql://"), "compose: store")

# --- Dockerfile ---------------------------------------------------------------------------------
with open(os.path.join(deploy, "Dockerfile"), encoding="utf-8") as f:
    dockerfile = f.read()
stages = re.split(r"^FROM ", dockerfile, flags=re.M)[1:]
check(len(stages) == 2 and all(s.startswith("debian:12 ") for s in stages),
      "Dockerfile: two stages on debian:12")
build_stage, runtime = stages[0], stages[-1]


def apt_packages(text):
    m = re.search(r"apt-get install -y --no-install-recommends \\\n(.*?)\n \&\&", text, re.S)
    return set(m.group(1).replace("\\", " ").split()) if m else set()


with open(os.path.join(root, "tools", "install_deps.sh"), encoding="utf-8") as f:
    deps = f.read()
deps_list = set(re.search(r"packages=\((.*?)\)", deps, re.S).group(1).split())
built_with = apt_packages(build_stage)
check(built_with and built_with <= deps_list,
      "Dockerfile build stage installs %s, not in tools/install_deps.sh" % (built_with - deps_list))

ldd = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
libraries = []
for line in ldd.splitlines():
    m = re.match(r"\s*(\S+) => (/\S+)", line) or re.match(r"\s*(/\S+) \(", line)
    if m:
        libraries.append(m.group(m.lastindex))


def candidates(path):
    # dpkg knows a library by the path its package installed: the name ldd printed, its target,
    # or either without the merged /usr prefix.
    real = os.path.realpath(path)
    return [path, real, re.sub(r"^/usr", "", real),
            os.path.join(os.path.dirname(real), os.path.basename(path))]


# One dpkg -S for every candidate path (it reads its whole file database on each call).
every = sorted({c for lib in libraries for c in candidates(lib)})
search = subprocess.run(["dpkg", "-S"] + every, capture_output=True, text=True)
owners = {}
for line in search.stdout.splitlines():
    package, _, path = line.partition(": ")
    owners[path.strip()] = package.split(":", 1)[0]
needed = set()
for lib in libraries:
    package = next((owners[c] for c in candidates(lib) if c in owners), None)
    if check(package, "no Debian package owns %s" % lib):
        needed.add(package)
installed = apt_packages(runtime)
check(installed == needed,
      "Dockerfile runtime packages differ from ldd's: missing %s, extra %s"
      % (sorted(needed - installed), sorted(installed - needed)))
check(re.search(r"^USER (?!0|root)\S+", runtime, re.M), "Dockerfile: runtime USER is root")
check(re.search(r"^VOLUME ", runtime, re.M), "Dockerfile: no VOLUME")
check(re.search(r"^COPY --from=build \S+/hearth ", runtime, re.M), "Dockerfile: binary copy")
env_names = set(re.findall(r"\b(HEARTH_[A-Z0-9_]+)=", runtime))
check_env_names(env_names, "Dockerfile")
healthcheck = re.search(r'^HEALTHCHECK .*?CMD (\[.*?\])$', runtime, re.M | re.S)
check(healthcheck and "/healthz" in healthcheck.group(1), "Dockerfile: HEALTHCHECK on /healthz")

# --- The probe paths on the real binary ---------------------------------------------------------
with tempfile.TemporaryDirectory() as tmp:
    err_path = os.path.join(tmp, "stderr.log")
    with open(err_path, "w") as err:
        server = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0", "--mllp-listen", "off",
                                   "--store", "sqlite:%s/hearth.db" % tmp], stderr=err)
    try:
        port = None
        for _ in range(300):
            with open(err_path) as f:
                m = re.search(r"listening on http://[^ ]*:(\d+)", f.read())
            if m or server.poll() is not None:
                break
            time.sleep(0.1)
        if check(m, "hearth serve did not start"):
            port = int(m.group(1))
            for path in ("/healthz", "/readyz"):
                with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=10) as r:
                    check(r.status == 200, "%s answered %d" % (path, r.status))
            if healthcheck:
                command = json.loads(healthcheck.group(1).replace("\\\n", ""))
                command = [c.replace("/8080", "/%d" % port) for c in command]
                check(subprocess.run(command, timeout=10).returncode == 0,
                      "the Dockerfile's HEALTHCHECK command fails against a running hearth")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)

for f in failures:
    print("check_deploy: FAIL:", f)
print("check_deploy: %d libraries in %d packages, %d HEARTH_* names known, %d failures"
      % (len(libraries), len(needed), len(known_env), len(failures)))
sys.exit(1 if failures else 0)
