"""Credentials the way the oci-cli finds them: config file + profile, or a principal.

Four methods, named as the oci-cli's ``--auth`` names them:

* ``api_key`` — a profile of an OCI config file (``user``, ``fingerprint``, ``key_file``,
  optional ``pass_phrase``, ``tenancy``, ``region``);
* ``security_token`` — a profile made by ``oci session authenticate`` (``security_token_file``
  + ``key_file``);
* ``instance_principal`` — the compute instance's certificate (only on an OCI instance);
* ``resource_principal`` — the ``OCI_RESOURCE_PRINCIPAL_*`` environment of OCI DevOps
  build runners, Functions and Data Flow.

Every local failure (missing or malformed file, unknown profile, unreadable key, wrong pass
phrase) becomes one :class:`~ocmp.errors.InputError` naming the file and the fix. Nothing
here ever puts key material or a pass phrase into a message: messages name files and keys,
never values.
"""

from __future__ import annotations

import configparser
from pathlib import Path
from typing import Any

from ocmp.clients.auth_principals import principal_credentials
from ocmp.clients.credentials import DEFAULT_PROFILE, AuthMethod, AuthSettings, Credentials
from ocmp.errors import InputError

_SETUP_HINT = (
    "create one with `oci setup config`, point --config-file (or OCI_CLI_CONFIG_FILE) at it, "
    "or try ocmp without an account: --sandbox"
)


def load_credentials(settings: AuthSettings) -> Credentials:
    """Build the signer for ``settings``.

    Raises:
        InputError: the config file, profile or key cannot be used (exit 3).
        CloudError: a principal's token service could not be reached (exit 4).
    """
    if settings.method in (AuthMethod.instance_principal, AuthMethod.resource_principal):
        return principal_credentials(settings)
    path = settings.resolved_config_file()
    profile = settings.resolved_profile()
    config = _read_profile(path, profile)
    if settings.region:
        config["region"] = settings.region
    if not config.get("region"):
        raise InputError(
            f"profile [{profile}] has no region",
            file=str(path),
            hint="add `region=us-ashburn-1` to the profile, or pass --region",
        )
    if not config.get("tenancy"):
        raise InputError(
            f"profile [{profile}] has no tenancy", file=str(path), hint="add `tenancy=ocid1…`"
        )
    # Loaded here first so that a bad key or pass phrase is an InputError naming the file.
    key = _load_private_key(config, path, profile)
    source = f"profile {profile} of {path}"
    if settings.method is AuthMethod.security_token:
        signer = _security_token_signer(config, key, path, profile)
    else:
        _validate_api_key_profile(config, path, profile)
        import oci

        signer = oci.signer.Signer(
            tenancy=config["tenancy"],
            user=config["user"],
            fingerprint=config["fingerprint"],
            private_key_file_location=config["key_file"],
            pass_phrase=config.get("pass_phrase"),
        )
    return Credentials(config, signer, config["tenancy"], config["region"], settings.method, source)


