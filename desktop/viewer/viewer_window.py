"""A small window around ``PageView``: page box "n / N", zoom, rotation, layout, status."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QCloseEvent, QIntValidator
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QMainWindow, QToolBar, QWidget

from desktop.viewer.page_view import DEFAULT_CACHE_BYTES, PageView

FIT_WIDTH = "Fit width"
FIT_PAGE = "Fit page"
ZOOM_PERCENTS = (50, 75, 100, 125, 150, 200, 300, 400)


class ViewerWindow(QMainWindow):
    def __init__(
        self, parent: QWidget | None = None, *, cache_bytes: int = DEFAULT_CACHE_BYTES
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("ECAS viewer")
        self.view = PageView(self, cache_bytes=cache_bytes)
        self.setCentralWidget(self.view)
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
        self._build_toolbar()
        self._connect()
        self.statusBar().showMessage("No document open")

    def open_path(self, path: str | Path, expected_sha256: str | None = None) -> None:
        self.setWindowTitle(f"{Path(path).name} - ECAS viewer")
        self.statusBar().showMessage(f"Opening {path}...")
        self.view.open_path(path, expected_sha256)

    def open_bytes(self, data: bytes, title: str, expected_sha256: str | None = None) -> None:
        self.setWindowTitle(f"{title} - ECAS viewer")
        self.view.open_bytes(data, expected_sha256)

    def _build_toolbar(self) -> None:
        bar = QToolBar("Document", self)
        bar.setMovable(False)
        self.addToolBar(bar)
        bar.addWidget(self.page_box)
        bar.addWidget(self.page_total)
        bar.addSeparator()
        bar.addWidget(self.zoom_box)
        left = bar.addAction("Rotate left")
        left.setToolTip("Turn the view a quarter left (Ctrl+Shift+R); the file is unchanged")
        left.triggered.connect(lambda: self.view.rotate(-90))
        right = bar.addAction("Rotate right")
        right.setToolTip("Turn the view a quarter right (Ctrl+R); the file is unchanged")
        right.triggered.connect(lambda: self.view.rotate(90))
        bar.addSeparator()
        bar.addAction(self.continuous_action)

    def _connect(self) -> None:
        view = self.view
        view.opened.connect(self._on_opened)
        view.failed.connect(self._on_failed)
        view.page_changed.connect(self._on_page_changed)
        view.zoom_changed.connect(self._on_zoom_changed)
        self.page_box.returnPressed.connect(self._go_to_typed_page)
        self.zoom_box.activated.connect(self._on_zoom_chosen)
        self.continuous_action.toggled.connect(view.set_continuous)

    def _on_opened(self, pages: int) -> None:
        self.page_total.setText(f" / {pages} ")
        self.statusBar().showMessage(f"{pages} pages")
        self.view.setFocus()

    def _on_failed(self, message: str) -> None:
        self.page_total.setText(" / 0 ")
        self.statusBar().showMessage(message)

    def _on_page_changed(self, page: int) -> None:
        self.page_box.setText(str(page + 1))

    def _on_zoom_changed(self, zoom: float) -> None:
        mode = self.view.zoom_mode()
        text = {"fit_width": FIT_WIDTH, "fit_page": FIT_PAGE}.get(mode, f"{round(zoom * 100)} %")
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

    def closeEvent(self, event: QCloseEvent) -> None:
        self.view.close_document()
        super().closeEvent(event)
