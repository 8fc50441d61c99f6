"""The user guide: bundled with the program (``resources/help/user-guide.md``), searchable,
opened at the part that describes the view in front (F1).

The guide's ``## `` headings make its sections; a section's id is its heading in lower case
with dashes ("Document viewer" -> ``document-viewer``). The last section, "Keyboard
shortcuts", is not in the file: it is made from the menus' actions each time the window
opens a page (:func:`desktop.ui.keyboard.menu_shortcuts`), so it lists what the keys do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenuBar,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from common.resources import resources_dir
from desktop.ui.about_dialog import AboutDialog
from desktop.ui.keyboard import HELP_FALLBACK, assign_accelerators, menu_shortcuts, standard_key
from desktop.words import count

GUIDE = Path("help") / "user-guide.md"
SHORTCUTS = "keyboard-shortcuts"
START = "getting-started"
VIEWER_TITLE = "Document viewer"
VIEWER_SECTION = "document-viewer"

# (window title, its menu bar) for every window whose shortcuts the page lists.
MenuSources = Callable[[], Sequence[tuple[str, QMenuBar]]]


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    body: str  # Markdown, without the heading


def section_id(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def load_guide(path: Path | None = None) -> tuple[str, list[Section]]:
    """(the guide's title, its sections in order) from the bundled Markdown file."""
    text = (path or resources_dir() / GUIDE).read_text(encoding="utf-8")
    title, sections = "", []
    heading, lines = "", []  # type: tuple[str, list[str]]
    for line in text.splitlines():
        if line.startswith("# ") and not title:
            title = line[2:].strip()
        elif line.startswith("## "):
            if heading:
                sections.append(Section(section_id(heading), heading, "\n".join(lines).strip()))
            heading, lines = line[3:].strip(), []
        elif heading:
            lines.append(line)
    if heading:
        sections.append(Section(section_id(heading), heading, "\n".join(lines).strip()))
    return title, sections


def shortcuts_section(sources: Sequence[tuple[str, QMenuBar]]) -> Section:
    """The "Keyboard shortcuts" section, a table per window, read from its menus."""
    lines = ["Made from the menus as they are now; each entry shows its keys in its menu too."]
    for window, bar in sources:
        lines += ["", f"### {window}", "", "| Menu | Command | Keys |", "|---|---|---|"]
        lines += [f"| {m} | {c} | {k} |".replace("\\", "\\\\") for m, c, k in menu_shortcuts(bar)]
    if not any(window == VIEWER_TITLE for window, _ in sources):
        lines += ["", "The document viewer's keys are listed here while a document is open."]
    return Section(SHORTCUTS, "Keyboard shortcuts", "\n".join(lines))


def matches(section: Section, query: str) -> bool:
    """Every word of ``query`` is in the section's title or text (case ignored)."""
    haystack = f"{section.title}\n{section.body}".lower()
    return all(word in haystack for word in query.lower().split())


class HelpWindow(QWidget):
    """The guide's contents on the left, the section on the right, a search field on top."""

    def __init__(self, menus: MenuSources, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._menus = menus
        title, self._guide = load_guide()
        self.setWindowTitle(title or "ECAS Help")
        self.resize(860, 620)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search the guide (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._open_first_match)
        self.found = QLabel()
        self.contents = QListWidget()
        self.contents.currentItemChanged.connect(self._on_current)
        self.page = QTextBrowser()
        self.page.setOpenExternalLinks(False)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.found)
        split = QSplitter()
        split.addWidget(self.contents)
        split.addWidget(self.page)
        split.setSizes([220, 640])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self._fill(self.sections())

    def sections(self) -> list[Section]:
        return [*self._guide, shortcuts_section(self._menus())]

    def _fill(self, sections: list[Section]) -> None:
        current = self.current_id()
        self.contents.blockSignals(True)
        self.contents.clear()
        for section in sections:
            item = QListWidgetItem(section.title)
            item.setData(Qt.ItemDataRole.UserRole, section)
            self.contents.addItem(item)
        self.contents.blockSignals(False)
        for row in range(self.contents.count()):
            if self._section_at(row).id == current:
                self.contents.setCurrentRow(row)
                return
        if self.contents.count():
            self.contents.setCurrentRow(0)
        else:
            self.page.clear()

    def _section_at(self, row: int) -> Section:
        section = self.contents.item(row).data(Qt.ItemDataRole.UserRole)
        assert isinstance(section, Section)
        return section

    def current_id(self) -> str:
        row = self.contents.currentRow()
        return self._section_at(row).id if row >= 0 else ""

    def show_section(self, section: str) -> None:
        """Open the window at ``section`` (its id); the start when there is none such."""
        self.search.clear()  # every section listed again, the shortcuts made afresh
        self._fill(self.sections())
        ids = [self._section_at(r).id for r in range(self.contents.count())]
        self.contents.setCurrentRow(ids.index(section) if section in ids else 0)
        self.show()
        self.raise_()
        self.activateWindow()

    def _on_current(self, item: QListWidgetItem | None, _old: QListWidgetItem | None) -> None:
        if item is None:
            return
        section = item.data(Qt.ItemDataRole.UserRole)
        self.page.setMarkdown(f"## {section.title}\n\n{section.body}")
        query = self.search.text().split()
        if query:  # show the first place the search found
            self.page.find(max(query, key=len))

    def _filter(self, query: str) -> None:
        found = [s for s in self.sections() if matches(s, query)]
        self._fill(found)
        self.found.setText(
            count(len(found), "section", zero="Nothing found") if query.strip() else ""
        )

    def _open_first_match(self) -> None:
        if self.contents.count():
            self.contents.setCurrentRow(0)
            self.contents.setFocus()


def add_help_menu(
    window: QMainWindow,
    guide: Callable[[], object],
    shortcuts: Callable[[], object],
    about: Callable[[], object],
) -> None:
    """Add the Help menu (User guide on F1, Keyboard shortcuts, About) to ``window`` and give
    every menu of its menu bar accelerators (``&File``), unique within each menu."""
    menu = window.menuBar().addMenu("&Help")
    entries: tuple[tuple[str, Callable[[], object], list[QKeySequence]], ...] = (
        ("&User guide", guide, standard_key(QKeySequence.StandardKey.HelpContents, HELP_FALLBACK)),
        ("&Keyboard shortcuts", shortcuts, []),
        ("&About ECAS", about, []),
    )
    for text, slot, keys in entries:
        action = QAction(text, window)
        action.setShortcuts(keys)
        action.triggered.connect(lambda _checked=False, run=slot: run())
        if text == "&About ECAS":
            menu.addSeparator()
        menu.addAction(action)
    assign_accelerators(window.menuBar())


class FileViewerHelp:
    """Help for ``ecas-desktop open FILE.pdf``: the viewer alone, no main window, no server."""

    NO_SERVER = "server: none (a file opened on its own)"

    def __init__(self, viewer: QMainWindow) -> None:
        self.viewer = viewer
        self.help_window: HelpWindow | None = None
        self.about: AboutDialog | None = None
        add_help_menu(
            viewer,
            lambda: self.open_guide(VIEWER_SECTION),
            lambda: self.open_guide(SHORTCUTS),
            self.open_about,
        )

    def open_guide(self, section: str) -> HelpWindow:
        if self.help_window is None:
            self.help_window = HelpWindow(
                lambda: [(VIEWER_TITLE, self.viewer.menuBar())], self.viewer
            )
        self.help_window.show_section(section)
        return self.help_window

    def open_about(self) -> AboutDialog:
        dialog = AboutDialog(None, parent=self.viewer, no_server=self.NO_SERVER)
        dialog.finished.connect(dialog.deleteLater)
        self.about = dialog
        dialog.open()
        return dialog
