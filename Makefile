# Two commands from nothing but python3 and make:
#   make run   - set up what serving needs, build the database from seeds/, serve on :8000
#   make test  - set up with the dev tools too, lint, type-check, run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt
# What serving needs (`pip install -e .`), then the dev extras on top, only for test and lint.
SERVE_STAMP := $(VENV)/.installed-serve
STAMP := $(VENV)/.installed
DB := data/summit.db
SEEDS := $(wildcard seeds/*.toml)
MIGRATIONS := $(wildcard migrations/*.py migrations/versions/*.py)
# The source texts to check the seeds' excerpts against, used only if the directory exists.
SOURCES ?= ../shared/sources
SOURCES_OPTION := $(if $(wildcard $(SOURCES)/.),--sources $(SOURCES))

.PHONY: run test lint db openapi bench soak mutate clean

$(SERVE_STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	touch $@

$(STAMP): $(SERVE_STAMP)
	$(PIP) -e '.[dev]'
	touch $@

# Rebuilt when missing or older than any seed file or migration.
$(DB): $(SERVE_STAMP) $(SEEDS) $(MIGRATIONS)
	$(BIN)/summit-api load --db $@ $(SOURCES_OPTION)

db: $(DB)

run: $(DB)
	DATABASE_URL=sqlite:///$(DB) $(BIN)/summit-api serve --host 0.0.0.0 --port 8000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

openapi: $(DB)
	@DATABASE_URL=sqlite:///$(DB) $(BIN)/summit-api openapi

# Benchmarks (wrk from Debian: apt-get install -y wrk); not part of `make test`.
bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/search_bench.py
	$(BIN)/python bench/growth.py

# Load and soak: 2 workers, 64 connections, good and bad URLs (needs wrk).
soak: $(STAMP)
	$(BIN)/python -m bench.soak

# Mutation testing of one module with its mirrored tests (or TESTS="a.py b.py"), e.g.
#   make mutate MODULE=app/edge/store.py
# in a scratch copy (.mutate/), whose setup.cfg names what mutmut mutates and runs.
MIRROR = $(dir $(patsubst app/%,tests/%,$(MODULE)))test_$(notdir $(MODULE))
TESTS ?= $(firstword $(wildcard $(MIRROR)) tests/test_$(notdir $(MODULE)))
mutate: $(STAMP)
	@test -f "$(MODULE)" || { echo "usage: make mutate MODULE=app/edge/store.py [TESTS=...]"; exit 2; }
	rm -rf .mutate && mkdir .mutate && cp -r app tests seeds migrations pyproject.toml .mutate/
	printf '[mutmut]\nsource_paths = app\nonly_mutate = %s\nalso_copy =\n    seeds\n    migrations\n' \
	    '$(MODULE)' > .mutate/setup.cfg
	printf 'pytest_add_cli_args_test_selection =\n' >> .mutate/setup.cfg
	for t in $(TESTS); do printf '    %s\n' "$$t" >> .mutate/setup.cfg; done
	cd .mutate && ../$(BIN)/mutmut run && ../$(BIN)/mutmut results

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache .mutate
