# marketlib: `make report` runs the main job, `make test` runs the tests. Both set up .venv themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
KERNEL_STAMP := $(VENV)/.kernel-stamp
MARKETLIB := $(BIN)/marketlib

.PHONY: report test lab bench clean venv fetch build lint

# Re-install only when pyproject.toml changed (the stamp is older than it).
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench,distributed]'
	@touch $(STAMP)

# A Jupyter kernel named `marketlib`, installed inside the venv (papermill -k marketlib finds it there).
$(KERNEL_STAMP): $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name marketlib --display-name "Python (marketlib)" >/dev/null
	@touch $(KERNEL_STAMP)

venv: $(KERNEL_STAMP)

fetch: venv
	$(MARKETLIB) fetch --all || echo "some sources failed (see the table above); continuing with what we have"

build: venv
	$(MARKETLIB) build

report: venv fetch build
	$(MARKETLIB) report

lint: venv
	$(BIN)/ruff check src tests benchmarks

test: venv lint
	$(BIN)/python -m pytest

# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: venv
	$(BIN)/jupyter lab --notebook-dir=notebooks --MappingKernelManager.default_kernel_name=marketlib $(ALLOW_ROOT)

bench: venv
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) data/processed reports .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
