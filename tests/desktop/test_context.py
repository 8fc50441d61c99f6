"""The desktop context: local edits go through the single writer into the outbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from pytestqt.qtbot import QtBot

from common.wire import Hearing


def test_saving_a_record_queues_it_and_updates_the_status(
    qtbot: QtBot, make_context: Callable
) -> None:  # type: ignore[type-arg]
    ctx = make_context("clerk1")
    hearing = Hearing.model_validate(ctx.store.all("hearing")[0])
    moved = hearing.model_copy(update={"starts_at": hearing.starts_at + timedelta(days=1)})
    saved: list[bool] = []
    ctx.save([moved], lambda: saved.append(True))
    qtbot.waitUntil(lambda: saved == [True], timeout=5000)
    assert ctx.store.pending_count() == 1
    assert ctx.sync.status.pending == 1
    assert ctx.store.get("hearing", hearing.id) == moved.model_dump(mode="json")
