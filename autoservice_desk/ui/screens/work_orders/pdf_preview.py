"""A printed document's preview: the stored PDF shown with QtPdf, printed through Qt's print dialog, or opened in
the system's PDF viewer."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from autoservice_desk.i18n import _
from autoservice_desk.ui.style import ERROR_STYLE

PRINT_DPI = 300


def safe_file_name(title: str) -> str:
    """The document's title as a file name any system accepts."""
    return re.sub(r"[^\w.-]+", "_", title).strip("_") or "document"


def print_pdf(document: QPdfDocument, printer: QPrinter) -> int:
    """Draw every page of *document* on *printer*, each scaled to the printable area; returns the pages printed."""
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        area = printer.pageRect(QPrinter.Unit.DevicePixel).toRect()
        area.moveTo(0, 0)
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            scale = PRINT_DPI / 72
            image = document.render(page, QSize(int(points.width() * scale), int(points.height() * scale)))
            fitted = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(area.topLeft(), fitted), image)
    finally:
        painter.end()
    return document.pageCount()


class PdfPreviewDialog(QDialog):
    """Shows *pdf* (the bytes as stored); Print… and Open in viewer; Esc closes."""

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(860, 900)
        self.title = title
        self.pdf = pdf
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)  # must live as long as the document reads from it
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView()
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.print_button = QPushButton(_("Print…"))
        self.open_button = QPushButton(_("Open in viewer"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        if self.document.status() != QPdfDocument.Status.Ready:
            self.status.setText(_("The document could not be shown."))
            self.status.setStyleSheet(ERROR_STYLE)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.open_button.clicked.connect(self._on_open_clicked)
        QShortcut(QKeySequence.StandardKey.Print, self, self._on_print_clicked)

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def _on_print_clicked(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            print_pdf(self.document, printer)

    def write_temp_file(self) -> Path:
        """The PDF in a fresh temporary folder under its title (the viewer shows the name)."""
        folder = Path(tempfile.mkdtemp(prefix="autoservice-print-"))
        path = folder / f"{safe_file_name(self.title)}.pdf"
        path.write_bytes(self.pdf)
        return path

    def _on_open_clicked(self) -> None:
        path = self.write_temp_file()
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.status.setText(_("No PDF viewer is set up on this computer; the file is {path}.").format(path=path))
            self.status.setStyleSheet(ERROR_STYLE)
