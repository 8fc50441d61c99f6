"""The Settings dialog: every declared option with its title; what IT locked is shown but
can't be changed (a note says why)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.settings import LAST_USERNAME, OPTIONS, Option, Settings

LOCKED_TIP = "Set by your IT department; it can't be changed here."


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.settings = settings
        self.editors: dict[str, QSpinBox | QLineEdit] = {}
        form = QFormLayout()
        for option in OPTIONS:
            if option is LAST_USERNAME:
                continue
            editor = self._editor(option)
            if settings.is_locked(option):
                editor.setEnabled(False)
                editor.setToolTip(LOCKED_TIP)
            self.editors[option.key] = editor
            form.addRow(option.title + (" 🔒" if settings.is_locked(option) else "") + ":", editor)
        note = QLabel(
            "Changes to the sync interval and the document cache apply the next time you sign in."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _editor(self, option: Option) -> QSpinBox | QLineEdit:
        value = self.settings.value(option)
        if option.kind is int:
            spin = QSpinBox()
            spin.setRange(option.minimum or 0, option.maximum or 1_000_000)
            spin.setValue(int(value))
            return spin
        return QLineEdit(str(value))

    def save(self) -> None:
        for option in OPTIONS:
            editor = self.editors.get(option.key)
            if editor is None or not editor.isEnabled():
                continue
            value = editor.value() if isinstance(editor, QSpinBox) else editor.text().strip()
            self.settings.set(option, value)
        self.accept()
