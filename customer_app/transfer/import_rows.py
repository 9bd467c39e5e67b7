"""Turn spreadsheet rows into customers: read cells the way people fill them, validate, match, classify."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Row, bindparam, inspect
from sqlmodel import Session, col, select

from customer_app.core import normalize
from customer_app.customers import custom_field_values, custom_fields
from customer_app.customers.customers import EMAIL_TAKEN, derived_fields
from customer_app.customers.models import APPLIES_TO, Customer, CustomerInput, CustomerKind, CustomField
from customer_app.customers.validation import validate_customer
from customer_app.errors import ValidationError
from customer_app.transfer import import_related
from customer_app.transfer.columns import COLUMNS, CUSTOM_PREFIX, csv_cell
from customer_app.transfer.import_cells import PHONES, cell_text, phone_text
from customer_app.transfer.import_mapping import COUNTRY, LABELS, MATCH_KEYS, RELATED, SKIP
from customer_app.transfer.import_regions import RowRegion, explained, row_region

NEW, UPDATE, UNCHANGED, ERROR, DUPLICATE, SKIPPED = "new", "update", "unchanged", "error", "duplicate", "skipped"
STATUSES = (NEW, UPDATE, UNCHANGED, ERROR, DUPLICATE, SKIPPED)
FIELDS = tuple(CustomerInput.model_fields)
PERSON_NAME = ("first_name", "last_name")
# A new customer's stored columns, in the order of its `record`: its fields, then those derived from them.
RECORD = (*FIELDS, "display_name", "sort_name", "search_text", "email_key", "company_key")
_DISPLAY, _EMAIL_KEY = RECORD.index("display_name"), RECORD.index("email_key")


@dataclass(frozen=True)
class Plan:
    """How rows become customers: the field of each column, the mode and the key rows are matched on."""

    mapping: Sequence[str]
    mode: str = "both"  # create, update, both
    match_on: str = "email"  # email, vat_number, id
    phone_region: str = "US"  # national numbers of rows without a (known) country are read in this region

    @cached_property  # read for every row
    def adds_only(self) -> bool:
        """Whether the file only adds related values (addresses, contact persons...) to customers it names by their
        key: a second sheet joined to the customers by e-mail, say. Such a file may name a customer on many rows."""
        chosen = {name for name in self.mapping if name not in (SKIP, COUNTRY, self.match_on)}
        return bool(chosen) and chosen <= RELATED.keys()

    @cached_property
    def brings_related(self) -> bool:
        """Whether the file has columns of what comes with a customer (addresses, tags...)."""
        return bool(RELATED.keys() & set(self.mapping))


@dataclass
class Outcome:
    """What importing one row would do, and why."""

    line: int
    status: str
    messages: dict[str, str] = field(default_factory=dict)  # field (or "" for the row) → message
    customer_id: int | None = None
    version: int = 0
    values: CustomerInput | None = None  # the whole validated customer of an update
    record: tuple | None = None  # a new customer's stored columns, in RECORD order (`record_of`)
    before: dict[str, object] = field(default_factory=dict)  # changed fields: stored value
    after: dict[str, object] = field(default_factory=dict)  # changed fields: imported value
    custom: dict[int, str] = field(default_factory=dict)  # custom field id → value to store (new or changed)
    labels: dict[str, str] = field(default_factory=dict)  # custom field keys in `messages` → their labels
    related: import_related.Related | None = None  # addresses, contact person, tags... to add (new or matched)

    @property
    def customer(self) -> CustomerInput | None:
        """The validated customer the row creates or updates (None for rows that do neither)."""
        if self.record is not None:
            return CustomerInput.model_validate(dict(zip(FIELDS, self.record, strict=False)))
        return self.values

    @property
    def display_name(self) -> str:
        """The name of the customer the row creates or updates ("" for rows that do neither)."""
        if self.record is not None:
            return str(self.record[_DISPLAY])
        return derived_fields(self.values)["display_name"] if self.values is not None else ""

    @property
    def message(self) -> str:
        """All messages in one line, for the preview and the error report; else what the row changes and brings."""
        if not self.messages:
            changes = "; ".join(
                f"{self.labels.get(name) or _label(name)}: {_shown(self.before.get(name))} → {_shown(value)}"
                for name, value in self.after.items()
            )
            return " ".join(
                part for part in (f"{changes}." if changes else "", import_related.summary(self.related)) if part
            )
        return "; ".join(
            f"{self.labels.get(name) or _label(name)}: {text}" if name else text for name, text in self.messages.items()
        )


@dataclass
class Seen:
    """Match keys and e-mails met earlier in the file, to flag rows that repeat them."""

    keys: dict[object, int] = field(default_factory=dict)
    emails: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Custom:
    """The custom fields a file fills (by id), those every new customer must have, and what matched customers hold."""

    mapped: dict[int, CustomField] = field(default_factory=dict)
    required: tuple[CustomField, ...] = ()
    stored: dict[tuple[int, int], str] = field(default_factory=dict)
    held: import_related.Held = field(default_factory=import_related.Held)  # what matched customers already have
    related: bool = False  # whether the file has related columns (addresses, tags...)


# What checking a row as a new customer gives (`_as_new`), in plain data so that it crosses between processes
# cheaply: its record (None when invalid), the messages by field, the checked custom field values, what comes with
# it (None: nothing), and the e-mail cell as the row gives it (looked up when rows are not matched on e-mail).
Verdict = tuple[tuple | None, dict[str, str], dict[int, str], import_related.Related | None, object]


@dataclass
class Checked:
    """The part of classifying a chunk that needs no database, done ahead (in a worker process): each row prepared,
    its region, and its verdict as a new customer (None where it was not worth checking). A row with a verdict
    comes without its raw values (None in `prepared`): the verdict is all that a new customer needs, and the
    importing process still has the row's cells should it match a customer after all."""

    fields: list[dict]  # the custom field definitions it was checked against (as `field_snapshot` gives them)
    prepared: list[tuple[int, dict | None, object, str]]
    regions: list[RowRegion]
    verdicts: list[Verdict | None]


