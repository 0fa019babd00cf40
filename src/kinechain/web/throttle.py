"""Sign-in throttling with growing delays, never hard locks, that an attacker cannot turn on a user.

Policy (documented in docs/web.md, "Login throttling"):

- Failures are counted per key over ``login_window_min`` minutes: per account (``email:``), per
  client address (``client:``), and per trusted browser (``device:``).
- The first ``login_max_attempts`` failures of an account (four times that for an address) cost
  nothing; after that each further try must wait 1 s, 2 s, 4 s ... since the key's last failure,
  at most ``ACCOUNT_MAX_DELAY_S`` for an account and ``ADDRESS_MAX_DELAY_S`` for an address.
  Too early, the answer is 429 with the seconds to wait; the right password works once it is over.
- A browser that has signed in to an account before carries a signed device cookie for it; its
  sign-ins to that account are throttled only by its own failures, so failures from anywhere
  else (an attacker guessing the account's password, a colleague behind the same router) never
  delay it. Failures on one account never count against another account's own throttle.

Delays of 2^n seconds with a cap are the usual exponential back-off (security convention, cf.
NIST SP 800-63B 5.2.2, which asks for throttling that limits guessing without locking users out).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from kinechain.config import Settings
from kinechain.store import repo
from kinechain.store.models import utcnow
from kinechain.web.security import new_token, token_hash

#: Longest wait an account's failures impose on browsers it does not trust (s).
ACCOUNT_MAX_DELAY_S = 300.0
#: Longest wait an address's failures impose (s): a clinic behind one router is slowed, not locked.
ADDRESS_MAX_DELAY_S = 60.0
#: Lifetime of a trusted-browser cookie (days; security convention).
DEVICE_DAYS = 90


def delay_after(failures: int, free: int, cap_s: float) -> float:
    """Return the wait (s) owed after ``failures`` failures: 0 while free, then 1, 2, 4 ... to ``cap_s``."""
    if failures < free:
        return 0.0
    return min(cap_s, 2.0 ** min(failures - free, 30))


@dataclass(frozen=True)
class Rule:
    """One throttle key: how many failures are free and the longest delay."""

    key: str
    free: int
    cap_s: float


def rules_for(settings: Settings, email: str, client: str, device_key: str | None) -> list[Rule]:
    """Return a sign-in's throttle keys: the trusted browser's own, or the account's and the address's."""
    n = settings.login_max_attempts
    if device_key is not None:
        return [Rule(device_key, n, ACCOUNT_MAX_DELAY_S)]
    return [
        Rule(f"email:{email}", n, ACCOUNT_MAX_DELAY_S),
        Rule(f"client:{client}", 4 * n, ADDRESS_MAX_DELAY_S),
    ]


def wait_s(s: Session, settings: Settings, rules: list[Rule]) -> float:
    """Return how many seconds to wait before the next try is checked (0 when it may go ahead)."""
    longest = 0.0
    for rule in rules:
        count, last = repo.failure_stats(s, rule.key, settings.login_window_min)
        if last is None:
            continue
        due = last + timedelta(seconds=delay_after(count, rule.free, rule.cap_s))
        longest = max(longest, (due - utcnow()).total_seconds())
    return longest


def wait_sentence(seconds: float) -> str:
    """One sentence telling the user how long to wait."""
    n = max(1, math.ceil(seconds))
    return f"too many failed sign-ins; wait {n} second{'s' if n != 1 else ''} and try again."


def _signer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.secret_key, salt="kinechain.trusted-browser")


def new_device_cookie(settings: Settings, user_id: int) -> str:
    """Return a signed trusted-browser value for an account (set after a successful sign-in)."""
    return _signer(settings).dumps({"u": user_id, "n": new_token()})


def device_key(settings: Settings, cookie: str | None, user_id: int | None) -> str | None:
    """Return the throttle key of a trusted-browser cookie valid for this account, else None."""
    if not cookie or user_id is None:
        return None
    try:
        data = _signer(settings).loads(cookie)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user_id:
        return None
    return f"device:{token_hash(cookie)}"
