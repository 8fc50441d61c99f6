#!/usr/bin/env bash
# Runs every static check: ruff (lint and format), mypy, import-linter.
# All four run even when one fails; the script fails when any did.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

"$REPO/scripts/setup.sh" --dev

BIN="$REPO/.venv/bin"
summary=()
failed=0

# run_check NAME COMMAND...: runs one tool, records "ok"/"FAILED (exit N)" for the summary.
run_check() {
    local name="$1"
    shift
    echo "lint: == $name: $*"
    local status=0
    "$@" || status=$?
    if [[ $status -eq 0 ]]; then
        summary+=("ok      $name")
    else
        summary+=("FAILED  $name (exit $status)")
        failed=1
    fi
}

run_check "ruff check" "$BIN/ruff" check .
run_check "ruff format" "$BIN/ruff" format --check .
run_check "mypy" "$BIN/mypy"
run_check "import-linter" "$BIN/lint-imports"

echo "lint: summary"
for line in "${summary[@]}"; do
    echo "lint:   $line"
done
exit "$failed"
