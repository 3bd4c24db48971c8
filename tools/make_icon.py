"""Draw the application icon: resources/icons/ocop.svg, ocop.png (256 px) and ocop.ico.

One geometry, written twice: as SVG for Qt and the docs, and rasterised with
Pillow (drawn 4x larger, then downsampled for smooth edges) for the PNG and the
multi-size Windows ICO. Run from the repository root after changing the design:

    python tools/make_icon.py
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
VIEW = 256  # SVG user units; the PNG is drawn at this size
GREEN = "#1B7F3B"
DARK_GREEN = "#0F5A27"
GOLD = "#F4B400"
CREAM = "#FFF8E1"
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def star_points(cx: float, cy: float, outer: float, inner: float) -> list[tuple[float, float]]:
    """Ten points of a five-pointed star with one point straight up."""
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


# The shapes, in 256-unit coordinates.
TILE = (8, 8, 248, 248)  # rounded square
TILE_RADIUS = 48
RING = (40, 40, 216, 216)  # cream disc behind the star
RING_WIDTH = 10
STAR = star_points(128, 134, 78, 32)


def svg() -> str:
    star = " ".join(f"{x:.1f},{y:.1f}" for x, y in STAR)
    x0, y0, x1, y1 = TILE
    cx, cy = (RING[0] + RING[2]) / 2, (RING[1] + RING[3]) / 2
    r = (RING[2] - RING[0]) / 2
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">\n'
        f'  <rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" rx="{TILE_RADIUS}"'
        f' fill="{GREEN}"/>\n'
        f'  <circle cx="{cx:g}" cy="{cy:g}" r="{r - RING_WIDTH / 2:g}" fill="{CREAM}"'
        f' stroke="{DARK_GREEN}" stroke-width="{RING_WIDTH}"/>\n'
        f'  <polygon points="{star}" fill="{GOLD}" stroke="{DARK_GREEN}" stroke-width="4"'
        ' stroke-linejoin="round"/>\n'
        "</svg>\n"
    )


def raster(size: int = VIEW) -> Image.Image:
    scale = 4 * size / VIEW
    big = Image.new("RGBA", (round(VIEW * scale),) * 2, (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)

    def s(box: tuple[float, ...]) -> list[float]:
        return [v * scale for v in box]

    draw.rounded_rectangle(s(TILE), radius=TILE_RADIUS * scale, fill=GREEN)
    draw.ellipse(s(RING), fill=CREAM, outline=DARK_GREEN, width=round(RING_WIDTH * scale))
    draw.polygon([(x * scale, y * scale) for x, y in STAR], fill=GOLD)
    draw.line(
        [(x * scale, y * scale) for x, y in STAR + STAR[:1]],
        fill=DARK_GREEN,
        width=round(4 * scale),
        joint="curve",
    )
    return big.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "ocop.svg").write_text(svg(), encoding="utf-8")
    image = raster(256)
    image.save(OUT / "ocop.png", optimize=True)
    image.save(OUT / "ocop.ico", sizes=ICO_SIZES)
    print(f"wrote {OUT / 'ocop.svg'}, ocop.png, ocop.ico")


if __name__ == "__main__":
    main()
