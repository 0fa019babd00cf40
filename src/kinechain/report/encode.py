"""Turn images and figures into text that can sit inside one self-contained HTML file."""

from __future__ import annotations

import base64
import html
import io
import re
from typing import TYPE_CHECKING

import cv2
import numpy as np

from kinechain.errors import KinechainError

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def encode_image(rgb: np.ndarray, fmt: str = "png", quality: int = 88) -> bytes:
    """Encode an RGB uint8 image as PNG or JPEG bytes.

    Parameters
    ----------
    rgb : ndarray, shape (h, w, 3), uint8
        The image.
    fmt : str
        "png" (lossless; drawings) or "jpeg" (photographs; about 5-10x smaller).
    quality : int
        JPEG quality 0-100 (ignored for PNG).
    """
    if fmt not in ("png", "jpeg"):
        raise ValueError(f"fmt must be 'png' or 'jpeg'; got {fmt!r}")
    bgr = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2BGR)
    params = [cv2.IMWRITE_JPEG_QUALITY, quality] if fmt == "jpeg" else [cv2.IMWRITE_PNG_COMPRESSION, 6]
    ok, buf = cv2.imencode(f".{'jpg' if fmt == 'jpeg' else 'png'}", bgr, params)
    if not ok:
        raise KinechainError(f"the image could not be encoded as {fmt}; report this as a bug.")
    return buf.tobytes()


def data_uri(data: bytes, mime: str) -> str:
    """Return a ``data:`` URI holding ``data`` base64-encoded, for an ``src`` attribute."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def image_data_uri(rgb: np.ndarray, fmt: str = "png", quality: int = 88) -> str:
    """Return an RGB image as a ``data:image/...;base64`` URI (see :func:`encode_image`)."""
    return data_uri(encode_image(rgb, fmt, quality), f"image/{fmt}")


_ID = re.compile(r'\bid="([^"]+)"')


def figure_svg(fig: Figure, prefix: str, label: str) -> str:
    """Return a matplotlib figure as inline ``<svg>`` markup that scales to its container.

    Element ids get ``prefix`` so that several figures can share one HTML page; the fixed
    width and height are dropped (the viewBox keeps the aspect ratio); ``label`` becomes the
    figure's accessible name (``role="img"`` with ``aria-label``).
    """
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    ids = set(_ID.findall(svg))
    for old in sorted(ids, key=len, reverse=True):
        svg = svg.replace(f'id="{old}"', f'id="{prefix}-{old}"')
        svg = svg.replace(f"#{old})", f"#{prefix}-{old})").replace(f'"#{old}"', f'"#{prefix}-{old}"')
    head_end = svg.index(">")
    head = re.sub(r'\s(width|height)="[^"]*"', "", svg[:head_end])
    safe = html.escape(label, quote=True)
    head += f' role="img" aria-label="{safe}" class="plot"'
    return head + svg[head_end:]