def field_snapshot(every: Sequence[CustomField]) -> list[dict]:
    """Custom field definitions as plain data: sent to worker processes, and compared to see they still hold."""
    return [f.model_dump(exclude={"created_at"}) for f in every]


def check_rows(rows: Sequence[tuple[int, list]], plan: Plan, fields: list[dict], known: frozenset) -> Checked:
    """Prepare rows and validate, as new customers, those whose match key is not in `known` (pure: no database)."""
    every = [CustomField(**found) for found in fields]
    mapped = {f.id: f for f in every if f"{CUSTOM_PREFIX}{f.id}" in plan.mapping}
    custom = Custom(mapped, tuple(f for f in every if f.required), related=plan.brings_related)
    regions, prepared = _prepared(rows, plan, mapped)
    skip_new = plan.mode == "update" or plan.adds_only
    verdicts = [
        None
        if skip_new or problem or not raw or key in known or (plan.match_on == "id" and key is not None)
        else _as_new(raw, custom, where, plan)
        for (_line, raw, key, problem), where in zip(prepared, regions, strict=True)
    ]
    sent: list[tuple[int, dict | None, object, str]] = [
        entry if verdict is None else (entry[0], None, entry[2], entry[3])
        for entry, verdict in zip(prepared, verdicts, strict=True)
    ]
    alike: dict[RowRegion, RowRegion] = {}
    regions = [alike.setdefault(where, where) for where in regions]  # most rows share one: sent back once
    return Checked(fields, sent, regions, verdicts)


def _as_new(raw: dict, custom: Custom, where: RowRegion, plan: Plan) -> Verdict:
    """A row checked as a new customer. Pure: the same in a worker process as here."""
    values, problems, checked, related = _validated(raw, {}, custom, where, new=True, mapping=plan.mapping)
    email = raw.get("email") if plan.match_on != "email" else None
    if problems or values is None:
        return None, problems, {}, None, email
    added = _missing(related, None, custom.held, values) if related else None
    return record_of(values), {}, checked, added or None, email


def record_of(values: CustomerInput) -> tuple:
    """A new customer's stored columns in RECORD order: its validated fields and those derived from them (display,
    search, e-mail key), as plain values (its kind as text)."""
    stored = values.model_dump() | derived_fields(values)
    stored["kind"] = str(stored["kind"])
    return tuple(stored[name] for name in RECORD)


