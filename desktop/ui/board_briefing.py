"""The Board clerk's decision on a party's briefing extension request (BIA PM 4.7(c);
``desktop.board.decide``), for the Board view: Ctrl+E grants the selected appeal's
waiting request (the due days move, 21 days from the deadline it extends), Ctrl+Shift+E
denies it. With both parties' requests waiting, the appellant's is decided first. Saved
through the outbox, offline too; the server checks the same rule.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from common.appeals import Side, due_of, side_label
from common.court_time import table_date, utc_now
from desktop.board import AppealRow, IntakeRefused, decide
from desktop.ui.context import DesktopContext


class ExtensionDecider:
    """Grant or deny the selected appeal's extension request; ``say`` shows the outcome,
    ``done`` runs after the save (the view refreshes)."""

    def __init__(
        self,
        ctx: DesktopContext,
        parent: QWidget,
        say: Callable[[str], object],
        done: Callable[[], object],
    ) -> None:
        self.ctx = ctx
        self.parent = parent
        self._say = say
        self.done = done
        self.said = ""  # the last outcome, kept (the view's refresh may replace its text)

    def say(self, text: str) -> None:
        self.said = text
        self._say(text)

    def decide(self, row: AppealRow | None, *, grant: bool) -> None:
        if row is None:
            self.say("Select an appeal first.")
            return
        waiting = row.extension_requests
        if not waiting:
            self.say("No extension request waits in this appeal.")
            return
        side = waiting[0]
        try:
            decided = decide(row.appeal, side, grant=grant, now=utc_now())
        except IntakeRefused as err:
            self.say(f"Not decided: {err}.")
            return
        who = side_label(row.appeal, side)
        if grant:
            due = due_of(decided, side)
            text = f"Extension granted to the {who}: brief due {table_date(due) if due else '—'}."
            other: Side = "appellee" if side == "appellant" else "appellant"
            if due_of(decided, other) != due_of(row.appeal, other):
                moved = due_of(decided, other)
                text += f" The {other}'s moves to {table_date(moved) if moved else '—'}."
        else:
            text = f"Extension denied to the {who}; the due day stands."

        def saved() -> None:
            self.say(text)
            self.done()

        self.ctx.save([decided], on_done=saved, on_error=lambda err: self.say(str(err)))
