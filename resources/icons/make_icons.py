"""Dev-time tool: writes the SVG icons and renders app.png / app.ico from app.svg with Qt (run once, commit output)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
STROKE = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="{color}" ' \
         'stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">{body}</svg>\n'
GREY, BLUE, GREEN, RED, AMBER = "#475569", "#1d4ed8", "#15803d", "#b91c1c", "#b45309"

ICONS = {
    "nav_connections": (GREY, '<path d="M9 7V3M15 7V3"/><path d="M6 7h12v4a6 6 0 0 1-12 0z"/><path d="M12 17v4"/>'),
    "nav_customers": (GREY, '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20a6.5 6.5 0 0 1 13 0"/>'
                            '<path d="M16 4.5a3.5 3.5 0 0 1 0 7M18 14.5a6.5 6.5 0 0 1 3.5 5.5"/>'),
    "nav_orders": (GREY, '<path d="M7 3h8l4 4v14H7z" transform="translate(-1 0)"/><path d="M14 3v4h4"/>'
                         '<path d="M9 12h6M9 16h6"/>'),
    "nav_mappings": (GREY, '<path d="M4 7h11M12 4l3 3-3 3"/><path d="M20 17H9M12 14l-3 3 3 3"/>'),
    "nav_inbox": (GREY, '<path d="M3 13l3-8h12l3 8v6H3z"/><path d="M3 13h5l1.5 2.5h5L16 13h5"/>'),
    "nav_history": (GREY, '<circle cx="12" cy="12" r="8.5"/><path d="M12 7.5V12l3 2"/>'),
    "nav_payments": (GREY, '<rect x="2.5" y="6" width="19" height="12" rx="2"/><circle cx="12" cy="12" r="2.5"/>'
                           '<path d="M6 9.5v5M18 9.5v5"/>'),
    "nav_products": (GREY, '<path d="M12 2.8l8.5 4.4v9.6L12 21.2l-8.5-4.4V7.2z"/><path d="M3.5 7.2L12 11.6l8.5-4.4"/>'
                           '<path d="M12 11.6v9.6"/>'),
    "ship": (BLUE,
             '<path d="M2.5 6h11v10h-11z"/><path d="M13.5 9.5h4l3 3.5V16h-7"/><circle cx="6.5" cy="17.5" r="1.8"/>'
                   '<circle cx="16.5" cy="17.5" r="1.8"/>'),
    "load": (BLUE, '<path d="M20 11a8 8 0 1 0-2.3 5.7"/><path d="M20 5v6h-6"/>'),
    "sync": (BLUE, '<path d="M4 12h12M12 7l5 5-5 5"/><path d="M20 4v16"/>'),
    "preview": (GREY, '<path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z"/><circle cx="12" cy="12" r="3"/>'),
    "cancel": (RED, '<path d="M6 6l12 12M18 6L6 18"/>'),
    "test": (GREEN, '<path d="M4 12.5l5 5L20 6.5"/>'),
    "save": (BLUE, '<path d="M5 3h11l3 3v15H5z"/><path d="M8 3v5h7V3M8 21v-7h8v7"/>'),
    "add": (BLUE, '<path d="M12 5v14M5 12h14"/>'),
    "remove": (RED, '<path d="M5 12h14"/>'),
    "up": (GREY, '<path d="M12 19V5M6 11l6-6 6 6"/>'),
    "down": (GREY, '<path d="M12 5v14M6 13l6 6 6-6"/>'),
    "import": (GREY, '<path d="M12 3v12M7 10l5 5 5-5"/><path d="M4 19h16"/>'),
    "export": (GREY, '<path d="M12 15V3M7 8l5-5 5 5"/><path d="M4 19h16"/>'),
    "copy": (GREY,
             '<rect x="8" y="8" width="12" height="12" rx="2"/>'
             '<path d="M16 8V5a1 1 0 0 0-1-1H5a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h3"/>'),
    "retry": (AMBER, '<path d="M4 13a8 8 0 1 0 2.3-5.7"/><path d="M4 4v5h5"/>'),
    "finish": (GREEN, '<path d="M5 21V4h11l-2 4 2 4H5"/>'),
    "resolved": (GREEN, '<circle cx="12" cy="12" r="8.5"/><path d="M8 12.5l3 3 5-6"/>'),
    "reset": (AMBER, '<path d="M3 12a9 9 0 1 0 3-6.7"/><path d="M3 3v6h6"/>'),
    "validate": (GREEN, '<path d="M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z"/><path d="M8.5 12l2.5 2.5 4.5-5"/>'),
    "log": (GREY, '<path d="M4 6h16M4 10h16M4 14h10M4 18h7"/>'),
    "settings": (GREY, '<circle cx="12" cy="12" r="3"/><path d="M12 2.5v3M12 18.5v3M2.5 12h3M18.5 12h3'
                       'M5.3 5.3l2.1 2.1M16.6 16.6l2.1 2.1M5.3 18.7l2.1-2.1M16.6 7.4l2.1-2.1"/>'),
    "ok": (GREEN, '<circle cx="12" cy="12" r="9"/><path d="M8 12.5l3 3 5-6"/>'),
    "fail": (RED, '<circle cx="12" cy="12" r="9"/><path d="M9 9l6 6M15 9l-6 6"/>'),
    "pending": ("#94a3b8", '<circle cx="12" cy="12" r="9"/><path d="M8 12h.01M12 12h.01M16 12h.01"/>'),
    "new": (BLUE, '<path d="M12 5v14M5 12h14"/>'),
    "delete": (RED, '<path d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3"/>'),
    "folder": (GREY, '<path d="M3 6h6l2 2h10v11H3z"/>'),
    "info": (BLUE, '<circle cx="12" cy="12" r="9"/><path d="M12 11v6M12 7.5h.01"/>'),
    "warning": (AMBER, '<path d="M12 3l10 18H2z"/><path d="M12 10v5M12 18h.01"/>'),
    "error": (RED, '<circle cx="12" cy="12" r="9"/><path d="M12 7v6M12 16.5h.01"/>'),
}

APP_SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 256 256">
  <defs>
    <linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#2563eb"/><stop offset="1" stop-color="#0f3d91"/>
    </linearGradient>
  </defs>
  <rect x="8" y="8" width="240" height="240" rx="48" fill="url(#g)"/>
  <path d="M60 100h112" stroke="#ffffff" stroke-width="22" stroke-linecap="round" fill="none"/>
  <path d="M150 68l36 32-36 32" stroke="#ffffff" stroke-width="22" stroke-linecap="round" stroke-linejoin="round" fill="none"/>
  <path d="M196 160H84" stroke="#fbbf24" stroke-width="22" stroke-linecap="round" fill="none"/>
  <path d="M106 128l-36 32 36 32" stroke="#fbbf24" stroke-width="22" stroke-linecap="round" stroke-linejoin="round" fill="none"/>
</svg>
"""  # noqa: E501 - the SVG source is written out byte for byte


