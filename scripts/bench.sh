#!/usr/bin/env bash
# Runs every benchmark: each benchmarks/bench_*.py, one after another, with the venv's
# Python. Extra arguments are passed to each benchmark. Fails when any benchmark fails.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

"$REPO/scripts/setup.sh" --dev

# The eROP package benchmark runs beside `qpdf --empty --pages`: Debian's qpdf.
ensure_qpdf() {
    if [[ ! -x /usr/bin/qpdf ]]; then
        echo "bench: installing Debian's qpdf"
        apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y qpdf
    fi
}
ensure_qpdf

shopt -s nullglob
benches=("$REPO"/benchmarks/bench_*.py)
if [[ ${#benches[@]} -eq 0 ]]; then
    echo "bench: no benchmarks/bench_*.py found" >&2
    exit 1
fi

export QT_QPA_PLATFORM=offscreen
failed=()
for bench in "${benches[@]}"; do
    name="benchmarks/$(basename "$bench")"
    echo "bench: == $name"
    "$REPO/.venv/bin/python" "$bench" "$@" || failed+=("$name")
done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "bench: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "bench: all ${#benches[@]} benchmark(s) ran"
