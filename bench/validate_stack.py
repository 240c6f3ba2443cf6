"""Measure stack validation speed on a generated 200-file (~2 MB) Terraform stack.

Prints the raw python-hcl2 parse time of the files (one process, ``hcl2.loads`` per file),
the time of a cold ``ocmp validate`` (empty parse cache, a fresh process) and of a
re-validation of the unchanged stack (warm cache), with the ratios the targets refer to:
cold ≤ 0.25 × the raw python-hcl2 parse (issue 11: Terraform's own parser for the verdict,
ocmp's scanner for the structure). The raw parse is python-hcl2 because that was the reader.

    .venv/bin/python bench/validate_stack.py [--files 200] [--runs 1]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jinja2
from validate_real import ensure_bytecode

TEMPLATE = Path(__file__).resolve().parents[1] / "ocmp" / "templates" / "stack" / "terraform"

RESOURCES = '''
variable "cidr_{n}_{i}" {{
  type    = string
  default = "10.{i}.{n3}.0/24"
}}

locals {{
  name_{n}_{i} = "${{var.instance_display_name}}-{n}-{i}"
  ports_{n}_{i} = [22, 80, 443, {port}]
}}

resource "oci_core_security_list" "sl_{n}_{i}" {{
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.app.id
  display_name   = local.name_{n}_{i}

  egress_security_rules {{
    destination = "0.0.0.0/0"
    protocol    = "all"
  }}

  dynamic "ingress_security_rules" {{
    for_each = local.ports_{n}_{i}
    content {{
      source   = var.cidr_{n}_{i}
      protocol = "6"
      tcp_options {{
        min = ingress_security_rules.value
        max = ingress_security_rules.value
      }}
    }}
  }}
}}

resource "oci_core_subnet" "sn_{n}_{i}" {{
  count             = length(local.ports_{n}_{i}) > 2 ? 1 : 0
  compartment_id    = var.compartment_ocid
  vcn_id            = oci_core_vcn.app.id
  cidr_block        = var.cidr_{n}_{i}
  display_name      = "${{local.name_{n}_{i}}}-subnet"
  security_list_ids = [oci_core_security_list.sl_{n}_{i}.id]
  freeform_tags     = {{ "owner" = "bench", "index" = "{n}-{i}" }}
}}

output "subnet_{n}_{i}" {{
  value = oci_core_subnet.sn_{n}_{i}[0].id
}}
'''


def generate(folder: Path, files: int, per_file: int) -> int:
    """Write the template stack plus ``files`` generated .tf files; return total bytes."""
    shutil.copytree(TEMPLATE, folder)
    j2 = folder / "oci_images.tf.j2"
    (folder / "oci_images.tf").write_text(
        jinja2.Template(j2.read_text()).render(version="1.0.0", pricing="FREE"))
    j2.unlink()
    schema = folder / "schema.yaml"
    extra = []
    for n in range(files):
        body = "".join(
            RESOURCES.format(n=n, i=i, n3=n % 250, port=8000 + i) for i in range(per_file)
        )
        (folder / f"gen_{n:03d}.tf").write_text(body)
        extra += [f"      - cidr_{n}_{i}\n" for i in range(per_file)]
    text = schema.read_text().replace(
        "      - ssh_source_cidr\n", "      - ssh_source_cidr\n" + "".join(extra), 1
    )
    schema.write_text(text)
    return sum(p.stat().st_size for p in folder.glob("*.tf"))


def raw_parse(folder: Path) -> float:
    """Seconds to parse every .tf file with python-hcl2 in this process."""
    import hcl2

    texts = [p.read_text("utf-8") for p in sorted(folder.glob("*.tf"))]
    start = time.perf_counter()
    for text in texts:
        hcl2.loads(text)
    return time.perf_counter() - start


def validate(folder: Path, cache: Path) -> float:
    """Seconds for `ocmp validate --format json FOLDER` in a fresh process."""
    env = dict(os.environ, OCMP_CACHE_DIR=str(cache), NO_COLOR="1")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "ocmp", "validate", "--format", "json", str(folder)],
        env=env, capture_output=True, text=True, check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"ocmp validate failed ({done.returncode}): {done.stderr}")
    return elapsed


def main() -> None:
    """Generate, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--per-file", type=int, default=8, help="resource groups per file")
    parser.add_argument("--runs", type=int, default=1, help="repeat and keep the best time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ocmp-bench-") as tmp:
        folder = Path(tmp) / "stack"
        size = generate(folder, args.files, args.per_file)
        print(f"stack: {args.files} generated .tf files + template, {size / 1e6:.2f} MB, "
              f"cpus {os.cpu_count()}")
        raw = min(raw_parse(folder) for _ in range(args.runs))
        print(ensure_bytecode())
        colds, warms = [], []
        for run in range(args.runs):
            cache = Path(tmp) / f"cache-{run}"
            colds.append(validate(folder, cache))
            warms.append(validate(folder, cache))
        cold, warm = min(colds), min(warms)
        print(f"raw python-hcl2 parse : {raw:7.2f} s")
        print(f"ocmp validate, cold   : {cold:7.2f} s   ({cold / raw:.2f} × raw parse; "
              "target ≤ 0.25)")
        print(f"ocmp validate, warm   : {warm:7.2f} s   ({cold / warm:.1f} × faster than cold)")


if __name__ == "__main__":
    main()
