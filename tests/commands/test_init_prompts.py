"""`ocmp init` on a terminal: each answer is checked as it is typed, like the flags."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import RunCli


def test_a_bad_answer_on_a_terminal_is_asked_again_at_once(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ocmp.commands.init._is_tty", lambda: True)
    # name … contact name: defaults; e-mail, image OCID and pricing first answered badly.
    answers = [
        "Acme Vault", "", "", "", "not-a-url", "https://vault.example", "",
        "nobody", "vault@acme.example",
        "bad", "ocid1.image.oc1.iad.aaaaaaaavault",
        "nope", "byol",
        "",
    ]
    result = run_cli("init", "vault", "--kind", "image", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stdout + result.stderr
    out = result.stdout
    # Each bad answer is refused right after it is typed, before the next question.
    assert out.index("Error: 'not-a-url' is not a web address") < out.index("Support contact name")
    assert out.index("Error: value is not a valid email address") < out.index("Source image OCID")
    assert out.index("Error: expected an image OCID") < out.index("Pricing")
    assert out.index("Error: 'nope' is not one of FREE, BYOL, PAYGO") < out.index("Version")
    assert "^ocid1" not in out  # no regex shown to the user
    assert out.count("Source image OCID") == 2 and out.count("Pricing") == 2
    data = yaml.safe_load((tmp_path / "vault/listing.yaml").read_text())
    assert data["package"]["image"]["source_image"] == "ocid1.image.oc1.iad.aaaaaaaavault"
    assert data["listing"]["pricing"]["type"] == "BYOL"
    assert data["listing"]["support_contacts"][0]["email"] == "vault@acme.example"


def test_a_bad_flag_names_what_is_expected_not_a_regex(run_cli: RunCli) -> None:
    result = run_cli("init", "x", "--non-interactive", "--image-ocid", "bad")
    assert result.exit_code == 2  # a flag's value: a usage error
    assert "Invalid value for --image-ocid: expected an image OCID" in result.stderr
    assert "^ocid1" not in result.stderr


def test_a_real_terminal_re_asks_a_bad_pricing_answer(tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys
    import time

    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ocmp", "init", "x", "--kind", "stack"],
        stdin=terminal, stdout=terminal, stderr=terminal, cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"},
    )
    os.close(terminal)
    # Defaults up to the e-mail (no image question for a stack), then pricing: bad, good.
    os.write(controller, b"\n" * 7 + b"nope\nbyol\n\n")
    seen = b""
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            seen += os.read(controller, 4096)
        except OSError:  # the child closed the terminal
            break
    proc.wait(timeout=10)
    os.close(controller)
    text = seen.decode(errors="replace")
    assert proc.returncode == 0, text
    assert text.count("Pricing (FREE, BYOL, PAYGO)") == 2
    assert "Error: 'nope' is not one of FREE, BYOL, PAYGO (PAYGO is the paid model)" in text
    assert yaml.safe_load((tmp_path / "x/listing.yaml").read_text())["listing"]["pricing"][
        "type"
    ] == "BYOL"
