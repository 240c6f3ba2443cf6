"""Measure a cold `ocmp validate` of a realistic 10–30 file stack, against checkov and per parser.

The stack is the `ocmp init --kind stack` template plus a network and a compute module and
a few extra root files (security rules, a load balancer, cloud-init), written the way
vendor stacks are (modules, dynamic blocks, conditionals, templatefile). Printed:

* each Terraform reader on the same files, in this process: python-hcl2 (the former
  reader), pygohcl (HashiCorp's HCL, the syntax verdict), ocmp's scanner (structure), and
  tfparse (defsec's evaluator) when installed;
* a cold `ocmp validate` (fresh process, empty parse cache) — target ≤ 0.5 s wall;
* checkov on the same folder, when found — target: ocmp ≥ 5 × faster.

checkov lives in its own virtual environment (it pins packages ocmp's tools need newer):
`make bench-checkov` creates `.bench-checkov/`, which this script finds by itself.

    .venv/bin/python bench/validate_real.py [--runs 5] [--checkov PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jinja2

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "ocmp" / "templates" / "stack" / "terraform"

NETWORK_MODULE = {
    "variables.tf": '''variable "compartment_id" {}
variable "cidr" {
  type    = string
  default = "10.1.0.0/16"
}
variable "subnets" {
  type = map(object({ cidr = string, public = bool }))
  default = {
    app = { cidr = "10.1.1.0/24", public = true }
    db  = { cidr = "10.1.2.0/24", public = false }
  }
}
variable "label" {
  default = "app"
}
''',
    "main.tf": '''resource "oci_core_vcn" "this" {
  compartment_id = var.compartment_id
  cidr_blocks    = [var.cidr]
  display_name   = "${var.label}-vcn"
  dns_label      = var.label
}

resource "oci_core_internet_gateway" "igw" {
  compartment_id = var.compartment_id
  vcn_id         = oci_core_vcn.this.id
  display_name   = "${var.label}-igw"
}

resource "oci_core_nat_gateway" "nat" {
  compartment_id = var.compartment_id
  vcn_id         = oci_core_vcn.this.id
}

resource "oci_core_route_table" "public" {
  compartment_id = var.compartment_id
  vcn_id         = oci_core_vcn.this.id
  route_rules {
    destination       = "0.0.0.0/0"
    network_entity_id = oci_core_internet_gateway.igw.id
  }
}

resource "oci_core_route_table" "private" {
  compartment_id = var.compartment_id
  vcn_id         = oci_core_vcn.this.id
  route_rules {
    destination       = "0.0.0.0/0"
    network_entity_id = oci_core_nat_gateway.nat.id
  }
}

resource "oci_core_subnet" "this" {
  for_each                   = var.subnets
  compartment_id             = var.compartment_id
  vcn_id                     = oci_core_vcn.this.id
  cidr_block                 = each.value.cidr
  display_name               = "${var.label}-${each.key}"
  prohibit_public_ip_on_vnic = !each.value.public
  route_table_id = (each.value.public ? oci_core_route_table.public.id
    : oci_core_route_table.private.id)
}
''',
    "security.tf": '''locals {
  ports = { ssh = 22, http = 80, https = 443, admin = 8443 }
}

resource "oci_core_network_security_group" "app" {
  compartment_id = var.compartment_id
  vcn_id         = oci_core_vcn.this.id
  display_name   = "${var.label}-nsg"
}

resource "oci_core_network_security_group_security_rule" "ingress" {
  for_each                  = local.ports
  network_security_group_id = oci_core_network_security_group.app.id
  direction                 = "INGRESS"
  protocol                  = "6"
  source                    = "0.0.0.0/0"
  tcp_options {
    destination_port_range {
      min = each.value
      max = each.value
    }
  }
}
''',
    "outputs.tf": '''output "vcn_id" {
  value = oci_core_vcn.this.id
}
output "subnet_ids" {
  value = { for k, s in oci_core_subnet.this : k => s.id }
}
output "nsg_id" {
  value = oci_core_network_security_group.app.id
}
''',
}

EXTRA_ROOT = {
    "modules.tf": '''module "network" {
  source         = "./modules/network"
  compartment_id = var.compartment_ocid
  label          = "vendor"
}
''',
    "load_balancer.tf": '''resource "oci_load_balancer_load_balancer" "lb" {
  compartment_id = var.compartment_ocid
  display_name   = "${var.instance_display_name}-lb"
  shape          = "flexible"
  subnet_ids     = [module.network.subnet_ids["app"]]
  shape_details {
    minimum_bandwidth_in_mbps = 10
    maximum_bandwidth_in_mbps = 100
  }
}

resource "oci_load_balancer_backend_set" "app" {
  load_balancer_id = oci_load_balancer_load_balancer.lb.id
  name             = "app"
  policy           = "ROUND_ROBIN"
  health_checker {
    protocol = "HTTP"
    port     = 80
    url_path = "/health"
  }
}

resource "oci_load_balancer_backend" "app" {
  load_balancer_id = oci_load_balancer_load_balancer.lb.id
  backendset_name  = oci_load_balancer_backend_set.app.name
  ip_address       = oci_core_instance.app.private_ip
  port             = 80
}

resource "oci_load_balancer_listener" "http" {
  load_balancer_id         = oci_load_balancer_load_balancer.lb.id
  name                     = "http"
  default_backend_set_name = oci_load_balancer_backend_set.app.name
  port                     = 80
  protocol                 = "HTTP"
}
''',
    "storage.tf": '''resource "oci_core_volume" "data" {
  count               = 2
  availability_domain = local.availability_domain
  compartment_id      = var.compartment_ocid
  display_name        = "${var.instance_display_name}-data-${count.index}"
  size_in_gbs         = 100
}

resource "oci_core_volume_attachment" "data" {
  count           = 2
  attachment_type = "paravirtualized"
  instance_id     = oci_core_instance.app.id
  volume_id       = oci_core_volume.data[count.index].id
}
''',
    "tags.tf": '''locals {
  common_tags = merge(
    { "product" = "vendor-app", "managed-by" = "resource-manager" },
    var.extra_tags,
  )
}

variable "extra_tags" {
  type    = map(string)
  default = {}
}
''',
}


def generate(folder: Path) -> int:
    """Write the realistic stack; return its number of .tf files."""
    shutil.copytree(TEMPLATE, folder)
    j2 = folder / "oci_images.tf.j2"
    (folder / "oci_images.tf").write_text(
        jinja2.Template(j2.read_text()).render(version="1.0.0", pricing="FREE"))
    j2.unlink()
    for name, text in EXTRA_ROOT.items():
        (folder / name).write_text(text)
    module = folder / "modules" / "network"
    module.mkdir(parents=True)
    for name, text in NETWORK_MODULE.items():
        (module / name).write_text(text)
    return len(list(folder.rglob("*.tf")))


def ensure_bytecode() -> str:
    """Compile ocmp's modules to bytecode, as ``pip install`` does for a user's install.

    An editable checkout run with ``PYTHONDONTWRITEBYTECODE`` set (as on the build
    machines) otherwise compiles the ~90 modules a validation loads in every process: about
    0.15 s of a cold `ocmp validate` that no installed ocmp pays."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "ocmp")],
                   capture_output=True, check=True)
    return "ocmp compiled to bytecode first (as an installed wheel is)"


