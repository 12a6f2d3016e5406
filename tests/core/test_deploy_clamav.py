"""The antivirus in the deployment files (no Docker engine here: the files are parsed): clamd is
a service of its own in compose and Kubernetes, the app's processes are told where it is
(CLAMD_URL, refused empty by the prod profile), and the app's image does not carry it."""

import re
from pathlib import Path

import yaml

from apps.core.antivirus import parse_url

ROOT = Path(__file__).resolve().parents[2]


def _k8s_docs() -> list[dict]:
    docs = []
    for path in sorted((ROOT / "deploy" / "k8s").glob("*.yaml")):
        docs += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return docs


def test_compose_runs_clamav_and_points_every_app_process_at_it():
    compose = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text())
    services = compose["services"]
    clamav = services["clamav"]
    assert clamav["image"].startswith("clamav/clamav:")
    assert "ports" not in clamav  # inside the stack's network only
    assert "clamdcheck.sh" in clamav["healthcheck"]["test"]
    volume = clamav["volumes"][0].split(":")
    assert volume[1] == "/var/lib/clamav" and volume[0] in compose["volumes"]
    for name in ("web", "worker", "beat", "migrate"):  # prod settings everywhere: all need it
        url = services[name]["environment"]["CLAMD_URL"]
        default = re.fullmatch(r"\$\{CLAMD_URL:-([^}]+)\}", url).group(1)
        address = parse_url(default)
        assert address.target == ("clamav", 3310)


def test_kubernetes_runs_clamav_behind_a_service_the_config_names():
    docs = _k8s_docs()
    by_kind = {(d["kind"], d["metadata"]["name"]): d for d in docs}
    deployment = by_kind[("Deployment", "hokwe-clamav")]
    service = by_kind[("Service", "hokwe-clamav")]
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["image"].startswith("clamav/clamav:")
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert "/init-unprivileged" in " ".join(container["command"])
    assert {"startupProbe", "readinessProbe", "livenessProbe"} <= set(container)
    assert deployment["spec"]["replicas"] >= 2
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    (port,) = service["spec"]["ports"]
    assert port["port"] == 3310 and port["targetPort"] == container["ports"][0]["name"]
    config = by_kind[("ConfigMap", "hokwe-config")]["data"]
    address = parse_url(config["CLAMD_URL"])
    assert address.target == ("hokwe-clamav", 3310)


def test_the_apps_image_does_not_carry_clamd():
    dockerfile = (ROOT / "Dockerfile").read_text().lower()
    assert "clamav" not in dockerfile and "clamd" not in dockerfile


def test_the_test_command_starts_a_clamd_with_the_eicar_signature_only():
    script = (ROOT / "scripts" / "setup.d" / "35-clamav.sh").read_text()
    assert "44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature" in script
    assert "freshclam" not in script.replace("no freshclam", "")
    services = (ROOT / "scripts" / "services.sh").read_text()
    assert "SERVICE_START_HOOKS" in services and "SERVICE_STOP_HOOKS" in services
    assert "trap stop_services EXIT" in services  # the one trap; clamd stops through its hook
