"""Credentials of a principal: the compute instance's or an OCI service's, no config file.

Split from :mod:`ocmp.clients.auth` (config-file profiles): these ask the SDK for a signer
that fetches its own tokens, and only need ``--region`` from the settings.
"""

from __future__ import annotations

import os

from ocmp.clients.credentials import AuthMethod, AuthSettings, Credentials
from ocmp.errors import CloudError, InputError


def principal_credentials(settings: AuthSettings) -> Credentials:
    """The credentials of ``--auth instance_principal`` or ``resource_principal``.

    Raises:
        InputError: the resource principal environment is missing or malformed (exit 3).
        CloudError: the instance metadata service could not be reached (exit 4).
    """
    if settings.method is AuthMethod.instance_principal:
        return _instance_principal(settings)
    return _resource_principal(settings)


def _instance_principal(settings: AuthSettings) -> Credentials:
    import oci

    try:
        signer = oci.auth.signers.InstancePrincipalsSecurityTokenSigner()
    except Exception as exc:  # the SDK raises many types when the metadata service is absent
        raise CloudError(
            f"instance principal unavailable: {type(exc).__name__}",
            hint="--auth instance_principal works only on an OCI instance in a dynamic group",
        ) from None
    region = settings.region or signer.region
    config = {"region": region, "tenancy": signer.tenancy_id}
    return Credentials(
        config, signer, signer.tenancy_id, region, settings.method, "instance principal"
    )


def _resource_principal(settings: AuthSettings) -> Credentials:
    import oci

    if not os.environ.get("OCI_RESOURCE_PRINCIPAL_VERSION"):
        raise InputError(
            "resource principal requested but OCI_RESOURCE_PRINCIPAL_VERSION is not set",
            hint="--auth resource_principal works inside OCI DevOps build runners, Functions "
            "and Data Flow, which set the OCI_RESOURCE_PRINCIPAL_* variables",
        )
    try:
        signer = oci.auth.signers.get_resource_principals_signer()
        tenancy = signer.tenancy_id
    except Exception as exc:  # malformed token, key or endpoint in the environment
        raise InputError(
            f"cannot use the resource principal from the environment: {type(exc).__name__}",
            hint="check the OCI_RESOURCE_PRINCIPAL_* variables (RPST, PRIVATE_PEM, REGION)",
        ) from None
    region = settings.region or getattr(signer, "region", None)
    if not region:
        raise InputError(
            "the resource principal has no region",
            hint="set OCI_RESOURCE_PRINCIPAL_REGION or pass --region",
        )
    config = {"region": region, "tenancy": tenancy}
    return Credentials(config, signer, tenancy, region, settings.method, "resource principal")
