# Two commands on a fresh machine: `make build`, then `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# What only the tests need, kept out of `make build`: the pip `test` extra (pytest, Playwright),
# the checkers pinned in package-lock.json (vnu-jar, axe-core), and Debian's chromium and jing.
TEST_STAMP := $(VENV)/.installed-test
NPM_STAMP := node_modules/.package-lock.json
CHROMIUM := /usr/bin/chromium

LOWEST := .venv-lowest
# ProperDocs, the drop-in continuation of MkDocs 1.6: the example is built with it too, and its
# outputs must match MkDocs' byte for byte (tests/test_engines.py).
PROPERDOCS_VENV := .venv-properdocs
PROPERDOCS := properdocs==1.6.7
PROPERDOCS_STAMP := $(PROPERDOCS_VENV)/.installed

.PHONY: build test test-lowest test-tools chromium debian-tools validate serve schema constraints clean

build: $(STAMP)
	$(BIN)/flare build

# The tests share the machine's cores, a test module to each process (its fixtures, servers and
# browser stay in one process): a 2-core machine runs the suite in about 4 minutes instead of 6.
PARALLEL := -n auto --dist loadfile

test: test-tools
	$(BIN)/python -m pytest $(PARALLEL)
	$(MAKE) test-lowest

# The same tests against the lowest versions pyproject.toml allows (constraints-lowest.txt), but
# for what does not depend on them: the browser, style, the release and other engines (each in
# an environment of its own) and the schema, which pydantic words a little differently from
# one version to the next.
test-lowest: test-tools
	test -x $(LOWEST)/bin/python || $(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet -c constraints-lowest.txt -e '.[test]'
	$(LOWEST)/bin/python -m pytest -q -p no:cacheprovider $(PARALLEL) \
		--ignore=tests/test_site_in_browser.py --ignore=tests/test_csp.py \
		--ignore=tests/test_style.py --ignore=tests/test_release.py --ignore=tests/test_engines.py \
		--deselect=tests/test_cli.py::test_the_committed_schema_is_the_one_the_models_give

# Installs only what is missing; safe to run again.
test-tools: $(TEST_STAMP) $(NPM_STAMP) $(PROPERDOCS_STAMP) chromium debian-tools

$(PROPERDOCS_STAMP): pyproject.toml constraints.txt
	test -x $(PROPERDOCS_VENV)/bin/python || $(PYTHON) -m venv $(PROPERDOCS_VENV)
	$(PROPERDOCS_VENV)/bin/python -m pip install --quiet -c constraints.txt $(PROPERDOCS) -e .
	touch $(PROPERDOCS_STAMP)

validate: $(STAMP)
	$(BIN)/flare validate

serve: $(STAMP)
	$(BIN)/flare serve

schema: $(STAMP)
	$(BIN)/flare schema -o schema/incident.schema.json

# Reinstall whenever the project's dependencies change.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP) pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(TEST_STAMP)

# --ignore-scripts: vnu-jar's postinstall would download a Java runtime from GitHub; the
# machine's Java 17 runs vnu.jar. gitlab-ci-local's re2 is then compiled here (its install
# script would first try to download a prebuilt binary), with the machine's gcc and Node headers.
$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm is needed to install the checkers in package.json (vnu-jar, axe-core)" >&2; exit 1; }
	npm ci --no-audit --no-fund --ignore-scripts
	npm rebuild re2
	touch $(NPM_STAMP)

# Debian's chromium, for the browser tests (never `playwright install`). Needs root; without it
# the browser tests skip and say why (unless FLARE_REQUIRE_CHECKERS=1, as in CI).
chromium:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian chromium for the browser tests"; \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
	else \
		echo "warning: $(CHROMIUM) is missing and installing it needs root (apt-get install chromium):" \
			"the browser tests will be skipped" >&2; \
	fi

# Debian's jing, which checks the Atom feeds against RFC 4287's schema (tests/atom.rnc). Needs
# root; without it the schema tests skip and say why (unless FLARE_REQUIRE_CHECKERS=1).
# Debian's jing (the Atom schema tests), faketime (a build under another clock must give the
# same site) and rsync (gitlab-ci-local copies the repository with it), each installed only when
# missing. Needs root; without it those tests skip and say
# why (unless FLARE_REQUIRE_CHECKERS=1, as in CI).
DEBIAN_TOOLS := jing faketime rsync
debian-tools:
	@missing=""; for tool in $(DEBIAN_TOOLS); do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian$$missing for the tests"; \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
		echo "warning:$$missing missing and installing needs root (apt-get install$$missing):" \
			"the tests that need them will be skipped" >&2; \
	fi

# Pin every package of the test environment at the versions installed now.
constraints: $(TEST_STAMP)
	{ sed -n '1,2p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable \
		| grep -v '^flare-status'; } > constraints.txt.new && mv constraints.txt.new constraints.txt

clean:
	rm -rf site .pytest_cache tests/artifacts
