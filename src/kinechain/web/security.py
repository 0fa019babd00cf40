"""Passwords (argon2id), random tokens stored only as hashes (sessions, invitations, share links), CSRF."""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

#: Shortest password accepted (NIST SP 800-63B asks for at least 8 characters).
MIN_PASSWORD = 8


@functools.cache
def _hasher(cheap: bool) -> tuple[PasswordHasher, str]:
    """Return the argon2id hasher and a dummy hash of its cost (for unknown users' timing).

    ``cheap`` is for the test environment only: argon2's cheapest profile, so that the test suite
    does not spend about a second per sign-in; everywhere else the library's recommended cost
    (RFC 9106 low-memory profile).
    """
    hasher = PasswordHasher.from_parameters(profiles.CHEAPEST) if cheap else PasswordHasher()
    return hasher, hasher.hash("kinechain-timing-equaliser")


_cheap = False


def use_test_cost(enabled: bool) -> None:
    """Hash new passwords at argon2's cheapest cost (``environment == "test"`` only; see create_app)."""
    global _cheap  # noqa: PLW0603 - one process-wide choice, made when the app is built
    _cheap = enabled


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password (salted, with the library's recommended cost)."""
    return _hasher(_cheap)[0].hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Return True when the password matches; always spends one hash's time, even for unknown users."""
    hasher, dummy = _hasher(_cheap)
    try:
        return hasher.verify(stored_hash or dummy, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """One sentence saying what is wrong with a new password, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD:
        return f"the password must have at least {MIN_PASSWORD} characters; choose a longer one."
    if len(password) > 1024:
        return "the password is longer than 1024 characters; choose a shorter one."
    return None


def new_token() -> str:
    """Return a random URL-safe token with 256 bits of entropy."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """SHA-256 hex digest of a token: what the database stores instead of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two tokens; False when either is missing."""
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))
