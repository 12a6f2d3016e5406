"""No Docker engine runs here: parse the deployment files and check them against the code."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
HOKWE_SERVICES = {"migrate", "web", "worker", "beat"}
# Variables read by programs other than our settings (gunicorn, Django's launcher).
READ_ELSEWHERE = {"DJANGO_SETTINGS_MODULE", "WEB_CONCURRENCY", "GUNICORN_CMD_ARGS", "PYTHONUNBUFFERED"}


def settings_env_vars() -> set[str]:
    """Every environment variable the settings modules read (the platform's, and each
    module's apps/<m>/conf.py)."""
    names = set()
    for path in [*(ROOT / "hokwe" / "settings").glob("*.py"), *(ROOT / "apps").glob("*/conf.py")]:
        source = path.read_text()
        names |= set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z0-9_]+)["']""", source))
        names |= set(re.findall(r"""os\.environ\.get\(\s*["']([A-Z0-9_]+)["']""", source))
        names |= set(re.findall(r"""^\s+"([A-Z][A-Z0-9_]+)",$""", source, re.MULTILINE))  # REQUIRED lists
    return names


def load_all(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def test_settings_reader_finds_known_variables():
    names = settings_env_vars()
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "AWS_STORAGE_BUCKET_NAME"} <= names


def test_compose_is_valid_and_sets_only_variables_the_settings_read():
    compose = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "keycloak", "minio", "nginx"} <= set(services)
    known = settings_env_vars() | READ_ELSEWHERE
    for name in HOKWE_SERVICES:
        env = services[name]["environment"]
        unknown = sorted(set(env) - known)
        assert not unknown, f"{name} sets variables no setting reads: {unknown}"
        assert env["DJANGO_SETTINGS_MODULE"] == "hokwe.settings.prod"
    assert "worker" in services["worker"]["command"] and "beat" in services["beat"]["command"]
    nginx_conf = (ROOT / "deploy" / "nginx" / "nginx.conf").read_text()
    for directive in (
        "limit_req_zone",
        "limit_conn",
        "client_max_body_size",
        "ssl_certificate",
        "proxy_cache",
    ):
        assert directive in nginx_conf


def test_kubernetes_manifests_are_valid_and_consistent():
    docs = []
    for path in sorted((ROOT / "deploy" / "k8s").glob("*.yaml")):
        docs += load_all(path)
    kinds = {(d["kind"], d["metadata"]["name"]) for d in docs}
    for expected in [
        ("Deployment", "hokwe-web"),
        ("Deployment", "hokwe-worker"),
        ("Deployment", "hokwe-beat"),
        ("Service", "hokwe-web"),
        ("Ingress", "hokwe"),
        ("HorizontalPodAutoscaler", "hokwe-web"),
        ("HorizontalPodAutoscaler", "hokwe-worker"),
    ]:
        assert expected in kinds
    known = settings_env_vars() | READ_ELSEWHERE
    configured, referenced = set(), set()
    for doc in docs:
        if doc["kind"] in ("Deployment", "Job"):
            spec = doc["spec"]["template"]["spec"]
            assert spec["securityContext"]["runAsNonRoot"] is True
            for container in spec["containers"]:
                if not container["image"].startswith("hokwe/"):
                    continue  # PgBouncer, ClamAV: their images' own variables
                configured |= {e["name"] for e in container.get("env", [])}
                for source in container.get("envFrom", []):
                    ref = source.get("configMapRef") or source.get("secretRef")
                    referenced.add(ref["name"])
    for doc in docs:  # the ConfigMaps and Secrets the app's containers take their environment from
        if doc["kind"] in ("ConfigMap", "Secret") and doc["metadata"]["name"] in referenced:
            configured |= set(doc.get("data", {})) | set(doc.get("stringData", {}))
    assert {"hokwe-config", "hokwe-secrets"} <= referenced
    unknown = sorted(configured - known)
    assert not unknown, f"k8s sets variables no setting reads: {unknown}"
    deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
    for hpa in (d for d in docs if d["kind"] == "HorizontalPodAutoscaler"):
        target = hpa["spec"]["scaleTargetRef"]["name"]
        assert target in deployments
        assert hpa["spec"]["minReplicas"] >= 2 and hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]
    assert deployments["hokwe-beat"]["spec"]["replicas"] == 1
    web = deployments["hokwe-web"]["spec"]["template"]["spec"]["containers"][0]
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"


def test_dockerfile_is_multistage_non_root_with_gunicorn_and_healthcheck():
    text = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+\S+\s+AS\s+(\w+)", text, re.MULTILINE)
    assert stages == ["build", "runtime"]
    runtime = text.split("AS runtime", 1)[1]
    assert re.search(r"^USER\s+hokwe$", runtime, re.MULTILINE)
    assert "HEALTHCHECK" in runtime and "/healthz" in runtime
    assert "collectstatic" in text
    assert 'CMD ["gunicorn", "hokwe.wsgi:application"]' in runtime
    # Every file the image copies from the context exists.
    for source in re.findall(r"^COPY\s+(?!--from)(\S+)\s", text, re.MULTILINE):
        assert (ROOT / source).exists(), source


