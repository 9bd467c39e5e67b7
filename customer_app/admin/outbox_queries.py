"""Read the mail outbox a page at a time, newest first (admins read invitation and reset links here)."""

from sqlalchemy import func
from sqlmodel import Session, col, select

from customer_app.core.models import OutboxMessage
from customer_app.core.permissions import Actor, require

MAX_PAGE_SIZE = 100


def list_outbox(
    *, actor: Actor, session: Session, page: int = 1, page_size: int = 25
) -> tuple[list[OutboxMessage], int]:
    """One page of messages, newest first, and how many there are in all."""
    require(actor, "outbox.view")
    size, page = max(1, min(int(page_size), MAX_PAGE_SIZE)), max(1, int(page))
    statement = (
        select(OutboxMessage)
        .order_by(col(OutboxMessage.created_at).desc(), col(OutboxMessage.id).desc())
        .offset((page - 1) * size)
        .limit(size)
    )
    rows = list(session.exec(statement).all())
    return rows, session.exec(select(func.count()).select_from(OutboxMessage)).one()
