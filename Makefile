# marketlib: `make report` runs the main job, `make test` runs the tests. Both set up .venv themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
KERNEL_STAMP := $(VENV)/.kernel-stamp
CONSTRAINTS := requirements/constraints.txt
LOCK_VENV := .venv-lock
MARKETLIB := $(BIN)/marketlib
# The extras `make test` needs (and CI installs): tests, benchmarks, the Dask engine's equality tests.
EXTRAS := dev,bench,distributed

.PHONY: report test lab bench bench-pipeline clean venv fetch build lint lock screenshots

# Re-install only when pyproject.toml or the pinned versions changed (the stamp is older than them).
# Every install takes its versions from $(CONSTRAINTS), so a clean clone gets what was tested.
$(STAMP): pyproject.toml $(CONSTRAINTS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[$(EXTRAS)]'
	@touch $(STAMP)

# Re-pin: resolve the newest versions pyproject.toml allows in a throwaway venv and freeze them into
# $(CONSTRAINTS). Run it after adding or changing a dependency, then run `make test` and commit the file.
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install --quiet -e '.[$(EXTRAS)]'
	{ echo "# Pinned versions of every package marketlib installs (make venv / make test / CI install from it)."; \
	  echo "# Regenerate with: make lock"; \
	  $(LOCK_VENV)/bin/python -m pip freeze --exclude-editable | grep -v '^marketlib'; } > $(CONSTRAINTS).new
	mv $(CONSTRAINTS).new $(CONSTRAINTS)
	rm -rf $(LOCK_VENV)

# A Jupyter kernel named `marketlib`, installed inside the venv (papermill -k marketlib finds it there).
$(KERNEL_STAMP): $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name marketlib --display-name "Python (marketlib)" >/dev/null
	@touch $(KERNEL_STAMP)

# Bytecode for the editable source, as `pip install` writes it for installed packages: with
# PYTHONDONTWRITEBYTECODE set (as on CI machines) every command would otherwise compile ~30 modules (~80 ms).
# compileall rewrites only files whose source changed.
venv: $(KERNEL_STAMP)
	@$(BIN)/python -m compileall -q src/marketlib >/dev/null

fetch: venv
	$(MARKETLIB) fetch --all || echo "some sources failed (see the table above); continuing with what we have"

build: venv
	$(MARKETLIB) build

report: venv fetch build
	$(MARKETLIB) report

# Full-page PNGs of every exported page at 1400 and 390 px in reports/<date>/screenshots/ (headless Chromium,
# network blocked); runs `marketlib report` first only when no exported reports exist.
screenshots: venv
	$(BIN)/python -m marketlib.screenshots

lint: venv
	$(BIN)/ruff check src tests benchmarks

test: venv lint
	$(BIN)/python -m pytest

# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: venv
	$(BIN)/jupyter lab --notebook-dir=notebooks --MappingKernelManager.default_kernel_name=marketlib \
		--MappingKernelManager.transport_encryption=auto $(ALLOW_ROOT)

# `marketlib clean` as a process vs the one-pass I/O floor, ratios against the targets (benchmarks/README.md);
# the report refresh it also times needs the fetched snapshots.
bench: venv fetch
	$(BIN)/python benchmarks/cli.py

# The cleaning library in-process vs the pandas + re notebook baseline (the second anchor).
bench-pipeline: venv
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(LOCK_VENV) data/processed reports .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
