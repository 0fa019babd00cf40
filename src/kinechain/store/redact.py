"""Keep server file paths out of everything the app stores for display, answers or exports.

Analysis records and error messages are written by library code that names files by their path
(``VideoInfo.path``, "cannot read /srv/.../ab/ab12..."). The web app stores media under random
ids in folders that are nobody's business, so before such text reaches a page, an API answer, an
export or a PDF, every absolute path in it is replaced by a neutral word, and a record's clip path
by the name the file was uploaded under.
"""

from __future__ import annotations

import re
from typing import Any

#: An absolute POSIX path of at least two components, not part of a URL, a ratio ("km/week") or a date.
_ABS_PATH = re.compile(r"(?<![\w/.~-])/(?!/)(?:[\w.@+~-]+/)+[\w.@+~-]*")
#: A Windows drive path (C:\...\...).
_WIN_PATH = re.compile(r"\b[A-Za-z]:\\(?:[^\\\s'\"]+\\)*[^\\\s'\"]*")
PLACEHOLDER = "the file"


def strip_paths(text: str, placeholder: str = PLACEHOLDER) -> str:
    """Return ``text`` with every absolute file path replaced by ``placeholder``.

    Parameters
    ----------
    text : str
        A message or value that may name files by path.
    placeholder : str
        What to show instead of a path.
    """
    return _WIN_PATH.sub(placeholder, _ABS_PATH.sub(placeholder, text))


def _walk(value: Any) -> Any:
    if isinstance(value, str):
        return strip_paths(value)
    if isinstance(value, dict):
        return {k: _walk(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v) for v in value]
    return value


def public_result(record: dict[str, Any] | None, clip_name: str | None = None) -> dict[str, Any] | None:
    """Return a copy of a ``kinechain.result/1`` record with no server path in it.

    Parameters
    ----------
    record : dict or None
        The stored record (``AnalysisResult.model_dump(mode="json")``).
    clip_name : str, optional
        The name the clip was uploaded under; shown as the clip's name. When absent, a clip path
        that is absolute (or a bare media id) becomes "clip".
    """
    if record is None:
        return None
    out: dict[str, Any] = _walk(record)
    clip = record.get("clip")
    if isinstance(clip, dict):
        name = clip_name or _safe_name(str(clip.get("path", "")))
        out["clip"] = {**out["clip"], "path": name}
    return out


def _safe_name(path: str) -> str:
    """Return a stored clip path as a display name: a plain name is kept, anything else is "clip"."""
    if not path or "/" in path or "\\" in path or re.fullmatch(r"[0-9a-f]{32}(\.\w+)?", path):
        return "clip"
    return path
