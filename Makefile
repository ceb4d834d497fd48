# Two commands set everything up: `make run` and `make test`.
VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
HOST    ?= 127.0.0.1
PORT    ?= 8000

.PHONY: run test test-fast lint test-sqlite test-postgres mutation fuzz soak bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

## run: install, migrate, load the demo district into an empty database, serve on http://127.0.0.1:8000
run: $(STAMP)
	$(BIN)/yingji db upgrade
	$(BIN)/yingji seed demo --if-empty
	$(BIN)/yingji serve --host $(HOST) --port $(PORT)

## test: lint, import contracts, the whole suite on SQLite (slow tests too), and again on PostgreSQL when
## YINGJI_TEST_DATABASE_URL is set (there the tests the engine can change: without the browser tests except
## those marked browser_postgres, and without those marked engine_neutral)
test: lint test-sqlite test-postgres

## test-fast: the suite without the tests marked slow (browser, subprocesses), on SQLite
test-fast: $(STAMP)
	env -u YINGJI_TEST_DATABASE_URL $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check $(wildcard src tests bench migrations scripts)
	$(BIN)/lint-imports

## The suite runs on both cores (pytest-xdist, one module per worker so a module's live server is made
## once; in the order tests/conftest.py gives, longest first, not xdist's "most tests first"); the tests marked timing assert wall-clock latency and run afterwards, alone. The demo is seeded
## once for the SQLite pass and the timing tests after it (YINGJI_TEST_TEMPLATE_DIR), once for PostgreSQL.
## The fuzz run sends FUZZ generated requests per operation here (a longer hunt: make fuzz).
## On PostgreSQL only the tests the database engine can change run (not those marked engine_neutral), and of
## a parametrized test its first case (not those marked engine_repeat): docs/testing.md gives the rules.
XDIST   ?= -n 2 --dist loadscope --no-loadscope-reorder
FUZZ    ?= 5

test-sqlite: $(STAMP)
	@shared="$$(mktemp -d /tmp/yingji-template.XXXXXX)"; trap 'rm -rf "$$shared"' EXIT; \
	export YINGJI_TEST_TEMPLATE_DIR="$$shared" YINGJI_FUZZ_EXAMPLES="$${YINGJI_FUZZ_EXAMPLES:-$(FUZZ)}"; \
	set -x; \
	env -u YINGJI_TEST_DATABASE_URL $(BIN)/python -m pytest -q --slow $(XDIST) -m "not timing" && \
	env -u YINGJI_TEST_DATABASE_URL $(BIN)/python -m pytest -q --slow -m timing

test-postgres: $(STAMP)
	@if [ -n "$$YINGJI_TEST_DATABASE_URL" ]; then \
		echo "== the suite again on PostgreSQL ($$YINGJI_TEST_DATABASE_URL)"; \
		$(BIN)/python -m pytest -q --slow $(XDIST) \
			-m "(not browser or browser_postgres) and not timing and not engine_neutral and not engine_repeat"; \
	else echo "YINGJI_TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

## mutation: mutmut over the standards modules, each against its tests (slow; not part of `make test`)
mutation: $(STAMP)
	scripts/mutation.sh

## fuzz: the OpenAPI fuzz run alone with 25 generated requests per operation (make test sends FUZZ=5)
fuzz: $(STAMP)
	env -u YINGJI_TEST_DATABASE_URL YINGJI_FUZZ_EXAMPLES=25 $(BIN)/python -m pytest -q -s tests/web/test_fuzz_openapi.py

## soak: the duty-room wall for 10 minutes of live events, its page's memory checked flat (make test: 2 minutes)
soak: $(STAMP)
	YINGJI_SOAK_MINUTES=10 $(BIN)/python -m pytest -q -s tests/browser/test_screen.py -k heap_flat

bench: $(STAMP)
	@for b in $(wildcard bench/*.py); do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
