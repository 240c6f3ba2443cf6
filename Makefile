# Two commands on a fresh machine with only python3: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RUNTIME := $(VENV)/.runtime
DEMO   := .demo

.PHONY: demo test test-fast lint typecheck contracts pytest pytest-fast clean bench-checkov

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# only what ocmp needs at run time (make test adds the dev extras to the same venv)
$(RUNTIME): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME)

# one release repository (an image listing + the stack that launches it), validated and
# privately published on the built-in sandbox
demo: $(RUNTIME)
	$(BIN)/python scripts/demo.py $(DEMO)

lint: $(STAMP)
	$(BIN)/ruff check ocmp tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/pytest -n auto

test: lint typecheck contracts pytest

# The edit loop: ruff and every test but the long end-to-end ones (`slow`: crash matrices,
# recovery runs) and those that drive the real oci-cli (`cli_conformance`). `make test`
# still runs all of them; run it before you commit.
pytest-fast: $(STAMP)
	$(BIN)/pytest -n auto -m "not slow and not cli_conformance"

test-fast: lint pytest-fast

# checkov (the scanner bench/validate_real.py compares with) in its own venv: it pins
# packages older than ocmp's tools need, so it stays out of .venv.
bench-checkov:
	test -x .bench-checkov/bin/checkov || ($(PYTHON) -m venv .bench-checkov && \
	  .bench-checkov/bin/pip install --quiet checkov==3.3.30)

clean:
	rm -rf $(VENV) $(DEMO) .bench-checkov .mypy_cache .pytest_cache .ruff_cache
