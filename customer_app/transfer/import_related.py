"""What an import row brings besides the customer row: addresses, a contact person, other e-mails and phones, tags,
groups and a note — read and checked like the forms do, compared with what a matched customer has, written in bulk."""

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from sqlalchemy import delete, insert, update
from sqlmodel import Session, col, select

from customer_app.core import countries, normalize
from customer_app.core.columns import utcnow
from customer_app.core.permissions import Actor
from customer_app.customers.models import CustomerGroup, CustomerGroupMember, CustomerKind, CustomerTag
from customer_app.customers.other_info import MAX_GROUP_NAME, MAX_TAG, MAX_TAGS, add_group, parse_tags
from customer_app.errors import ValidationError
from customer_app.records.addresses import checked_address
from customer_app.records.models import (
    NOTE_MAX_CHARS,
    ContactPerson,
    CustomerAddress,
    CustomerContact,
    CustomerNote,
)
from customer_app.transfer.import_mapping import ADDRESS_KINDS, ADDRESS_PARTS, RELATED

_LONGEST_POSTCODE = 6  # digits of the longest all-digit postcodes (India, Russia, China...)
_SEPARATORS = re.compile(r"[,;|]")
_COUNTRY_AFTER = re.compile(r"\s*\(([A-Za-z]{2})\)$")  # Odoo exports a state as "California (US)"
_ADDRESS_KEY = ("street", "city", "postal_code", "region", "country_code")
# Tables the import fills for a customer besides its row; undo and "worked on since" know them.
TABLES = (CustomerAddress, ContactPerson, CustomerContact, CustomerTag, CustomerGroupMember, CustomerNote)
# Rows people can edit after an import, with the fields whose change undo must not throw away.
_EDITABLE = {
    CustomerAddress: ("kind", "street", "city", "postal_code", "region", "country_code"),
    ContactPerson: ("name", "position", "email", "phone"),
    CustomerContact: ("channel", "value", "label", "opted_out"),
}
_EDITED = {CustomerAddress: "an address", ContactPerson: "a contact person", CustomerContact: "an e-mail or phone"}


@dataclass
class Related:
    """The row's own addresses, contact person, other e-mails and phones, tags, groups and note, checked."""

    addresses: list[dict] = field(default_factory=list)  # checked address values, each the default of its kind
    person: dict[str, str] | None = None
    contacts: list[tuple[str, str]] = field(default_factory=list)  # (channel, value)
    tags: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    note: str = ""

    def __bool__(self) -> bool:
        return bool(self.addresses or self.person or self.contacts or self.tags or self.groups or self.note)


@dataclass
class Held:
    """What matched customers already have, in the forms a row is compared with."""

    addresses: dict[tuple[int, str], tuple] = field(default_factory=dict)  # (customer, kind) → its default's key
    people: set[tuple[int, str]] = field(default_factory=set)  # (customer, name folded)
    contacts: set[tuple[int, str, str]] = field(default_factory=set)  # (customer, channel, value)
    tags: set[tuple[int, str]] = field(default_factory=set)  # (customer, tag folded)
    groups: set[tuple[int, str]] = field(default_factory=set)  # (customer, group name folded)
    notes: set[tuple[int, str]] = field(default_factory=set)  # (customer, body)


def is_related(name: object) -> bool:
    """Whether a mapping target is one of this module's (not a field of the customer row)."""
    return isinstance(name, str) and name in RELATED


def read(raw: dict[str, str], *, kind: str, country: str, region: str) -> tuple[Related, dict[str, str]]:
    """The row's related values, checked; and a message per bad cell, keyed by its target.

    `country` is the row's Country column as written (the country of addresses that name none), `region` where its
    national phone numbers are read (the row's country, else the workspace's).
    """
    related, errors = Related(), {}
    if not raw:  # a file without such columns: nothing to check, on every one of its rows
        return related, errors
    for kind_of in ADDRESS_KINDS:
        address, problems = _address(raw, kind_of, country, region)
        errors |= problems
        if address is not None:
            related.addresses.append(address)
    related.person, problems = _person(raw, region)
    errors |= problems
    if related.person is not None and kind != CustomerKind.INSTITUTION:
        errors["person_name"] = "Only institutions have contact persons; leave this column out for people."
    for name, channel in (("other_email", "email"), ("other_phone", "phone")):
        if name in raw:
            try:
                related.contacts.append((channel, _checked(channel, raw[name], region)))
            except ValueError as exc:
                errors[name] = str(exc)
    related.tags = parse_tags(_commas(raw.get("tags", "")))
    if len(related.tags) > MAX_TAGS or any(len(tag) > MAX_TAG for tag in related.tags):
        errors["tags"] = f"Use at most {MAX_TAGS} tags of up to {MAX_TAG} characters."
    related.groups = parse_tags(_commas(raw.get("groups", "")))
    if any(len(name) > MAX_GROUP_NAME for name in related.groups):
        errors["groups"] = f"A group's name has at most {MAX_GROUP_NAME} characters."
    related.note = raw.get("note", "").strip()
    if len(related.note) > NOTE_MAX_CHARS:
        errors["note"] = f"A note has at most {NOTE_MAX_CHARS:,} characters."
    return related, errors


