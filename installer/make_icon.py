"""Render installer/kinerja-desktop.svg to the PNG (Linux, window) and ICO (Windows) icons.

Run from the repository root: ``python installer/make_icon.py`` (the results are committed).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

HERE = Path(__file__).resolve().parent


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def png_bytes(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def ico_bytes(pngs: list[bytes]) -> bytes:
    """A multi-size ICO with PNG-compressed images (supported since Windows Vista)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, data in zip(ICO_SIZES, pngs, strict=True):
        side = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        blobs += data
    return header + entries + blobs


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(HERE / "kinerja-desktop.svg"))
    if not renderer.isValid():
        print("Ikon SVG tidak dapat dibaca.", file=sys.stderr)
        return 1
    if not render(renderer, 256).save(str(HERE / "kinerja-desktop.png")):
        print("Gagal menulis PNG.", file=sys.stderr)
        return 1
    (HERE / "kinerja-desktop.ico").write_bytes(
        ico_bytes([png_bytes(render(renderer, size)) for size in ICO_SIZES]))
    del app
    print("Ikon dibuat: kinerja-desktop.png, kinerja-desktop.ico")
    return 0


if __name__ == "__main__":
    sys.exit(main())
