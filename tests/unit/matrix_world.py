"""The world the authorization matrix acts on: one row of every kind, each at id TARGET, and a browser session for
every kind of caller. Every text a row holds carries MARK, so a refused caller who got any of it back is caught.

Built once into a migrated SQLite file; each case of the matrix works on a copy of that file.
"""

import re
import sqlite3
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.util import LRUCache
from sqlmodel import Session, SQLModel, select

import customer_app.schema  # noqa: F401  (registers every table)
from customer_app.access import auth, staff_accounts
from customer_app.access.models import StaffSession, StaffUser
from customer_app.commerce import documents, income_accounts, shipping
from customer_app.core.columns import utcnow
from customer_app.core.db import make_engine
from customer_app.core.normalize import email_key
from customer_app.core.permissions import Actor, Role
from customer_app.core.tokens import token_hash
from customer_app.customers import custom_field_values, custom_fields, customers, other_info
from customer_app.customers.validation import validate_customer
from customer_app.records import activities, addresses, contacts, notes, notifications, ticket_replies, tickets
from customer_app.transfer import export_configs
from customer_app.transfer.models import ImportJob
from tests.unit.accounts import ADDRESS
from tests.unit.databases import sqlite_engine_at
from tests.unit.handler_calls import TARGET

_COMPILED = LRUCache(2000)  # statements compiled once for every copy (each engine would compile them again)
MARK = "qzx"  # in every text of the world; never in a caller's own name or in the arguments sent
_WORD = re.compile(r"[\w.@-]*")

# Who calls, and the role their session would carry. The three ended sessions belong to admins: only the session
# being over may stop them.
CALLERS: dict[str, Role | None] = {
    "no session": None,
    "signed out": None,
    "expired": None,
    "deactivated": None,
    "read-only": Role.READ_ONLY,
    "staff": Role.STAFF,
    "admin": Role.ADMIN,
}


@dataclass(frozen=True)
class World:
    """The world's database file and the token each caller's browser holds."""

    path: Path
    tokens: dict[str, str]

    def copy(self, path: Path) -> Engine:
        """A fresh copy of the world to act on."""
        with sqlite3.connect(self.path) as source, sqlite3.connect(path) as target:
            source.backup(target)
        engine = make_engine(f"sqlite:///{path}")
        engine.update_execution_options(compiled_cache=_COMPILED)
        return engine


def marked_words(text: str) -> set[str]:
    """The words of a text that carry MARK (found by plain search first: a tab's text is long)."""
    lowered, words, start = text.lower(), set(), 0
    while (found := lowered.find(MARK, start)) >= 0:
        begin = found
        while begin and (text[begin - 1].isalnum() or text[begin - 1] in "_.@-"):
            begin -= 1
        end = _WORD.match(text, found).end()
        words.add(text[begin:end])
        start = end
    return words


def _person(session: Session, password_hash: str, name: str, role: Role, *, email: str = "") -> StaffUser:
    email = email or f"{name.split(maxsplit=1)[0].lower()}@example.com"
    user = StaffUser(email=email, email_key=email_key(email), name=name, role=role.value, password_hash=password_hash)
    session.add(user)
    session.flush()
    return user


def _sessions(session: Session, password_hash: str) -> dict[str, str]:
    """A browser token for each caller."""
    tokens = {"no session": ""}
    for caller, name in (("admin", "Ada Admin"), ("staff", "Sam Staff"), ("read-only", "Rita Reader")):
        tokens[caller] = auth.start_session(
            _person(session, password_hash, name, Role(CALLERS[caller])), remember=False, session=session
        )
    for caller, name in (("signed out", "Otto Out"), ("expired", "Exa Pired"), ("deactivated", "Dee Parted")):
        admin = _person(session, password_hash, name, Role.ADMIN)
        tokens[caller] = auth.start_session(admin, remember=False, session=session)
    auth.sign_out(tokens["signed out"], session=session)
    expired = session.exec(select(StaffSession).where(StaffSession.token_hash == token_hash(tokens["expired"]))).one()
    expired.expires_at = utcnow() - timedelta(minutes=1)
    session.get(StaffUser, auth.resolve_session(tokens["deactivated"], session=session).id).active = False
    return tokens


