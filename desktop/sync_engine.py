"""One sync of the local store with the server: push the outbox, then pull the feed.

Plain Python, run on a worker thread by the UI (and directly by ``ecas-desktop sync``).
Pushing first means the pull that follows already carries the server's answers to this
user's own edits. Each pulled page is applied with its cursor in one transaction, so a
process killed mid-sync resumes from the last page it applied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from common.protocol import MutationStatus
from desktop.api_client import ApiClient, ApiError
from desktop.doc_cache import DocumentCache
from desktop.local_store import LocalStore
from desktop.words import count

Progress = Callable[[str, int, int], None]  # phase, done, total (0: unknown)


@dataclass
class SyncReport:
    pulled: int = 0
    pages: int = 0
    pushed: int = 0
    conflicts: int = 0
    rejected: int = 0
    reset: bool = False
    downloaded: int = 0

    def summary(self) -> str:
        parts = [
            f"pulled {count(self.pulled, 'record')} in {count(self.pages, 'page')}",
            f"pushed {count(self.pushed, 'change')}",
        ]
        if self.conflicts:
            parts.append(f"{count(self.conflicts, 'conflict')} to resolve")
        if self.rejected:
            parts.append(f"{count(self.rejected, 'change')} refused by the server")
        if self.downloaded:
            parts.append(f"downloaded {count(self.downloaded, 'document')}")
        return ", ".join(parts)


CATCH_UP_PAGE = 5000  # the server's default sync_page_max


class SyncEngine:
    def __init__(
        self,
        client: ApiClient,
        store: LocalStore,
        *,
        page_size: int = 1000,
        catch_up_page_size: int | None = None,
        push_batch: int = 200,
        cache: DocumentCache | None = None,
        prefetch_days: int = 0,
    ) -> None:
        self.client = client
        self.store = store
        self.page_size = page_size
        # With ``catch_up_page_size``, a first pull and any backlog (a page that said
        # has_more) ask for bigger pages: fewer round trips where they dominate (a judge's
        # 96,000 records; the app asks for CATCH_UP_PAGE). A server that allows less than
        # asked answers 400, and the engine keeps to ``page_size`` from then on.
        self.catch_up_page_size = max(page_size, catch_up_page_size or page_size)
        self.push_batch = push_batch
        self.cache = cache
        self.prefetch_days = prefetch_days

    def sync_once(self, progress: Progress = lambda phase, done, total: None) -> SyncReport:
        """Push, pull, then fetch the documents of upcoming hearings. Raises
        :class:`ApiError` (e.g. offline) or :class:`CacheError` with nothing lost."""
        report = SyncReport()
        self.push(report, progress)
        self.pull(report, progress)
        if self.cache is not None and self.prefetch_days > 0:
            # The window starts a day before the UTC date, so it covers the court's day
            # wherever in the US (Guam and Hawaii included) the court sits.
            start = datetime.now(UTC).date() - timedelta(days=1)
            done = self.cache.prefetch(self.fetch_ahead, start, self.prefetch_days + 1, progress)
            report.downloaded = done.downloaded
        return report

    def fetch(self, sha256: str, start: int) -> Iterator[bytes]:
        return self.client.download(sha256, start=start)

    def fetch_ahead(self, sha256: str, start: int) -> Iterator[bytes]:
        """A download ahead of a hearing: audited as a prefetch, not as a reading."""
        return self.client.download(sha256, start=start, prefetch=True)

    def push(self, report: SyncReport, progress: Progress) -> None:
        total = self.store.pending_count()
        done = 0
        while True:
            entries = self.store.pending(self.push_batch)
            if not entries:
                return
            self.store.mark_sending(entries)  # from here on they may be on the server
            try:
                results = self.client.push(self.store.client_id, [e.as_mutation() for e in entries])
            except ApiError as err:
                self.store.note_attempt(entries, str(err))
                raise
            if {r.mutation_id for r in results} != {e.mutation_id for e in entries}:
                error = ApiError(
                    "The server's answer to the push did not match the changes sent; they "
                    "stay on this computer and are sent again at the next sync.",
                    kind="server",
                )
                self.store.note_attempt(entries, str(error))
                raise error
            self.store.acknowledge(entries, results)
            for result in results:
                if result.status is MutationStatus.APPLIED:
                    report.pushed += 1
                elif result.status is MutationStatus.CONFLICT:
                    report.conflicts += 1
                else:
                    report.rejected += 1
            done += len(entries)
            progress("push", done, max(total, done))

    def pull(self, report: SyncReport, progress: Progress) -> None:
        cursor = self.store.get_state("cursor")
        catching_up = not cursor
        while True:
            size = self.catch_up_page_size if catching_up else self.page_size
            try:
                page = self.client.changes(cursor, size)
            except ApiError as err:
                if size == self.page_size or err.status != 400:
                    raise
                self.catch_up_page_size = self.page_size  # this server allows less
                continue
            catching_up = page.has_more
            report.pulled += self.store.apply_page(
                page.changes, page.cursor, reset=page.reset, last=not page.has_more
            )
            report.reset = report.reset or page.reset
            report.pages += 1
            cursor = page.cursor
            progress("pull", report.pulled, 0)
            if not page.has_more:
                return
