"""Identity (``/20160918``): region subscriptions, policies, the tenancy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ocmp.clients._base import ServiceWrapper, etag_of


@dataclass(frozen=True, slots=True)
class RegionSubscription:
    """One region the tenancy is subscribed to."""

    region: str  # us-ashburn-1
    key: str  # IAD
    status: str  # READY | IN_PROGRESS
    is_home: bool


@dataclass(frozen=True, slots=True)
class Policy:
    """An IAM policy and, when read singly, its etag."""

    id: str
    name: str
    compartment_id: str
    statements: tuple[str, ...]
    description: str = ""
    lifecycle_state: str = ""
    etag: str | None = None


def _policy(model: Any, etag: str | None = None) -> Policy:
    return Policy(
        id=model.id,
        name=model.name,
        compartment_id=model.compartment_id,
        statements=tuple(model.statements or ()),
        description=model.description or "",
        lifecycle_state=model.lifecycle_state or "",
        etag=etag,
    )


class IdentityClient(ServiceWrapper):
    """The Identity calls ocmp needs."""

    service = "identity"

    def list_region_subscriptions(self) -> list[RegionSubscription]:
        """The regions the credentials' tenancy is subscribed to."""
        response = self._send("list_region_subscriptions", self.tenancy_id)
        return [
            RegionSubscription(
                region=s.region_name,
                key=s.region_key or "",
                status=s.status or "",
                is_home=bool(s.is_home_region),
            )
            for s in response.data
        ]

    def list_policies(self, compartment_id: str | None = None) -> list[Policy]:
        """Every policy of a compartment (default: the root compartment, i.e. the tenancy)."""
        models = self._models("list_policies", compartment_id or self.tenancy_id)
        return [_policy(m) for m in models]

    def list_compartments(self, parent_id: str) -> list[str]:
        """OCIDs of the active compartments below ``parent_id``, at any depth."""
        models = self._models(
            "list_compartments",
            parent_id,
            compartment_id_in_subtree=True,
            access_level="ANY",
        )
        return [m.id for m in models if (m.lifecycle_state or "ACTIVE") == "ACTIVE"]

    def get_policy(self, policy_id: str) -> Policy:
        """One policy with its etag (for a later If-Match update)."""
        response = self._send("get_policy", policy_id)
        return _policy(response.data, etag_of(response))

    def create_policy(
        self,
        name: str,
        statements: Sequence[str],
        *,
        description: str,
        compartment_id: str,
        token: str | None = None,
    ) -> Policy:
        """Create a policy; the service rejects a duplicate name with 409.

        Retried only with a ``token`` (``opc-retry-token``): a repeated create after the
        first one went through would otherwise fail with that 409.
        """
        from oci.identity.models import CreatePolicyDetails

        details = CreatePolicyDetails(
            compartment_id=compartment_id,
            name=name,
            description=description,
            statements=list(statements),
        )
        extra: dict[str, Any] = {"opc_retry_token": token} if token else {}
        response = self._send(
            "create_policy", details, write=True, idempotent=token is not None, **extra
        )
        return _policy(response.data, etag_of(response))

    def update_policy(
        self, policy_id: str, statements: Sequence[str], *, if_match: str | None
    ) -> Policy:
        """Replace a policy's statements, only if nobody changed it since ``if_match``.

        Safe to retry: a PUT of the whole list, and with ``if_match`` a repeat after the
        first one went through fails with 412 instead of applying twice.
        """
        from oci.identity.models import UpdatePolicyDetails

        extra: dict[str, Any] = {"if_match": if_match} if if_match else {}
        details = UpdatePolicyDetails(statements=list(statements))
        response = self._send("update_policy", policy_id, details, write=True, **extra)
        return _policy(response.data, etag_of(response))
