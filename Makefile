# Two commands on a fresh machine: `make build`, then `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test validate serve schema clean

build: $(STAMP)
	$(BIN)/flare build

test: $(STAMP)
	$(BIN)/python -m pytest

validate: $(STAMP)
	$(BIN)/flare validate

serve: $(STAMP)
	$(BIN)/flare serve

schema: $(STAMP)
	$(BIN)/flare schema -o schema/incident.schema.json

# Reinstall whenever the project's dependencies change.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf site .pytest_cache
