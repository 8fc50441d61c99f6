#!/usr/bin/env bash
# The convergence soak: scripts/soak.sh [pytest arguments...]
#
# Runs the convergence state machine (tests/convergence/test_convergence.py) for many runs
# with fresh randomness on each database: real desktop clients, a fault-injecting proxy, a
# real server killed and restarted. Every run must end with each edit on the server exactly
# once or shown as a sync issue. Settings come from the environment:
#
#   ECAS_SOAK_EXAMPLES=1000   runs per database (the short default suite makes 6)
#   ECAS_SOAK_STEPS=30        steps in each run
#   ECAS_CONVERGENCE_FAULTS=  the faults the network may make, comma-separated
#                             (drop_answer,truncate_answer,delay,duplicate,cut_request; all)
#
# Pass -m "not postgres" to soak SQLite only. A failure prints the shortest sequence of
# steps hypothesis found and what each desk saw. Needs PostgreSQL on 127.0.0.1:5432 (as
# for scripts/test.sh).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

"$REPO/scripts/setup.sh" --dev

if ! pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
    echo "soak: PostgreSQL does not answer on 127.0.0.1:5432; start it (scripts/test.sh" \
        "does when run as root) or pass -m \"not postgres\" to soak SQLite only." >&2
    [[ " $* " == *"not postgres"* ]] || exit 1
fi

export ECAS_SOAK_EXAMPLES="${ECAS_SOAK_EXAMPLES:-1000}"
export QT_QPA_PLATFORM=offscreen
echo "soak: $ECAS_SOAK_EXAMPLES runs of ${ECAS_SOAK_STEPS:-30} steps on each database"
exec "$REPO/.venv/bin/python" -m pytest -p no:cacheprovider -q \
    "tests/convergence/test_convergence.py::test_every_edit_converges_through_faults_and_crashes" "$@"
