"""NetworkPolicies evaluated as Kubernetes does: a connection is allowed when an egress rule of a
policy selecting the source admits it and an ingress rule of a policy selecting the target does."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Pod:
    name: str
    namespace: str
    labels: dict[str, str] = field(hash=False)
    ports: tuple[int, ...] = field(default=(), hash=False)


def selects(selector: dict[str, Any] | None, labels: dict[str, str]) -> bool:
    if selector is None:
        return True
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression["key"], expression["operator"], expression.get("values", [])
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and labels.get(key) in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


def _namespace_labels(namespace: str) -> dict[str, str]:
    return {"kubernetes.io/metadata.name": namespace}


def _peer_admits(peer: dict[str, Any], pod: Pod, policy_namespace: str) -> bool:
    if "ipBlock" in peer:
        return False  # addresses outside the cluster, not pods
    namespace_selector = peer.get("namespaceSelector")
    if namespace_selector is None:
        in_namespace = pod.namespace == policy_namespace
    else:
        in_namespace = selects(namespace_selector, _namespace_labels(pod.namespace))
    return in_namespace and selects(peer.get("podSelector"), pod.labels)


def _port_admits(rule: dict[str, Any], port: int) -> bool:
    ports = rule.get("ports")
    return not ports or any(p.get("port") in (None, port) and p.get("protocol", "TCP") == "TCP" for p in ports)


def _rules(policies: list[dict[str, Any]], pod: Pod, direction: str) -> list[tuple[dict[str, Any], str]] | None:
    """The rules of `direction` that apply to a pod, or None when no policy isolates it that way."""
    kind = "Ingress" if direction == "ingress" else "Egress"
    selecting = [
        p
        for p in policies
        if p["metadata"].get("namespace") == pod.namespace
        and selects(p["spec"].get("podSelector") or {}, pod.labels)
        and kind in p["spec"].get("policyTypes", ["Ingress"])
    ]
    if not selecting:
        return None
    return [(rule, p["metadata"].get("namespace", "")) for p in selecting for rule in p["spec"].get(direction) or []]


def allowed(policies: list[dict[str, Any]], source: Pod, target: Pod, port: int) -> bool:
    egress = _rules(policies, source, "egress")
    if egress is not None and not any(
        _port_admits(rule, port) and (not rule.get("to") or any(_peer_admits(peer, target, ns) for peer in rule["to"]))
        for rule, ns in egress
    ):
        return False
    ingress = _rules(policies, target, "ingress")
    return ingress is None or any(
        _port_admits(rule, port)
        and (not rule.get("from") or any(_peer_admits(peer, source, ns) for peer in rule["from"]))
        for rule, ns in ingress
    )


def egress_to_addresses(policies: list[dict[str, Any]], source: Pod) -> set[tuple[str, int]]:
    """(CIDR, port) of the addresses outside the cluster a pod may reach."""
    reached = set()
    for rule, _ns in _rules(policies, source, "egress") or []:
        for peer in rule.get("to") or []:
            if "ipBlock" in peer:
                for port in rule.get("ports") or []:
                    reached.add((peer["ipBlock"]["cidr"], int(port["port"])))
    return reached
