# Entry points for developers and CI. Each target runs a script in scripts/, which
# installs what it needs into .venv first. `make help` lists the targets.

.PHONY: help run test soak lint bench installer mutation clean

help: ## List the targets
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-9s %s\n", $$1, $$2}'

run: ## Run the sync server with demo data (scripts/run-demo.sh)
	bash scripts/run-demo.sh

test: ## Run the tests; pass pytest arguments with ARGS="..." (scripts/test.sh)
	bash scripts/test.sh $(ARGS)

soak: ## Run the convergence suite for 1000 runs per database (scripts/soak.sh)
	bash scripts/soak.sh $(ARGS)

lint: ## Run ruff, ruff format --check, mypy and import-linter (scripts/lint.sh)
	bash scripts/lint.sh

bench: ## Run every benchmarks/bench_*.py (scripts/bench.sh)
	bash scripts/bench.sh

mutation: ## Mutation testing of the core modules; ARGS="common/anumber.py" picks some (scripts/mutation.sh)
	bash scripts/mutation.sh $(ARGS)

installer: ## Build the frozen client and the .deb into dist/ (scripts/installer.sh)
	bash scripts/installer.sh

clean: ## Remove demo data, build artefacts and caches (keeps .venv)
	rm -rf .ecas-demo build dist .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
	find . -path ./.venv -prune -o -path ./.git -prune -o \
		\( -name '__pycache__' -o -name '*.egg-info' \) -type d -prune -exec rm -rf {} +
	find . -path ./.venv -prune -o -path ./.git -prune -o -name '*.py[co]' -type f -exec rm -f {} +