def _address(raw: dict[str, str], kind: str, country: str, region: str) -> tuple[dict | None, dict[str, str]]:
    parts = {part: raw.get(f"{kind}_{part}", "") for part in ADDRESS_PARTS}
    if not any(parts[part] for part in ADDRESS_PARTS if part != "country"):
        return None, {}  # a country alone is no address
    written = parts["country"] or country
    code = countries.country_code(written) if written else region
    if code is None:
        target = f"{kind}_country" if parts["country"] else "country"
        return None, {target: f'"{written}" is not a country the import knows; write its name or code (like DE).'}
    street = "\n".join(line for line in (parts["street"], parts["street2"]) if line)
    values = parts | {"street": street, "region": _region(parts["region"], code), "country_code": code}
    values |= {"kind": kind, "is_default": True}
    try:
        return checked_address(values), {}
    except ValidationError as exc:
        errors = exc.errors
    postcode = parts["postal_code"]
    if "postal_code" in errors and postcode.isdigit():
        # A spreadsheet kept the postcode as a number and dropped its leading zeros (02141 became 2141).
        for width in range(len(postcode) + 1, _LONGEST_POSTCODE + 1):
            try:
                return checked_address(values | {"postal_code": postcode.zfill(width)}), {}
            except ValidationError:
                continue
    own = {"country_code": "country", "street": "street" if parts["street"] or not parts["street2"] else "street2"}
    return None, {f"{kind}_{own.get(name, name)}": text for name, text in errors.items()}


def _region(text: str, code: str) -> str:
    """The state or region without the code of its own country after it ("California (US)": "California")."""
    found = _COUNTRY_AFTER.search(text)
    return text[: found.start()] if found and found.group(1).upper() == code else text


def _person(raw: dict[str, str], region: str) -> tuple[dict[str, str] | None, dict[str, str]]:
    given = {part: raw[f"person_{part}"] for part in ("name", "first_name", "last_name", "position", "email", "phone")
             if f"person_{part}" in raw}  # fmt: skip
    if not given:
        return None, {}
    name = given.get("name") or " ".join(filter(None, (given.get("first_name"), given.get("last_name"))))
    person, errors = {"name": name[:200], "position": given.get("position", "")[:120]}, {}
    if not name:
        errors["person_name"] = "Give the contact person's name as well."
    for part, channel in (("email", "email"), ("phone", "phone")):
        try:
            person[part] = _checked(channel, given[part], region) if part in given else ""
        except ValueError as exc:
            errors[f"person_{part}"] = str(exc)
    return (None if errors else person), errors


def _checked(channel: str, text: str, region: str) -> str:
    return normalize.normalize_email(text) if channel == "email" else normalize.normalize_phone(text, region)


def _commas(text: str) -> str:
    """Lists written with semicolons or bars, as other programs export them, read as comma-separated."""
    return _SEPARATORS.sub(",", text)


