"""Date fields in the house style of :mod:`common.court_time`: ``Tue 8 Dec 2026``, with
English day and month names whatever the computer's language, like every other date on
screen (``table_date``)."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDateEdit

from common.court_time import DATE_FIELD_PATTERN

_ENGLISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def house_style(edit: QDateEdit) -> QDateEdit:
    """``edit`` showing its date as ``Tue 8 Dec 2026``, with a calendar to pick from."""
    edit.setLocale(_ENGLISH)
    edit.setDisplayFormat(DATE_FIELD_PATTERN)
    edit.setCalendarPopup(True)
    return edit
