"""What CI can check of the deployment files without Docker or a cluster: they parse, hang together,
and every command they run exists in this code."""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
PLATFORM = ROOT / "platform"
K8S = PLATFORM / "k8s"
APP_SERVICES = {"migrate", "web", "agent", "celery", "beat"}
# Read by tools rather than by Hostline's settings (uvicorn, prometheus_client, Django's loader).
NOT_IN_ENV_EXAMPLE = {"DJANGO_SETTINGS_MODULE", "WEB_CONCURRENCY"}


def env_example_names() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return {m.group(1) for m in re.finditer(r"^([A-Z][A-Z0-9_]*)=", text, re.MULTILINE)}


def k8s_documents() -> list[dict[str, Any]]:
    return [doc for path in sorted(K8S.glob("*.yaml")) for doc in yaml.safe_load_all(path.read_text()) if doc]


def assert_command_exists(command: list[str] | str) -> None:
    """The process a container starts is real: module, Django command, Celery app or ASGI app."""
    text = command if isinstance(command, str) else " ".join(command)
    found = False
    for module in re.findall(r"python -m ([\w.]+)", text):
        assert importlib.util.find_spec(module) is not None, module
        found = True
    for name in re.findall(r"manage\.py (\w+)", text):
        assert name in get_commands(), f"manage.py {name}"
        found = True
    for app in re.findall(r"celery -A (\w+)", text):
        assert hasattr(importlib.import_module(f"{app}.celery"), "app"), app
        found = True
    for target in re.findall(r"uvicorn ([\w.]+):(\w+)", text):
        assert hasattr(importlib.import_module(target[0]), target[1]), target
        found = True
    if text.startswith(("sh -c test", "test ", "sh -c celery")):
        found = True
    assert found, f"no known command in {text!r}"


def test_platform_is_never_a_python_package():
    assert not list(PLATFORM.rglob("*.py")), "a package named platform shadows the standard library"


def test_the_compose_stack_has_every_service_and_each_runs_real_code():
    compose = yaml.safe_load((PLATFORM / "compose.yaml").read_text())
    services = compose["services"]

    assert set(services) == {"postgres", "redis", "livekit", *APP_SERVICES}
    for name in APP_SERVICES:
        service = services[name]
        assert service["image"] == "hostline:local" and service["build"]["dockerfile"] == "Dockerfile"
        assert_command_exists(service.get("command") or ["uvicorn config.asgi:application"])
    for name in ("postgres", "redis", "web", "agent"):
        assert "healthcheck" in services[name], name
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert ((PLATFORM / compose["x-app"]["build"]["context"]).resolve() / "Dockerfile").exists()


def test_compose_settings_are_documented_and_match_the_livekit_config():
    compose = yaml.safe_load((PLATFORM / "compose.yaml").read_text())
    env = compose["services"]["web"]["environment"]
    livekit = yaml.safe_load((PLATFORM / "livekit.yaml").read_text())
    mounted = compose["services"]["livekit"]["volumes"][0].split(":")[0]

    assert set(env) - NOT_IN_ENV_EXAMPLE <= env_example_names()
    assert (PLATFORM / mounted).resolve() == (PLATFORM / "livekit.yaml").resolve()
    assert livekit["keys"] == {env["LIVEKIT_API_KEY"]: env["LIVEKIT_API_SECRET"]}
    assert env["LIVEKIT_URL"].endswith(f":{livekit['port']}")


def test_every_kubernetes_manifest_is_valid_against_the_kubernetes_schema():
    import kubernetes_validate

    documents = k8s_documents()
    assert len(documents) >= 12
    for document in documents:
        if document.get("kind") == "Kustomization":
            continue
        # strict: an unknown (misspelt) field is an error, not silently ignored by the cluster.
        kubernetes_validate.validate(document, "1.33.0", strict=True)


def test_every_kubernetes_workload_is_probed_bounded_and_not_root():
    documents = k8s_documents()
    workloads = [d for d in documents if d["kind"] in {"Deployment", "Job"}]
    assert {d["metadata"]["name"] for d in workloads} == {
        "hostline-web",
        "hostline-agent",
        "hostline-celery",
        "hostline-beat",
        "hostline-migrate",
    }
    for workload in workloads:
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, workload["metadata"]["name"]
        for container in pod["containers"]:
            assert container["resources"]["requests"] and container["resources"]["limits"]["memory"]
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            refs = {next(iter(ref.values()))["name"] for ref in container["envFrom"]}
            assert refs == {"hostline-config", "hostline-secrets"}
            assert_command_exists(container["command"])
            if workload["kind"] == "Deployment":
                assert "livenessProbe" in container and "readinessProbe" in container, container["name"]


