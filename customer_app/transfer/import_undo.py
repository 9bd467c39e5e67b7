"""Undo an import: move the customers it created to Trash and put back the fields it changed, minding later work."""

import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import update
from sqlmodel import Session, col, select

from customer_app.core import audit
from customer_app.core.columns import utcnow
from customer_app.core.models import AuditEvent
from customer_app.core.permissions import Actor, require
from customer_app.customers import custom_field_values, custom_fields
from customer_app.customers.customers import derived_fields, trash_customers
from customer_app.customers.models import Customer, CustomerInput, CustomFieldValue
from customer_app.customers.ownership import owned_tables
from customer_app.customers.trash_batches import open_batch
from customer_app.errors import ValidationError
from customer_app.transfer import import_related
from customer_app.transfer.columns import CUSTOM_PREFIX
from customer_app.transfer.imports import CHUNK, get_job
from customer_app.transfer.models import ImportChange, ImportJob

# Rows an import writes itself for the customers it creates: their presence says nothing about later work (anyone
# else's address, tag or note on such a customer is in the audit trail).
_WRITTEN_BY_IMPORTS = (CustomFieldValue, ImportChange, *import_related.TABLES)


@dataclass
class UndoConflict:
    """A customer changed by someone after the import: undo leaves it alone unless told otherwise."""

    customer_id: int
    name: str
    fields: list[str] = field(default_factory=list)


@dataclass
class UndoResult:
    """What an undo did."""

    removed: int = 0  # created by the import, now in Trash (restorable from there)
    restored: int = 0
    left_alone: int = 0


def undo_conflicts(job_id: int, *, actor: Actor, session: Session) -> list[UndoConflict]:
    """Customers the import touched that someone changed afterwards, with the fields in question."""
    require(actor, "customer.import")
    conflicts = []
    labels = {f"{CUSTOM_PREFIX}{f.id}": f.label for f in custom_fields.defined_fields(session=session)}
    worked_on = _worked_on(job_id, session)
    for change, customer in _changed_customers(job_id, session):
        fields = _conflicting_fields(change, customer, session, worked_on)
        if fields:
            conflicts.append(UndoConflict(customer.id, customer.display_name, [labels.get(f, f) for f in fields]))
    return conflicts


UNDOABLE = ("done", "cancelled", "failed")  # a failed import keeps what it committed before it stopped


def can_undo(job: ImportJob) -> bool:
    """Whether to offer undo: the job ended, wrote something (a failed one may not have), and was not undone."""
    return job.status in UNDOABLE and job.undone_at is None and (job.status != "failed" or job.done_rows > 0)


def check_undoable(job_id: int, *, actor: Actor, session: Session) -> ImportJob:
    """The job, if it ended and was not undone yet; ValidationError otherwise."""
    require(actor, "customer.import")
    job = get_job(job_id, actor=actor, session=session)
    if job.status not in UNDOABLE or job.undone_at is not None:
        raise ValidationError({"undo": "Only a finished import can be undone, once."})
    return job