def held(customer_ids: list[int], *, session: Session) -> Held:
    """What these customers already have, read in one query per table."""
    found = Held()
    if not customer_ids:
        return found
    address = CustomerAddress
    for row in session.exec(
        select(address).where(col(address.customer_id).in_(customer_ids), col(address.is_default).is_(True))
    ):
        found.addresses[(row.customer_id, row.kind)] = _address_key(row.model_dump())
    for customer_id, name in session.exec(
        select(ContactPerson.customer_id, ContactPerson.name).where(col(ContactPerson.customer_id).in_(customer_ids))
    ):
        found.people.add((customer_id, name.casefold()))
    for customer_id, channel, value in session.exec(
        select(CustomerContact.customer_id, CustomerContact.channel, CustomerContact.value).where(
            col(CustomerContact.customer_id).in_(customer_ids)
        )
    ):
        found.contacts.add((customer_id, channel, value))
    for customer_id, tag in session.exec(
        select(CustomerTag.customer_id, CustomerTag.tag).where(col(CustomerTag.customer_id).in_(customer_ids))
    ):
        found.tags.add((customer_id, tag.casefold()))
    for customer_id, name in session.exec(
        select(CustomerGroupMember.customer_id, CustomerGroup.name)
        .join(CustomerGroup, col(CustomerGroup.id) == col(CustomerGroupMember.group_id))
        .where(col(CustomerGroupMember.customer_id).in_(customer_ids))
    ):
        found.groups.add((customer_id, name.casefold()))
    for customer_id, body in session.exec(
        select(CustomerNote.customer_id, CustomerNote.body).where(col(CustomerNote.customer_id).in_(customer_ids))
    ):
        found.notes.add((customer_id, body))
    return found


def missing(related: Related, customer_id: int, have: Held, own: dict[str, object]) -> Related:
    """The part of a row's related values a matched customer does not have yet (`own`: its e-mail and phones); it
    counts as had from now on, so a later row of the same file does not add it twice."""
    mine = {str(value) for value in own.values() if value}
    new = replace(
        related,
        addresses=[a for a in related.addresses if have.addresses.get((customer_id, a["kind"])) != _address_key(a)],
        person=related.person
        if related.person and (customer_id, related.person["name"].casefold()) not in have.people
        else None,
        contacts=[(c, v) for c, v in related.contacts if v not in mine and (customer_id, c, v) not in have.contacts],
        tags=[tag for tag in related.tags if (customer_id, tag.casefold()) not in have.tags],
        groups=[name for name in related.groups if (customer_id, name.casefold()) not in have.groups],
        note=related.note if related.note and (customer_id, related.note) not in have.notes else "",
    )
    if customer_id:
        have.addresses |= {(customer_id, a["kind"]): _address_key(a) for a in new.addresses}
        if new.person:
            have.people.add((customer_id, new.person["name"].casefold()))
        have.contacts |= {(customer_id, c, v) for c, v in new.contacts}
        have.tags |= {(customer_id, tag.casefold()) for tag in new.tags}
        have.groups |= {(customer_id, name.casefold()) for name in new.groups}
        if new.note:
            have.notes.add((customer_id, new.note))
    return new


def _address_key(values: dict) -> tuple:
    return tuple(values.get(name) or "" for name in _ADDRESS_KEY)


def summary(related: Related | None) -> str:
    """What comes with a row, for the preview ("With billing address, contact person Ada Byron, 2 tags.")."""
    if not related:
        return ""
    parts = [f"{ADDRESS_KINDS[a['kind']].lower()} address" for a in related.addresses]
    if related.person:
        parts.append(f"contact person {related.person['name']}")
    parts += [f"{'e-mail' if channel == 'email' else 'phone'} {value}" for channel, value in related.contacts]
    for items, one in ((related.tags, "tag"), (related.groups, "group")):
        if items:
            parts.append(f"{one}s {', '.join(items)}" if len(items) > 1 else f"{one} {items[0]}")
    if related.note:
        parts.append("a note")
    return f"With {', '.join(parts)}."


