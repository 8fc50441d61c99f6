"""``ecas-server``: migrate, seed, manage accounts, run, verify and anchor the audit chain
and purge expired uploads."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from collections.abc import Sequence

from common.enums import Role
from sync_server.app import build_services, create_app
from sync_server.config import load_config
from sync_server.db import write_transaction
from sync_server.migrate import upgrade
from sync_server.services import audit, passwords
from sync_server.services.audit_anchors import Anchor, anchor_verifier_for, read_anchors
from sync_server.services.auth import create_user


def _init_db(_args: argparse.Namespace) -> int:
    config = load_config()
    config.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(config.database_url)
    print(f"Database is at the newest schema ({_safe_url(config.database_url)}).")
    return 0


def _safe_url(url: str) -> str:
    """The URL without a password, for messages."""
    head, sep, tail = url.partition("@")
    if not sep or "://" not in head:
        return url
    scheme, _, credentials = head.partition("://")
    return f"{scheme}://{credentials.split(':')[0]}:***@{tail}"


def _seed_demo(args: argparse.Namespace) -> int:
    from sync_server.demo.seed import is_seeded, seed_demo

    services = build_services(load_config())
    if is_seeded(services.factory):
        print("Demo data is already present; nothing to do.")
        return 0
    started = time.perf_counter()

    interactive = sys.stdout.isatty()

    def progress(done: int, total: int) -> None:
        if interactive and (done == total or done % 50 == 0):
            width = 30
            filled = width * done // total
            print(
                f"\r  documents [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
                end="" if done < total else "\n",
                flush=True,
            )
        elif not interactive and (done == total or done % max(1, total // 4) == 0):
            print(f"  documents: {done}/{total}", flush=True)  # a log gets a few lines

    print(f"Seeding {args.cases} demo cases with their documents…")
    report = seed_demo(
        services.factory,
        services.blobs.store,
        services.blobs.staging,
        cases=args.cases,
        password=args.password,
        progress=progress,
    )
    print(
        f"Seeded {report.courts} courts, {report.users} users, {report.cases} cases, "
        f"{report.hearings} hearings, {report.documents} documents, "
        f"{report.pending_filings} filings in {time.perf_counter() - started:.1f} s."
    )
    if report.generated_password:
        print(f"Every demo user's password: {report.password}")
    return 0


def _create_user(args: argparse.Namespace) -> int:
    password = os.environ.get("ECAS_NEW_PASSWORD") or getpass.getpass("Password: ")
    weak = passwords.problem(
        password, Role(args.role), [args.username, args.display_name, args.eoir_id or ""]
    )
    if weak is not None:
        print(f"This password can't be used. {weak}", file=sys.stderr)
        return 2
    services = build_services(load_config())
    with write_transaction(services.factory) as session:
        user_id = create_user(
            session,
            username=args.username,
            password=password,
            role=Role(args.role),
            display_name=args.display_name,
            court_id=args.court_id,
            eoir_id=args.eoir_id,
            assigned_court_ids=args.assigned_court or [],
        )
    print(f"Created {args.role} {args.username} ({user_id}).")
    return 0


def _run(args: argparse.Namespace) -> int:
    config = load_config()
    address = f"http://{args.host}:{args.port}"
    if config.portal_base_url is None:
        # The development server is a demo: mailed links name its own address and any
        # host is answered. Production runs gunicorn with ECAS_PORTAL_BASE_URL set.
        config = config.with_overrides(demo=True, demo_base_url=address)
        print("Demo mode (no ECAS_PORTAL_BASE_URL): links in mail point to this server.")
    app = create_app(config)
    print(f"ECAS sync server on {address}/ (Ctrl+C stops it)")
    app.run(host=args.host, port=args.port, threaded=True, use_reloader=False)
    return 0


def _verify_audit(_args: argparse.Namespace) -> int:
    services = build_services(load_config())
    anchors: list[Anchor] = []
    checking = anchor_verifier_for(services.config)
    if checking is not None:
        readout = read_anchors(*checking)
        for problem in readout.bad:
            print(f"Audit anchor REFUSED: {problem}.", file=sys.stderr)
        if readout.bad:
            return 1
        anchors = readout.anchors
    with services.factory() as session:
        report = audit.verify_chain(session, anchors)
    if not report.ok:
        print(
            f"Audit chain BROKEN at entry {report.first_broken_seq}: {report.reason}.",
            file=sys.stderr,
        )
        return 1
    print(f"Audit chain intact: {report.entries} entries.")
    if checking is None:
        print("No anchors configured (ECAS_AUDIT_ANCHOR_DIR): the chain alone can't show")
        print("a history recomputed or cut short together with its head.")
    elif report.newest_anchor_seq is None:
        print(f"No anchors yet in {checking[0].describe()}.")
    else:
        after = report.entries - report.newest_anchor_seq
        print(
            f"Matches {_count(report.anchors, 'anchor')} (newest: entry "
            f"{report.newest_anchor_seq}); {_count(after, 'newer entry')} "
            "rest on the chain alone until the next anchor."
        )
    return 0


def _anchor_audit(_args: argparse.Namespace) -> int:
    services = build_services(load_config())
    if services.anchors is None:
        print(
            "Set ECAS_AUDIT_ANCHOR_DIR and ECAS_AUDIT_ANCHOR_KEY to anchor the audit chain.",
            file=sys.stderr,
        )
        return 2
    anchor = services.anchors.anchor_now()
    if anchor is None:
        print("The audit chain is empty; nothing to anchor.")
        return 0
    where = services.anchors.sink.describe()
    print(f"Anchored audit entry {anchor.seq} ({anchor.hash[:16]}…) in {where}.")
    return 0


def _purge_uploads(_args: argparse.Namespace) -> int:
    services = build_services(load_config())
    report = services.blobs.purge()
    hours = services.config.upload_expiry_hours
    print(
        f"Removed {_count(report.uploads, 'unfinished upload')} that received no bytes for "
        f"{_count(hours, 'hour')}, and {_count(report.files, 'leftover staging file')}."
    )
    return 0


def _count(number: float, noun: str) -> str:
    return f"{number:g} {noun}" + ("" if number == 1 else "s")


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0.1 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"give a number of seconds from 0.1 to 3600, not {text!r}")
    return value


def _package_worker(args: argparse.Namespace) -> int:
    import logging
    import signal
    import threading

    from sync_server.packages.worker import PackageWorker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    services = build_services(load_config())
    worker = PackageWorker(
        services.factory,
        services.blobs.store,
        services.config.data_dir / "packages",
        pdf_box=services.blobs.pdf_box,  # each document parsed in the box before stamping
    )
    if args.once:
        while worker.run_once():
            pass
        return 0
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    print(f"eROP package worker {worker.worker_id}: waiting for jobs (Ctrl+C stops it)")
    worker.run(args.poll_seconds, stop)
    return 0


def _mail_outbox(args: argparse.Namespace) -> int:
    import logging
    import signal
    import threading

    from sync_server.services.mail_events import MailSender
    from sync_server.services.mailer import mailer_from_env

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    config = load_config()
    sender = MailSender(
        build_services(config).factory, mailer_from_env(config.data_dir), config.link_base_url
    )
    if not args.loop:
        print(f"{_count(sender.drain(), 'message')} sent")
        return 0
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    sender.run(args.poll_seconds, stop)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecas-server",
        description="The ECAS sync server. Settings come from ECAS_DATA_DIR, "
        "ECAS_DATABASE_URL and ECAS_BLOB_URL.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init-db", help="create or migrate the database").set_defaults(func=_init_db)
    seed = sub.add_parser("seed-demo", help="fill an empty database with demo data")
    seed.add_argument("--cases", type=int, default=300)
    seed.add_argument("--password", help="password of every demo user (default: random)")
    seed.set_defaults(func=_seed_demo)
    user = sub.add_parser(
        "create-user", help="create an account (password from ECAS_NEW_PASSWORD or a prompt)"
    )
    user.add_argument("username")
    user.add_argument("--role", required=True, choices=[r.value for r in Role])
    user.add_argument("--display-name", required=True)
    user.add_argument("--court-id")
    user.add_argument("--eoir-id")
    user.add_argument("--assigned-court", action="append", help="for DHS users; repeatable")
    user.set_defaults(func=_create_user)
    run = sub.add_parser("run", help="serve HTTP (development server; use gunicorn in production)")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8750)
    run.set_defaults(func=_run)
    worker = sub.add_parser(
        "package-worker", help="build requested eROP packages (run several, anywhere)"
    )
    worker.add_argument("--once", action="store_true", help="empty the queue, then exit")
    worker.add_argument(
        "--poll-seconds",
        type=_positive_seconds,
        default=2.0,
        help="how long an idle worker waits before looking again (default 2)",
    )
    worker.set_defaults(func=_package_worker)
    mail = sub.add_parser(
        "mail-outbox",
        help="send the mail events wrote (the server also sends after each request); "
        "failed sends are retried with backoff",
    )
    mail.add_argument("--loop", action="store_true", help="keep sending until stopped")
    mail.add_argument("--poll-seconds", type=_positive_seconds, default=10.0)
    mail.set_defaults(func=_mail_outbox)
    sub.add_parser(
        "verify-audit", help="check every link of the audit chain and every anchor"
    ).set_defaults(func=_verify_audit)
    sub.add_parser(
        "anchor-audit",
        help="write a signed checkpoint of the audit chain's head to ECAS_AUDIT_ANCHOR_DIR "
        "(the ecas-audit-anchor.timer runs it)",
    ).set_defaults(func=_anchor_audit)
    sub.add_parser(
        "purge-uploads",
        help="remove expired unfinished uploads (ECAS_UPLOAD_EXPIRY_HOURS) and leftover "
        "staging files; starting an upload also removes some",
    ).set_defaults(func=_purge_uploads)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