def undo_import(job_id: int, *, actor: Actor, session: Session, overwrite: bool = False) -> UndoResult:
    """Remove the customers an import created and put back the fields it changed.

    Customers changed by someone after the import are left alone unless `overwrite` is given.
    """
    job = check_undoable(job_id, actor=actor, session=session)
    result, removed, worked_on = UndoResult(), [], _worked_on(job_id, session)
    for change, customer in _changed_customers(job_id, session):
        if _conflicting_fields(change, customer, session, worked_on) and not overwrite:
            result.left_alone += 1
            continue
        if change.action == "create":
            removed.append(customer.id)
            continue
        if change.action == "related":
            import_related.take_back(customer.id, change.after, session=session)
            continue
        recorded = json.loads(change.before)
        before = {
            name: _from_json(name, value) for name, value in recorded.items() if name in CustomerInput.model_fields
        }
        custom_field_values.write_values(
            {(customer.id, field_id): str(recorded[key]) for key, field_id in _custom_keys(recorded).items()},
            session=session,
        )
        values = CustomerInput.model_validate(_input_fields(customer) | before)
        session.execute(
            update(Customer)
            .where(col(Customer.id) == customer.id)
            .values(**before, **derived_fields(values), version=Customer.version + 1, updated_at=utcnow())
        )
        audit.record(
            session,
            actor=actor,
            action="update",
            entity_type="customer",
            entity_id=customer.id,
            summary=f"Restored {customer.display_name} as before import #{job.id}",
            changes=audit.field_changes(_input_fields(customer), _input_fields(customer) | before),
        )
        result.restored += 1
    # Trash, never DELETE: whatever the undo takes away can be restored, with everything hanging off it, all at once
    # from the one removal it makes.
    label = f"Undo of import #{job.id} ({job.file_name})"
    batch = open_batch(actor=actor, session=session, label=label) if removed else None
    for start in range(0, len(removed), CHUNK):
        result.removed += trash_customers(removed[start : start + CHUNK], actor=actor, session=session, batch=batch)
    session.expire_all()
    audit.record(
        session,
        actor=actor,
        action="undo_import",
        entity_type="import",
        entity_id=job.id,
        summary=f"Undid the import of {job.file_name}: {result.removed:,} moved to Trash, {result.restored:,} restored",
    )
    job.status, job.undone_at = "undone", utcnow()
    job.message = (
        f"Undone: {result.removed:,} moved to Trash, {result.restored:,} restored, {result.left_alone:,} left alone."
    )
    session.add(job)
    return result


def _changed_customers(job_id: int, session: Session):
    """Each recorded change of a job with its customer as it is now (customers deleted since are skipped)."""
    query = (
        select(ImportChange, Customer)
        .join(Customer, col(Customer.id) == col(ImportChange.customer_id))
        .where(col(ImportChange.job_id) == job_id, col(Customer.deleted_at).is_(None))
        .order_by(col(ImportChange.id))
    )
    yield from session.exec(query)


def _conflicting_fields(change: ImportChange, customer: Customer, session: Session, worked_on: set[int]) -> list[str]:
    if change.action == "create":
        return ["(worked on after the import)"] if customer.version != 1 or customer.id in worked_on else []
    if change.action == "related":  # what the import added goes unless someone changed it; what others added stays
        return import_related.edited_since(change.after, session=session)
    after = json.loads(change.after)
    custom = _custom_keys(after)
    now = custom_field_values.stored_values([customer.id], list(custom.values()), session=session)
    return [
        name
        for name, value in after.items()
        if (now.get((customer.id, custom[name]), "") if name in custom else _as_json(getattr(customer, name)))
        != (value if name in custom else json.dumps(value))
    ]


def _worked_on(job_id: int, session: Session) -> set[int]:
    """The customers a job created that anyone did anything with since: a note, a ticket, an address, a tag, a custom
    value... (none of those bump the customer's version). Every such write is in the audit trail, and every row
    hanging off a customer is in a table the ownership registry knows. One query per table, however big the job."""
    created = select(ImportChange.customer_id).where(
        col(ImportChange.job_id) == job_id, col(ImportChange.action) == "create"
    )
    audited = select(AuditEvent.entity_id).where(
        col(AuditEvent.entity_type) == "customer",
        col(AuditEvent.action) != "create",
        col(AuditEvent.entity_id).in_(created),
    )
    found = {customer_id for customer_id in session.exec(audited) if customer_id is not None}
    for owned in owned_tables():
        if owned.table not in _WRITTEN_BY_IMPORTS:
            column = owned.customer_column
            found |= set(session.exec(select(column).where(column.in_(created)).distinct()))
    return found


def _custom_keys(recorded: dict[str, object]) -> dict[str, int]:
    """The custom field keys (`custom_<id>`) among recorded changes, with their field ids."""
    return {name: int(name.removeprefix(CUSTOM_PREFIX)) for name in recorded if name.startswith(CUSTOM_PREFIX)}


def _as_json(value: object) -> str:
    return json.dumps(value, default=str)


def _input_fields(customer: Customer) -> dict[str, object]:
    return {name: getattr(customer, name) for name in CustomerInput.model_fields}


def _from_json(name: str, value: object) -> object:
    return date.fromisoformat(value) if name == "date_of_birth" and isinstance(value, str) else value
