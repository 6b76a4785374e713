"""Draw Live Scores' brand images: custom_components/live_scores/brand/*.png.

    .venv/bin/python scripts/lib/brand.py [--out DIR]

Home Assistant (2026.3 and newer) serves a custom integration's own `brand/` folder
(homeassistant/components/brands): icon.png, icon@2x.png, logo.png, logo@2x.png and a
dark_ variant of each. The sizes follow the home-assistant/brands rules: icons are
256x256 and 512x512; logos are landscape with the shortest side 256 (512 for @2x);
PNG with transparency, trimmed to the mark.

The mark is our own, drawn here from shapes (no font in the icon): a scoreboard tile
with a seven-segment "2:1" and a red "live" dot, legible down to 48 px. The logo adds
the words "Live Scores" in Pillow's bundled font. Pillow comes with Home Assistant.
"""

import argparse
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[2]
BRAND = ROOT / "custom_components" / "live_scores" / "brand"
SUPERSAMPLE = 4  # drawn this many times larger, then scaled down (smooth edges)

# Which of the seven segments (a top, b top right, c bottom right, d bottom,
# e bottom left, f top left, g middle) each digit lights.
SEGMENTS = {"0": "abcdef", "1": "bc", "2": "abged", "3": "abgcd", "4": "fgbc"}


@dataclass(frozen=True)
class Theme:
    """Colours for a light (default) or a dark background."""

    tile: str
    panel: str
    digit: str
    live: str
    word: str


LIGHT = Theme(tile="#0F2B46", panel="#1B4570", digit="#FFFFFF", live="#E53935", word="#0F2B46")
DARK = Theme(tile="#1B4570", panel="#0F2B46", digit="#FFFFFF", live="#FF5252", word="#FFFFFF")


def _segment(
    draw: ImageDraw.ImageDraw,
    bar: tuple[float, float, float, float],
    t: float,
    color: str,
) -> None:
    """A bar `t` thick with pointed ends from (x0, y0) to (x1, y1): horizontal or vertical."""
    x0, y0, x1, y1 = bar
    if y0 == y1:
        points = [
            (x0, y0),
            (x0 + t / 2, y0 - t / 2),
            (x1 - t / 2, y0 - t / 2),
            (x1, y0),
            (x1 - t / 2, y0 + t / 2),
            (x0 + t / 2, y0 + t / 2),
        ]
    else:
        points = [
            (x0, y0),
            (x0 + t / 2, y0 + t / 2),
            (x0 + t / 2, y1 - t / 2),
            (x0, y1),
            (x0 - t / 2, y1 - t / 2),
            (x0 - t / 2, y0 + t / 2),
        ]
    draw.polygon(points, fill=color)


def _digit(
    draw: ImageDraw.ImageDraw, digit: str, box: tuple[float, float, float, float], color: str
) -> None:
    """A seven-segment digit filling box (left, top, right, bottom)."""
    left, top, right, bottom = box
    thick = (right - left) * 0.34
    if digit == "1":  # its two bars are on the right: centre them in the box
        shift = (right - left - thick) / 2
        left, right = left - shift, right - shift
    gap = thick * 0.12
    x0, x1 = left + thick / 2, right - thick / 2
    y0, y1, y2 = top + thick / 2, (top + bottom) / 2, bottom - thick / 2
    bars = {
        "a": (x0 + gap, y0, x1 - gap, y0),
        "g": (x0 + gap, y1, x1 - gap, y1),
        "d": (x0 + gap, y2, x1 - gap, y2),
        "f": (x0, y0 + gap, x0, y1 - gap),
        "b": (x1, y0 + gap, x1, y1 - gap),
        "e": (x0, y1 + gap, x0, y2 - gap),
        "c": (x1, y1 + gap, x1, y2 - gap),
    }
    for name in SEGMENTS[digit]:
        _segment(draw, bars[name], thick, color)


def _mark(size: int, theme: Theme) -> Image.Image:
    """The square icon, size x size pixels."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    u = big / 64  # the mark is laid out on a 64 x 64 grid
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=14 * u, fill=theme.tile)
    # Two digit panels and the colon between them.
    for left in (7, 35):
        draw.rounded_rectangle(
            (left * u, 18 * u, (left + 22) * u, 56 * u), radius=4 * u, fill=theme.panel
        )
    _digit(draw, "2", (10.5 * u, 22 * u, 25.5 * u, 52 * u), theme.digit)
    _digit(draw, "1", (38.5 * u, 22 * u, 53.5 * u, 52 * u), theme.digit)
    for cy in (31, 43):
        draw.ellipse((30.5 * u, (cy - 1.8) * u, 33.5 * u, (cy + 1.8) * u), fill=theme.digit)
    # The live dot, top centre.
    draw.ellipse((28 * u, 5.5 * u, 36 * u, 13.5 * u), fill=theme.live)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def _logo(height: int, theme: Theme) -> Image.Image:
    """The mark and the words "Live Scores", `height` pixels high, landscape."""
    mark = _mark(height, theme)
    big = height * SUPERSAMPLE
    font = ImageFont.load_default(size=int(big * 0.42))
    stroke = max(1, big // 60)  # Pillow's font is a regular weight: make it bolder
    text = "Live Scores"
    left, top, right, bottom = font.getbbox(text, stroke_width=stroke)
    gap = int(big * 0.16)
    width = big + gap + (right - left)
    image = Image.new("RGBA", (width, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    y = (big - (bottom - top)) / 2 - top
    draw.text(
        (big + gap - left, y),
        text,
        font=font,
        fill=theme.word,
        stroke_width=stroke,
        stroke_fill=theme.word,
    )
    image = image.resize((round(width / SUPERSAMPLE), height), Image.Resampling.LANCZOS)
    image.alpha_composite(mark, (0, 0))
    right = (image.getchannel("A").getbbox() or (0, 0, image.width, 0))[2]
    return image.crop((0, 0, right, height))  # trimmed: no empty columns on the right


def draw_all() -> dict[str, Image.Image]:
    """Every brand image by file name."""
    images: dict[str, Image.Image] = {}
    for prefix, theme in (("", LIGHT), ("dark_", DARK)):
        for suffix, scale in (("", 1), ("@2x", 2)):
            images[f"{prefix}icon{suffix}.png"] = _mark(256 * scale, theme)
            images[f"{prefix}logo{suffix}.png"] = _logo(256 * scale, theme)
    return images


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=BRAND, help=f"folder (default {BRAND})")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, image in draw_all().items():
        path = args.out / name
        image.save(path, optimize=True)
        print(f"{path}: {image.width}x{image.height}")


if __name__ == "__main__":
    main()
