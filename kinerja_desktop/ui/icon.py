"""The application icon, drawn with QPainter (a bar chart with a tick on a teal tile).

``python -m kinerja_desktop.ui.icon`` writes ``resources/icons/kinerja-desktop.png``
(256 px) and ``kinerja-desktop.ico`` (16–256 px) for the installer; the running app
loads the PNG and draws the icon itself if the file is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon

ICON_NAME = "kinerja-desktop"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_icon(size: int):
    """The icon drawn at ``size`` × ``size`` pixels (a QImage)."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256
    tile = QRectF(8 * s, 8 * s, 240 * s, 240 * s)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#00695c"))
    p.drawRoundedRect(tile, 44 * s, 44 * s)
    p.setBrush(QColor("#ffffff"))
    for i, height in enumerate((70, 110, 150)):
        x = (52 + i * 56) * s
        p.drawRoundedRect(QRectF(x, (206 - height) * s, 40 * s, height * s), 6 * s, 6 * s)
    pen = QPen(QColor("#ffca28"), max(2.0, 22 * s))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    tick = QPainterPath(QPointF(62 * s, 84 * s))
    tick.lineTo(QPointF(98 * s, 116 * s))
    tick.lineTo(QPointF(196 * s, 44 * s))
    p.drawPath(tick)
    p.end()
    return image


def icon_dir() -> Path:
    from kinerja_desktop.paths import resources_dir

    return resources_dir() / "icons"


def app_icon() -> QIcon:
    png = icon_dir() / f"{ICON_NAME}.png"
    if png.exists():
        return QIcon(str(png))
    icon = QIcon()
    for size in (16, 32, 48, 256):
        from PySide6.QtGui import QPixmap

        icon.addPixmap(QPixmap.fromImage(render_icon(size)))
    return icon


def _ico_bytes() -> bytes:
    """A Windows .ico holding PNG-compressed images of every size in :data:`ICO_SIZES`."""
    import struct

    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    blobs = []
    for size in ICO_SIZES:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        render_icon(size).save(buffer, "PNG")
        buffer.close()
        blobs.append(bytes(data.data()))
    header = struct.pack("<HHH", 0, 1, len(blobs))
    offset = 6 + 16 * len(blobs)
    entries = b""
    for size, blob in zip(ICO_SIZES, blobs, strict=True):
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    return header + entries + b"".join(blobs)


def write_icon_files(target: Path) -> list[Path]:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    from kinerja_desktop.atomic import atomic_write_bytes

    target.mkdir(parents=True, exist_ok=True)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    render_icon(256).save(buffer, "PNG")
    buffer.close()
    png, ico = target / f"{ICON_NAME}.png", target / f"{ICON_NAME}.ico"
    atomic_write_bytes(png, bytes(data.data()))
    atomic_write_bytes(ico, _ico_bytes())
    return [png, ico]


if __name__ == "__main__":
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication(sys.argv)
    for written in write_icon_files(Path(sys.argv[1]) if len(sys.argv) > 1 else icon_dir()):
        print(written)
