#!/usr/bin/env bash
# Runs the sync server with demo data on this machine, and the desktop client when there
# is a display.
#
# Environment (all optional):
#   ECAS_DATA_DIR        server data folder   (default: <repo>/.ecas-demo)
#   ECAS_DEMO_PASSWORD   password of every demo user (default: demo-password)
#   ECAS_HOST, ECAS_PORT where the server listens    (default: 127.0.0.1, 8750)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

"$REPO/scripts/setup.sh"

export ECAS_DATA_DIR="${ECAS_DATA_DIR:-$REPO/.ecas-demo}"
PASSWORD="${ECAS_DEMO_PASSWORD:-demo-password}"
HOST="${ECAS_HOST:-127.0.0.1}"
PORT="${ECAS_PORT:-8750}"
URL="http://$HOST:$PORT"
SERVER="$REPO/.venv/bin/ecas-server"

mkdir -p "$ECAS_DATA_DIR"
echo "demo: data folder $ECAS_DATA_DIR"
"$SERVER" init-db
# seed-demo does nothing when the demo data is already there.
"$SERVER" seed-demo --password "$PASSWORD"

cat <<BOX

+------------------------------------------------------------------------------+
  ECAS demo server: $URL
  Users: judge1, clerk1, admin1, attorney1, attorney2, dhs1
  Password (all): $PASSWORD

  Sign in:
    curl -s -X POST $URL/api/v1/auth/login -H 'Content-Type: application/json' -d '{"username":"clerk1","password":"$PASSWORD"}'

  Keep the token and pull the first changes:
    TOKEN=\$(curl -s -X POST $URL/api/v1/auth/login -H 'Content-Type: application/json' -d '{"username":"clerk1","password":"$PASSWORD"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    curl -s -H "Authorization: Bearer \$TOKEN" '$URL/api/v1/sync/changes?limit=5'

  Web portal (attorneys, DHS): $URL/portal/  - sign in as attorney1; the first
  sign-in sets up two-factor (any authenticator app). admin1 reviews registrations;
  mail lands in $ECAS_DATA_DIR/outbox/.

  Stop with Ctrl+C.
+------------------------------------------------------------------------------+

BOX

"$SERVER" run --host "$HOST" --port "$PORT" &
SERVER_PID=$!
# Builds the eROP packages parties request (production runs several, anywhere).
"$SERVER" package-worker &
WORKER_PID=$!
trap 'kill "$SERVER_PID" "$WORKER_PID" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do
  "$REPO/.venv/bin/python" -c "import urllib.request as u; u.urlopen('$URL/healthz', timeout=1)" \
    >/dev/null 2>&1 && break
  sleep 0.2
done

# The desktop client needs a display; without one, say so and keep serving.
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = "Darwin" ]; then
  echo "demo: starting the desktop client (sign in as clerk1 or judge1, password $PASSWORD)"
  "$REPO/.venv/bin/ecas-desktop" || true
  echo "demo: desktop closed; the server keeps running until Ctrl+C"
else
  cat <<NODISPLAY
demo: no display here, so the desktop client was not started. On a machine with a
      display run:  .venv/bin/ecas-desktop   (and sign in to $URL)
      Without one:  ECAS_PASSWORD=$PASSWORD .venv/bin/ecas-desktop sync --server $URL --username clerk1
NODISPLAY
fi
wait "$SERVER_PID"
