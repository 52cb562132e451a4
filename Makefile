# Operator targets. Every target creates .venv with pinned dependencies first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DATA ?= data
SAMPLE := $(DATA)/sample
SCALE ?= 200
SEED ?= 42
CLI := $(BIN)/legal2odoo --data-dir $(DATA)

.PHONY: setup sample extract extract-actionstep build load demo test test-all test-real-odoo lint \
  typecheck bench bench-firm clean preflight verify report help mapping

setup: $(STAMP)

$(STAMP): pyproject.toml sandbox/pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]' -e ./sandbox
	touch $(STAMP)

# A new firm starts clean: raw, and the Actionstep state (tokens naming the previous sandbox's
# port, high-water marks of the previous firm) that belongs with it.
sample: setup  ## synthetic firm for both sources
	rm -rf $(SAMPLE) $(DATA)/raw $(DATA)/state/actionstep
	$(CLI) sample-data --scale $(SCALE) --seed $(SEED) --out $(SAMPLE)

extract: setup  ## read the sources into raw Parquet
	$(CLI) extract captorra --export $(SAMPLE)/captorra/export.csv \
	  --fields $(SAMPLE)/captorra/fields.csv --attachments $(SAMPLE)/captorra/attachments

AS_PORT ?= 8765
# Sandbox credentials only (public, fake); a real firm's come from the environment or .env.
AS_SANDBOX_ENV := ACTIONSTEP_API_URL= ACTIONSTEP_ACCESS_TOKEN= \
  ACTIONSTEP_TOKEN_URL=http://127.0.0.1:$(AS_PORT)/api/oauth/token \
  ACTIONSTEP_REFRESH_TOKEN=sandbox-refresh-token \
  ACTIONSTEP_CLIENT_ID=sandbox-client ACTIONSTEP_CLIENT_SECRET=sandbox-secret

# Refuse a port something else listens on: the wait loops below would take that server for
# ours and extract from, or load into, another program's sandbox.
port_free = if (exec 3<>/dev/tcp/127.0.0.1/$(1)) 2>/dev/null; then \
	  echo "port $(1) is already in use: set $(2) to a free port" >&2; exit 1; fi

extract-actionstep: setup  ## the sample firm through the local Actionstep API
	@set -euo pipefail; mkdir -p $(DATA); $(call port_free,$(AS_PORT),AS_PORT); \
	$(BIN)/legal2odoo sandbox actionstep --firm $(SAMPLE) --port $(AS_PORT) \
	  > $(DATA)/actionstep-sandbox.log 2>&1 & pid=$$!; \
	trap 'kill $$pid 2>/dev/null || true' EXIT; \
	for _ in $$(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$(AS_PORT)) 2>/dev/null && break; sleep 0.1; done; \
	$(AS_SANDBOX_ENV) $(CLI) extract actionstep --trust-export $(SAMPLE)/actionstep/trust_ledger.csv

build: setup  ## dbt build: models and their tests (target snapshot: the sample firm's Odoo)
	$(CLI) build --odoo-snapshot $(SAMPLE)/odoo

load: setup  ## write Odoo import CSVs for the sample firm's Odoo (its snapshot built the marts)
	$(CLI) load --to csv --snapshot-of-target

ODOO_PORT ?= 8769
# The demo's target Odoo: the Odoo that ODOO_URL names, else a sandbox started here (sandbox
# credentials only: public, fake), holding the sample firm's Odoo side.
DEMO_ODOO := if [ -z "$${ODOO_URL:-}" ]; then \
	  rm -rf $(DATA)/audit.duckdb $(DATA)/reports; $(call port_free,$(ODOO_PORT),ODOO_PORT); \
	  $(BIN)/legal2odoo sandbox odoo --firm $(SAMPLE) --port $(ODOO_PORT) \
	    > $(DATA)/odoo-sandbox.log 2>&1 & pid=$$!; \
	  trap 'kill $$pid 2>/dev/null || true' EXIT; \
	  export ODOO_URL=http://127.0.0.1:$(ODOO_PORT) ODOO_DB=odoo ODOO_USER=admin \
	    ODOO_PASSWORD=admin ODOO_API_KEY= ODOO_PROTOCOL=xmlrpc; \
	  for _ in $$(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$(ODOO_PORT)) 2>/dev/null && break; sleep 0.1; done; \
	fi

