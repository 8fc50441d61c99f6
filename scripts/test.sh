#!/usr/bin/env bash
# Runs the test suite: scripts/test.sh [pytest arguments...]   (default: all tests)
#
# Installs the dev tools and, when missing, Debian's chromium, qpdf, poppler-utils, wixl and
# msitools (apt-get, as root); makes sure PostgreSQL answers on 127.0.0.1:5432 (starting it
# when run as root), then runs pytest with Qt offscreen. Exits with pytest's code; "no tests
# collected" (pytest's 5) counts as a failure.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

PG_HOST=127.0.0.1
PG_PORT=5432

say() { echo "test: $*"; }

"$REPO/scripts/setup.sh" --dev

# ensure_chromium: for the browser (portal) tests; Playwright drives Debian's chromium, no
# browser download. ensure_qpdf: `qpdf --check` reads the built eROP packages back.
ensure_chromium() {
    if [[ ! -x /usr/bin/chromium ]]; then
        say "installing Debian's chromium"
        apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
    fi
}

ensure_qpdf() {
    if [[ ! -x /usr/bin/qpdf ]]; then
        say "installing Debian's qpdf"
        apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y qpdf
    fi
}

# ensure_poppler: exported annotated copies are read back with poppler's `pdftotext`.
ensure_poppler() {
    if ! command -v pdftotext >/dev/null 2>&1; then
        say "installing Debian's poppler-utils"
        apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y poppler-utils
    fi
}

# ensure_nginx: the proxy tests run Debian's nginx (as a non-daemon, with a temporary
# config made from installer/server/nginx-ecas.conf) in front of gunicorn on loopback.
ensure_nginx() {
    if ! command -v nginx >/dev/null 2>&1 && [[ $EUID -eq 0 ]]; then
        say "installing Debian's nginx"
        apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nginx
    fi
}

pg_answers() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" >/dev/null 2>&1; }

ensure_postgres() {
    if ! command -v pg_isready >/dev/null 2>&1; then
        echo "test: pg_isready not found: PostgreSQL's client tools are not installed" >&2
        return 1
    fi
    if pg_answers; then
        say "PostgreSQL answers on $PG_HOST:$PG_PORT"
        return 0
    fi
    if [[ $EUID -eq 0 ]] && [[ -d /etc/postgresql ]] && command -v pg_ctlcluster >/dev/null; then
        # The newest installed cluster version, e.g. 15.
        local version
        version="$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)"
        say "PostgreSQL is not answering on $PG_HOST:$PG_PORT; starting cluster $version/main"
        pg_ctlcluster --skip-systemctl-redirect "$version" main start ||
            say "pg_ctlcluster failed; waiting in case it is starting anyway"
    fi
    local waited=0
    until pg_answers; do
        if ((waited >= 30)); then
            echo "test: PostgreSQL does not answer on $PG_HOST:$PG_PORT after 30 s." >&2
            echo "test: start it (as root: pg_ctlcluster --skip-systemctl-redirect" \
                "\$(ls /etc/postgresql) main start) and run the tests again." >&2
            return 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
    say "PostgreSQL answers on $PG_HOST:$PG_PORT"
}

ensure_postgres
ensure_chromium  # the portal's browser tests (tests/portal)
ensure_qpdf  # checks the structure of built eROP packages (tests/packages)
ensure_nginx  # the real proxy in front of gunicorn (tests/server/test_proxy_addresses.py)
# tests/installer compiles the MSI sources with wixl and reads the package with msiinfo.
if [[ $EUID -eq 0 ]] && ! { command -v wixl && command -v msiinfo; } >/dev/null 2>&1; then
    say "installing Debian's wixl and msitools"
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wixl msitools
fi
ensure_poppler   # the annotation export tests (tests/viewer/test_annotations_export.py)

export QT_QPA_PLATFORM=offscreen

set +e
# --durations: the slowest tests, so a run that creeps towards CI's time limit says why.
"$REPO/.venv/bin/python" -m pytest --durations=25 "$@"
status=$?
set -e

if [[ $status -eq 5 ]]; then
    echo "test: FAILED: pytest collected no tests (exit code 5)." >&2
fi
exit "$status"
