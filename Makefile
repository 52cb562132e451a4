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

.PHONY: setup sample extract build load demo test test-real-odoo lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

sample: setup  ## synthetic firm for both sources
	rm -rf $(SAMPLE) $(DATA)/raw
	$(CLI) sample-data --scale $(SCALE) --seed $(SEED) --out $(SAMPLE)

extract: setup  ## read the sources into raw Parquet
	$(CLI) extract captorra --export $(SAMPLE)/captorra/export.csv \
	  --fields $(SAMPLE)/captorra/fields.csv --attachments $(SAMPLE)/captorra/attachments

build: setup  ## dbt build: models and their tests (target snapshot: the sample firm's Odoo)
	$(CLI) build --odoo-snapshot $(SAMPLE)/odoo

load: setup  ## write Odoo import CSVs
	$(CLI) load --to csv

demo: sample extract build load  ## the whole job on the bundled synthetic firm
	@echo "demo done: raw Parquet in $(DATA)/raw, marts in $(DATA)/warehouse.duckdb, import files in $(DATA)/out/odoo-import"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint  ## pytest (which runs dbt build on generated data)
	$(BIN)/pytest

test-real-odoo: setup  ## tests marked real_odoo against ODOO_URL/ODOO_DB/ODOO_USER/ODOO_PASSWORD
	$(BIN)/pytest -m real_odoo

bench: setup  ## benchmarks into docs/benchmarks.md
	$(BIN)/python -m bench.run

clean:
	rm -rf $(DATA) target logs
