# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-sqlite test-postgres bench-smoke clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Demo data on the embedded SQLite default, then serve it.
run: $(STAMP)
	$(BIN)/scormapi demo

# The whole suite on SQLite; again on PostgreSQL when SCORMAPI_TEST_POSTGRES_URL
# names a server (.ci/run starts a throwaway one); then the benchmark smoke.
test: $(STAMP)
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$SCORMAPI_TEST_POSTGRES_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "SCORMAPI_TEST_POSTGRES_URL not set: PostgreSQL run skipped"; fi
	$(MAKE) --no-print-directory bench-smoke

test-sqlite: $(STAMP)
	SCORMAPI_TEST_DATABASE_URL= $(BIN)/pytest -n 2 --dist loadfile -q

test-postgres: $(STAMP)
	SCORMAPI_TEST_DATABASE_URL="$$SCORMAPI_TEST_POSTGRES_URL" $(BIN)/pytest -n 2 --dist loadfile -q

# The benchmark at a tiny size (seconds): every scenario must answer without
# errors. Figures at this size mean nothing; see bench/README.md.
bench-smoke: $(STAMP)
	@if ! command -v wrk >/dev/null && [ "$$CI" != true ]; then \
		echo "wrk not installed: benchmark smoke skipped (Debian: apt-get install wrk)"; \
	else \
		$(BIN)/scormapi bench smoke && \
		if [ -n "$$SCORMAPI_TEST_POSTGRES_URL" ]; then $(BIN)/scormapi bench smoke --db-url "$$SCORMAPI_TEST_POSTGRES_URL"; fi; \
	fi

clean:
	rm -rf $(VENV) data .pytest_cache