def spread(times: list[float]) -> str:
    """median (min–max) of a list of seconds."""
    return f"{statistics.median(times):5.2f} s ({min(times):.2f}–{max(times):.2f})"


def best(runs: int, measure: object) -> float:
    """The best of ``runs`` timings of ``measure()`` (a callable returning seconds)."""
    assert callable(measure)
    return min(measure() for _ in range(runs))


def parsers(texts: list[str], runs: int) -> None:
    """Print each reader's time on the same files."""
    import hcl2
    import pygohcl

    from ocmp.core.terraform.hcl_scan import scan_tf

    def timed(fn: object) -> float:
        assert callable(fn)
        start = time.perf_counter()
        for text in texts:
            fn(text)
        return time.perf_counter() - start

    raw = best(runs, lambda: timed(hcl2.loads))
    gohcl = best(runs, lambda: timed(pygohcl.loads))
    scan = best(runs, lambda: timed(scan_tf))
    print(f"python-hcl2 parse     : {raw * 1000:7.1f} ms")
    print(f"pygohcl (verdict)     : {gohcl * 1000:7.1f} ms   ({raw / gohcl:.0f} × faster)")
    print(f"ocmp scanner          : {scan * 1000:7.1f} ms   ({raw / scan:.0f} × faster)")
    print(f"verdict + scanner     : {(gohcl + scan) * 1000:7.1f} ms   "
          f"({raw / (gohcl + scan):.0f} × faster than python-hcl2)")