def stored_columns(record: tuple) -> dict[str, object]:
    """A new customer's record as the columns to insert."""
    return dict(zip(RECORD, record, strict=True))


def row_keys(rows: Sequence[tuple[int, list]], plan: Plan) -> list[object]:
    """The match keys of rows that have a valid one (cheap: reads one cell a row)."""
    return [key for _line, key in _keyed(rows, plan)]


def remember_keys(rows: Sequence[tuple[int, list]], plan: Plan, seen: Seen) -> None:
    """Note the rows' match keys as classifying them would, without validating them or reading the database: all a
    resumed run needs of the rows done when it matches on e-mail (e-mails met are only looked up otherwise)."""
    for line, key in _keyed(rows, plan):
        seen.keys.setdefault(key, line)


def _keyed(rows: Sequence[tuple[int, list]], plan: Plan) -> Iterator[tuple[int, object]]:
    if plan.match_on not in plan.mapping:
        return
    index = list(plan.mapping).index(plan.match_on)
    for line, cells in rows:
        text = cell_text(plan.match_on, cells[index]) if index < len(cells) else None
        if text is not None:
            key, problem = _match_key(text, plan.match_on)
            if not problem:
                yield line, key


def known_keys(keys: list[object], match_on: str, *, session: Session) -> frozenset:
    """Which of the keys match an active customer now."""
    if not keys:
        return frozenset()
    column = inspect(Customer).local_table.c[_ATTRIBUTES[match_on]]
    found = session.connection().execute(
        select(column).where(column.in_(_KEYS), inspect(Customer).local_table.c.deleted_at.is_(None)),
        {"keys": list(set(keys))},
    )
    return frozenset(found.scalars())


def _prepared(rows: Sequence[tuple[int, list]], plan: Plan, mapped: dict[int, CustomField]) -> tuple[list, list]:
    regions = [row_region(cells, plan.mapping, plan.phone_region) for _line, cells in rows]
    prepared = [
        _prepare(line, cells, plan, mapped, where.region) for (line, cells), where in zip(rows, regions, strict=True)
    ]
    return regions, prepared


def classify(
    rows: Sequence[tuple[int, list]], plan: Plan, seen: Seen, *, session: Session, checked: Checked | None = None
) -> list[Outcome]:
    """What importing each row would do, reading the customers they match in a few queries. `checked` is the
    database-free part done ahead for these rows; it is used only if the custom fields have not changed since."""
    exported = _as_exported(rows, plan, session) if checked is None else {}
    whole, rows = rows, [row for n, row in enumerate(rows) if n not in exported]  # the rest, read and checked
    every = custom_fields.defined_fields(session=session)
    mapped = {f.id: f for f in every if f"{CUSTOM_PREFIX}{f.id}" in plan.mapping}
    if checked is not None and checked.fields == field_snapshot(every):
        regions, prepared, verdicts = checked.regions, checked.prepared, checked.verdicts
    else:
        (regions, prepared), verdicts = _prepared(rows, plan, mapped), [None] * len(rows)
    existing = _matches(prepared, plan.match_on, session)
    if any(raw is None and existing.get(key) is not None for _line, raw, key, _problem in prepared):
        regions, prepared, verdicts = _again(rows, plan, mapped, (regions, prepared, verdicts), existing)
    owners = (  # matched on e-mail, the matches are the owners
        {key: found.id for key, found in existing.items() if isinstance(found, Row) and isinstance(key, str)}
        if plan.match_on == "email"
        else _email_owners(prepared, verdicts, existing, session)
    )
    matched = [customer.id for customer in existing.values() if isinstance(customer, Row)]
    custom = Custom(
        mapped,
        tuple(f for f in every if f.required),
        custom_field_values.stored_values(matched, list(mapped), session=session),
        import_related.held(matched, session=session) if plan.brings_related else import_related.Held(),
        plan.brings_related,
    )
    rest = iter(zip(prepared, regions, verdicts, strict=True))
    outcomes = []
    for n, (number, _cells) in enumerate(whole):  # in file order: which line comes first decides the duplicates
        if n in exported:
            outcomes.append(_unchanged_or_decided(number, exported[n], plan=plan, seen=seen))
            continue
        (line, raw, key, problem), where, verdict = next(rest)
        outcomes.append(
            _classify_one(
                line,
                raw,
                key,
                problem,
                plan=plan,
                seen=seen,
                existing=existing,
                owners=owners,
                custom=custom,
                where=where,
                verdict=verdict,
            )
        )
    return outcomes


