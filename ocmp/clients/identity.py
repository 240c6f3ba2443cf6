"""Identity (``/20160918``): region subscriptions, policies, the tenancy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ocmp.clients._base import ServiceWrapper, cloud_call, etag_of, paginate


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

    @cloud_call
    def list_region_subscriptions(self) -> list[RegionSubscription]:
        """The regions the credentials' tenancy is subscribed to."""
        response = self.sdk.list_region_subscriptions(self.tenancy_id)
        return [
            RegionSubscription(
                region=s.region_name,
                key=s.region_key or "",
                status=s.status or "",
                is_home=bool(s.is_home_region),
            )
            for s in response.data
        ]

    @cloud_call
    def list_policies(self, compartment_id: str | None = None) -> list[Policy]:
        """Every policy of a compartment (default: the root compartment, i.e. the tenancy)."""
        models = paginate(self.sdk.list_policies, compartment_id or self.tenancy_id)
        return [_policy(m) for m in models]

    @cloud_call
    def list_compartments(self, parent_id: str) -> list[str]:
        """OCIDs of the active compartments below ``parent_id``, at any depth."""
        models = paginate(
            self.sdk.list_compartments,
            parent_id,
            compartment_id_in_subtree=True,
            access_level="ANY",
        )
        return [m.id for m in models if (m.lifecycle_state or "ACTIVE") == "ACTIVE"]

    @cloud_call
    def get_policy(self, policy_id: str) -> Policy:
        """One policy with its etag (for a later If-Match update)."""
        response = self.sdk.get_policy(policy_id)
        return _policy(response.data, etag_of(response))

    @cloud_call
    def create_policy(
        self, name: str, statements: Sequence[str], *, description: str, compartment_id: str
    ) -> Policy:
        """Create a policy; the service rejects a duplicate name with 409."""
        from oci.identity.models import CreatePolicyDetails

        details = CreatePolicyDetails(
            compartment_id=compartment_id,
            name=name,
            description=description,
            statements=list(statements),
        )
        response = self.sdk.create_policy(details)
        return _policy(response.data, etag_of(response))

    @cloud_call
    def update_policy(
        self, policy_id: str, statements: Sequence[str], *, if_match: str | None
    ) -> Policy:
        """Replace a policy's statements, only if nobody changed it since ``if_match``."""
        from oci.identity.models import UpdatePolicyDetails

        extra = {"if_match": if_match} if if_match else {}
        response = self.sdk.update_policy(
            policy_id, UpdatePolicyDetails(statements=list(statements)), **extra
        )
        return _policy(response.data, etag_of(response))