def _read_profile(path: Path, profile: str) -> dict[str, Any]:
    if not path.is_file():
        raise InputError("OCI config file not found", file=str(path), hint=_SETUP_HINT)
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with path.open(encoding="utf-8") as handle:
            parser.read_file(handle)
    except configparser.MissingSectionHeaderError as exc:
        raise InputError(
            "not an OCI config file: the first entry must be a [PROFILE] header",
            file=str(path),
            line=exc.lineno,
            hint="start the file with [DEFAULT]",
        ) from None
    except configparser.Error as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(
            f"cannot parse the OCI config file: {type(exc).__name__}",
            file=str(path),
            line=line if isinstance(line, int) else None,
            hint="each profile is a [NAME] header followed by key=value lines",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the OCI config file: {exc}", file=str(path)) from None
    # configparser always "has" DEFAULT; it exists for us only when it holds keys.
    exists = profile in parser.sections() or (profile == DEFAULT_PROFILE and parser.defaults())
    if not exists:
        names = ([DEFAULT_PROFILE] if parser.defaults() else []) + parser.sections()
        known = ", ".join(names) or "none"
        raise InputError(
            f"profile [{profile}] not found (profiles: {known})",
            file=str(path),
            hint="pass --profile NAME or set OCI_CLI_PROFILE",
        )
    config: dict[str, Any] = {"log_requests": False, "additional_user_agent": ""}
    config["pass_phrase"] = None
    config.update(parser[profile])
    # The SDK's request logging prints headers, Authorization included: never on.
    config["log_requests"] = False
    if "key_content" in config:
        # The SDK refuses inline keys in a file (a key must not travel with a shared config).
        raise InputError(
            f"profile [{profile}] sets key_content, which a config file may not hold",
            file=str(path),
            hint="put the key in a file and reference it with key_file",
        )
    return config


def _load_private_key(config: dict[str, Any], path: Path, profile: str) -> Any:
    import oci

    key_file = config.get("key_file")
    if not key_file:
        raise InputError(
            f"profile [{profile}] has no key_file",
            file=str(path),
            hint="add key_file=/path/to/oci_api_key.pem to the profile",
        )
    key_path = Path(key_file).expanduser()
    if not key_path.is_file():
        raise InputError(
            f"profile [{profile}]: key_file {key_path} does not exist",
            file=str(path),
            hint="fix key_file, or create a key with `oci setup keys` and upload its public half",
        )
    try:
        return oci.signer.load_private_key_from_file(str(key_path), config.get("pass_phrase"))
    except oci.exceptions.MissingPrivateKeyPassphrase:
        raise InputError(
            f"key {key_path} is encrypted and profile [{profile}] has no pass_phrase",
            file=str(path),
            hint="add pass_phrase=… to the profile",
        ) from None
    except (oci.exceptions.InvalidPrivateKey, ValueError, TypeError):
        raise InputError(
            f"key {key_path} is not a usable private key, or the pass phrase is wrong",
            file=str(path),
            hint="key_file must be the PEM private key (not the public one) matching fingerprint",
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read key {key_path}: {exc.strerror}", file=str(path)) from None


def _validate_api_key_profile(config: dict[str, Any], path: Path, profile: str) -> None:
    import oci

    try:
        oci.config.validate_config(config)
    except oci.exceptions.InvalidConfig as exc:
        problems = exc.args[0] if exc.args and isinstance(exc.args[0], dict) else {}
        detail = ", ".join(f"{k} {v}" for k, v in sorted(problems.items())) or "invalid"
        raise InputError(
            f"profile [{profile}] is not a valid API-key profile: {detail}",
            file=str(path),
            hint="user and tenancy are OCIDs, fingerprint is 16 colon-separated hex pairs",
        ) from None


def _security_token_signer(config: dict[str, Any], key: Any, path: Path, profile: str) -> Any:
    import oci

    token_file = config.get("security_token_file")
    if not token_file:
        raise InputError(
            f"profile [{profile}] has no security_token_file",
            file=str(path),
            hint=f"run `oci session authenticate --profile-name {profile}`, or use --auth api_key",
        )
    token_path = Path(token_file).expanduser()
    try:
        token = token_path.read_text(encoding="utf-8").strip()
    except OSError:
        raise InputError(
            f"profile [{profile}]: security_token_file {token_path} cannot be read",
            file=str(path),
            hint=f"run `oci session authenticate --profile-name {profile}`",
        ) from None
    try:
        container = oci.auth.security_token_container.SecurityTokenContainer(None, token)
        valid = container.valid()
    except Exception:  # not a JWT, or one without exp: never echo the token itself
        raise InputError(
            f"profile [{profile}]: security_token_file {token_path} does not hold a session token",
            file=str(path),
            hint=f"run `oci session authenticate --profile-name {profile}`",
        ) from None
    if not valid:
        raise InputError(
            f"the session token of profile [{profile}] has expired",
            file=str(token_path),
            hint=f"run `oci session refresh --profile {profile}` or `oci session authenticate`",
        )
    return oci.auth.signers.SecurityTokenSigner(token, key)
