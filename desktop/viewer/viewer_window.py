"""The viewer window: documents in tabs, an optional second side, navigation panels.

Each open document is a ``DocumentPane`` in a ``DocumentTabs``; View > Split shows a second
``DocumentTabs`` beside the first, so an application can be read beside the evidence, each
side with its own tabs, pages and zoom. The side the reader last used is the active one:
the toolbar (page box "12 / 300", zoom, fit, rotate), the find bar (Ctrl+F), the thumbnails
and the outline docks, printing and File > Open all act on the document in front there.

For other parts of the viewer (annotations): ``pane_added(pane)`` is emitted for every
document opened, ``current_pane_changed(pane)`` when the document in front changes,
``current_pane()`` returns it, and the window is a plain ``QMainWindow`` (``addDockWidget``,
``addToolBar``, ``menuBar()`` are theirs to use).

With a ``ViewerMemory`` (per user) the window remembers its size, the split's position and
each document's last page and zoom: a document opened again opens where it was left. The
title names the document in front: "A123-456-789 — I-589, 42 pages — ECAS".
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIntValidator, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from common.anumber import ANumberError, format_a_number
from desktop.viewer.document_pane import DocumentPane, file_sha256
from desktop.viewer.outline import OutlinePanel
from desktop.viewer.page_view import DEFAULT_CACHE_BYTES, PageView
from desktop.viewer.search import FindBar
from desktop.viewer.tabs import DocumentTabs
from desktop.viewer.thumbnails import ThumbnailPanel
from desktop.viewer.viewer_memory import DocumentPlace, ViewerMemory
from desktop.words import count as count_of

FIT_WIDTH = "Fit width"
FIT_PAGE = "Fit page"
ZOOM_PERCENTS = (50, 75, 100, 125, 150, 200, 300, 400)
APP_TITLE = "ECAS viewer"
TITLE_SUFFIX = "ECAS"
DEFAULT_SIZE = (1000, 900)  # the first opening; later ones open as the user left it
SAVE_DELAY_MS = 2000  # page and zoom changes are written this long after the last one
KEYS = QKeySequence.StandardKey


class ViewerWindow(QMainWindow):
    pane_added = Signal(object)  # DocumentPane: a document was opened into it
    current_pane_changed = Signal(object)  # DocumentPane | None: the document in front

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
        memory: ViewerMemory | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(APP_TITLE)
        self.cache_bytes = cache_bytes
        self.memory = memory
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_memory)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.splitterMoved.connect(self._on_split_moved)
        self.groups: list[DocumentTabs] = []
        self.find_bar = FindBar(self)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.splitter, 1)
        column.addWidget(self.find_bar)
        self.setCentralWidget(central)
        self._active = self._add_group()
        self._shown: DocumentPane | None = None
        self.page_box = QLineEdit(self)
        self.page_box.setMaximumWidth(60)
        self.page_box.setValidator(QIntValidator(1, 1_000_000, self))
        self.page_box.setToolTip("Go to page (type a number and press Enter)")
        self.page_total = QLabel(" / 0 ", self)
        self.zoom_box = QComboBox(self)
        self.zoom_box.addItems([FIT_WIDTH, FIT_PAGE, *(f"{p} %" for p in ZOOM_PERCENTS)])
        self.zoom_box.setToolTip("Zoom (Ctrl++, Ctrl+-, Ctrl+0 fits the width, Ctrl+wheel)")
        self.continuous_action = QAction("Continuous", self)
        self.continuous_action.setCheckable(True)
        self.continuous_action.setChecked(True)
        self.continuous_action.setToolTip("Continuous scroll, or one page at a time")
        self.thumbnails = ThumbnailPanel(self)
        self.outline = OutlinePanel(self)
        self.thumbnails_dock = self._dock("Thumbnails", self.thumbnails)
        self.outline_dock = self._dock("Bookmarks", self.outline)
        self.tabifyDockWidget(self.thumbnails_dock, self.outline_dock)
        self.thumbnails_dock.raise_()
        self.actions_by_name: dict[str, QAction] = {}
        self._keys_used: set[str] = {"F4", "Ctrl+B"}  # the dock toggles below
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._connect()
        self._refresh()
        self.statusBar().showMessage("No document open")
        self.resize(*DEFAULT_SIZE)
        saved = memory.geometry() if memory is not None else None
        if saved is not None:
            self.restoreGeometry(saved)

    # --- documents -----------------------------------------------------------------

    @property
    def view(self) -> PageView:
        """The page view of the document in front (there is always a pane, maybe empty)."""
        pane = self.current_pane()
        assert pane is not None
        return pane.view

    def current_pane(self) -> DocumentPane | None:
        return self._active.current_pane()

    def panes(self) -> list[DocumentPane]:
        return [pane for group in self.groups for pane in group.panes()]

    def find_pane(self, sha256: str) -> DocumentPane | None:
        return next((p for p in self.panes() if sha256 and p.sha256 == sha256), None)

    def open_path(
        self,
        path: str | Path,
        expected_sha256: str | None = None,
        *,
        title: str | None = None,
        document_id: str | None = None,
        a_number: str = "",
    ) -> DocumentPane:
        """Open the PDF at ``path`` in a new tab on the active side (or switch to it if it is
        already open) and return its pane. ``a_number``: the case's, for the title."""
        path = Path(path)
        try:
            digest = expected_sha256 or file_sha256(path)
        except OSError:
            digest = ""
        existing = self.find_pane(digest)
        if existing is not None:
            self.show_pane(existing)
            return existing
        pane = self._pane_for_new_document()
        pane.open_path(
            path, expected_sha256, title=title, document_id=document_id, file_hash=digest or None
        )
        pane.a_number = a_number
        self._opened_into(pane, f"Opening {path}…")
        return pane

    def open_bytes(
        self,
        data: bytes,
        title: str,
        expected_sha256: str | None = None,
        *,
        document_id: str | None = None,
        a_number: str = "",
    ) -> DocumentPane:
        existing = self.find_pane(expected_sha256 or hashlib.sha256(data).hexdigest())
        if existing is not None:
            self.show_pane(existing)
            return existing
        pane = self._pane_for_new_document()
        pane.open_bytes(data, title, expected_sha256, document_id=document_id)
        pane.a_number = a_number
        self._opened_into(pane, f"Opening {title}…")
        return pane

    def show_pane(self, pane: DocumentPane) -> None:
        """Bring ``pane`` to the front of its side and make that side the active one."""
        for group in self.groups:
            if group.indexOf(pane) >= 0:
                group.setCurrentWidget(pane)
                self._activate(group)
                pane.view.setFocus()
                return

    def close_pane(self, pane: DocumentPane | None = None) -> None:
        """Close ``pane`` (default: the one in front): its render thread ends."""
        pane = pane or self.current_pane()
        group = next((g for g in self.groups if pane is not None and g.indexOf(pane) >= 0), None)
        if pane is None or group is None:
            return
        self._remember(pane)
        self.save_memory()
        if group.count() == 1 and pane.is_empty():
            if len(self.groups) > 1:
                self.set_split(False)
            return
        pane.close_document()
        group.removeTab(group.indexOf(pane))
        pane.deleteLater()
        if group.count() == 0:
            group.add_pane(self._new_pane())
        self._refresh()

    # --- tabs and sides ------------------------------------------------------------

    def is_split(self) -> bool:
        return len(self.groups) > 1

    def set_split(self, split: bool) -> None:
        """Show a second side (moving the document in front there when the first side has
        more than one), or fold the second side's documents back into the first."""
        if split == self.is_split():
            return
        if split:
            left = self.groups[0]
            right = self._add_group()  # with an empty pane saying how to open a document
            if left.count() > 1 and (moving := left.current_pane()) is not None:
                self._move(moving, right)
            share = self.memory.split() if self.memory is not None else None
            total = sum(self.splitter.sizes())
            if share is not None and total > 0:
                first = round(total * share)
                self.splitter.setSizes([first, total - first])
            self._activate(right)
        else:
            left, right = self.groups
            for pane in right.panes():
                if pane.is_empty():
                    right.removeTab(right.indexOf(pane))
                    pane.close_document()
                    pane.deleteLater()
                else:
                    self._move(pane, left)
            self.groups.remove(right)
            right.setParent(None)
            right.deleteLater()
            self._activate(left)
        self.split_action.setChecked(self.is_split())

    def move_to_other_side(self) -> None:
        """Move the document in front to the other side (splitting the view if needed)."""
        pane = self.current_pane()
        if pane is None or pane.is_empty():
            return
        if not self.is_split():
            self.set_split(True)
            if self.groups[1].indexOf(pane) >= 0:
                return
        other = self.groups[1] if self._active is self.groups[0] else self.groups[0]
        self._move(pane, other)
        self._activate(other)

    def _move_requested(self, pane: DocumentPane) -> None:
        self.show_pane(pane)
        self.move_to_other_side()

    def focus_other_side(self) -> None:
        if self.is_split():
            other = self.groups[1] if self._active is self.groups[0] else self.groups[0]
            self._activate(other)
            pane = other.current_pane()
            if pane is not None:
                pane.view.setFocus()

    def step_tab(self, direction: int) -> None:
        self._active.step(direction)

    # --- internals: building -------------------------------------------------------

    def _add_group(self) -> DocumentTabs:
        group = DocumentTabs(self.splitter)
        group.add_pane(self._new_pane())
        group.close_requested.connect(self.close_pane)
        group.move_requested.connect(self._move_requested)
        group.activated.connect(self._activate)
        group.currentChanged.connect(lambda _index: self._refresh())
        self.splitter.addWidget(group)
        self.groups.append(group)
        return group

    def _new_pane(self) -> DocumentPane:
        pane = DocumentPane(cache_bytes=self.cache_bytes)
        view = pane.view
        view.opened.connect(lambda pages, p=pane: self._on_opened(p, pages))
        view.failed.connect(lambda message, p=pane: self._on_failed(p, message))
        view.page_changed.connect(lambda page, p=pane: self._on_page_changed(p, page))
        view.zoom_changed.connect(lambda _zoom, p=pane: self._on_zoom_changed(p))
        view.page_changed.connect(lambda _page, p=pane: self._remember(p))
        view.zoom_changed.connect(lambda _zoom, p=pane: self._remember(p))
        return pane

    def _pane_for_new_document(self) -> DocumentPane:
        """The active side's empty pane, or a new tab there."""
        group = self._active
        pane = group.current_pane()
        if pane is None or not pane.is_empty():
            pane = next((p for p in group.panes() if p.is_empty()), None)
        if pane is None:
            pane = self._new_pane()
            group.add_pane(pane)
        group.setCurrentWidget(pane)
        return pane

    def _opened_into(self, pane: DocumentPane, message: str) -> None:
        for group in self.groups:
            group.label(pane)
        self._activate(next(g for g in self.groups if g.indexOf(pane) >= 0))
        self._refresh()
        self.statusBar().showMessage(message)
        self.pane_added.emit(pane)

    def _move(self, pane: DocumentPane, target: DocumentTabs) -> None:
        source = next(g for g in self.groups if g.indexOf(pane) >= 0)
        source.removeTab(source.indexOf(pane))
        for empty in [p for p in target.panes() if p.is_empty()]:
            target.removeTab(target.indexOf(empty))
            empty.close_document()
            empty.deleteLater()
        target.add_pane(pane)
        if source.count() == 0:
            source.add_pane(self._new_pane())

    def _dock(self, title: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title.lower())
        dock.setWidget(widget)
        dock.setAllowedAreas(
            Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        return dock

    def _action(
        self,
        name: str,
        text: str,
        slot: object,
        *shortcuts: QKeySequence | QKeySequence.StandardKey | str,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        sequences: list[QKeySequence] = []
        for shortcut in shortcuts:
            if isinstance(shortcut, QKeySequence.StandardKey):
                found = QKeySequence.keyBindings(shortcut)
            else:
                found = [QKeySequence(shortcut)]
            for sequence in found:  # each key once in the window: never ambiguous
                key = sequence.toString(QKeySequence.SequenceFormat.PortableText)
                if key and key not in self._keys_used:
                    self._keys_used.add(key)
                    sequences.append(sequence)
        action.setShortcuts(sequences)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if tip or sequences:
            keys = (
                sequences[0].toString(QKeySequence.SequenceFormat.NativeText) if sequences else ""
            )
            action.setToolTip(f"{tip or text} ({keys})" if keys else tip or text)
        action.triggered.connect(slot)
        self.addAction(action)
        self.actions_by_name[name] = action
        return action

    def _build_actions(self) -> None:
        act = self._action
        act("open", "&Open…", self._choose_file, KEYS.Open)
        act("print", "&Print…", self.print_current, KEYS.Print)
        act("close_tab", "&Close tab", lambda: self.close_pane(), KEYS.Close, "Ctrl+W")
        act("next_tab", "Next tab", lambda: self.step_tab(+1), KEYS.NextChild, "Ctrl+Tab")
        act(
            "previous_tab",
            "Previous tab",
            lambda: self.step_tab(-1),
            KEYS.PreviousChild,
            "Ctrl+Shift+Tab",
        )
        act("find", "&Find…", self.open_find_bar, KEYS.Find)
        act("find_next", "Find &next", lambda: self.find_bar.find_next(+1), KEYS.FindNext)
        act(
            "find_previous",
            "Find pre&vious",
            lambda: self.find_bar.find_next(-1),
            KEYS.FindPrevious,
        )
        act("zoom_in", "Zoom &in", lambda: self.view.zoom_in(), KEYS.ZoomIn)
        act("zoom_out", "Zoom &out", lambda: self.view.zoom_out(), KEYS.ZoomOut)
        act("fit_width", "Fit &width", lambda: self.view.fit_width(), "Ctrl+0")
        act("fit_page", "Fit &page", lambda: self.view.fit_page(), "Ctrl+9")
        act("rotate_left", "Rotate left", lambda: self.view.rotate(-90), "Ctrl+Shift+R")
        act("rotate_right", "Rotate right", lambda: self.view.rotate(90), "Ctrl+R")
        act("first_page", "First page", lambda: self.view.go_to_page(0), "Ctrl+Home")
        act(
            "last_page",
            "Last page",
            lambda: self.view.go_to_page(self.view.page_count() - 1),
            "Ctrl+End",
        )
        act("go_to_page", "&Go to page…", self._focus_page_box, "Ctrl+Shift+N")
        self.split_action = act(
            "split", "&Split view", self.set_split, "Ctrl+\\", tip="Two documents side by side"
        )
        self.split_action.setCheckable(True)
        act("other_side", "Switch &side", self.focus_other_side, "F6")
        act("move_side", "&Move tab to the other side", self.move_to_other_side, "Ctrl+Shift+M")
        thumbs = self.thumbnails_dock.toggleViewAction()
        thumbs.setText("&Thumbnails")
        thumbs.setShortcut(QKeySequence("F4"))
        thumbs.setToolTip("Show or hide the page thumbnails (F4)")
        self.actions_by_name["thumbnails"] = thumbs
        marks = self.outline_dock.toggleViewAction()
        marks.setText("&Bookmarks")
        marks.setShortcut(QKeySequence("Ctrl+B"))
        marks.setToolTip("Show or hide the document's bookmarks (Ctrl+B)")
        self.actions_by_name["outline"] = marks
        self.rotate_left_action = self.actions_by_name["rotate_left"]
        self.rotate_right_action = self.actions_by_name["rotate_right"]

    def _build_menus(self) -> None:
        menus = self.menuBar()
        named = self.actions_by_name
        file_menu = menus.addMenu("&File")
        for name in ("open", "print", None, "close_tab"):
            file_menu.addSeparator() if name is None else file_menu.addAction(named[name])
        edit = menus.addMenu("&Edit")
        for name in ("find", "find_next", "find_previous"):
            edit.addAction(named[name])
        view = menus.addMenu("&View")
        for name in (
            "zoom_in", "zoom_out", "fit_width", "fit_page", None,
            "rotate_left", "rotate_right", None, "thumbnails", "outline", None,
            "split", "other_side", "move_side",
        ):  # fmt: skip
            view.addSeparator() if name is None else view.addAction(named[name])
        view.insertAction(named["thumbnails"], self.continuous_action)
        go = menus.addMenu("&Go")
        for name in ("first_page", "last_page", "go_to_page", None, "next_tab", "previous_tab"):
            go.addSeparator() if name is None else go.addAction(named[name])

    def _build_toolbar(self) -> None:
        bar = QToolBar("Document", self)
        bar.setObjectName("document-toolbar")
        bar.setMovable(False)
        self.addToolBar(bar)
        named = self.actions_by_name
        bar.addAction(named["thumbnails"])
        bar.addAction(named["outline"])
        bar.addSeparator()
        bar.addWidget(self.page_box)
        bar.addWidget(self.page_total)
        bar.addSeparator()
        bar.addWidget(self.zoom_box)
        bar.addAction(named["fit_width"])
        bar.addAction(named["fit_page"])
        bar.addAction(named["rotate_left"])
        bar.addAction(named["rotate_right"])
        bar.addSeparator()
        bar.addAction(self.continuous_action)
        bar.addAction(named["split"])
        bar.addSeparator()
        bar.addAction(named["find"])
        bar.addAction(named["print"])

    def _connect(self) -> None:
        self.page_box.returnPressed.connect(self._go_to_typed_page)
        self.zoom_box.activated.connect(self._on_zoom_chosen)
        self.continuous_action.toggled.connect(lambda on: self.view.set_continuous(on))
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    # --- internals: the document in front ------------------------------------------

    def _activate(self, group: DocumentTabs) -> None:
        if group in self.groups and group is not self._active:
            self._active = group
            self._refresh()

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        widget = new
        while widget is not None:
            if isinstance(widget, DocumentTabs):
                self._activate(widget)
                return
            widget = widget.parentWidget()

    def _refresh(self) -> None:
        """Show the state of the document in front in the toolbar, docks and title."""
        if not hasattr(self, "actions_by_name"):
            return  # still building
        pane = self.current_pane()
        view = pane.view if pane is not None else None
        count = view.page_count() if view is not None else 0
        self.page_total.setText(f" / {count} ")
        self.page_box.setText(str(view.current_page() + 1) if count and view else "")
        if view is not None:
            self.continuous_action.setChecked(view.is_continuous())
            self._on_zoom_changed(pane)
        self.setWindowTitle(window_title(pane))
        for group in self.groups:
            group.setProperty("active", group is self._active)
        if pane is not self._shown:
            self._shown = pane
            self.thumbnails.show_model(pane.thumbnails if pane is not None else None)
            self.outline.show_model(pane.outline if pane is not None else None)
            self.find_bar.show_session(pane.search if pane is not None else None)
            if view is not None and view.message():
                self.statusBar().showMessage(view.message() or "")
            elif pane is not None and count:
                self.statusBar().showMessage(f"{pane.title}: {count_of(count, 'page')}")
            self.current_pane_changed.emit(pane)

    def _on_opened(self, pane: DocumentPane, pages: int) -> None:
        place = self.memory.place(_memory_key(pane)) if self.memory is not None else None
        if place is not None:  # opened again: where the reader left it, once the view has
            # told everyone it starts at page 1 (it emits that right after ``opened``)
            QTimer.singleShot(0, lambda: self._restore_place(pane, place))
        if pane is self.current_pane():
            self.setWindowTitle(window_title(pane))
            self.page_total.setText(f" / {pages} ")
            self.statusBar().showMessage(f"{pane.title}: {count_of(pages, 'page')}")
            pane.view.setFocus()

    def _on_failed(self, pane: DocumentPane, message: str) -> None:
        if pane is self.current_pane():
            self.page_total.setText(" / 0 ")
            self.statusBar().showMessage(message)

    def _on_page_changed(self, pane: DocumentPane, page: int) -> None:
        if pane is self.current_pane():
            self.page_box.setText(str(page + 1))

    def _on_zoom_changed(self, pane: DocumentPane | None) -> None:
        if pane is None or pane is not self.current_pane():
            return
        view = pane.view
        mode = view.zoom_mode()
        text = {"fit_width": FIT_WIDTH, "fit_page": FIT_PAGE}.get(
            mode, f"{round(view.zoom() * 100)} %"
        )
        index = self.zoom_box.findText(text)
        if index < 0:  # a zoom between the steps: one extra entry at the end shows it
            fixed = 2 + len(ZOOM_PERCENTS)
            if self.zoom_box.count() == fixed:
                self.zoom_box.addItem(text)
            self.zoom_box.setItemText(fixed, text)
            index = fixed
        self.zoom_box.setCurrentIndex(index)

    def _on_zoom_chosen(self, index: int) -> None:
        text = self.zoom_box.itemText(index)
        if text == FIT_WIDTH:
            self.view.fit_width()
        elif text == FIT_PAGE:
            self.view.fit_page()
        else:
            self.view.set_zoom(int(text.rstrip(" %")) / 100)
        self.view.setFocus()

    def _go_to_typed_page(self) -> None:
        text = self.page_box.text()
        if text.isdigit():
            self.view.go_to_page(int(text) - 1)
        self.view.setFocus()

    def _focus_page_box(self) -> None:
        self.page_box.setFocus()
        self.page_box.selectAll()

    def open_find_bar(self) -> None:
        self.find_bar.open_bar()

    def print_current(self) -> None:
        from desktop.viewer.printing import print_pane

        pane = self.current_pane()
        if pane is not None:
            print_pane(pane, self)

    def _choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Open a PDF", "", "PDF documents (*.pdf);;All files (*)"
        )
        if path:
            self.open_path(path)

    # --- internals: what the window remembers ------------------------------------------

    def _restore_place(self, pane: DocumentPane, place: DocumentPlace) -> None:
        if pane not in self.panes() or not pane.view.page_count():
            return
        view = pane.view
        if place.mode == "fit_page":
            view.fit_page()
        elif place.mode == "custom":
            view.set_zoom(place.zoom)
        else:
            view.fit_width()
        view.go_to_page(min(place.page, view.page_count() - 1))
        if pane is self.current_pane():
            self._refresh()

    def _remember(self, pane: DocumentPane) -> None:
        view = pane.view
        if self.memory is None or pane.is_empty() or not view.page_count():
            return
        place = DocumentPlace(view.current_page(), view.zoom(), str(view.zoom_mode()))
        self.memory.remember(_memory_key(pane), place)
        self._save_timer.start()

    def _on_split_moved(self, _pos: int, _index: int) -> None:
        if self.memory is not None and self.is_split():
            self.memory.set_split(self._split_share())
            self._save_timer.start()

    def _split_share(self) -> float:
        sizes = self.splitter.sizes()
        return sizes[0] / max(1, sum(sizes))

    def save_memory(self) -> None:
        """Write the window's size, the split and every open document's place now."""
        self._save_timer.stop()
        if self.memory is None:
            return
        self.memory.set_geometry(self.saveGeometry())
        if self.is_split():
            self.memory.set_split(self._split_share())
        self.memory.save()

    def closeEvent(self, event: QCloseEvent) -> None:
        for pane in self.panes():
            self._remember(pane)
        self.save_memory()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.disconnect(self._on_focus_changed)
        for pane in self.panes():
            pane.close_document()  # every render thread ends with the window
        super().closeEvent(event)


def _memory_key(pane: DocumentPane) -> str:
    """A case document by its record id, a file from disk by its SHA-256."""
    return pane.document_id or ("" if pane.is_empty() else pane.sha256)


def window_title(pane: DocumentPane | None) -> str:
    """'A123-456-789 — I-589, 42 pages — ECAS' (no A-number for a file opened from disk;
    no page count until the document has been read)."""
    if pane is None or pane.is_empty():
        return APP_TITLE
    count = pane.view.page_count()
    document = pane.title
    if count:
        document += ", 1 page" if count == 1 else f", {count:,} pages"
    parts = [document, TITLE_SUFFIX]
    if pane.a_number:
        try:
            parts.insert(0, format_a_number(pane.a_number))
        except ANumberError:
            parts.insert(0, pane.a_number)
    return " \u2014 ".join(parts)