def test_deployed_workers_consume_every_queue_tasks_are_routed_to():
    from django.conf import settings

    routed = {"default"} | {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    compose = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text())
    commands = [compose["services"]["worker"]["command"]]
    for doc in load_all(ROOT / "deploy" / "k8s" / "worker.yaml"):
        if doc["kind"] == "Deployment" and doc["metadata"]["name"] == "hokwe-worker":
            commands.append(doc["spec"]["template"]["spec"]["containers"][0]["command"])
    assert len(commands) == 2
    for command in commands:
        consumed = set(command[command.index("-Q") + 1].split(","))
        assert routed <= consumed, f"queues nobody consumes: {sorted(routed - consumed)}"


# The public sites (apps/cms, Wagtail): served by host name, never redirected by the gateway.
SITE_HOSTS = ("hokwe.co", "hokwe.com", "pay.hokwe.com")
INGRESS_COMMON = (
    "nginx.ingress.kubernetes.io/proxy-body-size",
    "nginx.ingress.kubernetes.io/limit-rps",
    "nginx.ingress.kubernetes.io/limit-connections",
    "nginx.ingress.kubernetes.io/server-snippet",
    "cert-manager.io/cluster-issuer",
)


def nginx_hosts() -> tuple[set[str], dict[str, str]]:
    """The product server's names, and the $product_home map (host -> the root's target)."""
    text = (ROOT / "deploy" / "nginx" / "nginx.conf").read_text()
    server = next(block for block in text.split("  server {")[1:] if "proxy_pass http://hokwe_web" in block)
    names = set(re.search(r"server_name ([^;]+);", server).group(1).split())
    map_body = re.search(r"map \$host \$product_home \{(.*?)\}", text, re.DOTALL).group(1)
    homes = dict(re.findall(r"^\s+([a-z0-9.-]+) (\S+);$", map_body, re.MULTILINE))
    assert homes.pop("default") == '""'  # other hosts: no redirect
    assert "location = / {\n      if ($product_home) { return 302 $product_home$is_args$args; }" in server
    return names, homes


def url_routes(patterns, prefix="/"):
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^")
        if hasattr(pattern, "url_patterns"):
            yield from url_routes(pattern.url_patterns, route)
        else:
            yield route


def test_every_public_host_is_served_allowed_and_lands_where_the_app_sends_it():
    """One table, the app's HOKWE_HOSTS (each module's HOSTS in its conf.py): every product
    host is served by the gateway and the ingress, allowed by Django in every deployment, and
    its root goes to the same prefix in nginx, in the ingress (app-root) and in the app
    (apps/core/hosts.py); the sites' hosts are served and allowed, their root left to Wagtail.
    Nothing is mapped in deploy/ that the app does not declare."""
    from django.conf import settings
    from django.urls import get_resolver

    products = settings.HOKWE_HOSTS
    assert {"manager.hokwe.com", "recover.hokwepay.me", "market.hokwe.com"} <= set(products)
    names, homes = nginx_hosts()
    ingresses = [d for d in load_all(ROOT / "deploy" / "k8s" / "web.yaml") if d["kind"] == "Ingress"]
    by_host = {rule["host"]: ingress for ingress in ingresses for rule in ingress["spec"]["rules"]}
    config = next(d for d in load_all(ROOT / "deploy" / "k8s" / "config.yaml") if d["kind"] == "ConfigMap")
    compose = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text())
    compose_hosts = re.fullmatch(r"\$\{ALLOWED_HOSTS:-(.+)\}", compose["x-hokwe-env"]["ALLOWED_HOSTS"]).group(
        1
    )
    allowed = {
        "k8s": set(config["data"]["ALLOWED_HOSTS"].split(",")),
        "compose": set(compose_hosts.split(",")),
    }
    public_routes = list(url_routes(get_resolver().url_patterns))
    for host in [*products, *SITE_HOSTS]:
        assert host in names, f"nginx does not serve {host}"
        ingress = by_host.get(host)
        assert ingress is not None, f"no ingress rule for {host}"
        assert any(host in tls["hosts"] for tls in ingress["spec"]["tls"]), f"no certificate for {host}"
        for deployment, hosts in allowed.items():
            assert host in hosts, f"{host} not in ALLOWED_HOSTS ({deployment})"
        annotations = ingress["metadata"]["annotations"]
        assert set(INGRESS_COMMON) <= set(annotations), ingress["metadata"]["name"]
        prefix = products.get(host)
        assert homes.get(host) == prefix, f"nginx sends {host}/ to {homes.get(host)}, the app to {prefix}"
        assert annotations.get("nginx.ingress.kubernetes.io/app-root") == prefix, host
        if prefix is not None:
            # one product per ingress (app-root applies to all of an ingress's hosts)
            assert [rule["host"] for rule in ingress["spec"]["rules"]] == [host]
            assert any(route.startswith(prefix) for route in public_routes), f"no page under {prefix}"
    assert set(homes) == set(products), "nginx maps a host the app does not declare"
    mapped = {
        r["host"]
        for i in ingresses
        if "nginx.ingress.kubernetes.io/app-root" in i["metadata"]["annotations"]
        for r in i["spec"]["rules"]
    }
    assert mapped == set(products), "an ingress maps a host the app does not declare"
    common = {tuple(sorted((k, i["metadata"]["annotations"][k]) for k in INGRESS_COMMON)) for i in ingresses}
    assert len(common) == 1, "the ingresses' shared annotations differ"