def write(added: list[tuple[int, Related]], *, existing: set[int], actor: Actor, session: Session) -> dict[int, dict]:
    """Write each customer's related values; returns, for customers that existed before, what undo must take back."""
    if not added:
        return {}
    taken: dict[int, dict] = defaultdict(lambda: defaultdict(list))
    now = utcnow()
    group_ids = _group_ids({name for _id, related in added for name in related.groups}, actor, session)
    connection = session.connection()
    for kind in ADDRESS_KINDS:  # a new default replaces the old one of its kind, which undo makes default again
        ids = [customer_id for customer_id, related in added if any(a["kind"] == kind for a in related.addresses)]
        if not ids:
            continue
        old = CustomerAddress
        for address_id, customer_id in session.exec(
            select(old.id, old.customer_id).where(
                col(old.customer_id).in_(ids), col(old.kind) == kind, col(old.is_default).is_(True)
            )
        ):
            taken[customer_id]["defaults"].append(address_id)
        connection.execute(
            update(old).where(col(old.customer_id).in_(ids), col(old.kind) == kind).values(is_default=False)
        )
    last = {(cid, a["kind"]): a for cid, related in added for a in related.addresses}
    rows = {
        CustomerAddress: [
            (cid, a | {"is_default": last[(cid, a["kind"])] is a}) for cid, related in added for a in related.addresses
        ],
        ContactPerson: [(cid, related.person) for cid, related in added if related.person],
        CustomerContact: [
            (cid, {"channel": channel, "value": value, "label": "other", "is_primary": False, "opted_out": False})
            for cid, related in added
            for channel, value in related.contacts
        ],
        CustomerNote: [  # a Core insert leaves out the model's Python defaults: the note's time is given here
            (cid, {"body": related.note, "author_id": actor.id, "author_name": actor.name, "created_at": now})
            for cid, related in added
            if related.note
        ],
    }
    for table, values in rows.items():
        if not values:
            continue
        statement = insert(table).returning(col(table.id), sort_by_parameter_order=True)
        made = connection.execute(statement, [{"customer_id": cid} | row for cid, row in values]).scalars().all()
        for (customer_id, row), row_id in zip(values, made, strict=True):
            taken[customer_id][table.__tablename__].append(row_id)
            if table in _EDITABLE:  # as written, so undo can tell whether someone changed it since
                taken[customer_id]["written"].append([table.__tablename__, row_id, [row[f] for f in _EDITABLE[table]]])
    tags = [(cid, tag) for cid, related in added for tag in related.tags]
    if tags:
        connection.execute(insert(CustomerTag), [{"customer_id": cid, "tag": tag} for cid, tag in tags])
    members = [(cid, group_ids[name.casefold()]) for cid, related in added for name in related.groups]
    if members:
        connection.execute(insert(CustomerGroupMember), [{"customer_id": c, "group_id": g} for c, g in members])
    for customer_id, tag in tags:
        taken[customer_id]["tags"].append(tag)
    for customer_id, group_id in members:
        taken[customer_id]["groups"].append(group_id)
    return {customer_id: dict(what) for customer_id, what in taken.items() if customer_id in existing}


def _group_ids(names: set[str], actor: Actor, session: Session) -> dict[str, int]:
    """Each named group's id (by folded name), adding to the list the groups the workspace does not have yet."""
    if not names:
        return {}
    known = {group.name.casefold(): group.id for group in session.exec(select(CustomerGroup))}
    for name in sorted(names, key=str.casefold):
        if name.casefold() not in known:
            known[name.casefold()] = add_group(name, actor=actor, session=session).id
    return known


def edited_since(recorded: str, *, session: Session) -> list[str]:
    """What someone changed since among the rows an import added to a customer (undo would lose the change)."""
    written = {(table, row_id): values for table, row_id, values in json.loads(recorded).get("written", [])}
    edited = []
    for table, fields in _EDITABLE.items():
        ids = [row_id for name, row_id in written if name == table.__tablename__]
        for row in session.exec(select(table).where(col(table.id).in_(ids))) if ids else ():
            if [getattr(row, f) for f in fields] != written[(table.__tablename__, row.id)]:
                edited.append(f"{_EDITED[table]} it added (changed since)")
    return edited


def take_back(customer_id: int, recorded: str, *, session: Session) -> None:
    """Remove what an import added to a customer that existed before it, and make its old default addresses default
    again."""
    what = json.loads(recorded)
    for table in (CustomerAddress, ContactPerson, CustomerContact, CustomerNote):
        ids = what.get(table.__tablename__) or []
        if ids:
            session.execute(delete(table).where(col(table.customer_id) == customer_id, col(table.id).in_(ids)))
    if what.get("tags"):
        session.execute(
            delete(CustomerTag).where(
                col(CustomerTag.customer_id) == customer_id, col(CustomerTag.tag).in_(what["tags"])
            )
        )
    if what.get("groups"):
        session.execute(
            delete(CustomerGroupMember).where(
                col(CustomerGroupMember.customer_id) == customer_id,
                col(CustomerGroupMember.group_id).in_(what["groups"]),
            )
        )
    if what.get("defaults"):
        session.execute(
            update(CustomerAddress)
            .where(col(CustomerAddress.customer_id) == customer_id, col(CustomerAddress.id).in_(what["defaults"]))
            .values(is_default=True)
        )
