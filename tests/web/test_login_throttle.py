"""Sign-in throttling (issue 14 fault 6): growing delays, not locks; others' failures never block a user.

Before: after 5 failures the right password got 429 for 15 minutes, and 20 failures from one
address locked every account behind it (a whole clinic behind one router).
"""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from kinechain.store.db import make_engine, session_factory
from kinechain.store.models import LoginAttempt
from kinechain.web.throttle import ACCOUNT_MAX_DELAY_S, ADDRESS_MAX_DELAY_S, delay_after

from .conftest import csrf_of, sign_up

PASSWORD = "correct horse"


def _browser(client: TestClient) -> TestClient:
    return TestClient(client.app, base_url="https://testserver")


def _login(c: TestClient, email: str, password: str) -> int:
    r = c.post("/login", data={"csrf_token": csrf_of(c), "email": email, "password": password})
    return r.status_code


def _age_failures(client: TestClient, seconds: float) -> None:
    """Move every recorded failure ``seconds`` into the past (as if the user had waited)."""
    engine = make_engine(client.app.state.settings.db_url)  # type: ignore[attr-defined]
    with session_factory(engine)() as s:
        for row in s.scalars(select(LoginAttempt)):
            row.at = row.at - timedelta(seconds=seconds)
        s.commit()
    engine.dispose()


def _new_account(client: TestClient, email: str) -> None:
    c = _browser(client)
    sign_up(c, email=email, clinic=email)


def test_delays_double_after_the_free_failures_and_are_capped() -> None:
    assert [delay_after(n, 5, ACCOUNT_MAX_DELAY_S) for n in range(12)] == [
        0,
        0,
        0,
        0,
        0,
        1,
        2,
        4,
        8,
        16,
        32,
        64,
    ]
    assert delay_after(40, 5, ACCOUNT_MAX_DELAY_S) == ACCOUNT_MAX_DELAY_S == 300
    assert delay_after(10**6, 20, ADDRESS_MAX_DELAY_S) == 60


def test_the_right_password_works_once_the_short_delay_is_over(client: TestClient) -> None:
    _new_account(client, "rl@clinic.org")
    c = _browser(client)
    assert [_login(c, "rl@clinic.org", "wrong password") for _ in range(5)] == [401] * 5
    r = c.post("/login", data={"csrf_token": csrf_of(c), "email": "rl@clinic.org", "password": PASSWORD})
    assert r.status_code == 429 and "wait 1 second and try again" in r.text
    _age_failures(client, 1.5)
    assert _login(c, "rl@clinic.org", PASSWORD) == 200


def test_failures_on_one_account_never_delay_another(client: TestClient) -> None:
    for email in ("a@one.org", "b@two.org"):
        _new_account(client, email)
    attacker, colleague = _browser(client), _browser(client)  # the same address (one router)
    assert [_login(attacker, "a@one.org", "guess") for _ in range(8)][-1] == 429
    assert _login(colleague, "b@two.org", PASSWORD) == 200


def test_a_browser_that_signed_in_before_escapes_an_attack_on_its_account(client: TestClient) -> None:
    _new_account(client, "user@clinic.org")
    user = _browser(client)
    assert _login(user, "user@clinic.org", PASSWORD) == 200
    assert any(k.endswith("kc_device") for k in user.cookies)
    user.post("/logout", data={"csrf_token": csrf_of(user)})
    attacker = _browser(client)
    codes = [_login(attacker, "user@clinic.org", f"guess {i}") for i in range(30)]
    assert codes[:5] == [401] * 5 and 429 in codes
    assert _login(user, "user@clinic.org", PASSWORD) == 200  # at once, despite 30 failures elsewhere


def test_an_address_with_many_failures_is_slowed_not_locked(client: TestClient) -> None:
    for i in range(2):
        _new_account(client, f"u{i}@clinic.org")
    colleague = _browser(client)
    assert _login(colleague, "u1@clinic.org", PASSWORD) == 200  # trusted from now on
    colleague.post("/logout", data={"csrf_token": csrf_of(colleague)})
    stuffer = _browser(client)
    codes = [_login(stuffer, f"nobody{i}@clinic.org", "guess") for i in range(22)]
    assert codes[:20] == [401] * 20 and codes[-1] == 429
    newcomer = _browser(client)
    r = newcomer.post(
        "/login", data={"csrf_token": csrf_of(newcomer), "email": "u0@clinic.org", "password": PASSWORD}
    )
    assert r.status_code == 429 and "second" in r.text
    waited = int(r.text.split("wait ")[1].split(" second")[0])
    assert 1 <= waited <= ADDRESS_MAX_DELAY_S
    assert _login(colleague, "u1@clinic.org", PASSWORD) == 200  # a known browser is never slowed by others
    _age_failures(client, ADDRESS_MAX_DELAY_S)
    assert _login(newcomer, "u0@clinic.org", PASSWORD) == 200


def test_the_json_login_is_throttled_the_same_way(client: TestClient) -> None:
    _new_account(client, "api@clinic.org")
    c = _browser(client)
    token = csrf_of(c)
    body = {"email": "api@clinic.org", "password": "wrong"}
    codes = [
        c.post("/api/v1/login", json=body, headers={"X-CSRF-Token": token}).status_code for _ in range(6)
    ]
    assert codes == [401] * 5 + [429]
    _age_failures(client, 2)
    ok = c.post("/api/v1/login", json={**body, "password": PASSWORD}, headers={"X-CSRF-Token": token})
    assert ok.status_code == 200
