"""Anti-aliased text on numpy images, with any Unicode glyph the font has (such as "°").

OpenCV's built-in Hershey fonts lack the degree sign and look dated; this rasterises text with
FreeType through matplotlib's FT2Font (DejaVu Sans, shipped with matplotlib) and alpha-blends it.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

#: Guards the shared fonts' state between setting a text and reading its bitmap.
_FONT_LOCK = threading.Lock()


@lru_cache(maxsize=2)
def _font_path(bold: bool) -> str:
    props = font_manager.FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal")
    return str(font_manager.findfont(props, fallback_to_default=True))


@lru_cache(maxsize=4)
def _font(bold: bool) -> FT2Font:
    return FT2Font(_font_path(bold))


@lru_cache(maxsize=512)
def text_mask(text: str, size_px: int, bold: bool = True) -> np.ndarray:
    """Coverage mask of a line of text, float 0-1, shape (height, width).

    The mask is ``size_px`` high plus a little room for descenders, with the baseline at the
    same place for every string of a size, so labels of one size line up.
    """
    with _FONT_LOCK:  # one FT2Font per weight holds its text as state; web jobs draw in threads
        font = _font(bold)
        font.set_size(size_px, 72)
        font.set_text(text, 0.0)
        font.draw_glyphs_to_bitmap(antialiased=True)
        glyphs = np.asarray(font.get_image(), dtype=np.float32) / 255.0
        descent = int(np.ceil(font.get_descent() / 64.0))
    height = int(np.ceil(size_px * 1.25))
    out = np.zeros((height, glyphs.shape[1]), np.float32)
    top = max(0, height - int(0.22 * size_px) - (glyphs.shape[0] - descent))
    rows = min(glyphs.shape[0], height - top)
    out[top : top + rows] = glyphs[:rows]
    return out


def text_size(text: str, size_px: int, bold: bool = True) -> tuple[int, int]:
    """(width, height) in px of :func:`text_mask` for this text."""
    h, w = text_mask(text, size_px, bold).shape
    return w, h


def blend_mask(img: np.ndarray, mask: np.ndarray, x: int, y: int, colour: tuple[int, int, int]) -> None:
    """Paint ``colour`` onto ``img`` (RGB uint8, in place) through ``mask`` at top-left (x, y)."""
    h, w = mask.shape
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + w, img.shape[1]), min(y + h, img.shape[0])
    if x1 <= x0 or y1 <= y0:
        return
    m = mask[y0 - y : y1 - y, x0 - x : x1 - x, None]
    region = img[y0:y1, x0:x1].astype(np.float32)
    img[y0:y1, x0:x1] = (region * (1 - m) + np.asarray(colour, np.float32) * m).astype(np.uint8)


def put_text(
    img: np.ndarray, text: str, x: int, y: int, size_px: int, colour: tuple[int, int, int], bold: bool = True
) -> None:
    """Write ``text`` with its top-left at (x, y), px, into an RGB uint8 image in place."""
    blend_mask(img, text_mask(text, size_px, bold), x, y, colour)
