"""Create, update, soft-delete, restore and purge customers."""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from customer_app.core import audit
from customer_app.core.columns import utcnow
from customer_app.core.db import after_commit
from customer_app.core.normalize import email_key, fold
from customer_app.core.permissions import Actor, require
from customer_app.customers import pictures
from customer_app.customers.models import Customer, CustomerInput, CustomerKind, TrashBatch
from customer_app.customers.ownership import owned_tables
from customer_app.customers.queries import tab_filter
from customer_app.customers.trash_batches import open_batch
from customer_app.errors import ConflictError, CustomerAppError, NotFoundError, ValidationError
from customer_app.settings import settings

EMAIL_TAKEN = "Another customer already uses this e-mail address."


def derived_fields(data: CustomerInput) -> dict[str, Any]:
    """The stored columns computed from the input: display, sort and search forms and the e-mail key."""
    if data.kind == CustomerKind.INDIVIDUAL:
        display = " ".join(p for p in (data.first_name, data.last_name) if p)
    else:
        display = data.name or ""
    phones = " ".join(p.lstrip("+") for p in (data.phone, data.mobile) if p)
    words = " ".join(p for p in (display, data.email, data.company_name) if p)
    return {
        "display_name": display,
        "sort_name": fold(display)[:300],
        "search_text": f"{fold(words)} {phones}".strip(),
        "email_key": email_key(data.email) if data.email else None,
        "company_key": fold(data.company_name)[:200] if data.company_name else None,
    }


def create_customer(data: CustomerInput, *, actor: Actor, session: Session, picture: str | None = None) -> Customer:
    """Add a customer; the e-mail must be free among customers not in Trash."""
    require(actor, "customer.edit")
    fields = data.model_dump() | derived_fields(data)
    _ensure_email_free(session, fields["email_key"], exclude_id=None)
    customer = Customer(**fields, picture=picture)
    session.add(customer)
    _flush(session)
    audit.record(
        session,
        actor=actor,
        action="create",
        entity_type="customer",
        entity_id=customer.id,
        summary=f"Created {customer.display_name}",
        changes=audit.field_changes({}, customer.model_dump()),
    )
    return customer


def update_customer(
    customer_id: int,
    data: CustomerInput,
    *,
    actor: Actor,
    session: Session,
    expected_version: int,
    picture: str | None = None,
) -> Customer:
    """Save new values unless someone else saved the customer since `expected_version` was read."""
    require(actor, "customer.edit")
    current = get_customer(customer_id, actor=actor, session=session)
    if current.version != expected_version:
        raise ConflictError("This customer was changed by someone else.")
    fields = data.model_dump() | derived_fields(data)
    _ensure_email_free(session, fields["email_key"], exclude_id=customer_id)
    old_picture, before = current.picture, current.model_dump()
    statement = (
        update(Customer)
        .where(col(Customer.id) == customer_id, col(Customer.version) == expected_version)
        .values(**fields, picture=picture, version=expected_version + 1, updated_at=utcnow())
    )
    if _write(session, statement).rowcount != 1:  # a concurrent save won the race between our read and write
        raise ConflictError("This customer was changed by someone else.")
    session.expire(current)
    if old_picture and old_picture != picture:  # the old files go only once the new reference is committed
        after_commit(session, lambda: pictures.delete_picture(old_picture, directory=settings.picture_dir))
    updated = get_customer(customer_id, actor=actor, session=session)
    audit.record(
        session,
        actor=actor,
        action="update",
        entity_type="customer",
        entity_id=customer_id,
        summary=f"Edited {updated.display_name}",
        changes=audit.field_changes(before, updated.model_dump()),
    )
    return updated


def get_customer(customer_id: int, *, actor: Actor, session: Session, in_trash: bool = False) -> Customer:
    """One customer, from the active list (or from Trash when asked)."""
    require(actor, "customer.view")
    customer = session.get(Customer, customer_id)
    if customer is None or (customer.deleted_at is not None) != in_trash:
        where = "in Trash" if in_trash else "any more; it may have been deleted"
        raise NotFoundError(f"This customer does not exist {where}.")
    return customer


def trash_customers(ids: Iterable[int], *, actor: Actor, session: Session, batch: TrashBatch | None = None) -> int:
    """Move the given active customers to Trash as one removal (`batch`, or a new one); returns how many moved."""
    return _trash_where(session, actor, batch, col(Customer.id).in_(list(ids)))


def trash_matching(
    tab: str,
    search: str,
    *,
    actor: Actor,
    session: Session,
    group_id: int | None = None,
    tag: str = "",
    flags: tuple[str, ...] = (),
    batch: TrashBatch | None = None,
) -> int:
    """Move every customer a tab shows for a search and filters to Trash ("Remove all"), in one statement."""
    if tab == "trash":
        return 0
    where = tab_filter(tab, search, session, group_id=group_id, tag=tag, flags=flags)
    return _trash_where(session, actor, batch, *where)


