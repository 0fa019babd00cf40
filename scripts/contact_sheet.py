"""Contact sheet of video frames, each labelled with its 0-based decode index.

Used to mark gait events and joint positions by eye, without any pose model
(see ``docs/validation.md``): crop to the feet or the leg, view the sheet,
read frame numbers and pixel coordinates.

Usage::

    python scripts/contact_sheet.py VIDEO OUT.png --start N --count K
        [--frames 3,4,5,20,21] [--crop x0,y0,x1,y1] [--cols C]
        [--width W] [--grid] [--grid-step PX]

``--crop`` takes fractions (0-1) of the frame. ``--grid`` draws a 10 % grid
labelled in full-frame pixels; ``--grid-step`` instead draws a line every
``PX`` full-frame pixels (labelled), for reading coordinates.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence

import av
from PIL import Image, ImageDraw

Box = tuple[int, int, int, int]
CYAN = (0, 255, 255)


def decode(path: str, wanted: set[int]) -> Iterator[tuple[int, Image.Image]]:
    """Yield ``(index, image)`` for the wanted 0-based decode indices.

    Parameters
    ----------
    path : str
        Video file.
    wanted : set of int
        Frame indices (0-based, decode order) to return.

    Yields
    ------
    tuple of (int, PIL.Image.Image)
        Frame index and its RGB image (full resolution, px).
    """
    last = max(wanted)
    with av.open(path) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i > last:
                break
            if i in wanted:
                yield i, frame.to_image()


def grid_lines(lo: int, hi: int, step: int | None) -> list[int]:
    """Full-frame pixel positions of grid lines inside ``[lo, hi)``.

    Parameters
    ----------
    lo, hi : int
        Crop bounds along one axis (full-frame px).
    step : int or None
        Spacing in full-frame px; None for nine lines at 10 % of the crop.

    Returns
    -------
    list of int
        Line positions (full-frame px).
    """
    if step is None:
        return [lo + k * (hi - lo) // 10 for k in range(1, 10)]
    first = (lo // step + 1) * step
    return list(range(first, hi, step))


def tile(image: Image.Image, box: Box, width: int, index: int, step: int | None, grid: bool) -> Image.Image:
    """Crop, scale, grid and label one frame.

    Parameters
    ----------
    image : PIL.Image.Image
        Full frame.
    box : tuple of int
        Crop ``(x0, y0, x1, y1)`` in full-frame px.
    width : int
        Tile width (px); height keeps the aspect ratio.
    index : int
        Frame index written on the tile.
    step : int or None
        Grid spacing in full-frame px (None: 10 % grid).
    grid : bool
        Whether to draw the grid.

    Returns
    -------
    PIL.Image.Image
        The tile.
    """
    crop = image.crop(box)
    scale = width / crop.width
    out = crop.resize((width, round(crop.height * scale)), Image.Resampling.LANCZOS)
    draw = ImageDraw.Draw(out)
    if grid:
        for gx in grid_lines(box[0], box[2], step):
            x = (gx - box[0]) * scale
            draw.line([(x, 0), (x, out.height)], fill=CYAN, width=1)
            draw.text((x + 2, 2), str(gx), fill=CYAN)
        for gy in grid_lines(box[1], box[3], step):
            y = (gy - box[1]) * scale
            draw.line([(0, y), (width, y)], fill=CYAN, width=1)
            draw.text((2, y + 2), str(gy), fill=CYAN)
    draw.rectangle([0, out.height - 22, 90, out.height], fill=(0, 0, 0))
    draw.text((4, out.height - 18), f"f{index}", fill=(255, 255, 0))
    return out


def assemble(tiles: Sequence[Image.Image], cols: int) -> Image.Image:
    """Paste tiles row by row onto a white sheet with 4 px gaps.

    Parameters
    ----------
    tiles : sequence of PIL.Image.Image
        Tiles of equal width.
    cols : int
        Tiles per row.

    Returns
    -------
    PIL.Image.Image
        The sheet.
    """
    cols = min(cols, len(tiles))
    rows = (len(tiles) + cols - 1) // cols
    tw = tiles[0].width
    th = max(t.height for t in tiles)
    sheet = Image.new("RGB", (cols * tw + (cols - 1) * 4, rows * th + (rows - 1) * 4), (255, 255, 255))
    for k, t in enumerate(tiles):
        sheet.paste(t, ((k % cols) * (tw + 4), (k // cols) * (th + 4)))
    return sheet


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line (see the module docstring)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("video")
    p.add_argument("out")
    p.add_argument("--start", type=int, default=0, help="first frame (0-based)")
    p.add_argument("--count", type=int, default=12, help="number of consecutive frames")
    p.add_argument("--frames", default="", help="comma-separated frame list (overrides --start/--count)")
    p.add_argument("--crop", default="0,0,1,1", help="x0,y0,x1,y1 as fractions of the frame")
    p.add_argument("--cols", type=int, default=4)
    p.add_argument("--width", type=int, default=400, help="tile width, px")
    p.add_argument("--grid", action="store_true", help="draw a labelled pixel grid")
    p.add_argument("--grid-step", type=int, default=None, help="grid spacing in full-frame px")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Write the contact sheet and print the crop in full-frame px."""
    a = parse_args(argv)
    order = [int(v) for v in a.frames.split(",")] if a.frames else list(range(a.start, a.start + a.count))
    x0, y0, x1, y1 = (float(v) for v in a.crop.split(","))
    images = dict(decode(a.video, set(order)))
    w, h = next(iter(images.values())).size
    box = (int(x0 * w), int(y0 * h), int(x1 * w), int(y1 * h))
    grid = a.grid or a.grid_step is not None
    tiles = [tile(images[i], box, a.width, i, a.grid_step, grid) for i in order if i in images]
    assemble(tiles, a.cols).save(a.out)
    print(f"{a.out}: frames {order[0]}-{order[-1]} ({len(tiles)}), crop px {box}")


if __name__ == "__main__":
    main()