def _customers(session: Session, admin: Actor, colleague: StaffUser) -> None:
    """Ann (TARGET) with a record of every kind, an institution with a contact person, Tom in Trash."""

    def add(**raw):
        return customers.create_customer(validate_customer(raw, phone_region="US"), actor=admin, session=session)

    ann = add(first_name="Qzxann", last_name="Qzxactive", email="qzx.ann@example.com", footnotes="qzx private note")
    firm = add(kind="institution", name="Qzx Holdings", email="qzx.office@example.com")
    tom = add(first_name="Qzxtom", last_name="Qzxtrashed")
    session.flush()
    customers.trash_customers([tom.id], actor=admin, session=session)
    notes.add_note(ann.id, "qzx secret note", actor=admin, session=session)
    ticket = tickets.create_ticket(ann.id, "qzx ticket", "qzx details", "high", actor=admin, session=session)
    ticket_replies.add_reply(ticket.id, "qzx reply", actor=admin, session=session)
    raw_activity = {"kind": "call", "title": "qzx call", "starts_at": "2031-01-02T09:00", "duration_minutes": "30"}
    activities.save_activity(ann.id, raw_activity, actor=admin, session=session)
    raw_address = {"kind": "billing", "country_code": "US", "street": "1 Qzx Road", "city": "Qzxville"}
    raw_address |= {"postal_code": "10001", "region": "NY"}
    addresses.save_address(ann.id, raw_address, actor=admin, session=session)
    contacts.add_contact(ann.id, "email", "qzx.work@example.com", "work", actor=admin, session=session)
    contacts.add_person(
        firm.id, {"name": "Qzx Person", "email": "qzx.person@example.com"}, actor=admin, session=session
    )
    notifications.set_preference(ann.id, "invoices", False, actor=admin, session=session)
    group = other_info.add_group("Qzx Group", actor=admin, session=session)
    other_info.save_other_info(
        ann.id,
        business_number="QZX-1",
        tags=["qzxtag"],
        group_ids=[group.id],
        sales_rep_id=colleague.id,
        actor=admin,
        session=session,
    )
    field = custom_fields.add_field(custom_fields.FieldDefinition(label="Qzx Field"), actor=admin, session=session)
    custom_field_values.save_values(ann.id, {field.id: "qzx value"}, actor=admin, session=session)
    _sales(session, admin, ann.id)


def _sales(session: Session, admin: Actor, ann_id: int) -> None:
    """Ann's income account and shipping, and a draft invoice with one line."""
    account = income_accounts.add_account("QZX1", "Qzx Income", actor=admin, session=session)
    income_accounts.set_customer_account(ann_id, account.id, actor=admin, session=session)
    method = shipping.add_method("Qzx Courier", actor=admin, session=session)
    shipping.save_customer_shipping(
        ann_id, address_id=None, method_id=method.id, instructions="qzx gate", actor=admin, session=session
    )
    draft = documents.new_draft(ann_id, "invoice", actor=admin, session=session)
    documents.add_line(draft.id, "Qzx consulting", "1", "10", actor=admin, session=session)


def _admin_records(session: Session, admin: Actor) -> None:
    """What only admins read: an export choice, an import job, an invitation mail in the Outbox."""
    export_configs.save_config("Qzx Export", "csv", "all", ["email"], actor=admin, session=session)
    job = ImportJob(file_name="qzx-import.csv", created_by=admin.id, created_by_name="Qzx Importer", status="done")
    session.add(job)
    staff_accounts.invite("qzx.invitee@example.com", "Qzx Invitee", "staff", actor=admin, session=session)


def without_data(world: World, path: Path) -> World:
    """The same accounts and sessions, and nothing else: a caller who may see none of the world's data must not be
    able to tell the two apart."""
    engine = world.copy(path)
    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            if table.name not in ("staff_session", "staff_user"):
                connection.execute(table.delete())
        connection.execute(text("DELETE FROM staff_user WHERE id NOT IN (SELECT user_id FROM staff_session)"))
    engine.dispose()
    return World(path, world.tokens)


def build_world(path: Path, password_hash: str) -> World:
    """Migrate a database file and fill it; the first row of every table gets id TARGET."""
    engine = sqlite_engine_at(path)
    with engine.begin() as connection:
        for table in SQLModel.metadata.sorted_tables:
            connection.execute(text("DELETE FROM sqlite_sequence WHERE name = :t"), {"t": table.name})
            connection.execute(
                text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :s)"), {"t": table.name, "s": TARGET - 1}
            )
    with Session(engine, expire_on_commit=False) as session:
        colleague = _person(session, password_hash, "Qzx Colleague", Role.STAFF, email="qzx.colleague@example.com")
        tokens = _sessions(session, password_hash)
        admin = auth.actor_of(auth.resolve_session(tokens["admin"], session=session), ADDRESS)
        _customers(session, admin, colleague)
        _admin_records(session, admin)
        session.commit()
    engine.dispose()
    return World(path, tokens)
