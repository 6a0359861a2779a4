"""deploy/k8s/: every manifest valid against the Kubernetes schemas (kubernetes-validate
bundles them), and naming what the image really serves: its port, its user, its /health."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from deploy import k8s_nginx, replica
from tests.support import ROOT

K8S = ROOT / "deploy" / "k8s"
MANIFESTS = sorted(K8S.glob("*.yaml"))
# The oldest version they must run on (preStop's `sleep` action is on by default from 1.30)
# and the newest the package knows.
VERSIONS = ("1.30.0", kubernetes_validate.latest_version())
DOCKERFILE = (ROOT / "Dockerfile").read_text("utf-8")


def documents() -> list[dict[str, Any]]:
    return [doc for path in MANIFESTS for doc in yaml.safe_load_all(path.read_text("utf-8"))]


def one(kind: str, name: str) -> dict[str, Any]:
    found = [d for d in documents() if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(found) == 1, (kind, name, len(found))
    return found[0]


def container(name: str) -> dict[str, Any]:
    containers: list[dict[str, Any]] = one("Deployment", name)["spec"]["template"]["spec"][
        "containers"
    ]
    assert len(containers) == 1
    return containers[0]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_every_manifest_is_valid(path: Path, version: str) -> None:
    docs = list(yaml.safe_load_all(path.read_text("utf-8")))
    assert docs
    for doc in docs:
        kubernetes_validate.validate(doc, version, strict=True)


def test_the_kinds_deployed() -> None:
    kinds = sorted((d["kind"], d["metadata"]["name"]) for d in documents())
    assert kinds == [
        ("ConfigMap", "summit-edge"),
        ("Deployment", "summit-api"),
        ("Deployment", "summit-edge"),
        ("HorizontalPodAutoscaler", "summit-api"),
        ("PodDisruptionBudget", "summit-api"),
        ("PodDisruptionBudget", "summit-edge"),
        ("Service", "summit-api"),
        ("Service", "summit-edge"),
    ]


def test_the_probes_ask_what_the_image_and_nginx_ask() -> None:
    """The readiness, liveness and startup probes, the image's HEALTHCHECK and the stack's
    check of a replica (deploy/replica.py, also the rollout's) all ask /health, on the
    port the image serves."""
    # HEALTHCHECK's options, a line break, then its CMD: the URL the image asks itself.
    after = DOCKERFILE.partition("\nHEALTHCHECK ")[2]
    url = r"urlopen\('http://127\.0\.0\.1:(\d+)(/[^']*)'"
    healthcheck = re.match(rf"[^\n]*\\\n\s*CMD .*?{url}", after)
    assert healthcheck, "no HEALTHCHECK asking a URL"
    served_port = re.search(r'CMD \[.*"--port", "(\d+)"\]', DOCKERFILE)
    assert served_port
    exposed = re.search(r"^EXPOSE (\d+)$", DOCKERFILE, re.M)
    assert exposed
    assert healthcheck[1] == served_port[1] == exposed[1] == "8000"
    assert healthcheck[2] == replica.HEALTH == "/health"

    api = container("summit-api")
    assert api["ports"] == [{"name": "http", "containerPort": 8000, "protocol": "TCP"}]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert api[probe]["httpGet"] == {"path": "/health", "port": "http"}, probe


def test_the_services_and_budgets_select_their_pods() -> None:
    for name in ("summit-api", "summit-edge"):
        deployment = one("Deployment", name)
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert deployment["spec"]["selector"]["matchLabels"] == labels
        service = one("Service", name)
        assert service["spec"]["selector"] == labels
        assert service["spec"]["ports"][0]["targetPort"] == "http"
        budget = one("PodDisruptionBudget", name)
        assert budget["spec"]["selector"]["matchLabels"] == labels
        assert budget["spec"]["minAvailable"] == 1
        ports = [p["name"] for p in container(name)["ports"]]
        assert ports == ["http"]
    target = one("HorizontalPodAutoscaler", "summit-api")["spec"]
    assert target["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "summit-api",
    }
    assert target["minReplicas"] >= 2
    # nginx's one upstream is the API's Service, on its port.
    api_port = one("Service", "summit-api")["spec"]["ports"][0]["port"]
    assert f"summit-api:{api_port}" == k8s_nginx.UPSTREAM


@pytest.mark.parametrize("name", ["summit-api", "summit-edge"])
def test_locked_down_and_drained(name: str) -> None:
    spec = one("Deployment", name)["spec"]
    assert spec["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    pod = spec["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["automountServiceAccountToken"] is False
    c = container(name)
    assert c["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "capabilities": {"drop": ["ALL"]},
    }
    # The endpoints controller and the load balancers stop sending before SIGTERM.
    pause = c["lifecycle"]["preStop"]["sleep"]["seconds"]
    assert 5 <= pause < pod["terminationGracePeriodSeconds"] - 10
    assert set(c["resources"]) == {"requests", "limits"}


def test_the_api_runs_as_the_images_user_within_its_measured_memory() -> None:
    user = re.search(r"^USER (\d+)$", DOCKERFILE, re.M)
    assert user
    pod = one("Deployment", "summit-api")["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsUser"] == int(user[1])
    resources = container("summit-api")["resources"]
    # README: one worker holds at most 64 MiB, its response cache full.
    assert resources["requests"]["memory"] == "80Mi"
    assert resources["limits"]["memory"] == "128Mi"


def test_the_nginx_config_map_is_the_rendered_template() -> None:
    assert (K8S / "nginx-conf.yaml").read_text("utf-8") == k8s_nginx.config_map(), (
        "regenerate: python -m deploy.k8s_nginx > deploy/k8s/nginx-conf.yaml"
    )
    edge = container("summit-edge")
    mounted = {m["name"]: m["mountPath"] for m in edge["volumeMounts"]}
    assert edge["command"][-1] == f"{mounted['config']}/nginx.conf"
    assert mounted["prefix"] == str(k8s_nginx.PREFIX)
    assert edge["ports"][0]["containerPort"] == int(k8s_nginx.LISTEN)
