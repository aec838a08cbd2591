"""The cluster files, rendered and checked offline: what a cluster would refuse, and what the point
needs from them (non-root pods with probes and limits, no secret in production, exactly the calls
the services make allowed through the network)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from manifests import (
    OVERLAYS,
    ROOT,
    crd_schema,
    is_builtin,
    named,
    of_kind,
    pod_specs,
    rendered,
    tool,
)
from network import Pod, allowed, egress_to_addresses

NAMESPACES = {"development": "regiepunt-dev", "production": "regiepunt"}
SERVICE_PORTS = {"intake": 8001, "capacity": 8002, "matching": 8003}
POOLER = "regiepunt-db-pooler-rw"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_builtin_kinds_pass_kubernetes_strict_validation(overlay: str, tmp_path: Path) -> None:
    builtin = [r for r in rendered(overlay) if is_builtin(r)]
    path = tmp_path / f"{overlay}.yaml"
    path.write_text(yaml.safe_dump_all(builtin), encoding="utf-8")

    result = subprocess.run(
        [tool("kubernetes-validate"), "--strict", str(path)], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARN" not in result.stdout + result.stderr and "ERROR" not in result.stdout + result.stderr
    assert result.stdout.count("passed") == len(builtin)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_operators_resources_match_their_vendored_crd_schemas(overlay: str) -> None:
    custom = [r for r in rendered(overlay) if not is_builtin(r)]
    assert {r["kind"] for r in custom} == {
        "Cluster",
        "Database",
        "Pooler",
        "ScheduledBackup",
        "ServiceMonitor",
        "PrometheusRule",
    }
    for resource in custom:
        _validate_custom(resource)


def test_a_misspelt_field_of_a_custom_resource_fails_the_schema_check() -> None:
    cluster = dict(named("production", "Cluster", "regiepunt-db"))
    cluster["spec"] = {**cluster["spec"], "instance": 3}
    with pytest.raises(jsonschema.ValidationError, match="instance"):
        _validate_custom(cluster)


def _validate_custom(resource: dict[str, Any]) -> None:
    # The schemas' patterns are Go's (a "(?i)" inside one), so the schema itself is not checked against
    # the metaschema; the resource is checked against the schema.
    jsonschema.Draft202012Validator(crd_schema(resource)).validate(resource)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_runs_as_a_numeric_non_root_user_read_only_without_capabilities(overlay: str) -> None:
    workloads = pod_specs(overlay)
    assert len(workloads) == 8  # three APIs, two workers, three migration Jobs
    for name, spec in workloads:
        assert spec.get("automountServiceAccountToken") is False, name
        pod_security = spec["securityContext"]
        assert pod_security["runAsNonRoot"] is True, name
        assert pod_security["seccompProfile"] == {"type": "RuntimeDefault"}, name
        for container in spec["containers"] + spec.get("initContainers", []):
            security = container["securityContext"]
            user = security.get("runAsUser", pod_security.get("runAsUser"))
            assert isinstance(user, int) and user > 0, name
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"] == {"drop": ["ALL"]}, name
            limits, requests = container["resources"]["limits"], container["resources"]["requests"]
            assert {"cpu", "memory"} <= set(limits) and {"cpu", "memory"} <= set(requests), name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_long_running_container_has_startup_readiness_and_liveness_probes(overlay: str) -> None:
    for deployment in of_kind(overlay, "Deployment"):
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            name = deployment["metadata"]["name"]
            assert container["startupProbe"]["httpGet"]["path"] == "/healthz", name
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz", name
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", name


def _env(deployment: dict[str, Any]) -> dict[str, Any]:
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    return {item["name"]: item for item in container.get("env", [])}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_background_steps_run_in_their_own_deployments_not_in_the_api_pods(overlay: str) -> None:
    for service in ("intake", "capacity"):
        assert _env(named(overlay, "Deployment", service))["REGIEPUNT_RUN_WORKERS"]["value"] == "false"
        workers = named(overlay, "Deployment", f"{service}-workers")
        assert _env(workers)["REGIEPUNT_RUN_WORKERS"]["value"] == "true"
        assert workers["spec"]["replicas"] == 1
    assert not any(d["metadata"]["name"] == "matching-workers" for d in of_kind(overlay, "Deployment"))


def test_production_keeps_two_api_pods_through_drains_and_scales_on_cpu() -> None:
    for service in SERVICE_PORTS:
        assert named("production", "Deployment", service)["spec"]["replicas"] >= 2
        assert named("production", "PodDisruptionBudget", service)["spec"]["minAvailable"] >= 1
        hpa = named("production", "HorizontalPodAutoscaler", service)
        assert hpa["spec"]["minReplicas"] >= 2
        assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
        job = named("production", "Job", f"{service}-migrate")
        assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["python", "-m", service, "migrate"]


def test_production_holds_no_secret_values() -> None:
    assert of_kind("production", "Secret") == []
    secretish = re.compile(r"SECRET|PASSWORD|TOKEN|SMTP_URL", re.IGNORECASE)
    for name, spec in pod_specs("production"):
        for container in spec["containers"]:
            for item in container.get("env", []):
                if secretish.search(item["name"]):
                    assert "valueFrom" in item and "secretKeyRef" in item["valueFrom"], (name, item["name"])
    for config_map in of_kind("production", "ConfigMap"):
        for key, value in config_map["data"].items():
            assert not secretish.search(key), key
            assert "development" not in value, key


def test_the_development_overlay_alone_brings_example_secrets_with_public_development_values() -> None:
    secrets = of_kind("development", "Secret")
    referenced = {
        item["valueFrom"]["secretKeyRef"]["name"]
        for _name, spec in pod_specs("development")
        for container in spec["containers"]
        for item in container.get("env", [])
        if "secretKeyRef" in item.get("valueFrom", {})
    }
    assert referenced <= {s["metadata"]["name"] for s in secrets}
    for secret in secrets:
        for key, value in secret["stringData"].items():
            assert key == "username" or value.startswith("regiepunt-development"), (secret["metadata"]["name"], key)


def _pods(overlay: str) -> dict[str, Pod]:
    namespace = NAMESPACES[overlay]
    pods: dict[str, Pod] = {}
    for resource in rendered(overlay):
        if resource["kind"] in {"Deployment", "Job"}:
            template = resource["spec"]["template"]
            ports = tuple(port["containerPort"] for c in template["spec"]["containers"] for port in c.get("ports", []))
            pods[resource["metadata"]["name"]] = Pod(
                resource["metadata"]["name"], namespace, template["metadata"]["labels"], ports
            )
    pooler = named(overlay, "Pooler", POOLER)
    pods["pooler"] = Pod(
        "pooler", namespace, {**pooler["spec"]["template"]["metadata"]["labels"], "cnpg.io/poolerName": POOLER}, (5432,)
    )
    pods["database"] = Pod("database", namespace, {"cnpg.io/cluster": "regiepunt-db"}, (5432,))
    return pods


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_network_policies_allow_exactly_the_calls_the_services_make(overlay: str) -> None:
    policies = of_kind(overlay, "NetworkPolicy")
    pods = _pods(overlay)
    applications = [name for name in pods if name not in {"pooler", "database"}]
    calls = {
        (source, target, port)
        for source in applications
        for target, pod in pods.items()
        for port in pod.ports
        if source != target and allowed(policies, pods[source], pod, port)
    }
    assert calls == {
        ("intake", "matching", 8003),
        ("intake", "capacity", 8002),
        ("intake", "pooler", 5432),
        ("intake-workers", "matching", 8003),
        ("intake-workers", "capacity", 8002),
        ("intake-workers", "pooler", 5432),
        ("matching", "capacity", 8002),
        ("matching", "pooler", 5432),
        ("capacity", "pooler", 5432),
        ("capacity-workers", "pooler", 5432),
        ("intake-migrate", "pooler", 5432),
        ("capacity-migrate", "pooler", 5432),
        ("matching-migrate", "pooler", 5432),
    }
    assert allowed(policies, pods["pooler"], pods["database"], 5432)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_from_outside_only_intake_and_capacity_are_reached_and_metrics_only_by_prometheus(overlay: str) -> None:
    policies = of_kind(overlay, "NetworkPolicy")
    pods = _pods(overlay)
    ingress_controller = Pod("controller", "ingress-nginx", {"app.kubernetes.io/name": "ingress-nginx"})
    prometheus = Pod("prometheus", "monitoring", {"app.kubernetes.io/name": "prometheus"})
    stranger = Pod("stranger", "default", {})
    reached = {
        name for name, pod in pods.items() for port in pod.ports if allowed(policies, ingress_controller, pod, port)
    }
    assert reached == {"intake", "capacity"}
    for name in ("intake", "capacity", "matching", "intake-workers", "capacity-workers"):
        pod = pods[name]
        assert allowed(policies, prometheus, pod, pod.ports[0]), name
        assert not allowed(policies, stranger, pod, pod.ports[0]), name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_outside_the_cluster_only_the_identity_provider_and_intakes_notifications_are_reached(overlay: str) -> None:
    policies = of_kind(overlay, "NetworkPolicy")
    pods = _pods(overlay)
    identity_provider = named(overlay, "NetworkPolicy", "identity-provider")["spec"]["egress"][0]["to"][0]["ipBlock"]
    for name in ("intake", "capacity", "matching", "capacity-workers"):
        assert egress_to_addresses(policies, pods[name]) == {(identity_provider["cidr"], 443)}, name
    assert egress_to_addresses(policies, pods["intake-workers"]) == {
        (identity_provider["cidr"], 443),
        ("0.0.0.0/0", 443),
        ("0.0.0.0/0", 587),
        ("0.0.0.0/0", 465),
    }
    for name in ("intake-migrate", "capacity-migrate", "matching-migrate"):
        assert egress_to_addresses(policies, pods[name]) == set(), name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_ingress_serves_intake_and_capacitys_provider_api_over_tls_and_never_metrics(overlay: str) -> None:
    ingresses = of_kind(overlay, "Ingress")
    backends = set()
    for ingress in ingresses:
        hosts = {rule["host"] for rule in ingress["spec"]["rules"]}
        assert hosts <= {host for tls in ingress["spec"]["tls"] for host in tls["hosts"]}
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backends.add(path["backend"]["service"]["name"])
                assert path["path"] not in {"/metrics", "/healthz", "/readyz"}
                assert not (path["path"] == "/" and path["pathType"] == "Prefix"), "a / prefix would route /metrics"
    assert backends == {"intake", "capacity"}
    capacity_paths = {
        p["path"] for p in named(overlay, "Ingress", "capacity-providers")["spec"]["rules"][0]["http"]["paths"]
    }
    assert {"/v1/providers", "/v1/units"} <= capacity_paths
    assert not capacity_paths & {"/v1/candidates", "/v1/reservations", "/v1/client-keys"}
    # Matching's change feed is for matching alone, inside the cluster.
    assert not any(path.startswith("/internal") for path in capacity_paths)


def test_postgresql_is_three_instances_with_a_role_and_database_per_service_and_point_in_time_backups() -> None:
    cluster = named("production", "Cluster", "regiepunt-db")["spec"]
    assert cluster["instances"] == 3
    roles = {role["name"]: role for role in cluster["managed"]["roles"]}
    assert set(roles) == set(SERVICE_PORTS)
    assert {role["passwordSecret"]["name"] for role in roles.values()} == {f"regiepunt-{s}-db" for s in SERVICE_PORTS}
    databases = {d["spec"]["name"]: d["spec"]["owner"] for d in of_kind("production", "Database")}
    assert databases == {service: service for service in SERVICE_PORTS}
    assert "host intake,capacity,matching all all reject" in cluster["postgresql"]["pg_hba"]
    store = cluster["backup"]["barmanObjectStore"]
    assert store["destinationPath"].startswith("s3://") and "wal" in store
    assert named("production", "ScheduledBackup", "regiepunt-db-nightly")["spec"]["cluster"]["name"] == "regiepunt-db"
    pooler = named("production", "Pooler", POOLER)["spec"]
    assert pooler["pgbouncer"]["poolMode"] == "session"
    pooler_file = (ROOT / "deploy" / "k8s" / "base" / "database" / "pooler.yaml").read_text(encoding="utf-8")
    assert "asyncpg" in pooler_file and "prepared statement" in pooler_file


def test_the_alerts_read_metrics_the_services_export() -> None:
    rule = named("production", "PrometheusRule", "regiepunt")
    alerts = {r["alert"]: r["expr"] for group in rule["spec"]["groups"] for r in group["rules"]}
    assert {
        "RegiepuntOutboxBacklogGrowing",
        "RegiepuntProposalExpiringUnanswered",
        "RegiepuntWorkersNotRunning",
        "RegiepuntNotReady",
        "RegiepuntServerErrors",
    } <= set(alerts)
    sources = "".join(
        path.read_text(encoding="utf-8")
        for path in [*(ROOT / "libs" / "common" / "common").glob("*.py"), *(ROOT / "services").glob("*/*/**/*.py")]
    )
    for expr in alerts.values():
        for metric in re.findall(r"regiepunt_[a-z_]+", expr):
            assert f'"{metric}"' in sources, f"{metric} is not exported by any service"
    monitor = named("production", "ServiceMonitor", "regiepunt")
    assert monitor["spec"]["endpoints"][0]["path"] == "/metrics"


def test_the_rekey_job_validates_and_runs_as_the_other_pods_do() -> None:
    path = ROOT / "deploy" / "k8s" / "jobs" / "rekey-client-keys.yaml"
    result = subprocess.run(
        [tool("kubernetes-validate"), "--strict", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "WARN" not in result.stdout, result.stdout + result.stderr
    job = yaml.safe_load(path.read_text(encoding="utf-8"))
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["capabilities"] == {"drop": ["ALL"]}
    assert job["spec"]["template"]["spec"]["securityContext"]["runAsUser"] == 10001
