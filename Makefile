# The two commands of the README:  `make demo`  and  `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test setup lint typecheck audit browser java peer clean

$(BIN)/kabar: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/kabar

setup: $(BIN)/kabar

## Set up and run the main job: ingest the bundled seed corpus into ./kabar.db, print the story and its timeline.
demo: setup
	$(BIN)/kabar demo

SOURCES := $(wildcard kabar tests eval bench train scripts)

lint: setup
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)

typecheck: setup
	$(BIN)/mypy kabar

## Known vulnerabilities in the installed dependencies (pip-audit; says plainly when offline).
audit: setup
	$(BIN)/python scripts/audit.py

## Debian chromium + chromium-driver for the browser tests (skipped gracefully without root/apt).
browser:
	@bash scripts/install-browser.sh

## Debian Java 17 runtime for the Spark tests (skipped gracefully without root/apt).
java:
	@bash scripts/install-java.sh

## BERTopic for the peer comparison of bench/peer.py, in its light-weight install (no torch,
## no sentence-transformers: a scikit-learn embedding pipeline). Not a kabar dependency:
## neither `setup` nor CI installs it.
peer: setup
	$(BIN)/pip install --quiet 'umap-learn>=0.5' 'hdbscan>=0.8.29' 'pandas>=1.1.5' \
		'tqdm>=4.41.1' 'plotly>=4.7' 'pyyaml>=5.1'
	$(BIN)/pip install --quiet --no-deps 'bertopic>=0.17'

## A throwaway PostgreSQL on 127.0.0.1 for the store tests: scripts/postgres.sh installs the
## Debian package if missing (root + apt), starts it, sets KABAR_TEST_POSTGRES for the command
## and stops it afterwards; without a server the PostgreSQL tests skip.
## Set up and pass the tests (what CI runs). The test files are spread over TEST_WORKERS
## processes (pytest-xdist; a file stays in one process, so module fixtures are built once);
## much of the suite waits on servers, subprocesses and Spark's JVM. TEST_WORKERS=0: one process.
TEST_WORKERS ?= 2
test: setup lint typecheck audit browser java
	@bash scripts/postgres.sh run -- $(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile

clean:
	rm -rf $(VENV) build *.egg-info kabar.db kabar.db-*
