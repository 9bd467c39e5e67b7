"""Removals: each Trash action is one batch, so a mistaken bulk Trash comes back in one action."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from customer_app.core import audit
from customer_app.core.columns import utcnow
from customer_app.core.permissions import Actor, require
from customer_app.customers.models import Customer, TrashBatch
from customer_app.errors import ConflictError, NotFoundError

RECENT = 5  # removals the Trash view lists


@dataclass(frozen=True)
class Removal:
    """A recent Trash action of several customers, some still in Trash."""

    id: int
    at: datetime
    actor_name: str
    label: str
    moved: int  # how many it moved to Trash
    in_trash: int  # how many are still there (others were restored or deleted for good since)


@dataclass(frozen=True)
class BatchRestore:
    """What restoring a removal did."""

    restored: int
    gone: int  # no longer in this removal's Trash: restored or deleted for good before
    kept: int  # left in Trash: another customer now uses their e-mail address


def open_batch(*, actor: Actor, session: Session, label: str = "") -> TrashBatch:
    """Start a removal; the Trash action that follows stamps its customers with it."""
    require(actor, "customer.edit")
    batch = TrashBatch(actor_id=actor.id, actor_name=(actor.name or actor.email)[:254], label=label[:300])
    session.add(batch)
    session.flush()
    return batch


def recent_removals(*, actor: Actor, session: Session, limit: int = RECENT) -> list[Removal]:
    """The newest removals of several customers that still have customers in Trash (single ones are just rows)."""
    require(actor, "customer.view")
    in_trash = func.count(col(Customer.id))
    query = (
        select(TrashBatch, in_trash)
        .join(Customer, col(Customer.trash_batch_id) == col(TrashBatch.id))
        .where(col(TrashBatch.moved) > 1)
        .group_by(col(TrashBatch.id))
        .order_by(col(TrashBatch.id).desc())
        .limit(limit)
    )
    return [
        Removal(batch.id, batch.at, batch.actor_name, batch.label, batch.moved, count)
        for batch, count in session.exec(query)
    ]


def restore_batch(batch_id: int, *, actor: Actor, session: Session) -> BatchRestore:
    """Bring back, in one statement, every customer of a removal still in Trash; skip those whose e-mail is taken."""
    require(actor, "customer.edit")
    batch = session.get(TrashBatch, batch_id)
    if batch is None:
        raise NotFoundError("This removal does not exist.")
    now, other = utcnow(), aliased(Customer)
    taken = exists().where(col(other.email_key) == col(Customer.email_key), col(other.deleted_at).is_(None))
    statement = (
        update(Customer)
        .where(col(Customer.trash_batch_id) == batch_id, col(Customer.deleted_at).is_not(None))
        .where(or_(col(Customer.email_key).is_(None), ~taken))
        .values(deleted_at=None, trash_batch_id=None, updated_at=now, version=Customer.version + 1)
        .returning(col(Customer.id), col(Customer.display_name))
        .execution_options(synchronize_session=False)
    )
    try:
        back = session.execute(statement).all()
    except IntegrityError as exc:  # someone took one of the e-mails between our check and our write
        session.rollback()
        raise ConflictError("Someone changed these customers at the same time. Please try again.") from exc
    session.expire_all()  # loaded customers must not keep showing themselves in Trash
    kept = session.exec(select(func.count()).where(col(Customer.trash_batch_id) == batch_id)).one()
    result = BatchRestore(len(back), max(batch.moved - len(back) - kept, 0), kept)
    _audit(session, actor, batch, back, result)
    return result


def _audit(session: Session, actor: Actor, batch: TrashBatch, back, result: BatchRestore) -> None:
    """One "restore" per customer, as restoring one by one records, and one for the removal as a whole."""
    summaries = ((row_id, f"Restored {name}") for row_id, name in back)
    audit.record_many(session, actor=actor, action="restore", entity_type="customer", summaries=summaries)
    audit.record(
        session,
        actor=actor,
        action="restore_batch",
        entity_type="trash_batch",
        entity_id=batch.id,
        summary=f"Restored {result.restored:,} of {batch.moved:,} customers {describe(batch)}",
    )


def describe(batch: TrashBatch | Removal) -> str:
    """When and by whom a removal happened, e.g. "removed on 2026-12-04 at 14:02 by Ann Smith"."""
    who = f" by {batch.actor_name}" if batch.actor_name else ""
    return f"removed on {batch.at:%Y-%m-%d} at {batch.at:%H:%M}{who}"
