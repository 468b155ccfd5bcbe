"""The home-screen icons, drawn in code so they need no image tools: `python -m app.pwa.icons` rewrites them."""
import struct
import zlib
from pathlib import Path

TEAL = (0x1F, 0x6F, 0x5C)
CREAM = (0xF6, 0xF7, 0xF4)
ICONS_DIR = Path(__file__).resolve().parents[2] / "static" / "icons"


def encode_png(width: int, height: int, rows: list[bytes]) -> bytes:
    """A minimal RGB PNG (8 bits per channel, no filtering) from raw pixel rows."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + row for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def draw_icon(size: int, *, safe_zone: float) -> bytes:
    """A cream ring and tick on teal; `safe_zone` shrinks the mark so a maskable crop (80% circle) keeps it whole."""
    centre = (size - 1) / 2
    outer = size * 0.36 * safe_zone
    inner = outer * 0.78
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            dx, dy = x - centre, y - centre
            distance = (dx * dx + dy * dy) ** 0.5
            in_ring = inner <= distance <= outer
            u, v = dx / outer, dy / outer
            in_tick = (abs(v - (u + 0.15)) < 0.1 and -0.45 <= u <= -0.05) or (
                abs(v - (-1.3 * u + 0.1)) < 0.1 and -0.1 <= u <= 0.5)
            row += bytes(CREAM if in_ring or in_tick else TEAL)
        rows.append(bytes(row))
    return encode_png(size, size, rows)


def write_icons(directory: Path = ICONS_DIR) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "icon-192.png").write_bytes(draw_icon(192, safe_zone=1.0))
    (directory / "icon-512.png").write_bytes(draw_icon(512, safe_zone=1.0))
    (directory / "maskable-512.png").write_bytes(draw_icon(512, safe_zone=0.75))
    (directory / "apple-touch-icon.png").write_bytes(draw_icon(180, safe_zone=0.9))


if __name__ == "__main__":
    write_icons()