# The importable columns of a customer export, each stored value written as text (not custom fields, related values
# or a country, which are read and checked as usual).
_EXPORTED = frozenset({SKIP, "id", *(key for key in COLUMNS if key in FIELDS)})


def _as_exported(rows: Sequence[tuple[int, list]], plan: Plan, session: Session) -> dict[int, Row]:
    """The rows (by position) whose cells are exactly what a CSV export of their customer writes, with that customer:
    unchanged, known without reading a cell. A re-import of an export, edited here and there, is mostly such rows
    (100,000 of them: a preview of 2.0 s instead of 3.2 s). Only for files matched on the workspace's IDs whose every
    column is a plain customer field; any other row (a workbook's dates and numbers too) is read and checked as usual.
    """
    if plan.match_on != "id" or plan.adds_only or not set(plan.mapping) <= _EXPORTED:
        return {}
    at = plan.mapping.index("id")
    ids = {n: normalize.whole_number(cells[at]) for n, (_line, cells) in enumerate(rows) if len(cells) > at}
    keys = {key for key in ids.values() if key is not None}
    if not keys:
        return {}
    found = _matches([(0, None, key, "") for key in keys], "id", session)
    columns = [(i, name, _MATCH_COLUMNS.index(name)) for i, name in enumerate(plan.mapping) if name != SKIP]
    exported = {}
    for n, key in ids.items():
        current = found.get(key)
        cells = rows[n][1]
        if isinstance(current, Row) and all(
            (cells[i] if i < len(cells) else "") == csv_cell(name, current[place]) for i, name, place in columns
        ):
            exported[n] = current
    return exported


def _unchanged_or_decided(line: int, current: Row, *, plan: Plan, seen: Seen) -> Outcome:
    """A row that holds what its customer holds: unchanged, unless its key decides otherwise (a repeat, a mode)."""
    return _decided_by_key(line, current.id, "", current=current, plan=plan, seen=seen) or _unchanged(
        line, current, plan=plan, seen=seen
    )


def _unchanged(line: int, current: Row, *, plan: Plan, seen: Seen) -> Outcome:
    """The row leaves its customer as it is; its e-mail is noted, for later rows that repeat it."""
    if current.email_key is not None and plan.match_on != "email":
        seen.emails.setdefault(current.email_key, line)
    return Outcome(line, UNCHANGED, customer_id=current.id, version=current.version)


def _again(rows, plan: Plan, mapped: dict[int, CustomField], ahead: tuple, existing: dict) -> tuple[list, list, list]:
    """The rows checked ahead as new customers that match one now (saved meanwhile), prepared again from their cells
    (their raw values were left in the worker): such a row updates its customer."""
    regions, prepared, verdicts = (list(part) for part in ahead)
    for n, (line, raw, key, _problem) in enumerate(prepared):
        if raw is None and existing.get(key) is not None:
            cells = rows[n][1]
            regions[n] = row_region(cells, plan.mapping, plan.phone_region)
            prepared[n], verdicts[n] = _prepare(line, cells, plan, mapped, regions[n].region), None
    return regions, prepared, verdicts


def _prepare(
    line: int, cells: list, plan: Plan, mapped: dict[int, CustomField], region: str
) -> tuple[int, dict, object, str]:
    """The row's raw values by field and its match key (None when empty), or a problem with the key.

    Custom field values are keyed by field id (int); the customer's own fields by name.
    """
    raw: dict[str | int, object] = {}
    for name, value in zip(plan.mapping, cells, strict=False):
        if name in (SKIP, COUNTRY):  # the country only decides how the row's phone numbers are read
            continue
        if name.startswith(CUSTOM_PREFIX):
            found = mapped.get(int(name.removeprefix(CUSTOM_PREFIX)))
            text = cell_text("date_of_birth" if found and found.field_type == "date" else name, value)
            if found is not None and text is not None:
                raw[found.id] = text  # a field removed since the preview is left out
            continue
        text = cell_text(name, value)
        if text is None:
            continue
        raw[name] = phone_text(value, text, region) if name in PHONES and value != text else text
    value = raw.get(plan.match_on)
    if value is None:
        return line, raw, None if plan.match_on == "id" or plan.adds_only else _name_key(raw), ""
    key, problem = _match_key(value, plan.match_on)
    if plan.match_on == "id" and not problem:
        raw["id"] = key
    return line, raw, key, problem


