"""The clerk's hearing dialogs: reschedule (with a live clash check) and adjourn (with the
asylum-clock note shown before saving). Both change records only through ``ctx.save``.

A clash does not block: master calendars are double-booked on purpose, and a clerk may
know the other hearing is about to move. So each clash is listed in red and the save
button stays disabled until the clerk ticks "Schedule anyway" — a deliberate act that
Enter alone cannot do.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from common.adjournment import AsylumClock, load_adjournment_codes
from common.court_time import court_instant, court_today, table_datetime, to_court
from common.enums import CaseType, HearingType, Medium
from common.languages import MEDIUM_WORDS, load_languages
from common.wire import Hearing, WireRecord
from desktop.clerk_actions import (
    BOND_CASE_NOTE,
    Adjournment,
    Clash,
    adjourn,
    family_hearing_records,
    find_clashes,
    move_family,
    reschedule,
)
from desktop.docket import DAY_OPENS, DocketRow, next_free_slot, past_closing
from desktop.tasks import run_task
from desktop.ui.context import DesktopContext
from desktop.ui.date_field import house_style
from desktop.ui.docket_model import TYPE_NAMES, format_time
from desktop.ui.fit import grow_to_fit
from desktop.words import count

ERROR_STYLE = "color: #b00020;"
EFFECT_WORDS = {"stops": "clock stops", "runs": "clock runs", "neutral": "clock unchanged"}


def courtrooms_of(rows: Sequence[DocketRow]) -> list[tuple[str, str]]:
    """(id, name) of the courtrooms the docket uses, by name."""
    rooms = {r.courtroom_id: r.courtroom for r in rows if r.courtroom_id}
    return sorted(rooms.items(), key=lambda item: item[1])


NO_INTERPRETER = "No interpreter"


class LanguageCombo(QComboBox):
    """The interpreter's language, chosen by typing: any part of the name or the ISO 639-3
    code narrows the list ("kic" or "K'i" finds K'iche', "pan" Punjabi); Enter takes the
    highlighted one. The data of an item is the name the hearing records."""

    def __init__(self, current: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItem(NO_INTERPRETER, None)
        languages = load_languages()
        for language in languages.languages:
            self.addItem(language.label, language.name)
        if current and languages.by_name(current) is None:
            self.addItem(current, current)  # a language the list no longer names: kept
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.setCurrentIndex(max(self.findData(current), 0) if current else 0)

    def chosen(self) -> tuple[bool, str | None]:
        """(valid, the language's name or None for no interpreter) for the text shown."""
        text = self.currentText().strip()
        if not text or text == NO_INTERPRETER:
            return True, None
        exact = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if exact > 0:
            return True, str(self.itemData(exact))
        known = load_languages().by_name(text)
        if known is not None:
            return True, known.name
        return False, None


def next_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


class ClashPanel(QWidget):
    """The clashes in red, and the box a clerk ticks to schedule anyway."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.messages = QLabel()
        self.messages.setStyleSheet(ERROR_STYLE)
        self.messages.setWordWrap(True)
        self.messages.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.anyway = QCheckBox("Schedule anyway")
        self.anyway.setToolTip("The clash is known (e.g. a batched master calendar)")
        self.anyway.toggled.connect(self.changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.messages)
        layout.addWidget(self.anyway)
        self._shown: list[str] = []
        self.show_clashes([])

    def show_clashes(self, clashes: Sequence[Clash]) -> None:
        texts = [c.message() for c in clashes]
        if texts != self._shown:  # a different clash must be acknowledged afresh
            self.anyway.setChecked(False)
        self._shown = texts
        self.messages.setText("\n".join(f"Clash: {t}" for t in texts))
        self.messages.setVisible(bool(texts))
        self.anyway.setVisible(bool(texts))
        self.changed.emit()

    @property
    def clashes_text(self) -> str:
        return self.messages.text()

    @property
    def acknowledged(self) -> bool:
        return not self._shown or self.anyway.isChecked()


class _HearingDialog(QDialog):
    """What both dialogs share: the hearing's summary, date and time in court-local time,
    the clash panel, and saving through the context."""

    saved = Signal()

    def __init__(
        self,
        ctx: DesktopContext,
        hearing: Hearing,
        docket_rows: Sequence[DocketRow],
        parent: QWidget | None,
        ok_text: str,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.hearing = hearing
        self.docket_rows = list(docket_rows)
        own = next((r for r in self.docket_rows if r.hearing_id == hearing.id), None)
        self.row = own
        # The court's zone, as the docket row carries it (a new hearing is made in it); never
        # this computer's, which may be another court's or UTC.
        self.zone: tzinfo = (own.starts_at.tzinfo if own else hearing.starts_at.tzinfo) or UTC
        self.form = QFormLayout()
        self.date_edit = house_style(QDateEdit())
        self.time_edit = QTimeEdit()
        self.time_edit.setDisplayFormat("HH:mm")
        self.clash_panel = ClashPanel()
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        layout = self.box = QVBoxLayout(self)
        summary = QLabel(self._summary())
        summary.setWordWrap(True)
        layout.addWidget(summary)
        layout.addLayout(self.form)
        # The hours check (a hearing may not run past the court's closing hour) and what the
        # proposal found, below the clashes.
        self.hours_note = QLabel()
        self.hours_note.setObjectName("hours_note")
        self.hours_note.setStyleSheet(ERROR_STYLE)
        self.hours_note.setWordWrap(True)
        self.hours_note.hide()
        self.slot_note = QLabel()
        self.slot_note.setObjectName("slot_note")
        self.slot_note.setWordWrap(True)
        self.slot_note.hide()
        layout.addWidget(self.clash_panel)
        layout.addWidget(self.hours_note)
        layout.addWidget(self.slot_note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.clash_panel.changed.connect(self._update_ok)
        self.setMinimumWidth(560)

    def _summary(self) -> str:
        row = self.row
        if row is None:
            return f"Hearing on {table_datetime(self.hearing.starts_at, self.zone)}"
        kind = TYPE_NAMES.get(row.hearing_type, row.hearing_type)
        return (
            f"<b>{row.respondent}</b> ({row.a_number_display})<br>{kind} hearing, "
            f"{format_time(row)}, {row.duration_minutes} min — {row.courtroom}, "
            f"{row.judge}"
        )

    def set_start(self, local: datetime) -> None:
        """Show ``local`` (court time) in the date and time edits."""
        self.date_edit.setDate(QDate(local.year, local.month, local.day))
        self.time_edit.setTime(QTime(local.hour, local.minute))

    def chosen_start(self) -> datetime:
        """The start the clerk picked on the court's clock, as the UTC instant stored (09:00
        stays 09:00 at the court on either side of a daylight-saving change)."""
        day: date = self.date_edit.date().toPython()  # type: ignore[assignment]
        clock: time = self.time_edit.time().toPython()  # type: ignore[assignment]
        return court_instant(day, clock.replace(second=0, microsecond=0), self.zone)

    def records(self) -> list[WireRecord] | None:
        """What OK saves, or None when the choice is not valid."""
        raise NotImplementedError

    def propose_free_slot(self, earliest: datetime, duration_minutes: int) -> datetime | None:
        """Show the first start from ``earliest`` when the hearing's judge and courtroom are
        both free, on a day the court sits and within its hours (``desktop.docket``), and
        say so; returns it, or None (the dates shown are left) when there is none."""
        judge_id = self.hearing.judge_id or (self.row.judge_id if self.row else None)
        slot = next_free_slot(
            self.docket_rows,
            judge_id=judge_id,
            courtroom_id=self.hearing.courtroom_id,
            duration_minutes=duration_minutes,
            earliest=earliest,
            zone=self.zone,
            ignore=frozenset({self.hearing.id}),
        )
        who = " and ".join(
            name for name in ((self.row.judge, self.row.courtroom) if self.row else ()) if name
        )
        if slot is None:
            self.slot_note.setText(
                f"No free time found in the year after {table_datetime(earliest, self.zone)}."
            )
        else:
            self.set_start(to_court(slot, self.zone))
            self.slot_note.setText(
                f"Proposed: {table_datetime(slot, self.zone)}, the first time from "
                f"{table_datetime(earliest, self.zone)} when {who or 'the judge and courtroom'} "
                "are free."
            )
        self.slot_note.show()
        self._fit_height()
        return slot

    def show_hours(self, start: datetime, duration_minutes: int) -> None:
        """Refuse (in red; OK stays disabled) a hearing that runs past the day's end."""
        problem = past_closing(start, duration_minutes, self.zone)
        self.hours_note.setText(problem or "")
        self.hours_note.setVisible(problem is not None)
        self._fit_height()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(
            self.records() is not None
            and self.clash_panel.acknowledged
            and not self.hours_note.text()
        )
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow to show every clash and the whole note (wrapped labels need height for the
        dialog's width, which a shown window does not recompute by itself); the fields
        keep their heights."""
        grow_to_fit(self)

    def _on_ok(self) -> None:
        records = self.records()
        if records is None or not self.clash_panel.acknowledged or self.hours_note.text():
            return
        self.buttons.setEnabled(False)
        self.error.hide()
        self.ctx.save(records, self._on_saved, self._on_failed)

    def _on_saved(self) -> None:
        self.saved.emit()
        self.accept()

    def _on_failed(self, err: Exception) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(f"Not saved: {err}")
        self.error.show()
        self._fit_height()


class RescheduleDialog(_HearingDialog):
    """Move a hearing to another court-local date, time or courtroom."""

    def __init__(
        self,
        ctx: DesktopContext,
        hearing: Hearing,
        docket_rows: Sequence[DocketRow],
        parent: QWidget | None = None,
        *,
        courtrooms: Sequence[tuple[str, str]] | None = None,
        riders: Sequence[Hearing] = (),
    ) -> None:
        super().__init__(ctx, hearing, docket_rows, parent, "Reschedule")
        self.setWindowTitle("Reschedule hearing")
        # A family's lead: its riders' hearings at the same time move with it, each its own
        # record (and its own notice of hearing, served by the server per hearing).
        self.riders = list(riders)
        if self.riders:
            moves = QLabel(
                f"The family is heard together: the {count(len(self.riders), 'rider hearing')}"
                " at this time move too."
            )
            moves.setObjectName("family_moves")
            moves.setWordWrap(True)
            self.box.insertWidget(1, moves)
        self.courtroom_combo = QComboBox()
        for room_id, name in courtrooms or courtrooms_of(self.docket_rows):
            self.courtroom_combo.addItem(name, room_id)
        current = self.courtroom_combo.findData(hearing.courtroom_id)
        if current < 0 and hearing.courtroom_id:
            self.courtroom_combo.addItem("(current courtroom)", hearing.courtroom_id)
            current = self.courtroom_combo.count() - 1
        self.courtroom_combo.setCurrentIndex(max(current, 0))
        language = hearing.interpreter_language
        self.interpreter = QLabel(
            f"{language} — tell the interpreter unit the new time." if language else "None booked"
        )
        self.language_combo = LanguageCombo(language)
        self.language_combo.setAccessibleName("Interpreter language")
        self.language_combo.setToolTip("Type part of the language's name or its ISO 639-3 code")
        self.dialect_combo = QComboBox()
        self.dialect_combo.setEditable(True)
        self.dialect_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.dialect_combo.setAccessibleName("Dialect")
        self.dialect_combo.setToolTip("The variety needed, if it matters (e.g. Levantine)")
        self.interpreter_medium_combo = QComboBox()
        self.interpreter_medium_combo.setAccessibleName("How the interpreter attends")
        self.interpreter_medium_combo.addItem("As the hearing is held", None)
        for medium, words in MEDIUM_WORDS.items():
            self.interpreter_medium_combo.addItem(words, medium.value)
        attends = hearing.interpreter_medium.value if hearing.interpreter_medium else None
        self.interpreter_medium_combo.setCurrentIndex(
            max(self.interpreter_medium_combo.findData(attends), 0) if attends else 0
        )
        self.form.addRow("&Date:", self.date_edit)
        self.form.addRow("&Time (court):", self.time_edit)
        self.form.addRow("C&ourtroom:", self.courtroom_combo)
        self.form.addRow("&Interpreter:", self.language_combo)
        self.form.addRow("Diale&ct:", self.dialect_combo)
        self.form.addRow("Interpreter &joins:", self.interpreter_medium_combo)
        self.form.addRow("", self.interpreter)
        self._fill_dialects(hearing.interpreter_dialect)
        self.set_start(to_court(hearing.starts_at, self.zone))
        # The next time the judge and courtroom are both free, from the next court day.
        self.free_slot_button = QPushButton("&Next free time")
        self.free_slot_button.setObjectName("free_slot")
        self.free_slot_button.setToolTip(
            "The first time from tomorrow when the judge and the courtroom are both free"
        )
        self.free_slot_button.clicked.connect(self._propose)
        self.form.addRow("", self.free_slot_button)
        for signal in (
            self.date_edit.dateChanged,
            self.time_edit.timeChanged,
            self.courtroom_combo.currentIndexChanged,
            self.language_combo.currentTextChanged,
            self.dialect_combo.currentTextChanged,
            self.interpreter_medium_combo.currentIndexChanged,
        ):
            signal.connect(self._check)
        self.language_combo.currentIndexChanged.connect(lambda _: self._fill_dialects(None))
        if find_clashes(hearing, self.docket_rows):
            self._propose()  # the hearing's own time is double-booked: offer a free one
        self._check()

    def _propose(self) -> None:
        tomorrow = court_today(self.zone) + timedelta(days=1)
        self.propose_free_slot(
            court_instant(tomorrow, DAY_OPENS, self.zone), self.proposed().duration_minutes
        )

    def _fill_dialects(self, current: str | None) -> None:
        """The chosen language's suggested dialects (the clerk may type another)."""
        _, name = self.language_combo.chosen()
        language = load_languages().by_name(name)
        self.dialect_combo.blockSignals(True)
        self.dialect_combo.clear()
        self.dialect_combo.addItem("")
        for dialect in language.dialects if language else ():
            self.dialect_combo.addItem(dialect)
        self.dialect_combo.setEditText(current or "")
        self.dialect_combo.setEnabled(name is not None)
        self.dialect_combo.blockSignals(False)

    def interpreter_fields(self) -> dict[str, object] | None:
        """The interpreter the hearing needs, or None when the language typed is not one
        the court's list names."""
        valid, name = self.language_combo.chosen()
        if not valid:
            return None
        dialect = self.dialect_combo.currentText().strip() if name else ""
        medium = self.interpreter_medium_combo.currentData() if name else None
        return {
            "interpreter_language": name,
            "interpreter_dialect": dialect or None,
            "interpreter_medium": Medium(medium) if medium else None,
        }

    def proposed(self) -> Hearing:
        room = self.courtroom_combo.currentData()
        moved = reschedule(self.hearing, self.chosen_start(), str(room) if room else None)
        return moved.model_copy(update=self.interpreter_fields() or {})

    def records(self) -> list[WireRecord] | None:
        if self.interpreter_fields() is None:
            return None
        return list(move_family(self.proposed(), self.riders))

    def _check(self) -> None:
        if self.interpreter_fields() is None:
            self.interpreter.setText(
                f"{self.language_combo.currentText()!r} is not on the court's language list; "
                "choose one from the list."
            )
            self.interpreter.setStyleSheet(ERROR_STYLE)
        else:
            self.interpreter.setStyleSheet("")
            booked = self.hearing.interpreter_language
            self.interpreter.setText(
                f"Booked in {booked}: tell the interpreter unit of any change." if booked else ""
            )
        proposed = self.proposed()
        self.show_hours(proposed.starts_at, proposed.duration_minutes)
        self.clash_panel.show_clashes(find_clashes(proposed, self.docket_rows))


class ScheduleDialog(RescheduleDialog):
    """Schedule a new hearing for a case: type, medium and length as well as the date, time
    and courtroom, with the same clash check."""

    def __init__(
        self,
        ctx: DesktopContext,
        hearing: Hearing,
        docket_rows: Sequence[DocketRow],
        parent: QWidget | None = None,
        *,
        courtrooms: Sequence[tuple[str, str]] | None = None,
        case_type: str | None = None,
        riders: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.case_type = case_type  # the case's, when known: a bond hearing moves to its bond case
        # A family's lead: its riders (case id, respondent) are offered hearings at the same
        # time, saved with the lead's in one group (each its own record and notice).
        self.family_riders = list(riders)
        names = "; ".join(name for _, name in self.family_riders)
        self.with_riders = QCheckBox(f"Schedule the family's riders with it: {names}")
        self.with_riders.setObjectName("with_riders")
        self.with_riders.setChecked(bool(self.family_riders))
        self.with_riders.setVisible(bool(self.family_riders))
        self.bond_note = QLabel(BOND_CASE_NOTE)
        self.bond_note.setWordWrap(True)
        self.type_combo = QComboBox()
        for kind in HearingType:
            self.type_combo.addItem(TYPE_NAMES.get(kind.value, kind.value), kind.value)
        self.medium_combo = QComboBox()
        for medium in Medium:
            self.medium_combo.addItem(medium.value.replace("_", " ").capitalize(), medium.value)
        self.length = QSpinBox()
        self.length.setRange(15, 480)
        self.length.setSingleStep(15)
        self.length.setSuffix(" min")
        super().__init__(ctx, hearing, docket_rows, parent, courtrooms=courtrooms)
        self.setWindowTitle("Schedule hearing")
        self.ok_button.setText("Schedule")
        self.type_combo.setCurrentIndex(self.type_combo.findData(hearing.hearing_type.value))
        self.medium_combo.setCurrentIndex(self.medium_combo.findData(hearing.medium.value))
        self.length.setValue(hearing.duration_minutes)
        self.form.insertRow(0, "Hearing &type:", self.type_combo)
        self.form.insertRow(1, "&Medium:", self.medium_combo)
        self.form.insertRow(2, "&Length:", self.length)
        self.box.insertWidget(2, self.bond_note)
        self.box.insertWidget(3, self.with_riders)
        self._show_bond_note()
        self.type_combo.currentIndexChanged.connect(self._typed)
        for signal in (self.medium_combo.currentIndexChanged, self.length.valueChanged):
            signal.connect(self._check)

    def _typed(self) -> None:
        # An individual (merits) hearing takes the morning or afternoon; a master, half an hour.
        individual = self.type_combo.currentData() == HearingType.INDIVIDUAL.value
        self.length.setValue(180 if individual else 30)
        self._show_bond_note()
        self._check()

    def _show_bond_note(self) -> None:
        bond = self.type_combo.currentData() == HearingType.BOND.value
        self.bond_note.setVisible(bond and self.case_type not in (None, CaseType.BOND.value))

    def _on_ok(self) -> None:
        """Save the hearing; a bond hearing of a removal case goes to its bond case, opened
        in the same group when there is none (``clerk_actions.hearing_records``)."""
        if self.records() is None or not self.clash_panel.acknowledged or self.hours_note.text():
            return
        self.buttons.setEnabled(False)
        self.error.hide()
        hearing, store, today = self.proposed(), self.ctx.store, court_today(self.zone)
        riders = [case_id for case_id, _ in self.family_riders if self.with_riders.isChecked()]

        def write() -> None:
            store.save_together(family_hearing_records(store, hearing, today, riders))

        def done(_: None) -> None:
            self.ctx.sync.sync_soon()
            self._on_saved()

        run_task(write, done, self._on_failed, pool=self.ctx.writer)

    def proposed(self) -> Hearing:
        moved = super().proposed()
        return moved.model_copy(
            update={
                "hearing_type": HearingType(self.type_combo.currentData()),
                "medium": Medium(self.medium_combo.currentData()),
                "duration_minutes": self.length.value(),
            }
        )


class AdjournDialog(_HearingDialog):
    """Adjourn a hearing with an Appendix O code and schedule the next one; the effect on
    the asylum clock is shown before anything is saved."""

    def __init__(
        self,
        ctx: DesktopContext,
        hearing: Hearing,
        docket_rows: Sequence[DocketRow],
        parent: QWidget | None = None,
        clock: AsylumClock | None = None,
    ) -> None:
        super().__init__(ctx, hearing, docket_rows, parent, "Adjourn")
        self.clock = clock  # the case's asylum clock today; None: no application on file
        self.setWindowTitle("Adjourn hearing")
        self.code_combo = QComboBox()
        for entry in load_adjournment_codes().values():
            effect = EFFECT_WORDS.get(entry.clock_effect.value, entry.clock_effect.value)
            self.code_combo.addItem(f"{entry.code} — {entry.description} ({effect})", entry.code)
        self.code_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.code_combo.setCurrentIndex(-1)
        self.code_combo.setPlaceholderText("Choose an adjournment code")
        self.clock_note = QLabel()
        self.clock_note.setWordWrap(True)
        self.form.addRow("Adjournment &code:", self.code_combo)
        self.form.addRow("Next hearing &date:", self.date_edit)
        self.form.addRow("Next hearing &time:", self.time_edit)
        # Below the form, full width: a wrapped label in a form row gets too little height.
        self.box.insertWidget(2, self.clock_note)
        local = to_court(hearing.starts_at, self.zone)
        four_weeks = datetime.combine(
            next_weekday(local.date() + timedelta(days=28)), local.time(), tzinfo=self.zone
        )
        self.set_start(four_weeks)
        # Four weeks on at the same time if the judge and courtroom are free then (and the
        # court sits), else the first time after it when they are.
        self.propose_free_slot(four_weeks, hearing.duration_minutes)
        for signal in (
            self.date_edit.dateChanged,
            self.time_edit.timeChanged,
            self.code_combo.currentIndexChanged,
        ):
            signal.connect(self._check)
        self._check()

    def adjournment(self) -> Adjournment | None:
        """The records and clock note for the current choice; None with no code chosen."""
        code = self.code_combo.currentData()
        if not code:
            return None
        return adjourn(self.hearing, str(code), self.chosen_start(), self.clock, zone=self.zone)

    def records(self) -> list[WireRecord] | None:
        try:
            result = self.adjournment()
        except ValueError:
            return None
        return None if result is None else [result.adjourned, result.next_hearing]

    def _check(self) -> None:
        try:
            result = self.adjournment()
        except ValueError as err:  # the next hearing is before this one
            self.clock_note.setText(str(err).capitalize())
            self.clock_note.setStyleSheet(ERROR_STYLE)
            self.clash_panel.show_clashes([])
            return
        self.clock_note.setStyleSheet("")
        if result is None:
            self.clock_note.setText("Choose a code to see its effect on the clock.")
            self.clash_panel.show_clashes([])
            return
        self.clock_note.setText(result.clock_note)
        following = result.next_hearing
        self.show_hours(following.starts_at, following.duration_minutes)
        self.clash_panel.show_clashes(find_clashes(following, self.docket_rows))
