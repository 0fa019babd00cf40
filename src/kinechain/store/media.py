"""Media files on disk, named by random 128-bit ids, outside any folder the web server publishes.

Files are written to ``<root>/incoming`` first and moved into place only once complete, so a
half-written upload never appears under an id.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from pathlib import Path

_ID = re.compile(r"^[0-9a-f]{32}$")


class MediaStore:
    """Files under ``root/<first two hex digits>/<id>``.

    Parameters
    ----------
    root : Path
        The media folder; it and every folder in it are owner-only (700), every file 600.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.incoming = self.root / "incoming"
        self.incoming.mkdir(parents=True, exist_ok=True, mode=0o700)
        for folder in (self.root, self.incoming):
            os.chmod(folder, 0o700)

    def path(self, media_id: str) -> Path:
        """Return the file of a media id; ValueError for anything that is not a 32-digit hex id."""
        if not _ID.match(media_id):
            raise ValueError(f"not a media id: {media_id!r}")
        return self.root / media_id[:2] / media_id

    def temp_path(self, suffix: str = "") -> Path:
        """Return a fresh path in the incoming folder."""
        return self.incoming / (secrets.token_hex(16) + suffix)

    def put(self, media_id: str, src: Path) -> Path:
        """Move a complete file from ``src`` into place under ``media_id``; return its path."""
        dest = self.path(media_id)
        dest.parent.mkdir(exist_ok=True, mode=0o700)
        shutil.move(str(src), dest)
        os.chmod(dest, 0o600)
        return dest

    def delete(self, media_id: str) -> None:
        """Remove a media file if it exists."""
        self.path(media_id).unlink(missing_ok=True)