def _match_key(value: object, match_on: str) -> tuple[object, str]:
    """A cell's match key, or None and why it cannot be one."""
    try:
        if match_on == "id":
            return int(str(value)), ""
        if match_on == "email":
            return normalize.email_key(normalize.normalize_email(str(value))), ""
        return normalize.normalize_vat(str(value)), ""
    except ValueError as exc:
        return None, str(exc) if match_on != "id" else "A customer ID is a whole number."


def _name_key(raw: dict) -> tuple[str, str] | None:
    """A row without its match key matches by name: the person's first and last name, else the name it gives."""
    person = " ".join(str(raw[part]) for part in ("first_name", "last_name") if part in raw)
    name = normalize.fold(person or str(raw.get("name") or ""))[:300]
    return (NAME_KEY, name) if name else None


NAME_KEY = "name"  # the first half of a name key: ("name", folded display name)
AMBIGUOUS = object()  # several customers match a row's name
_MATCH_COLUMNS = ("id", "version", "email_key", *FIELDS)
_FIELDS_AT = _MATCH_COLUMNS.index(FIELDS[0])  # where a matched row's input fields begin
# The list of keys a chunk looks up, bound at execution: the statement is compiled once, not once per chunk.
_KEYS = bindparam("keys", expanding=True)
_ATTRIBUTES = {"id": "id", "email": "email_key", "vat_number": "vat_number"}


def _matches(prepared: list, match_on: str, session: Session) -> dict[object, Row | object]:
    """The active customers the rows' keys match, as plain rows (no ORM objects: cheaper by the thousand). A row
    without its key matches by name a customer without that key, if only one has the name (else AMBIGUOUS)."""
    keys = {key for _line, _raw, key, _problem in prepared if key is not None}
    names = [key[1] for key in keys if isinstance(key, tuple)]
    keys = [key for key in keys if not isinstance(key, tuple)]
    attribute = _ATTRIBUTES[match_on]
    table = inspect(Customer).local_table.c
    columns = [table[name] for name in (*_MATCH_COLUMNS, "sort_name")]
    found: dict[object, Row | object] = {}
    if keys:
        for customer in session.connection().execute(
            select(*columns).where(table[attribute].in_(_KEYS), table.deleted_at.is_(None)), {"keys": keys}
        ):
            found[getattr(customer, attribute)] = customer
    if names:
        for customer in session.connection().execute(
            select(*columns).where(table.sort_name.in_(_KEYS), table[attribute].is_(None), table.deleted_at.is_(None)),
            {"keys": names},
        ):
            key = (NAME_KEY, customer.sort_name)
            found[key] = AMBIGUOUS if key in found else customer
    return found


def _email_owners(prepared: list, verdicts: list, existing: dict, session: Session) -> dict[str, int]:
    """Which active customer uses each e-mail the rows carry (the e-mail must stay unique). The e-mail a row's
    matched customer has already is not looked up: that customer is its owner (a re-import: every row's)."""
    emails = set()
    for (_line, raw, key, _problem), verdict in zip(prepared, verdicts, strict=True):
        email = raw.get("email") if raw is not None else verdict[4] if verdict is not None else None
        if email:
            email = normalize.email_key(str(email))
            current = existing.get(key) if key is not None else None
            if not isinstance(current, Row) or current.email_key != email:
                emails.add(email)
    if not emails:
        return {}
    rows = session.connection().execute(
        select(col(Customer.email_key), col(Customer.id)).where(
            col(Customer.email_key).in_(_KEYS), col(Customer.deleted_at).is_(None)
        ),
        {"keys": list(emails)},
    )
    return {key: customer_id for key, customer_id in rows if key is not None}