def test_the_image_carries_every_front_end_asset_the_pages_load():
    """scripts/setup.d/45-frontend-assets.sh copies the npm assets for development and the
    tests; the Dockerfile's build stage must copy the same ones (GraphiQL excepted: it is
    development only), or a page works here and misses its script in production."""
    script = (ROOT / "scripts" / "setup.d" / "45-frontend-assets.sh").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    pairs = re.findall(r'^\s+"(node_modules/\S+) (static/vendor/\S+)"$', script, re.MULTILINE)
    assert len(pairs) >= 6
    for source, target in pairs:
        if "/graphiql/" in target:
            continue
        folder, name = source.rsplit("/", 1)
        ext = name.rsplit(".", 1)[-1]
        assert source in dockerfile or f"{folder}/*.{ext}" in dockerfile, source
        assert target.rsplit("/", 1)[0] in dockerfile, target


def _host(url: str) -> str:
    return url.split("@", 1)[1].split("/", 1)[0].split(":", 1)[0]


def test_the_app_reaches_postgresql_through_pgbouncer_in_transaction_mode_and_migrates_directly():
    """docs/operations.md, "Connection pooling and read replicas": web, worker and beat go
    through PgBouncer (transaction mode, prepared statements tracked, server-side cursors off
    in the app); migrate goes to PostgreSQL itself; the server connections fit PostgreSQL's."""
    compose = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text())["services"]
    bouncer = compose["pgbouncer"]["environment"]
    assert bouncer["POOL_MODE"] == "transaction" and int(bouncer["MAX_PREPARED_STATEMENTS"]) > 0
    assert _host(bouncer["DATABASE_URL"]) == "postgres"
    for name in ("web", "worker", "beat"):
        env = compose[name]["environment"]
        assert _host(env["DATABASE_URL"]) == "pgbouncer" and env["DB_POOLER"] == "pgbouncer", name
        assert "pgbouncer" in compose[name]["depends_on"], name
    migrate = compose["migrate"]["environment"]
    assert _host(migrate["DATABASE_URL"]) == "postgres" and migrate["DB_POOLER"] == ""

    docs = [doc for path in sorted((ROOT / "deploy" / "k8s").glob("*.yaml")) for doc in load_all(path)]
    named = {(d["kind"], d["metadata"]["name"]): d for d in docs}
    assert ("Service", "hokwe-pgbouncer") in named and ("PodDisruptionBudget", "hokwe-pgbouncer") in named
    pooler = named[("Deployment", "hokwe-pgbouncer")]
    env = {e["name"]: e["value"] for e in pooler["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["POOL_MODE"] == "transaction" and int(env["MAX_PREPARED_STATEMENTS"]) > 0
    server_connections = pooler["spec"]["replicas"] * (
        int(env["DEFAULT_POOL_SIZE"]) + int(env["RESERVE_POOL_SIZE"])
    )
    assert server_connections <= 100 - 10, (
        "PostgreSQL's max_connections (100) less room for admin and migrate"
    )
    direct = named[("Secret", "hokwe-pgbouncer")]["stringData"]["DATABASE_URL"]
    assert _host(direct) == "postgres.hokwe.svc"
    assert named[("ConfigMap", "hokwe-config")]["data"]["DB_POOLER"] == "pgbouncer"
    assert (
        _host(named[("Secret", "hokwe-secrets")]["stringData"]["DATABASE_URL"]) == "hokwe-pgbouncer.hokwe.svc"
    )
    job = named[("Job", "hokwe-migrate")]["spec"]["template"]["spec"]["containers"][0]
    overrides = {e["name"]: e for e in job["env"]}
    assert overrides["DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {
        "name": "hokwe-pgbouncer",
        "key": "DATABASE_URL",
    }
    assert overrides["DB_POOLER"]["value"] == ""