def tfparse_time(folder: Path, runs: int) -> None:
    """tfparse (defsec's evaluator) on the whole folder, when installed."""
    try:
        import tfparse
    except ImportError:
        print("tfparse               :   not installed (pip install tfparse==0.6.22)")
        return

    def once() -> float:
        start = time.perf_counter()
        tfparse.load_from_path(str(folder))
        return time.perf_counter() - start

    print(f"tfparse (evaluator)   : {best(runs, once) * 1000:7.1f} ms   (whole folder; "
          "block lines only)")


CPU_TIMES: list[float] = []  # CPU seconds of each cold run: less sensitive to a busy machine


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ocmp_cold(folder: Path, tmp: Path, runs: int) -> list[float]:
    """Wall times of `ocmp validate` in a fresh process with an empty cache."""
    times = []
    for _ in range(runs):
        cache = Path(tempfile.mkdtemp(prefix="cache-", dir=tmp))
        env = dict(os.environ, OCMP_CACHE_DIR=str(cache), NO_COLOR="1")
        cpu = _children_cpu()
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "ocmp", "validate", "--format", "json",
                               str(folder)], env=env, capture_output=True, text=True,
                              check=False)
        times.append(time.perf_counter() - start)
        CPU_TIMES.append(_children_cpu() - cpu)
        if done.returncode not in (0, 1):
            raise SystemExit(f"ocmp validate failed ({done.returncode}): {done.stderr}")
    return times


def find_checkov(given: str | None) -> str | None:
    """checkov from --checkov, $CHECKOV, `make bench-checkov`'s venv, or PATH."""
    for candidate in (given, os.environ.get("CHECKOV"),
                      str(ROOT / ".bench-checkov" / "bin" / "checkov")):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("checkov")


def checkov_time(checkov: str, folder: Path, runs: int) -> list[float]:
    """Wall times of checkov's Terraform scan, offline (--skip-download)."""
    env = dict(os.environ, BC_SKIP_MAPPING="TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2="false")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([checkov, "-d", str(folder), "--framework", "terraform", "--quiet",
                        "--compact", "--skip-download"], env=env, capture_output=True,
                       check=False)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    """Generate, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5,
                        help="repeat; medians are printed (min–max beside them)")
    parser.add_argument("--checkov", help="path of a checkov executable")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ocmp-bench-real-") as tmp:
        folder = Path(tmp) / "stack"
        count = generate(folder)
        texts = [p.read_text("utf-8") for p in sorted(folder.rglob("*.tf"))]
        print(f"stack: {count} .tf files in 2 modules, {sum(map(len, texts)) / 1024:.0f} KiB, "
              f"cpus {os.cpu_count()}")
        parsers(texts, args.runs)
        tfparse_time(folder, args.runs)
        print(ensure_bytecode())
        colds = ocmp_cold(folder, Path(tmp), args.runs)
        print(f"ocmp validate, cold   : {spread(colds)}   (target ≤ 0.5 s; "
              f"load average {os.getloadavg()[0]:.1f})")
        print(f"  its CPU time        : {spread(CPU_TIMES)}   (what wall time is on an idle "
              "machine)")
        checkov = find_checkov(args.checkov)
        if checkov is None:
            print("checkov               :   not found (`make bench-checkov` installs it)")
            return
        # Interleaved with ocmp's runs, so that both see the same load.
        others, colds = [], []
        for _ in range(args.runs):
            others += checkov_time(checkov, folder, 1)
            colds += ocmp_cold(folder, Path(tmp), 1)
        ratios = [o / c for o, c in zip(others, colds, strict=True)]
        print(f"checkov, terraform    : {spread(others)}   (ocmp, interleaved: "
              f"{spread(colds)}; ocmp {statistics.median(ratios):.1f} × faster, pair by pair "
              f"{min(ratios):.1f}–{max(ratios):.1f}; target ≥ 5)")


if __name__ == "__main__":
    main()