def test_web_probes_hit_the_health_endpoints_and_beat_never_runs_twice():
    by_name = {d["metadata"]["name"]: d for d in k8s_documents() if d["kind"] == "Deployment"}
    web = by_name["hostline-web"]["spec"]["template"]["spec"]["containers"][0]

    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert by_name["hostline-beat"]["spec"]["replicas"] == 1


def test_agent_pods_outlive_their_longest_drain_and_scale_before_refusing_calls():
    documents = k8s_documents()
    config = next(d for d in documents if d["kind"] == "ConfigMap")["data"]
    agent = next(
        d for d in documents if d["metadata"]["name"] == "hostline-agent" and d["kind"] == "Deployment"
    )
    hpa = next(
        d
        for d in documents
        if d["kind"] == "HorizontalPodAutoscaler" and d["metadata"]["name"] == "hostline-agent"
    )

    grace = agent["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
    assert grace > int(config["AGENT_DRAIN_TIMEOUT_SECONDS"])
    target = hpa["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"]
    assert target / 100 < float(config["AGENT_LOAD_THRESHOLD"])


def test_kubernetes_settings_are_documented_and_the_autoscalers_target_real_deployments():
    documents = k8s_documents()
    config = next(d for d in documents if d["kind"] == "ConfigMap")["data"]
    secret = next(d for d in documents if d["kind"] == "Secret")["stringData"]
    deployments = {d["metadata"]["name"] for d in documents if d["kind"] == "Deployment"}

    assert (set(config) | set(secret)) - NOT_IN_ENV_EXAMPLE <= env_example_names()
    for hpa in (d for d in documents if d["kind"] == "HorizontalPodAutoscaler"):
        assert hpa["spec"]["scaleTargetRef"]["name"] in deployments
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    for resource in kustomization["resources"]:
        assert (K8S / resource).exists(), resource
    assert "secret.example.yaml" not in kustomization["resources"], "real secrets come from the environment"


def test_the_image_is_multi_stage_builds_the_widget_and_runs_as_a_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM \S+ AS (\S+)", dockerfile, re.MULTILINE)
    build_script = (ROOT / "widget" / "build.mjs").read_text()

    assert stages == ["widget", "python-deps", "runtime"]
    assert "npm ci" in dockerfile and "npm run build" in dockerfile
    for bundle in ("widget.js", "widget-call.js"):
        assert f"/src/static/{bundle}" in dockerfile and f"../static/{bundle}" in build_script
    assert re.search(r"^USER hostline$", dockerfile, re.MULTILINE)
    assert "python -m agent_worker download-files" in dockerfile
    assert "manage.py collectstatic" in dockerfile, "WhiteNoise needs the manifest in the image"
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    assert cmd is not None
    assert_command_exists(" ".join(yaml.safe_load(cmd.group(1))))


@pytest.mark.parametrize("path", [".dockerignore"])
def test_secrets_and_local_state_stay_out_of_the_image(path):
    ignored = (ROOT / path).read_text().split()
    assert {".env", ".venv", ".git", "db.sqlite3", "widget/node_modules"} <= set(ignored)


def test_the_agent_reaches_livekits_media_at_the_address_livekit_advertises():
    compose = yaml.safe_load((PLATFORM / "compose.yaml").read_text())
    services = compose["services"]
    node_ip = services["livekit"]["command"][services["livekit"]["command"].index("--node-ip") + 1]

    assert services["agent"]["network_mode"] == "service:livekit"
    assert services["agent"]["environment"]["LIVEKIT_URL"] == f"ws://{node_ip}:7880"
    assert services["web"]["environment"]["LIVEKIT_PUBLIC_URL"].startswith("ws://localhost:")


def test_no_deployment_trusts_every_address_to_name_the_client():
    """FORWARDED_ALLOW_IPS="*" lets anyone forge X-Forwarded-For and walk past every per-client limit."""
    texts = [p.read_text() for p in [ROOT / "Dockerfile", PLATFORM / "compose.yaml", *K8S.glob("*.yaml")]]
    for text in texts:
        for match in re.finditer(r"(?:FORWARDED_ALLOW_IPS\W+|forwarded-allow-ips\W+)([^\s\"']+)", text):
            assert "*" not in match.group(1), match.group(0)
    configmap = next(d for d in k8s_documents() if d["kind"] == "ConfigMap")
    assert configmap["data"]["FORWARDED_ALLOW_IPS"] != "*"


def test_settings_refuse_to_trust_every_proxy():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "FORWARDED_ALLOW_IPS": "*",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "FORWARDED_ALLOW_IPS may not be '*'" in result.stderr
