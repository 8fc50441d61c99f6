"""``ecas-desktop``: the desktop client's command line, for people and for IT scripts.

``ecas-desktop sync --server URL --username U`` runs one sync without a window (password
from ``ECAS_PASSWORD`` or a prompt) and prints what it pulled and pushed.
``ecas-desktop open FILE.pdf`` shows a local PDF in the viewer with no server; with
``--screenshot OUT.png`` it saves the first screen, drawn offscreen, and exits.
``ecas-desktop --self-test`` checks this installation offscreen and exits 0, or says what
failed. With no command, the window opens.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop.api_client import ApiError
from desktop.paths import data_dir
from desktop.services.session import sign_in
from desktop.sync_engine import CATCH_UP_PAGE, SyncEngine


def _sync(args: argparse.Namespace) -> int:
    password = os.environ.get("ECAS_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            print(
                "Set ECAS_PASSWORD or run in a terminal to be asked for the password.",
                file=sys.stderr,
            )
            return 2
        password = getpass.getpass(f"Password for {args.username}: ")
    # The same sign-in as the window's: the copy is opened (or made, or converted from a
    # plain one) encrypted under the key the password unwraps -- never a plain file.
    try:
        signed = sign_in(args.server, args.username, password, base_dir=args.data_dir)
    except ApiError as err:
        print(f"Sync failed: {err}", file=sys.stderr)
        return 1
    store = signed.store
    progress = _Progress()
    try:
        engine = SyncEngine(
            signed.client, store, page_size=args.page_size, catch_up_page_size=CATCH_UP_PAGE
        )
        report = engine.sync_once(progress)
    except ApiError as err:
        progress.end_line()
        # One line on stderr, for people and for the scripts that log it.
        pending = store.pending_count()
        kept = f" {pending} local changes are kept and will be sent next time." if pending else ""
        print(f"Sync failed: {err}{kept}", file=sys.stderr)
        return 1
    progress.end_line()
    print(f"Synced with {args.server} as {args.username}: {report.summary()}.")
    print(f"Local copy: {store.path}")
    return 0


class _Progress:
    """One self-overwriting progress line on stdout, ended before anything else prints."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, phase: str, done: int, total: int) -> None:
        label = "pushing" if phase == "push" else "pulling"
        suffix = f"/{total}" if total else ""
        print(f"\r  {label}: {done}{suffix} records", end="", flush=True)
        self.shown = True

    def end_line(self) -> None:
        if self.shown:
            print(flush=True)
            self.shown = False


def _self_test(_args: argparse.Namespace) -> int:
    from desktop.self_test import run_self_test

    return run_self_test()


def _open(args: argparse.Namespace) -> int:
    from desktop.viewer.open_command import run_open

    return run_open(args.file, args.screenshot)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecas-desktop", description="The ECAS desktop client for court staff."
    )
    parser.add_argument(
        "--self-test", action="store_true", help="check this installation offscreen and exit"
    )
    sub = parser.add_subparsers(dest="command")
    sync = sub.add_parser("sync", help="run one sync without a window")
    sync.add_argument("--server", required=True, help="e.g. https://ecas.example.court")
    sync.add_argument("--username", required=True)
    sync.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=f"where local copies live (default: {data_dir()})",
    )
    sync.add_argument(
        "--page-size",
        type=int,
        default=1000,
        help="records per pulled page (smaller pages: less memory, more requests)",
    )
    sync.set_defaults(func=_sync)
    view = sub.add_parser("open", help="show a local PDF in the viewer (no server)")
    view.add_argument("file", type=Path, help="the PDF to show")
    view.add_argument(
        "--screenshot",
        type=Path,
        default=None,
        metavar="OUT.png",
        help="draw the first screen offscreen, save it as a PNG and exit",
    )
    view.set_defaults(func=_open)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.self_test:
        return _self_test(args)
    if args.command is None:
        from desktop.app import run_gui

        return run_gui()
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
