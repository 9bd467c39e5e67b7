"""Unguessable tokens: handed out once in raw form, stored only as a hash."""

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, col, select

from customer_app.access.models import StaffUser
from customer_app.core.columns import utcnow
from customer_app.core.models import OneTimeToken
from customer_app.errors import CustomerAppError


def new_token() -> str:
    """A fresh random token for a link or a session."""
    return secrets.token_urlsafe(32)


def token_hash(raw: str) -> str:
    """What the database keeps instead of the token (a leaked table cannot be replayed)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_one_time(user: StaffUser, purpose: str, ttl: timedelta, *, session: Session) -> str:
    """A single-use link token for the user; earlier unused ones of the same purpose stop working."""
    for old in session.exec(
        select(OneTimeToken).where(
            col(OneTimeToken.user_id) == user.id,
            col(OneTimeToken.purpose) == purpose,
            col(OneTimeToken.used_at).is_(None),
        )
    ):
        old.used_at = utcnow()
    raw = new_token()
    session.add(OneTimeToken(token_hash=token_hash(raw), purpose=purpose, user_id=user.id, expires_at=utcnow() + ttl))
    session.flush()
    return raw


def consume_one_time(raw: str, purpose: str, *, session: Session) -> StaffUser:
    """The user a valid link token belongs to; the token is used up. Raises for unknown, used or expired."""
    token = session.exec(select(OneTimeToken).where(col(OneTimeToken.token_hash) == token_hash(raw or ""))).first()
    if token is None or token.purpose != purpose or token.used_at is not None:
        raise CustomerAppError("This link is not valid or has already been used. Ask for a new one.")
    if token.expires_at <= utcnow():
        raise CustomerAppError("This link has expired. Ask for a new one.")
    token.used_at = utcnow()
    user = session.get(StaffUser, token.user_id)
    if user is None or not user.active:
        raise CustomerAppError("This account is not active.")
    return user


def peek_one_time(raw: str, purpose: str, *, session: Session) -> StaffUser | None:
    """The user of a still-valid link token, without using it up (to greet them on the page)."""
    token = session.exec(select(OneTimeToken).where(col(OneTimeToken.token_hash) == token_hash(raw or ""))).first()
    if token is None or token.purpose != purpose or token.used_at is not None or token.expires_at <= utcnow():
        return None
    return session.get(StaffUser, token.user_id)
