#!/usr/bin/env bash
# Runs the sync server with demo data on this machine.
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

  Stop with Ctrl+C.
+------------------------------------------------------------------------------+

BOX

exec "$SERVER" run --host "$HOST" --port "$PORT"
