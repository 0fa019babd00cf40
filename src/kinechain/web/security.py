"""Passwords (argon2id), random tokens stored only as hashes, CSRF tokens and signed share links."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

_HASHER = PasswordHasher()
#: Shortest password accepted (NIST SP 800-63B asks for at least 8 characters).
MIN_PASSWORD = 8
_DUMMY_HASH = _HASHER.hash("kinechain-timing-equaliser")


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password (salted, with the library's recommended cost)."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Return True when the password matches; always spends one hash's time, even for unknown users."""
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
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


class ShareSigner:
    """Signs and checks read-only share tokens that name one share link and expire.

    Parameters
    ----------
    secret : str
        The app's secret key.
    """

    def __init__(self, secret: str) -> None:
        self._s = URLSafeTimedSerializer(secret, salt="kinechain.share-link")

    def sign(self, link_id: int) -> str:
        """Return the URL token for a share link."""
        return self._s.dumps({"link": link_id})

    def check(self, token: str, max_age_s: int) -> int | None:
        """Return the share link id of a valid token younger than ``max_age_s`` seconds, else None."""
        try:
            data = self._s.loads(token, max_age=max_age_s)
        except (SignatureExpired, BadSignature):
            return None
        link = data.get("link") if isinstance(data, dict) else None
        return link if isinstance(link, int) else None
