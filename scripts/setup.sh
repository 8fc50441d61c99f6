#!/usr/bin/env bash
# Creates .venv (if missing) and installs the project into it, editable.
#
#   scripts/setup.sh          runtime dependencies:  pip install -e .
#   scripts/setup.sh --dev    plus the dev tools:    pip install -e '.[dev]'
#
# Idempotent: the install is skipped when pyproject.toml has not changed since the last
# successful one (its hash is kept in .venv/.ecas-installed-<mode>).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO/.venv"
MODE="default"

for arg in "$@"; do
    case "$arg" in
        --dev) MODE="dev" ;;
        -h | --help)
            sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "setup: unknown option '$arg' (use --dev or nothing)" >&2
            exit 2
            ;;
    esac
done

say() { echo "setup: $*"; }

# The first python3.x on PATH that is 3.11 or newer.
find_python() {
    local candidate
    for candidate in python3 python3.13 python3.12 python3.11; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

if [[ ! -x "$VENV/bin/python" ]]; then
    PYTHON="$(find_python)" || {
        echo "setup: no python3 >= 3.11 found on PATH" >&2
        exit 1
    }
    say "creating .venv with $PYTHON ($("$PYTHON" --version 2>&1))"
    if ! "$PYTHON" -m venv "$VENV"; then
        # Debian splits venv/ensurepip into their own package.
        if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
            say "python3 -m venv failed; installing Debian's python3-venv"
            rm -rf "$VENV"
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
            "$PYTHON" -m venv "$VENV"
        else
            echo "setup: '$PYTHON -m venv' failed; install your distribution's venv package" >&2
            exit 1
        fi
    fi
elif ! "$VENV/bin/python" -c 'pass' 2>/dev/null; then
    echo "setup: .venv exists but its python does not run (was its interpreter removed?)." >&2
    echo "setup: remove it with 'rm -rf .venv' and run this script again." >&2
    exit 1
fi

# The tests' npm packages (tests/portal/axe: axe-core, pinned in its package-lock.json), for
# --dev only. Skipped when the locked version is installed already, so a run without network
# works once they are there.
install_npm_test_packages() {
    local folder="$REPO/tests/portal/axe"
    local want have
    want="$(sed -n '/"node_modules\/axe-core"/,/}/s/.*"version": "\([^"]*\)".*/\1/p' \
        "$folder/package-lock.json")"
    have="$(sed -n 's/^ *"version": "\([^"]*\)".*/\1/p' \
        "$folder/node_modules/axe-core/package.json" 2>/dev/null | head -n 1 || true)"
    if [[ -n $want && $want == "$have" ]]; then
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1; then
        if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
            say "installing Debian's npm (for axe-core, the portal's accessibility audit)"
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm
        else
            echo "setup: npm not found; install Node.js and npm for the portal's axe-core audit" >&2
            exit 1
        fi
    fi
    say "installing axe-core $want for the portal's accessibility audit (npm ci in tests/portal/axe)"
    (cd "$folder" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error)
}

if [[ $MODE == dev ]]; then
    install_npm_test_packages
fi

STAMP="$VENV/.ecas-installed-$MODE"
WANT="$(sha256sum "$REPO/pyproject.toml" | cut -d' ' -f1)"

up_to_date() { [[ -f "$1" && "$(cat "$1")" == "$WANT" ]]; }

# A dev install includes everything a default install has.
if up_to_date "$STAMP" || { [[ $MODE == default ]] && up_to_date "$VENV/.ecas-installed-dev"; }; then
    say "up to date ($MODE install; pyproject.toml unchanged)"
    exit 0
fi

PIP=("$VENV/bin/python" -m pip --disable-pip-version-check --no-input)
LOG="$VENV/.ecas-setup.log"

# pip's full output goes to a log, shown only when a step fails.
run_pip() {
    if ! "${PIP[@]}" "$@" >>"$LOG" 2>&1; then
        echo "setup: 'pip $*' failed; the end of $LOG:" >&2
        tail -n 40 "$LOG" >&2
        exit 1
    fi
}

: >"$LOG"
say "upgrading pip"
run_pip install --upgrade pip

if [[ $MODE == dev ]]; then
    say "installing the project with dev tools: pip install -e '.[dev]' (log: .venv/.ecas-setup.log)"
    run_pip install -e "${REPO}[dev]"
else
    say "installing the project: pip install -e . (log: .venv/.ecas-setup.log)"
    run_pip install -e "$REPO"
fi

echo "$WANT" >"$STAMP"
say "done ($MODE install in .venv)"
