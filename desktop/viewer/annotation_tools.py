"""The annotation toolbar and its keyboard shortcuts, acting on the current layer.

One ``AnnotationTools`` per viewer window: its actions act on whichever layer is current
(``set_layer``), so tabs and split views share one toolbar. Shortcuts (the platform's own
for undo, redo, copy and delete): Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y, Ctrl+C, Delete; tools
with single keys while the page has focus: V select, H highlight, U underline,
S strike-out, N note, T free text, I ink, R rectangle, E ellipse, X redaction.

The toolbar fits a window of the viewer's default size (1000 pixels) in one row: its
buttons carry short words (``SHORT_TEXT``), the menu and the tooltips the whole phrase.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QColor, QKeySequence
from PySide6.QtWidgets import QColorDialog, QToolBar, QWidget

from common.enums import Visibility
from desktop.viewer.annotation_layer import TOOLS, AnnotationLayer

TOOL_KEYS = {
    "select": ("Select text", "V"),
    "highlight": ("Highlight", "H"),
    "underline": ("Underline", "U"),
    "strikeout": ("Strike-out", "S"),
    "note": ("Note", "N"),
    "freetext": ("Free text", "T"),
    "ink": ("Ink", "I"),
    "rect": ("Rectangle", "R"),
    "ellipse": ("Ellipse", "E"),
    "redact": ("Redact (exported copies only)", "X"),
}
# The words on the toolbar's buttons where the menu's are longer.
SHORT_TEXT = {
    "select": "Select",
    "redact": "Redact",
    "share": "Shared",
    "panel": "Panel",
}


class AnnotationTools(QObject):
    """``panel``: the signed-in user is a Board member, who may also share an annotation
    with the members of the panel deciding the appeal (``Visibility.PANEL``)."""

    def __init__(self, window: QWidget, *, panel: bool = False) -> None:
        super().__init__(window)
        self.window = window
        self.layer: AnnotationLayer | None = None
        self.tool_group = QActionGroup(self)
        self.tool_actions: dict[str, QAction] = {}
        for tool in TOOLS:
            text, key = TOOL_KEYS[tool]
            action = QAction(text, self)
            action.setCheckable(True)
            action.setShortcut(QKeySequence(key))
            action.setToolTip(f"{text} ({key})")
            action.setIconText(SHORT_TEXT.get(tool, text))
            action.setData(tool)
            action.triggered.connect(lambda _c=False, t=tool: self._choose(t))
            self.tool_group.addAction(action)
            self.tool_actions[tool] = action
        self.tool_actions["select"].setChecked(True)
        self.undo_action = self._action("Undo", QKeySequence.StandardKey.Undo, self._undo)
        self.redo_action = self._action("Redo", QKeySequence.StandardKey.Redo, self._redo)
        # Ctrl+Y and Ctrl+Shift+Z on every platform, whatever its own redo key is.
        redo_keys = self.redo_action.shortcuts()
        for extra in (QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")):
            if extra not in redo_keys:
                redo_keys.append(extra)
        self.redo_action.setShortcuts(redo_keys)
        self.copy_action = self._action("Copy", QKeySequence.StandardKey.Copy, self._copy)
        self.delete_action = self._action(
            "Delete annotation", QKeySequence.StandardKey.Delete, self._delete
        )
        self.delete_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Backspace)]
        )
        self.color_action = self._action("Colour…", QKeySequence(), self._pick_color)
        self.comment_action = self._action("Edit comment…", QKeySequence("F2"), self._comment)
        self.share_action = QAction("Shared with the court", self)
        self.share_action.setCheckable(True)
        self.share_action.setIconText(SHORT_TEXT["share"])
        self.share_action.setToolTip(
            "Shared: court staff on this case see it. Not shared: only you see it."
        )
        self.share_action.triggered.connect(self._share)
        self.panel_action: QAction | None = None
        if panel:
            self.panel_action = QAction("Shared with the panel", self)
            self.panel_action.setCheckable(True)
            self.panel_action.setIconText(SHORT_TEXT["panel"])
            self.panel_action.setToolTip(
                "Shared with the panel: the Board members deciding this appeal see it."
            )
            self.panel_action.triggered.connect(self._share_with_panel)
        for action in (*self.tool_actions.values(), *self.edit_actions()):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            window.addAction(action)

    def _action(
        self, text: str, key: QKeySequence | QKeySequence.StandardKey, slot: object
    ) -> QAction:
        action = QAction(text, self)
        if isinstance(key, QKeySequence.StandardKey):
            action.setShortcuts(key)
        else:
            action.setShortcut(key)
        action.triggered.connect(slot)
        return action

    def edit_actions(self) -> list[QAction]:
        return [
            self.undo_action,
            self.redo_action,
            self.copy_action,
            self.delete_action,
            self.color_action,
            self.comment_action,
            self.share_action,
            *([self.panel_action] if self.panel_action is not None else []),
        ]

    def toolbar(self, parent: QWidget) -> QToolBar:
        bar = QToolBar("Annotate", parent)
        bar.setObjectName("annotation-tools")
        for action in self.tool_actions.values():
            bar.addAction(action)
        bar.addSeparator()
        bar.addAction(self.color_action)
        bar.addAction(self.share_action)
        if self.panel_action is not None:
            bar.addAction(self.panel_action)
        bar.addAction(self.undo_action)
        bar.addAction(self.redo_action)
        return bar

    def set_layer(self, layer: AnnotationLayer | None) -> None:
        if self.layer is not None:
            self.layer.tool_changed.disconnect(self._on_tool)
            self.layer.selected.disconnect(self._on_selected)
        self.layer = layer
        if layer is not None:
            layer.tool_changed.connect(self._on_tool)
            layer.selected.connect(self._on_selected)
            self._on_tool(layer.tool)
            self._on_selected(layer.selected_id)

    def _choose(self, tool: str) -> None:
        if self.layer is not None:
            self.layer.set_tool(tool)

    def _on_tool(self, tool: str) -> None:
        self.tool_actions[tool].setChecked(True)

    def _on_selected(self, _record_id: object) -> None:
        layer = self.layer
        record = layer.selected_record() if layer is not None else None
        shared = record.visibility if record is not None else layer.visibility if layer else None
        self.share_action.setChecked(shared is Visibility.SHARED)
        if self.panel_action is not None:
            self.panel_action.setChecked(shared is Visibility.PANEL)

    def _undo(self) -> None:
        if self.layer is not None:
            self.layer.undo_stack.undo()

    def _redo(self) -> None:
        if self.layer is not None:
            self.layer.undo_stack.redo()

    def _copy(self) -> None:
        if self.layer is not None:
            self.layer.copy_selection()

    def _delete(self) -> None:
        if self.layer is not None:
            self.layer.delete_selected()

    def _comment(self) -> None:
        if self.layer is not None:
            self.layer.edit_comment()

    def _share(self, checked: bool) -> None:
        if self.layer is not None:
            self.layer.set_visibility(Visibility.SHARED if checked else Visibility.PRIVATE)
            self._on_selected(None)

    def _share_with_panel(self, checked: bool) -> None:
        if self.layer is not None:
            self.layer.set_visibility(Visibility.PANEL if checked else Visibility.PRIVATE)
            self._on_selected(None)

    def _pick_color(self) -> None:
        layer = self.layer
        if layer is None:
            return
        record = layer.selected_record()
        current = QColor(record.color if record else layer.colors.get(layer.tool, "#ffd400"))
        color = QColorDialog.getColor(current, self.window, "Annotation colour")
        if color.isValid():
            layer.set_color(color.name())
