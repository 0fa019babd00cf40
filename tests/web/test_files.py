"""Files on disk (issue 14 fault 7): the SQLite database and the media folders are owner-only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from fastapi.testclient import TestClient

from kinechain.store.db import make_engine
from kinechain.store.media import MediaStore
from kinechain.web.app import create_app

from .conftest import add_assessment, add_athlete, make_settings, sign_up, upload


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_and_media_are_created_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual umask, which made the database 644 before
    try:
        data = tmp_path / "fresh" / "data"
        settings = make_settings(tmp_path, f"sqlite:///{data / 'kinechain.db'}", data_dir=data)
        app = create_app(settings)
        with TestClient(app, base_url="https://testserver") as c:
            clinic = sign_up(c)
            aid = add_assessment(clinic, add_athlete(clinic))
            assert upload(c, clinic.csrf, aid).status_code == 201
        app.state.engine.dispose()
    finally:
        os.umask(old)
    db = data / "kinechain.db"
    assert _mode(db) == 0o600 and _mode(data) == 0o700
    for extra in (data / "kinechain.db-wal", data / "kinechain.db-shm"):
        if extra.exists():
            assert _mode(extra) == 0o600, extra
    media = settings.media_root
    folders = [media, *[p for p in media.rglob("*") if p.is_dir()]]
    files = [p for p in media.rglob("*") if p.is_file()]
    assert len(folders) >= 3 and files  # root, incoming, one shard folder; the stored clip
    assert {_mode(p) for p in folders} == {0o700} and {_mode(p) for p in files} == {0o600}


def test_an_existing_world_readable_database_is_tightened(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    db.write_bytes(b"")
    db.chmod(0o644)
    make_engine(f"sqlite:///{db}").dispose()
    assert _mode(db) == 0o600
    (tmp_path / "media").mkdir(mode=0o755)
    (tmp_path / "media" / "incoming").mkdir(mode=0o755)
    MediaStore(tmp_path / "media")
    assert _mode(tmp_path / "media") == 0o700 and _mode(tmp_path / "media" / "incoming") == 0o700
