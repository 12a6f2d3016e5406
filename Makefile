.PHONY: run test lint bench
run:   ## the embedded default with demo data
	bash scripts/run.sh
test:  ## the whole suite on real PostgreSQL and Redis
	bash scripts/test.sh
lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports
