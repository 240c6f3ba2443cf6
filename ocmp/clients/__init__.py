"""The only package that imports the oci SDK; it returns ocmp's own typed objects.

Use it through :class:`Clients`, a bundle built once per command run::

    clients = Clients(ClientSettings(auth=AuthSettings(profile="DEFAULT"), endpoint=None))
    clients.identity.list_region_subscriptions()
    clients.get(PublisherApi).find_listings(compartment_id)

Nothing is read or connected until first use: credentials are loaded on the first call
that needs them, each SDK client is built once, each wrapper once.

How to add a service wrapper (e.g. ``ocmp/clients/publisher.py``):

1. Subclass :class:`~ocmp.clients._base.ServiceWrapper`, set ``service`` to a key of
   :data:`~ocmp.clients._base.SDK_CLIENTS` (``publisher``, ``resource_manager``,
   ``marketplace``, ``identity``, ``compute``; add a key there for a new SDK client).
2. Give it methods that send each request with ``self._send("<operation>", …)`` (lists:
   ``self._models(…)``) and return frozen dataclasses of your own. Never call ``self.sdk``
   directly: ``_send`` applies the bundle's bounded retry policy (:mod:`ocmp.clients.retry`),
   counts the request and turns every SDK or connection failure into a ``CloudError``.
   Mark writes ``write=True``, and ``idempotent=False`` unless they carry a retry token,
   ``If-Match`` or replace the whole resource. Use :func:`~ocmp.clients._base.wait_until`
   to poll.
3. Callers get it with ``clients.get(YourWrapper)`` (built lazily, cached per bundle). The
   wrapper's constructor receives the SDK client, ``tenancy_id``, ``region``, the retry
   policy and the bundle's request counters.

Import ``oci`` only inside functions or in modules that are themselves imported lazily,
so that ``ocmp --version`` never pays for the SDK.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from ocmp.clients._base import ServiceWrapper, Timeouts, build_sdk_client
from ocmp.clients.auth import AuthMethod, AuthSettings, Credentials, load_credentials
from ocmp.clients.retry import CallStats, RetryPolicy

if TYPE_CHECKING:
    from ocmp.clients.compute import ComputeClient
    from ocmp.clients.identity import IdentityClient

__all__ = [
    "AuthMethod",
    "AuthSettings",
    "CallStats",
    "ClientSettings",
    "Clients",
    "Credentials",
    "RetryPolicy",
]

W = TypeVar("W", bound=ServiceWrapper)


@dataclass(frozen=True, slots=True)
class ClientSettings:
    """Everything that decides how ocmp reaches OCI."""

    auth: AuthSettings = field(default_factory=AuthSettings)
    endpoint: str | None = None  # one URL for every service (the sandbox), or None: by region
    timeouts: Timeouts = field(default_factory=Timeouts)
    # How every request is retried. Built by hand: one attempt, failures as they happen;
    # the commands pass RetryPolicy.from_env() (bounded backoff, see ocmp.clients.retry).
    retry: RetryPolicy = field(default_factory=RetryPolicy.single_attempt)


class Clients:
    """Lazily built service wrappers sharing one set of credentials."""

    def __init__(self, settings: ClientSettings) -> None:
        self.settings = settings
        self._credentials: Credentials | None = None
        self.stats = CallStats()  # every request any wrapper of this bundle sent
        self._sdk: dict[tuple[str, str | None], Any] = {}
        self._wrappers: dict[tuple[type[ServiceWrapper], str | None], ServiceWrapper] = {}

    @property
    def credentials(self) -> Credentials:
        """The signer and its facts, loaded on first use."""
        if self._credentials is None:
            self._credentials = load_credentials(self.settings.auth)
        return self._credentials

    @property
    def tenancy_id(self) -> str:
        """The tenancy OCID of the credentials (the root compartment)."""
        return self.credentials.tenancy_id

    @property
    def region(self) -> str:
        """The region the credentials (or ``--region``) name."""
        return self.credentials.region

    def sdk_client(self, service: str, region: str | None = None) -> Any:
        """The SDK client of ``service`` (a key of ``SDK_CLIENTS``), built once.

        ``region`` calls another region than the credentials' one (e.g. Ashburn for
        images); with ``--endpoint`` every region goes to that one endpoint.
        """
        key = (service, None if region == self.region else region)
        if key not in self._sdk:
            self._sdk[key] = build_sdk_client(
                service,
                self.credentials,
                endpoint=self.settings.endpoint,
                timeouts=self.settings.timeouts,
                region=key[1],
            )
        return self._sdk[key]

    def get(self, wrapper: type[W], region: str | None = None) -> W:
        """The wrapper of class ``wrapper`` (for ``region``, default: ours), built once."""
        key = (wrapper, None if region == self.region else region)
        found = self._wrappers.get(key)
        if found is None:
            found = wrapper(
                self.sdk_client(wrapper.service, key[1]),
                tenancy_id=self.tenancy_id,
                region=key[1] or self.region,
                policy=self.settings.retry,
                stats=self.stats,
            )
            self._wrappers[key] = found
        assert isinstance(found, wrapper)
        return found

    @property
    def identity(self) -> IdentityClient:
        """Identity: region subscriptions, policies, the tenancy."""
        from ocmp.clients.identity import IdentityClient

        return self.get(IdentityClient)

    @property
    def compute(self) -> ComputeClient:
        """Compute: images and their compatible shapes."""
        from ocmp.clients.compute import ComputeClient

        return self.get(ComputeClient)
