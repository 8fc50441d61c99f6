"""The Board clerk's assignment of a docketed appeal (``desktop.board_workspace.assign``):
to a single Board member or to a panel of three, and who writes.

Keyboard first: arrows move through the Board members (temporary members marked), Space
checks one; check one member for a single member's decision, three for a panel; Tab to the
author (one of those checked) and Enter assigns. The assignment is saved through the outbox,
offline too.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from common.court_time import utc_now
from common.enums import AppealStatus
from common.wire import BoardDecision
from desktop.board import AppealRow
from desktop.board_workspace import BoardRefused, Member, assign, board_members
from desktop.local_store import LocalStore
from desktop.ui.context import DesktopContext

PANEL_SIZE = 3


class AssignDialog(QDialog):
    """Check one member or three; the author is one of them. ``member_ids()`` and
    ``author_id()`` after accept."""

    def __init__(
        self, row: AppealRow, members: list[Member], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Assign the appeal — {row.respondent}, {row.a_number}")
        self.members = {m.id: m for m in members}
        self.list = QListWidget()
        self.list.setObjectName("assign_members")
        for member in members:
            item = QListWidgetItem(member.label)
            item.setData(Qt.ItemDataRole.UserRole, member.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        if members:
            self.list.setCurrentRow(0)
        self.list.itemChanged.connect(lambda _item: self._checked_changed())
        self.author = QComboBox()
        self.author.setObjectName("assign_author")
        self.bench = QLabel()
        self.bench.setObjectName("assign_bench")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Assign")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(
            QLabel("Check one Board member, or three for a panel (Space checks the member).")
        )
        form.addRow("&Members", self.list)
        form.addRow("", self.bench)
        form.addRow("&Writing member", self.author)
        form.addRow(self.buttons)
        self._checked_changed()

    def member_ids(self) -> list[str]:
        return [
            str(self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def author_id(self) -> str:
        return str(self.author.currentData() or "")

    def check(self, member_id: str) -> None:
        """Check ``member_id`` (as Space on its row does)."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == member_id:
                item.setCheckState(Qt.CheckState.Checked)

    def _checked_changed(self) -> None:
        chosen = self.member_ids()
        keep = self.author_id()
        self.author.clear()
        for member_id in chosen:
            self.author.addItem(self.members[member_id].label, member_id)
        if keep in chosen:
            self.author.setCurrentIndex(chosen.index(keep))
        if len(chosen) == 1:
            self.bench.setText("A single Board member decides.")
        elif len(chosen) == PANEL_SIZE:
            self.bench.setText("A panel of three decides by majority.")
        else:
            self.bench.setText(f"{len(chosen)} checked: check one member or three.")
        self.ok.setEnabled(len(chosen) in (1, PANEL_SIZE))


class Assigner:
    """The clerk's "Assign…" action for a Board view: the dialog for the selected docketed
    appeal, then the assignment saved. ``say`` shows a message in the view."""

    def __init__(self, ctx: DesktopContext, parent: QWidget, say: Callable[[str], object]) -> None:
        self.ctx = ctx
        self.parent = parent
        self.say = say
        self.dialog: AssignDialog | None = None

    def _say(self, text: str) -> None:
        self.say(text)

    def start(self, row: AppealRow | None) -> None:
        if row is None:
            self._say("Select a docketed appeal first.")
            return
        if row.appeal.status is not AppealStatus.DOCKETED:
            self._say("Only a docketed appeal is assigned: docket it first.")
            return
        self.ctx.read(board_members, lambda members: self._ask(row, members))

    def _ask(self, row: AppealRow, members: list[Member]) -> None:
        dialog = AssignDialog(row, members, self.parent)
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._assign(row, dialog))
        dialog.open()

    def _assign(self, row: AppealRow, dialog: AssignDialog) -> None:
        members, author, clerk = dialog.member_ids(), dialog.author_id(), self.ctx.user_id

        def make(store: LocalStore) -> BoardDecision:
            return assign(store, row.appeal, members, author, clerk, utc_now())

        def save(decision: BoardDecision) -> None:
            bench = "a panel of three" if len(members) > 1 else "a single member"
            self.ctx.save(
                [decision],
                on_done=lambda: self._say(f"Assigned {row.respondent} to {bench}."),
                on_error=lambda err: self._say(f"Not assigned: {err}"),
            )

        def refused(err: Exception) -> None:
            self._say(str(err) if isinstance(err, BoardRefused) else f"Not assigned: {err}")

        self.ctx.read(make, save, refused)
