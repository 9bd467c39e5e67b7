"""Unguessable tokens: handed out once in raw form, stored only as a hash. One-time link tokens belong to a
subject (a kind of account and its id); the package that owns the accounts turns the id back into one."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select, update

from customer_app.core.columns import utcnow
from customer_app.core.models import OneTimeToken
from customer_app.errors import CustomerAppError


def new_token() -> str:
    """A fresh random token for a link or a session."""
    return secrets.token_urlsafe(32)


def token_hash(raw: str) -> str:
    """What the database keeps instead of the token (a leaked table cannot be replayed)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_one_time(subject_type: str, subject_id: int, purpose: str, ttl: timedelta, *, session: Session) -> str:
    """A single-use link token for the subject; its earlier unused ones of the same purpose stop working."""
    withdraw(subject_type, subject_id, purpose, session=session)
    raw = new_token()
    session.add(
        OneTimeToken(
            token_hash=token_hash(raw),
            purpose=purpose,
            subject_type=subject_type,
            subject_id=subject_id,
            expires_at=utcnow() + ttl,
        )
    )
    session.flush()
    return raw


def _find(raw: str, purpose: str, subject_type: str, session: Session) -> OneTimeToken | None:
    token = session.exec(select(OneTimeToken).where(col(OneTimeToken.token_hash) == token_hash(raw or ""))).first()
    if token is None or (token.purpose, token.subject_type) != (purpose, subject_type):
        return None
    return token


def consume_one_time(raw: str, purpose: str, subject_type: str, *, session: Session) -> int:
    """The subject id a valid link token belongs to; the token is used up. Raises for unknown, used or expired.

    One conditional UPDATE marks it used, so of two requests racing with the same link exactly one wins (a read
    followed by a write would let both through on PostgreSQL).
    """
    now = utcnow()
    used = session.exec(
        update(OneTimeToken)
        .where(
            col(OneTimeToken.token_hash) == token_hash(raw or ""),
            col(OneTimeToken.purpose) == purpose,
            col(OneTimeToken.subject_type) == subject_type,
            col(OneTimeToken.used_at).is_(None),
            col(OneTimeToken.expires_at) > now,
        )
        .values(used_at=now)
        .returning(col(OneTimeToken.subject_id))
    ).first()
    if used is not None:
        return used[0]
    token = _find(raw, purpose, subject_type, session)
    if token is not None and token.used_at is None:
        raise CustomerAppError("This link has expired. Ask for a new one.")
    raise CustomerAppError("This link is not valid or has already been used. Ask for a new one.")


def peek_one_time(raw: str, purpose: str, subject_type: str, *, session: Session) -> int | None:
    """The subject id of a still-valid link token, without using it up (to greet its owner on the page)."""
    token = _find(raw, purpose, subject_type, session)
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        return None
    return token.subject_id


def issued_since(subject_type: str, subject_id: int, purpose: str, since: datetime, *, session: Session) -> int:
    """How many link tokens of this purpose the subject was given since `since` (for rate limits)."""
    return session.exec(
        select(func.count()).where(
            col(OneTimeToken.subject_type) == subject_type,
            col(OneTimeToken.subject_id) == subject_id,
            col(OneTimeToken.purpose) == purpose,
            col(OneTimeToken.created_at) >= since,
        )
    ).one()


def pending_until(subject_type: str, subject_id: int, purpose: str, *, session: Session) -> datetime | None:
    """When the subject's newest unused link of this purpose expires (None: it has none)."""
    return session.exec(
        select(func.max(OneTimeToken.expires_at)).where(
            col(OneTimeToken.subject_type) == subject_type,
            col(OneTimeToken.subject_id) == subject_id,
            col(OneTimeToken.purpose) == purpose,
            col(OneTimeToken.used_at).is_(None),
        )
    ).one()


def withdraw(subject_type: str, subject_id: int, purpose: str, *, session: Session) -> None:
    """The subject's unused links of this purpose stop working."""
    session.execute(
        update(OneTimeToken)
        .where(
            col(OneTimeToken.subject_type) == subject_type,
            col(OneTimeToken.subject_id) == subject_id,
            col(OneTimeToken.purpose) == purpose,
            col(OneTimeToken.used_at).is_(None),
        )
        .values(used_at=utcnow())
    )


def subject_of_expired(raw: str, purpose: str, subject_type: str, *, session: Session) -> int | None:
    """The subject of an unused link that has expired (to offer its owner a new one), else None."""
    token = _find(raw, purpose, subject_type, session)
    if token is None or token.used_at is not None or token.expires_at > utcnow():
        return None
    return token.subject_id