# With ODOO_URL set, the marts are rebuilt against that Odoo's own snapshot (its users, partners,
# fields) and preflight's blocking findings are reported, not fatal: --apply-schema creates the
# custom fields it lists as missing.
demo: sample extract extract-actionstep build  ## the whole flow on the bundled synthetic firm
	@set -euo pipefail; own_odoo=$${ODOO_URL:-}; $(DEMO_ODOO); \
	if [ -n "$$own_odoo" ]; then \
	  $(CLI) extract odoo; $(CLI) build; \
	  $(CLI) preflight || echo "preflight: see above; the load below creates missing custom fields"; \
	else \
	  $(CLI) preflight --odoo-snapshot $(SAMPLE)/odoo; \
	fi; \
	$(CLI) load --to odoo --apply-schema; \
	$(CLI) load --to csv --snapshot-of-target; \
	$(CLI) verify || echo "verify: beyond the tolerance, see above (the report says why)"; \
	$(CLI) report; \
	run=$$(ls -1 $(DATA)/reports | sort | tail -1); \
	echo; echo "demo done:"; \
	echo "  raw Parquet        $(DATA)/raw"; \
	echo "  marts              $(DATA)/warehouse.duckdb"; \
	echo "  ledger             $(DATA)/audit.duckdb"; \
	echo "  import CSVs        $(DATA)/out/odoo-import (IMPORT.md)"; \
	echo "  preflight, diff    $(DATA)/reports/*/preflight.json, $(DATA)/reports/$$run/diff.csv"; \
	echo "  report             $(DATA)/reports/$$run/report.html"; \
	echo "  schema plan        $(DATA)/exports/odoo_schema_plan.yaml"

preflight: setup  ## what blocks or degrades the load (ODOO_* settings for the API check)
	$(CLI) preflight --odoo-snapshot $(SAMPLE)/odoo

verify: setup  ## read back a load run (RUN=…, default the newest) and reconcile it
	$(CLI) verify $(RUN)

report: setup  ## HTML report of a load run (RUN=…, default the newest)
	$(CLI) report $(RUN)

mapping: setup  ## docs/mapping.md (Odoo field <- source field) from the marts' column meta
	$(BIN)/python -m legal2odoo.mapping_doc

lint: setup  ## ruff (lint and format), sqlfluff over the dbt models (.sqlfluff), then mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint models
	$(MAKE) --no-print-directory typecheck

# mypy over the legal2odoo package as it installs (extract/, load/, trust/ inside it): the
# layout is rebuilt as symlinks, which mypy reads like the installed package.
TYPECHECK := .typecheck
typecheck: setup  ## mypy over legal2odoo (extract, load, trust, the CLI)
	rm -rf $(TYPECHECK) && mkdir -p $(TYPECHECK)/legal2odoo
	ln -s $(CURDIR)/legal2odoo/*.py $(CURDIR)/legal2odoo/cli $(TYPECHECK)/legal2odoo/
	for pkg in extract load trust; do ln -s $(CURDIR)/$$pkg $(TYPECHECK)/legal2odoo/$$pkg; done
	cd $(TYPECHECK) && ../$(BIN)/mypy --config-file ../pyproject.toml -p legal2odoo

# Test tiers: `slow` marks every test that builds a whole firm's warehouse (tests/conftest.py
# marks the users of such fixtures) or runs a big pipeline; `real_odoo` ones skip without one.
test: lint  ## fast tier (~3 min): ruff, mypy, unit tests, one small firm extract → build → sandbox load → verify
	$(BIN)/pytest -m "not slow"

test-all: test  ## make test, then the slow tier: whole-firm warehouses, big pipelines, CSV route
	$(BIN)/pytest -m slow

test-real-odoo: setup  ## real_odoo tests: loader and the demo flow first (they restore the db), then conformance, against ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD
	$(BIN)/pytest -m real_odoo tests/loader tests/csv_route tests/trust/test_real_odoo_flow.py \
	  tests/trust/test_source_html_real_odoo.py tests/sandbox_odoo

bench: setup  ## benchmarks into docs/benchmarks.md
	$(BIN)/python -m bench.run

# A whole firm through every stage into the Odoo that ODOO_URL/ODOO_DB/ODOO_USER/ODOO_PASSWORD
# name (it is written to: a private one, e.g. /work/shared/real-odoo with its own REAL_ODOO_*;
# RESET=1 runs its reset-db.sh before the load). AS_RATE: the local Actionstep API's limit per
# minute, 0 = none (the real limit's time is computed from the request count, REAL_LIMIT/min).
MATTERS ?= 50000
LEADS ?= 50000
AS_RATE ?= 0
REAL_LIMIT ?= 120
BENCH_WORK ?= /tmp/legal2odoo-bench-firm
bench-firm: setup  ## benchmark, not a test: MATTERS + LEADS firm end to end on ODOO_URL, into docs/benchmarks.md
	nice -n 10 $(BIN)/python -m bench.firm_end_to_end --matters $(MATTERS) --leads $(LEADS) \
	  --work $(BENCH_WORK) --as-rate $(AS_RATE) --real-limit $(REAL_LIMIT) $(if $(RESET),--reset)

clean:
	rm -rf $(DATA) target logs

help:  ## the targets and what they run (the `##` notes in this Makefile)
	@grep -E '^[a-z-]+:.*## ' $(firstword $(MAKEFILE_LIST)) | sed -E 's/:[^#]*## /\t/' | expand -t 20
