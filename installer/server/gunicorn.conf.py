"""gunicorn settings for the ECAS sync server (``gunicorn -c gunicorn.conf.py``).

Installed as /etc/ecas/gunicorn.conf.py; the systemd unit ecas-server.service starts
``gunicorn -c /etc/ecas/gunicorn.conf.py 'sync_server.app:create_app()'``. Every value can
be changed here or through the ``ECAS_GUNICORN_*`` variables in /etc/ecas/server.env.
"""

import multiprocessing
import os

# nginx (installer/server/nginx-ecas.conf) is the only client: listen on loopback only.
bind = os.environ.get("ECAS_GUNICORN_BIND", "127.0.0.1:8750")

# Sync requests wait on the database and on document reads, not the CPU: a few processes,
# each with threads. 2 x cores + 1 processes is gunicorn's usual starting point.
workers = int(os.environ.get("ECAS_GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("ECAS_GUNICORN_THREADS", "4"))
worker_class = "gthread"

# A pulled page or a document range is sent within this; a stuck worker is restarted.
timeout = int(os.environ.get("ECAS_GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Keep idle connections longer than anyone in front holds them: nginx closes its idle
# upstream connections after 60 s (keepalive_timeout's default) and a desktop client syncs
# every few seconds on one connection. With 5 s here, gunicorn closed connections just as
# clients syncing every 5 s reused them (connection resets in benchmarks/load_rush.py: 66 of
# 4,154 requests at 500 clients). Under gthread an idle connection costs a file descriptor.
keepalive = int(os.environ.get("ECAS_GUNICORN_KEEPALIVE", "75"))

# Recycle workers now and then so a slow leak can't grow without bound.
max_requests = 2000
max_requests_jitter = 200

# Each worker builds its own database pool after the fork (no shared connections).
preload_app = False

# Only the proxies in ECAS_TRUSTED_PROXIES (nginx on this machine: 127.0.0.1) are believed
# about the scheme the client used (X-Forwarded-Proto); the app itself takes the client's
# address from X-Forwarded-For with the same list (sync_server/http_edges.py). Unset: none.
forwarded_allow_ips = ",".join(os.environ.get("ECAS_TRUSTED_PROXIES", "").replace(",", " ").split())

# Logs go to the journal (stdout/stderr). The access log has the path without the query
# string (a portal link may carry a one-time token there) and no headers or bodies.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("ECAS_GUNICORN_LOGLEVEL", "info")
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

# Request limits in front of the app's own (ECAS_MAX_REQUEST_BYTES).
limit_request_line = 8190
limit_request_fields = 100

# The file each worker touches to tell the master it is alive, on every turn of its loop:
# on a memory file system (/dev/shm, also under systemd's PrivateDevices) rather than the
# disk-backed /tmp, where each touch cost ~5 % of a worker's CPU in the morning-rush
# profile (docs/PERFORMANCE.md).
_shm = "/dev/shm"  # noqa: S108 (a fixed system path, not a temporary file name)
worker_tmp_dir = os.environ.get("ECAS_GUNICORN_WORKER_TMP_DIR") or (
    _shm if os.path.isdir(_shm) and os.access(_shm, os.W_OK) else None
)
