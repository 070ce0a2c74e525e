"""Pack resources/icons/w2v-explorer-<size>.png into app.ico (Windows) and app.icns (macOS).

Both formats can hold PNG images as they are, so no image library is needed:
``python packaging/make_icons.py`` (packaging/build.py runs it when the PNGs are newer).
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# (ICNS type code, pixel size of the PNG it holds); the @2x codes reuse the larger PNGs.
ICNS_TYPES = (("icp4", 16), ("icp5", 32), ("icp6", 64), ("ic07", 128), ("ic08", 256), ("ic09", 512),
              ("ic11", 32), ("ic12", 64), ("ic13", 256), ("ic14", 512))
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def available_pngs(folder: Path = ICONS) -> dict[int, bytes]:
    """Square PNGs named w2v-explorer-<size>.png, by size."""
    found: dict[int, bytes] = {}
    for path in folder.glob("w2v-explorer-*.png"):
        data = path.read_bytes()
        width, height = png_size(data)
        if width == height and path.stem.endswith(f"-{width}"):
            found[width] = data
    return found


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    sizes = [s for s in ICO_SIZES if s in pngs]
    if not sizes:
        raise ValueError("no PNG in a size an .ico can hold (16 to 256)")
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = [], []
    for size in sizes:
        data = pngs[size]
        # 0 in the width/height byte means 256.
        entries.append(struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(data), offset))
        blobs.append(data)
        offset += len(data)
    return header + b"".join(entries) + b"".join(blobs)


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    chunks = [code.encode("ascii") + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
              for code, size in ICNS_TYPES if size in pngs]
    if not chunks:
        raise ValueError("no PNG in a size an .icns can hold")
    body = b"".join(chunks)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def needs_update(target: Path, folder: Path = ICONS) -> bool:
    if not target.exists():
        return True
    newest = max((p.stat().st_mtime for p in folder.glob("w2v-explorer-*.png")), default=0.0)
    return newest > target.stat().st_mtime


def make_icons(folder: Path = ICONS, force: bool = False) -> list[Path]:
    """Write app.ico and app.icns next to the PNGs when missing or older; returns the files written."""
    pngs = available_pngs(folder)
    written = []
    for name, pack in (("app.ico", ico_bytes), ("app.icns", icns_bytes)):
        target = folder / name
        if force or needs_update(target, folder):
            target.write_bytes(pack(pngs))
            written.append(target)
    return written


if __name__ == "__main__":
    for path in make_icons(force="--force" in sys.argv):
        print(f"wrote {path} ({path.stat().st_size // 1024} KB)")