#: Icons also drawn in white, for the blue primary buttons.
WHITE = ("sync", "test", "save")


def write_svgs() -> None:
    for name, (color, body) in ICONS.items():
        (HERE / f"{name}.svg").write_text(STROKE.format(color=color, body=body), "utf-8")
        if name in WHITE:
            (HERE / f"{name}_white.svg").write_text(STROKE.format(color="#ffffff", body=body), "utf-8")
    (HERE / "app.svg").write_text(APP_SVG, "utf-8")


def render_app_icon() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(HERE / "app.svg"))
    images = []
    for size in (16, 24, 32, 48, 64, 128, 256):
        img = QImage(size, size, QImage.Format.Format_ARGB32)
        img.fill(Qt.GlobalColor.transparent)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(p)
        p.end()
        images.append(img)
    images[-1].save(str(HERE / "app.png"))
    images[3].save(str(HERE / "app_48.png"))
    (HERE.parent / "app.ico").write_bytes(_ico([_png_bytes(img) for img in images], [i.width() for i in images]))
    del app


def _png_bytes(img: object) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")  # type: ignore[attr-defined]
    buf.close()
    return bytes(data)


def _ico(pngs: list[bytes], sizes: list[int]) -> bytes:
    """A multi-size .ico with PNG-compressed entries (Qt's writer keeps one size only)."""
    import struct

    head = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, blobs = b"", b""
    for png, size in zip(pngs, sizes, strict=True):
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return head + entries + blobs


if __name__ == "__main__":
    write_svgs()
    render_app_icon()
    print("icons written to", HERE)
