"""The preview's outcomes, kept in a private file next to the upload so the import can write them without reading
and checking the whole file again, as long as no customer was written in between."""

import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import func
from sqlmodel import Session, col, select

from customer_app.core.models import AuditEvent
from customer_app.customers.models import Customer, CustomFieldValue
from customer_app.transfer.import_rows import Outcome, Plan


def mark(session: Session) -> tuple:
    """What changes whenever a customer (or anything audited) is written: counts, highest ids, latest update."""
    customers = session.exec(
        select(func.count(), func.max(col(Customer.id)), func.max(col(Customer.updated_at))).select_from(Customer)
    ).one()
    values = session.exec(select(func.count()).select_from(CustomFieldValue)).one()
    return (*customers, values, quick_mark(session)[0])


def quick_mark(session: Session) -> tuple:
    """A mark cheap enough to read before every chunk (two primary-key lookups): the last audit event and customer."""
    audit = session.exec(select(func.max(col(AuditEvent.id)))).one()
    customer = session.exec(select(func.max(col(Customer.id)))).one()
    return audit, customer


FORMAT = 2  # of the kept outcomes: 2 keeps a new customer's record as a tuple (outcomes kept before are not read)


def key(plan: Plan, fields: list[dict], sheet: str, header_line: int, state: tuple) -> tuple:
    """Everything the outcomes depend on besides the file: the format, the choices, the custom fields, the database's
    mark."""
    choices = (tuple(plan.mapping), plan.mode, plan.match_on, plan.phone_region)
    return (FORMAT, *choices, repr(fields), sheet, header_line, state)


class Writer:
    """Appends the preview's outcomes chunk by chunk; `keep` seals the file with the key it is valid for."""

    def __init__(self, path: Path) -> None:
        self.path, self._partial = path, path.with_name(f"{path.name}.partial")
        self._handle: BinaryIO = self._partial.open("wb")

    def add(self, outcomes: list[Outcome]) -> None:
        """Append one chunk's outcomes."""
        pickle.dump(outcomes, self._handle, protocol=pickle.HIGHEST_PROTOCOL)

    def keep(self, valid_for: tuple) -> None:
        """Seal the file: its key is written last, so outcomes cut short by a crash are never taken for whole ones."""
        self._handle.close()
        self._partial.replace(self.path)
        _key_path(self.path).write_bytes(pickle.dumps(valid_for))

    def close(self) -> None:
        """Drop what was written unless it was kept."""
        self._handle.close()
        self._partial.unlink(missing_ok=True)


@contextmanager
def writer(path: Path) -> Iterator[Writer]:
    """A writer of the preview's outcomes to `path` (any earlier file there is dropped first)."""
    discard(path)
    kept = Writer(path)
    try:
        yield kept
    finally:
        kept.close()


def discard(path: Path) -> None:
    """Delete the outcomes and their key."""
    _key_path(path).unlink(missing_ok=True)
    path.unlink(missing_ok=True)


def valid_key(path: Path) -> tuple | None:
    """The key the outcomes at `path` are valid for, or None when there are none (or they were never sealed)."""
    try:
        return pickle.loads(_key_path(path).read_bytes()) if path.exists() else None
    except (OSError, pickle.UnpicklingError, EOFError):
        return None


def chunks(path: Path) -> Iterator[list[Outcome]]:
    """The outcomes chunk by chunk, as the preview classified them (our own private file: pickle is safe here)."""
    with path.open("rb") as handle:
        while True:
            try:
                yield pickle.load(handle)
            except EOFError:
                return


def _key_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.key")
