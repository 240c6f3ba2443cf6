"""`ocmp init`: complete projects that validate clean, prompts, refusals, atomicity."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import RunCli


@pytest.mark.parametrize("kind", ["image", "stack"])
@pytest.mark.parametrize("pricing", ["FREE", "BYOL", "PAYGO"])
def test_generated_project_validates_clean(run_cli: RunCli, kind: str, pricing: str) -> None:
    made = run_cli("init", "demo", "--kind", kind, "--pricing", pricing, "--non-interactive")
    assert made.exit_code == 0, made.stderr
    checked = run_cli("validate", "demo", "--format", "json", "--strict")
    report = json.loads(checked.stdout)
    assert checked.exit_code == 0, report
    assert [f for f in report["findings"] if f["severity"] != "info"] == []
    # listing.yaml, and for a stack its .tf files and schema.yaml
    stack_files = len(list(Path("demo/terraform").glob("*.tf"))) + 1 if kind == "stack" else 0
    assert report["summary"]["files"] == 1 + stack_files


def test_image_project_has_every_file_and_demo_defaults(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("init", "img", "--non-interactive").exit_code == 0
    root = tmp_path / "img"
    for name in (
        "listing.yaml",
        "docs/usage.md",
        "docs/long_description.md",
        "terms/eula.md",
        "assets/icon.png",
        "assets/banner.png",
        "listing.schema.json",
        "README.md",
    ):
        assert (root / name).is_file(), name
    text = (root / "listing.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=listing.schema.json\n")
    data = yaml.safe_load(text)
    assert data["package"]["image"]["source_image"] == "ocid1.image.oc1.iad.aaaaaaaaocmpdemoimage"
    assert data["listing"]["products"] == [
        {"code": "applications", "categories": ["DEVELOPER_TOOLS"]}
    ]
    shape = data["package"]["image"]["shapes"][0]
    assert shape["shape"] == "VM.Standard.E4.Flex" and shape["ocpus"] and shape["memory_gbs"]
    assert (root / "assets/icon.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(tmp_path.glob(".img.*")), "the staging directory was left behind"
    umask = os.umask(0)
    os.umask(umask)
    # Like any new directory (mkdtemp's 0700 must not stick to the project).
    assert root.stat().st_mode & 0o777 == 0o777 & ~umask


def test_stack_project_carries_the_terraform_template(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("init", "stk", "--kind", "stack", "--non-interactive").exit_code == 0
    tf = tmp_path / "stk" / "terraform"
    assert list(tf.glob("*.tf")), "no Terraform files copied"
    assert yaml.safe_load((tmp_path / "stk/listing.yaml").read_text())["kind"] == "stack"


def test_flags_answer_every_question(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli(
        "init",
        "fw",
        "--non-interactive",
        "--name",
        "Acme Firewall",
        "--headline",
        "Next-generation firewall: for OCI",
        "--contact-email",
        "fw@acme.example",
        "--image-ocid",
        "ocid1.image.oc1.iad.aaaaaaaafirewall",
        "--version",
        "2.1.0",
        "--release-date",
        "2026-11-01",
    )
    assert result.exit_code == 0, result.stderr
    data = yaml.safe_load((tmp_path / "fw/listing.yaml").read_text())
    assert data["listing"]["name"] == "Acme Firewall"
    assert data["listing"]["headline"] == "Next-generation firewall: for OCI"
    assert data["listing"]["support_contacts"][0]["email"] == "fw@acme.example"
    assert data["listing"]["version"]["release_date"] == "2026-11-01"
    assert data["package"]["version"] == "2.1.0"
    assert data["package"]["image"]["source_image"] == "ocid1.image.oc1.iad.aaaaaaaafirewall"
    assert run_cli("validate", "fw").exit_code == 0


def test_prompts_on_a_terminal(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ocmp.commands.init._is_tty", lambda: True)
    answers = "Acme Vault\n\n\n\n\n\nvault@acme.example\n\n\n\n"
    result = run_cli("init", "vault", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "Listing name" in result.stdout
    data = yaml.safe_load((tmp_path / "vault/listing.yaml").read_text())
    assert data["listing"]["name"] == "Acme Vault"
    assert data["listing"]["support_contacts"][0]["email"] == "vault@acme.example"


def test_non_empty_directory_is_refused_without_force(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    refused = run_cli("init", "busy", "--non-interactive")
    assert refused.exit_code == 3
    assert "busy: directory is not empty" in refused.stderr
    assert not (tmp_path / "busy" / "listing.yaml").exists()
    forced = run_cli("init", "busy", "--non-interactive", "--force")
    assert forced.exit_code == 0
    assert (tmp_path / "busy" / "listing.yaml").is_file()
    assert (tmp_path / "busy" / "notes.txt").read_text() == "mine"


def test_bad_answer_names_the_option_and_writes_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("init", "bad", "--non-interactive", "--contact-email", "nobody")
    assert result.exit_code == 2
    assert "--contact-email" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_bad_image_ocid_is_refused(run_cli: RunCli) -> None:
    result = run_cli("init", "bad", "--non-interactive", "--image-ocid", "ami-123")
    assert result.exit_code == 2
    assert "--image-ocid" in result.stderr


@pytest.mark.parametrize(("given", "said"), [
    ("http://x", "'http://x' is not a web address"),
    ("https://localhost", "'https://localhost' is not a web address"),
    ("http://acme.example", "is not a secure address: use https://acme.example"),
])
def test_a_website_its_links_would_not_pass_is_a_usage_error(
    run_cli: RunCli, tmp_path: Path, given: str, said: str
) -> None:
    result = run_cli("init", "w", "--non-interactive", "--website", given)
    assert result.exit_code == 2
    assert "--website" in result.stderr and said in " ".join(result.stderr.split())
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("given", ["acme.example", "https://acme.example/", " Acme.Example "])
def test_a_bare_or_slashed_website_is_normalised_and_validates_clean(
    run_cli: RunCli, tmp_path: Path, given: str
) -> None:
    assert run_cli("init", "w", "--non-interactive", "--website", given).exit_code == 0
    data = yaml.safe_load((tmp_path / "w/listing.yaml").read_text())
    urls = [link["url"] for link in data["listing"]["support_links"]]
    assert urls and all(u.lower().startswith("https://acme.example/docs") for u in urls)
    result = run_cli("validate", "w")
    assert result.exit_code == 0 and "0 errors, 0 warnings" in result.stderr


def test_unknown_kind_is_a_usage_error(run_cli: RunCli) -> None:
    assert run_cli("init", "x", "--kind", "helm", "--non-interactive").exit_code == 2


def test_a_failing_render_leaves_nothing_behind(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ocmp.core import scaffold

    real_write = scaffold.write_file_atomic
    written: list[Path] = []

    def write_then_fail(path: Path, data: bytes | str, **kw: Any) -> None:
        if len(written) == 3:  # a few files are in the staging folder…
            raise OSError(28, "No space left on device")  # …then the disk fills up
        real_write(path, data, **kw)
        written.append(path)

    monkeypatch.setattr(scaffold, "write_file_atomic", write_then_fail)
    result = run_cli("init", "half", "--non-interactive")
    assert result.exit_code == 3
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