def _classify_one(
    line, raw, key, problem, *, plan: Plan, seen: Seen, existing, owners, custom: Custom, where: RowRegion, verdict=None
) -> Outcome:
    current = existing.get(key) if key is not None else None
    empty = raw is not None and not raw  # a row checked ahead was not empty
    decided = _decided_by_key(line, key, problem, current=current, plan=plan, seen=seen, empty=empty)
    if decided is not None:
        return decided
    if current is None:
        if verdict is None:  # not checked ahead: checked here
            assert raw is not None  # only rows checked ahead come without their raw values
            verdict = _as_new(raw, custom, where, plan)
        return _new(line, verdict, plan=plan, seen=seen, owners=owners, custom=custom)
    assert raw is not None  # a row checked ahead that matches a customer now was prepared again (`_again`)
    stored = _stored(current)
    typed, typed_custom, typed_related = _typed(raw, custom)
    if (
        not typed_related
        and all(_same(name, value, stored) for name, value in typed.items())
        and all(custom.stored.get((current.id, fid)) == value for fid, value in typed_custom.items())
    ):
        return _unchanged(line, current, plan=plan, seen=seen)
    values, problems, checked, related = _validated(raw, stored, custom, where, new=False, mapping=plan.mapping)
    if problems or values is None:
        return _invalid(line, problems, custom)
    email = normalize.email_key(values.email) if values.email else None
    refused = (
        None if plan.adds_only else _refused_email(line, email, current=current, plan=plan, seen=seen, owners=owners)
    )
    if refused is not None:
        return refused
    added = _missing(related, current, custom.held, values) if related else None
    after = values.model_dump()
    changed: dict[str, object] = {name: after[name] for name in FIELDS if after[name] != stored.get(name)}
    custom_before = {fid: custom.stored.get((current.id, fid), "") for fid in checked}
    custom_changed = {fid: value for fid, value in checked.items() if value != custom_before[fid]}
    status = UPDATE if changed or custom_changed or added else UNCHANGED
    outcome = Outcome(line, status, customer_id=current.id, version=current.version, custom=custom_changed)
    outcome.related = added or None
    outcome.values = values
    outcome.after = changed | {f"{CUSTOM_PREFIX}{fid}": value for fid, value in custom_changed.items()}
    outcome.labels = {f"{CUSTOM_PREFIX}{fid}": custom.mapped[fid].label for fid in custom_changed}
    outcome.before = {name: stored.get(name) for name in changed} | {
        f"{CUSTOM_PREFIX}{fid}": custom_before[fid] for fid in custom_changed
    }
    return outcome


def _new(line: int, verdict: Verdict, *, plan: Plan, seen: Seen, owners: dict, custom: Custom) -> Outcome:
    """The outcome of a row no customer matches, from its check as a new customer (done ahead or just now)."""
    record, problems, checked, added, _email = verdict
    if problems or record is None:
        return _invalid(line, problems, custom)
    refused = _refused_email(line, record[_EMAIL_KEY], current=None, plan=plan, seen=seen, owners=owners)
    if refused is not None:
        return refused
    return Outcome(line, NEW, custom=checked, related=added, record=record)


def _invalid(line: int, problems: dict[str, str], custom: Custom) -> Outcome:
    """A row that is not a valid customer, its custom fields' messages labelled."""
    labels = {f"{CUSTOM_PREFIX}{f.id}": f.label for f in (*custom.mapped.values(), *custom.required)}
    return Outcome(line, ERROR, problems, labels=labels)


def _missing(
    related: import_related.Related, current: Row | None, held: import_related.Held, values: CustomerInput
) -> import_related.Related:
    """What the row brings that its customer lacks; the customer's own e-mail and phones are not added again."""
    own = {name: getattr(values, name) for name in ("email", "phone", "mobile", "fax")}
    return import_related.missing(related, current.id if current is not None else 0, held, own)


def _typed(raw: dict, custom: Custom) -> tuple[dict, dict, dict[str, str]]:
    """A row's own fields, its custom field values (keyed by field id) and its related values (by target)."""
    if not custom.mapped and not custom.related:
        return raw, {}, {}
    return (
        {name: value for name, value in raw.items() if isinstance(name, str) and name not in RELATED},
        {name: value for name, value in raw.items() if isinstance(name, int)},
        {name: str(value) for name, value in raw.items() if import_related.is_related(name)},
    )