def _trash_where(session: Session, actor: Actor, batch: TrashBatch | None, *conditions) -> int:
    require(actor, "customer.edit")
    batch = batch or open_batch(actor=actor, session=session)
    now = utcnow()
    statement = (
        update(Customer)
        .where(*conditions, col(Customer.deleted_at).is_(None))
        .values(deleted_at=now, updated_at=now, version=Customer.version + 1, trash_batch_id=batch.id)
        .returning(col(Customer.id), col(Customer.display_name))
        .execution_options(synchronize_session=False)
    )
    moved = session.execute(statement).all()
    counted = TrashBatch.moved + len(moved)  # in SQL: a caller may trash in chunks into one batch
    session.execute(update(TrashBatch).where(col(TrashBatch.id) == batch.id).values(moved=counted))
    session.expire_all()  # loaded customers must not keep showing themselves as active
    audit.record_many(
        session,
        actor=actor,
        action="delete",
        entity_type="customer",
        summaries=((row_id, f"Moved {name} to Trash") for row_id, name in moved),
    )
    return len(moved)


def restore_customers(ids: Iterable[int], *, actor: Actor, session: Session) -> int:
    """Bring customers back from Trash; refuses one whose e-mail is now used by another."""
    require(actor, "customer.edit")
    restored = 0
    for customer in session.exec(select(Customer).where(col(Customer.id).in_(list(ids)))).all():
        if customer.deleted_at is None:
            continue
        try:
            _ensure_email_free(session, customer.email_key, exclude_id=customer.id)
        except ValidationError as exc:
            raise ValidationError({"email": f"{customer.display_name} cannot be restored: {EMAIL_TAKEN}"}) from exc
        customer.deleted_at, customer.trash_batch_id = None, None  # it has left its removal
        customer.updated_at = utcnow()
        customer.version += 1
        restored += 1
        audit.record(
            session,
            actor=actor,
            action="restore",
            entity_type="customer",
            entity_id=customer.id,
            summary=f"Restored {customer.display_name}",
        )
    _flush(session)
    return restored


def purge_customers(ids: Iterable[int], *, actor: Actor, session: Session) -> int:
    """Delete customers from Trash for good, with their pictures (admins only: nothing brings them back)."""
    require(actor, "customer.purge")
    doomed = session.exec(
        select(Customer).where(col(Customer.id).in_(list(ids)), col(Customer.deleted_at).is_not(None))
    ).all()
    _refuse_if_kept(doomed, session)
    for customer in doomed:
        audit.record(
            session,
            actor=actor,
            action="purge",
            entity_type="customer",
            entity_id=customer.id,
            summary=f"Deleted {customer.display_name} permanently",
        )
        session.delete(customer)
    _flush(session)
    for key in [customer.picture for customer in doomed if customer.picture]:
        after_commit(session, lambda key=key: pictures.delete_picture(key, directory=settings.picture_dir))
    return len(doomed)


def _refuse_if_kept(doomed: Sequence[Customer], session: Session) -> None:
    """Customers owning rows that must be kept (documents) are not deleted for good: say which, delete none."""
    ids = [customer.id for customer in doomed]
    for owned in owned_tables():
        if owned.on_erase != "keep" or not ids:
            continue
        keeping = set(session.exec(select(owned.customer_column).where(owned.customer_column.in_(ids))).all())
        if keeping:
            names = ", ".join(c.display_name for c in doomed if c.id in keeping)[:200]
            raise CustomerAppError(
                f"{names}: their {owned.label} must be kept, so they cannot be deleted for good. Nothing was deleted."
            )


DRAFT_PICTURES_KEPT = timedelta(days=1)  # a picture chosen in a pop-up nobody saved is gone a day later


def sweep_pictures(*, session: Session, now: datetime | None = None) -> int:
    """Delete stored pictures no customer uses (from pop-ups closed without saving); returns how many went.

    They are served publicly under their unguessable names, so they must not stay forever. Pictures younger than
    a day are left alone: someone may still be about to save them.
    """
    cutoff = (now or utcnow()) - DRAFT_PICTURES_KEPT
    candidates = sorted(pictures.stored_keys(settings.picture_dir, older_than=cutoff.timestamp()))
    used: set[str | None] = set()
    for start in range(0, len(candidates), 500):
        chunk = candidates[start : start + 500]
        used |= set(session.exec(select(Customer.picture).where(col(Customer.picture).in_(chunk))).all())
    orphans = [key for key in candidates if key not in used]
    for key in orphans:
        pictures.delete_picture(key, directory=settings.picture_dir)
    return len(orphans)


def _ensure_email_free(session: Session, key: str | None, *, exclude_id: int | None) -> None:
    if key is None:
        return
    query = select(Customer.id).where(col(Customer.email_key) == key, col(Customer.deleted_at).is_(None))
    if exclude_id is not None:
        query = query.where(col(Customer.id) != exclude_id)
    if session.exec(query.limit(1)).first() is not None:
        raise ValidationError({"email": EMAIL_TAKEN})


def _flush(session: Session) -> None:
    _write(session, None)


def _write(session: Session, statement) -> Any:
    """Execute (or just flush); the partial unique index is the last word when two saves race on one e-mail."""
    try:
        return session.execute(statement) if statement is not None else session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise ValidationError({"email": EMAIL_TAKEN}) from exc
