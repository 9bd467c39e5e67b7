"""Shared steps of the portal tests: the mails sent, the link in one, and a registered person."""

import re

from sqlmodel import Session, col, select

from customer_app.core.models import AuditEvent, OutboxMessage
from customer_app.portal import accounts, grants
from customer_app.settings import settings

PORTAL_PASSWORD = "velvet harbour compass 7313"


def outbox(session: Session) -> list[OutboxMessage]:
    """Every message sent so far, oldest first."""
    session.expire_all()
    return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))


def link_token(message: OutboxMessage, kind: str) -> str:
    """The token of the /clients/<kind>/ link in a message."""
    [token] = re.findall(rf"{re.escape(settings.public_url)}/clients/{kind}/(\S+)", message.body)
    return token


def actions(session: Session, prefix: str = "portal") -> list[str]:
    """The audit trail's actions that start with `prefix`, oldest first."""
    session.expire_all()
    found = session.exec(select(AuditEvent.action).order_by(col(AuditEvent.id)))
    return [action for action in found if action.startswith(prefix)]


def registered(session: Session, customer_id: int, *, actor, name: str = "Ada Lovelace") -> int:
    """Give a customer access, accept the invitation; the account's id."""
    grants.give_access(customer_id, actor=actor, session=session)
    session.commit()
    account = accounts.register(link_token(outbox(session)[-1], "register"), name, PORTAL_PASSWORD, session=session)
    session.commit()
    return account.id