def _validated(
    raw: dict, stored: dict, custom: Custom, where: RowRegion, *, new: bool, mapping: Sequence[str]
) -> tuple[CustomerInput | None, dict[str, str], dict[int, str], import_related.Related]:
    """The row merged over what is stored, validated: the customer (None if invalid), the messages by field, the
    checked custom field values and what comes with the customer. Pure: the same in a worker process as here."""
    typed, typed_custom, typed_related = _typed(raw, custom)
    merged = _merged(typed, stored, new=new, mapping=mapping)
    errors, values = {}, None
    try:
        values = validate_customer(merged, phone_region=where.region, known=stored)
    except ValidationError as exc:
        errors = explained(exc.errors, merged, where)
    kind = values.kind if values is not None else str(merged.get("kind") or "")
    if kind == CustomerKind.INSTITUTION and not any(name.startswith("person_") for name in typed_related):
        # An institution has no first or last name: a company's row naming a person (Zoho's business contacts)
        # names its contact person.
        typed_related |= {f"person_{n}": str(typed[n]) for n in (*PERSON_NAME, "position") if n in typed}
    checked, problems = _custom_values(typed_custom, custom, kind, new=new)
    related, wrong = import_related.read(typed_related, kind=kind, country=where.country, region=where.region)
    return values, errors | problems | explained(wrong, typed_related, where), checked, related


def _merged(typed: dict, stored: dict, *, new: bool, mapping: Sequence[str]) -> dict[str, object]:
    """The customer the row describes: its values over the stored ones, its kind and names read as people mean
    them."""
    merged = stored | {name: value for name, value in typed.items() if name != "id"}
    if "kind" not in typed and new:
        merged["kind"] = _kind_of(typed, company_column="company_name" in mapping)
    if merged.get("kind") == CustomerKind.INDIVIDUAL and "name" in typed and not typed.keys() & PERSON_NAME:
        merged |= _split_name(str(typed["name"]), str(typed.get("company_name") or ""))
    if merged.get("kind") in ("", CustomerKind.INDIVIDUAL) and "company_name" not in (*mapping, *merged):
        merged |= _name_as_employer(typed)
    return merged


def _kind_of(typed: dict, *, company_column: bool) -> str:
    """A new customer's kind when the file does not say: a name without a person's names is an institution, unless
    the file has a company column that names another company or none (QuickBooks: Customer "Diego Rodriguez",
    Company name empty, is a person; Customer and Company name "Cool Cars" is a company)."""
    if "name" not in typed or typed.keys() & PERSON_NAME:
        return ""
    company = typed.get("company_name")
    if company_column and (not company or _words(str(company)) != _words(str(typed["name"]))):
        return CustomerKind.INDIVIDUAL
    return CustomerKind.INSTITUTION


def _name_as_employer(typed: dict) -> dict[str, object]:
    """A person's row whose name column names someone else (a Xero contact "City Limousines" with its person in
    FirstName and LastName) keeps that name as the person's company: a person's row has no other place for it."""
    name = typed.get("name")
    person = " ".join(str(typed[part]) for part in ("first_name", "last_name") if part in typed)
    if not name or not person or _words(str(name)) == _words(person):
        return {}
    return {"company_name": name}


def _split_name(name: str, company: str) -> dict[str, str]:
    """A person given by one name column: "Ada Lovelace", "Lovelace, Ada", or Odoo's "Company, Person"."""
    before, comma, after = name.rpartition(", ")
    if comma:
        name = after if company and normalize.fold(before) == normalize.fold(company) else f"{after} {before}"
    first, _space, last = name.strip().rpartition(" ")
    return {"first_name": first, "last_name": last} if first else {"last_name": last}


def _words(text: str) -> list[str]:
    return sorted(normalize.fold(text).replace(",", " ").split())


