"""Notes on a customer: plain text with author and time, newest first; every add and delete is audited."""

from sqlmodel import Session, col, select

from customer_app.core import audit
from customer_app.core.permissions import Actor, require
from customer_app.customers.customers import get_customer
from customer_app.errors import NotFoundError, ValidationError
from customer_app.records.models import NOTE_MAX_CHARS, CustomerNote

NOTES_SHOWN = 200


def add_note(customer_id: int, body: str, *, actor: Actor, session: Session) -> CustomerNote:
    """Keep a note on an active customer; the text is stored exactly as typed (shown as text, never as HTML)."""
    require(actor, "customer.edit")
    text = (body or "").strip()
    if not text:
        raise ValidationError({"note": "Write something before sending."})
    if len(text) > NOTE_MAX_CHARS:
        raise ValidationError({"note": f"Keep a note under {NOTE_MAX_CHARS:,} characters."})
    customer = get_customer(customer_id, actor=actor, session=session)
    note = CustomerNote(customer_id=customer.id, author_id=actor.id, author_name=actor.name, body=text)
    session.add(note)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="note_add",
        entity_type="customer",
        entity_id=customer.id,
        summary=f"Added a note to {customer.display_name}",
    )
    return note


def list_notes(customer_id: int, *, actor: Actor, session: Session) -> list[CustomerNote]:
    """A customer's notes, newest first."""
    require(actor, "customer.view")
    newest_first = (col(CustomerNote.created_at).desc(), col(CustomerNote.id).desc())
    query = select(CustomerNote).where(col(CustomerNote.customer_id) == customer_id).order_by(*newest_first)
    return list(session.exec(query.limit(NOTES_SHOWN)).all())


def delete_note(note_id: int, *, actor: Actor, session: Session) -> int:
    """Delete one note; returns the customer it belonged to."""
    require(actor, "customer.edit")
    note = session.get(CustomerNote, note_id)
    if note is None:
        raise NotFoundError("This note was already deleted.")
    customer_id = note.customer_id
    session.delete(note)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="note_delete",
        entity_type="customer",
        entity_id=customer_id,
        summary="Deleted a note",
        changes=audit.field_changes({"note": note.body[:300]}, {}),
    )
    return customer_id
