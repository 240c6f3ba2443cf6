"""Every kind-specific decision goes through the kind registry (ocmp/core/kinds)."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import ocmp
from ocmp.clients import Clients, ClientSettings
from ocmp.clients.credentials import AuthSettings
from ocmp.clients.publisher_types import Artifact
from ocmp.core.kinds import (
    ImportedPackage,
    ListingKind,
    kind_of,
    kind_of_package,
    names,
    register,
    unregister,
)
from ocmp.core.publish.desired import desired_state
from ocmp.core.publish.engine import execute
from ocmp.core.publish.run import Target
from ocmp.core.publish.service import load_project, prepare_run
from ocmp.core.publish.steps import steps_for
from ocmp.errors import CloudError, InputError
from ocmp.sandbox import Sandbox
from tests.commands.publish_support import fast
from tests.conftest import RunCli

OCMP = Path(ocmp.__file__).parent
# Where the API's kind names may be spelled: the kinds themselves, the schema models'
# docs, and the sandbox (which emulates Oracle and imports nothing of ocmp).
ALLOWED = (OCMP / "core" / "kinds", OCMP / "schemas", OCMP / "sandbox")
PACKAGE_TYPES = {"MACHINE_IMAGE", "STACK"}


def _sources() -> Iterator[tuple[Path, ast.AST]]:
    for path in sorted(OCMP.rglob("*.py")):
        if not any(path.is_relative_to(a) for a in ALLOWED):
            yield path, ast.parse(path.read_text("utf-8"), str(path))


def test_no_package_type_is_spelled_outside_the_kinds() -> None:
    found = [
        f"{path.relative_to(OCMP.parent)}:{node.lineno}: {node.value!r}"
        for path, tree in _sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in PACKAGE_TYPES
    ]
    assert found == []


def test_the_publish_engine_never_compares_a_kind_name() -> None:
    """``kind == "stack"`` is how a new kind used to become STACK silently."""
    engine = OCMP / "core" / "publish"
    found = []
    for path, tree in _sources():
        if not path.is_relative_to(engine):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                consts = [c for c in [node.left, *node.comparators] if isinstance(c, ast.Constant)]
                if any(c.value in names() for c in consts):
                    found.append(f"{path.name}:{node.lineno}")
    assert found == []


def test_an_unknown_kind_is_an_error_not_a_default() -> None:
    with pytest.raises(InputError, match="unknown listing kind 'helm'"):
        kind_of("helm")
    with pytest.raises(CloudError, match="'HELM_CHART', which ocmp does not know"):
        kind_of_package("HELM_CHART")
    assert kind_of_package("MACHINE_IMAGE").name == "image"
    assert kind_of_package("STACK").name == "stack"


def test_a_package_type_belongs_to_one_kind() -> None:
    class Twin(BundleKind):
        name = "twin"
        package_type = "MACHINE_IMAGE"

    with pytest.raises(ValueError, match="already kind image"):
        register(Twin())
    assert "twin" not in names()


class BundleKind(ListingKind):
    """A kind that exists only in this test: a new module is all it takes."""

    name = "bundle"
    package_type = "TEST_BUNDLE"
    artifact_field = "bundle"
    template = "image"

    def artifact_block(self, listing: Any) -> dict[str, Any]:
        return {"bundleUrl": f"https://example.com/{listing.package.version}.tgz"}

    def read_artifact(
        self, artifact: Artifact, download: Callable[[str], bytes]
    ) -> ImportedPackage:
        return ImportedPackage(self.name, {"url": artifact.name})


@pytest.fixture
def bundle() -> Iterator[ListingKind]:
    kind = register(BundleKind())
    yield kind
    unregister(kind.name)


def _as_bundle(loaded: Any) -> Any:
    # The schema model stays the image's (the fake kind has none): only ``kind`` differs.
    return dataclasses.replace(loaded, model=loaded.model.model_copy(update={"kind": "bundle"}))


def test_a_registered_kind_drives_desired_and_the_plan(
    bundle: ListingKind, run_cli: RunCli, sandbox_env: Sandbox, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast(monkeypatch)
    assert run_cli("init", "b", "--kind", "image", "--non-interactive").exit_code == 0
    loaded = _as_bundle(load_project(tmp_path / "b"))
    d = desired_state(loaded.model, loaded.root, sandbox_env.tenancy_id)
    assert (d.kind, d.package_type) == ("bundle", "TEST_BUNDLE")
    assert d.artifact_block == {"bundleUrl": "https://example.com/1.0.0.tgz"}
    assert d.stack_path is None  # no source folder: the kind said so

    auth = AuthSettings(config_file=Path(sandbox_env.config_file), profile=sandbox_env.profile)
    clients = Clients(ClientSettings(auth=auth, endpoint=sandbox_env.endpoint))
    run = prepare_run(clients, loaded, target=Target.PUBLIC, dry_run=True)
    assert run.resource_manager is None  # the kind does not use Resource Manager
    assert [name for name, _ in steps_for(run)] == [
        "terms", "artifact", "listing", "revision", "content", "attachments", "package",
        "submit", "review", "publish",
    ]
    outcome = execute(run)
    artifact = [c for c in outcome.changes if c.step == "artifact"]
    assert [c.target.split(" artifact ")[0] for c in artifact] == ["TEST_BUNDLE"]
    assert outcome.kind == "bundle" and outcome.writes == 0


def test_every_kind_has_a_template_and_policy_statements() -> None:
    from ocmp.core.policy import REQUIREMENTS, requirements_for

    for name in names():
        kind = kind_of(name)
        assert (OCMP / "templates" / kind.template / "listing.yaml.j2").is_file(), name
        assert requirements_for(name), name  # the IAM statements a listing of it needs
    assert {k for r in REQUIREMENTS for k in r.kinds} <= set(names())