def _decided_by_key(line, key, problem, *, current, plan: Plan, seen: Seen, empty: bool = False) -> Outcome | None:
    """The outcome the match key alone decides (a bad, repeated or ambiguous key, a mode that leaves the row alone,
    or nothing to import), if any."""
    label = MATCH_KEYS[plan.match_on]
    if current is AMBIGUOUS:
        return Outcome(
            line, ERROR, {"": f"Several customers with this name have no {label}; give the {label} to say which."}
        )
    if empty and not problem:  # its values are all in columns left out: nothing to import, nothing wrong
        return Outcome(line, SKIPPED, {"": "Nothing to import: the row's imported columns are empty."})
    if problem:
        return Outcome(line, ERROR, {plan.match_on: problem})
    if plan.adds_only:
        if current is None:
            what = f"No customer has this {label}" if key is not None else f"The row has no {label}"
            return Outcome(line, ERROR, {"": f"{what}; these rows add to customers that exist, so import those first."})
        return None
    if key is not None:
        if key in seen.keys:
            same = f"name and no {label}" if isinstance(key, tuple) else label
            return Outcome(line, DUPLICATE, {"": f"Same {same} as line {seen.keys[key]}; only the first is imported."})
        seen.keys[key] = line
    if current is None and plan.match_on == "id" and key is not None:
        return Outcome(line, ERROR, {"id": f"No customer has the ID {key} (it may be in Trash)."})
    if current is None and plan.mode == "update":
        return Outcome(line, SKIPPED, {"": f"No customer has this {label}; update only creates nobody."})
    if current is not None and plan.mode == "create":
        return Outcome(line, SKIPPED, {"": f"A customer with this {label} exists; create only leaves it as it is."})
    return None


def _refused_email(line, email: str | None, *, current, plan: Plan, seen: Seen, owners) -> Outcome | None:
    """An error when another customer, or an earlier line, already has the row's e-mail; else the e-mail is noted."""
    if email is None:
        return None
    owner = owners.get(email)
    if owner is not None and owner != (current.id if current is not None else None):
        return Outcome(line, ERROR, {"email": EMAIL_TAKEN})
    if plan.match_on == "email":  # the match key already flags a repeated e-mail: a million rows need no copy
        return None
    if email in seen.emails:
        return Outcome(line, DUPLICATE, {"email": f"Same e-mail as line {seen.emails[email]}."})
    seen.emails[email] = line
    return None


def _custom_values(
    typed: dict[int, object], custom: Custom, kind: str, *, new: bool
) -> tuple[dict[int, str], dict[str, str]]:
    """The row's custom field values checked by type and kind, and a message for each bad or missing one."""
    values, problems = {}, {}
    for field_id, text in typed.items():
        found = custom.mapped[field_id]
        if kind and found.applies_to not in (kind, "all"):
            problems[f"{CUSTOM_PREFIX}{field_id}"] = f"This field is for {APPLIES_TO[found.applies_to].lower()} only."
            continue
        try:
            values[field_id] = custom_field_values.clean_value(found, text)
        except ValueError as exc:
            problems[f"{CUSTOM_PREFIX}{field_id}"] = str(exc)
    if new:  # a new customer must come with its required fields, as the New Customer pop-up asks
        for found in custom.required:
            if found.applies_to in (kind, "all") and found.id not in typed:
                problems[f"{CUSTOM_PREFIX}{found.id}"] = f"Fill in {found.label}."
    return values, problems


def _same(name: str, text: object, stored: dict[str, object]) -> bool:
    """Whether a cell's text is exactly what is stored (stored values were validated when saved)."""
    return name == "id" or (name in stored and text == str(stored[name]))


def _stored(customer: Row) -> dict[str, object]:
    """A stored customer's input fields (without empty ones, so "missing" and "empty" compare alike), from a row of
    `_matches`: read by position, five times cheaper than by name (6 µs a row, every row of a re-import)."""
    values = customer[_FIELDS_AT : _FIELDS_AT + len(FIELDS)]
    return {name: value for name, value in zip(FIELDS, values, strict=True) if value not in (None, "")}


_SHOWN = 40  # characters of a value the preview shows


def _shown(value: object) -> str:
    """A value as the preview shows it beside another: short, and "(empty)" for nothing."""
    text = str(value if value is not None else "").replace("\n", " ").strip()
    return "(empty)" if not text else text if len(text) <= _SHOWN else f"{text[: _SHOWN - 1]}…"


def _label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())
