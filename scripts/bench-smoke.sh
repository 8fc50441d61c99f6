#!/usr/bin/env bash
# A quick run of every benchmarks/bench_*.py with tiny sizes, so that none can break unseen
# (CI runs it after the tests). It checks that each benchmark still runs to its end and
# prints its table; the figures of a smoke run mean nothing (docs/PERFORMANCE.md has the
# measured ones, from `make bench`). A benchmark added without a line below fails the run.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
"$REPO/scripts/setup.sh" --dev >/dev/null
PY="$REPO/.venv/bin/python"
export QT_QPA_PLATFORM=offscreen
if [[ ! -x /usr/bin/qpdf ]]; then  # bench_packages' peer, as scripts/bench.sh installs it
    echo "bench-smoke: installing Debian's qpdf"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qpdf
fi

# The smallest arguments each benchmark accepts (some insist on a minimum of runs).
declare -A ARGS=(
    [bench_access_code]="--runs 2"
    [bench_annotations]="--runs 5 --pages 3"
    [bench_audit_refusals]="--requests 20"
    [bench_client]="--cases 200 --runs 1"
    [bench_confidential_feed]="--cases 100 --documents 20 --repeats 2"
    [bench_decision_entry]="--cases 200 --runs 3"
    [bench_docket]="--hearings 500 --runs 15"
    [bench_docket_clashes]="--hearings 300 --runs 3"
    [bench_orders]="--batch 2 --repeats 1"
    [bench_packages]="--documents 3 --pages 6 --runs 1"
    [bench_pdf_box]="--runs 2 --pages 2"
    [bench_portal]="--cases 6 --runs 5"
    [bench_push_courts]="--cases 3000 --repeats 1 --courts 2 --rounds 1"
    [bench_request_cost]="--cases 20 --requests 20 --batch 10"
    [bench_sync]="--cases 2000 --repeats 2 --noop 5 --push-repeats 2 --pages 100"
    [bench_viewer]="--runs 10 --turns 10"
    [bench_viewer_search]="--runs 1 --turns 10 --pages 20"
)

failed=()
for bench in benchmarks/bench_*.py; do
    name="$(basename "$bench" .py)"
    if [[ -z "${ARGS[$name]+set}" ]]; then
        echo "bench-smoke: $name has no smoke arguments in scripts/bench-smoke.sh" >&2
        failed+=("$name (no smoke arguments)")
        continue
    fi
    echo "bench-smoke: == $bench ${ARGS[$name]}"
    start=$SECONDS
    # shellcheck disable=SC2086  # the arguments are words on purpose
    if ! "$PY" "$bench" ${ARGS[$name]} >"/tmp/bench-smoke-$name.log" 2>&1; then
        tail -n 30 "/tmp/bench-smoke-$name.log" >&2
        failed+=("$name")
    fi
    echo "bench-smoke:    $((SECONDS - start)) s"
done
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "bench-smoke: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "bench-smoke: every benchmark ran"
