"""What a form saves is committed before its redirect is sent, so the next page always finds it.

FastAPI runs the code after ``yield`` in a dependency after the response has gone out, unless the
dependency is function-scoped. A browser following the redirect after sign-up could then load the
next page before the new account existed and be asked to sign in (seen in the browser tests). Here
every commit is slowed down, so a late commit would be caught every time, not now and then.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session

from kinechain.web.live import LiveServer

from .conftest import make_settings

SLOW_COMMIT_S = 0.3


@pytest.fixture
def slow_commits(monkeypatch: pytest.MonkeyPatch) -> None:
    commit = Session.commit

    def slow(self: Session) -> None:
        time.sleep(SLOW_COMMIT_S)
        commit(self)

    monkeypatch.setattr(Session, "commit", slow)


def test_sign_up_redirect_finds_the_new_account(tmp_path: Path, slow_commits: None) -> None:
    # httpx, unlike a browser, sends no Secure cookie over plain http to 127.0.0.1
    settings = make_settings(tmp_path, f"sqlite:///{tmp_path / 'kinechain.db'}", cookie_secure=False)
    with LiveServer(settings) as live, httpx.Client(base_url=live.url, follow_redirects=True) as c:
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/signup").text)
        assert csrf
        form = {"csrf_token": csrf.group(1), "clinic": "Riverside Physio", "name": "Dana"}
        form |= {"email": "dana@riverside.example", "password": "a good long password"}
        page = c.post("/signup", data=form)
    assert page.url.path == "/athletes", f"sent to {page.url}: {page.status_code} {page.text[-1500:]}"
