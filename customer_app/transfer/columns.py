"""The column catalogue of customer exports (and of the imports that read them back): headers, SQL, custom fields."""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import DateTime, case, func, type_coerce
from sqlmodel import Session, col, select

from customer_app.core.permissions import Actor, require
from customer_app.customers import custom_fields
from customer_app.customers.models import APPLIES_TO, Customer, CustomField, CustomFieldValue
from customer_app.errors import ValidationError

# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
# What spreadsheet programs may read as the start of a formula, the fullwidth forms (typed with some input
# methods) included.
_FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


@dataclass(frozen=True)
class Column:
    """One exportable column: its header and the SQL expression that reads it."""

    key: str
    header: str
    expression: Any  # a column or SQL expression, typed by SQLAlchemy per column

    @property
    def is_text(self) -> bool:
        """Whether cells of this column are free text (the only ones that can look like a formula)."""
        return self.key not in ("id", "date_of_birth", "created_at")

    def csv_expression(self):
        """The expression with risky text already quote-prefixed by the database (fast: no Python per cell)."""
        if self.key == "created_at":
            # Read as a plain timestamp: UTC as stored, written without a zone (as in xlsx), and no Python per row.
            return type_coerce(self.expression, DateTime())
        if not self.is_text or self.key == "kind":
            return self.expression
        return case(
            (func.substr(self.expression, 1, 1).in_(sorted(_FORMULA_STARTS)), "'" + self.expression),
            else_=self.expression,
        )


_INDIVIDUAL, _INSTITUTION = "Individual", "Institution"  # the kind as exports write it
_KIND_LABEL = case((col(Customer.kind) == "individual", _INDIVIDUAL), else_=_INSTITUTION)
_HEADERS = {
    "id": "Workspace customer ID",  # whose ID it is: other systems export theirs as "Customer ID"
    "kind": "Kind",
    "first_name": "First name",
    "last_name": "Last name",
    "name": "Name",
    "email": "Email",
    "phone": "Phone",
    "mobile": "Mobile",
    "fax": "Fax",
    "company_name": "Company name",
    "website": "Website",
    "vat_number": "VAT number",
    "position": "Position",
    "date_of_birth": "Date of birth",
    "gender": "Gender",
    "ownership_type": "Ownership type",
    "footnotes": "Footnotes",
    "created_at": "Created",
}
# Values are read in SQL (even the kind's label), so writing a row costs no Python per cell beyond the safety check.
COLUMNS = {
    key: Column(key, header, _KIND_LABEL if key == "kind" else getattr(Customer, key))
    for key, header in _HEADERS.items()
}
DEFAULT_COLUMNS = tuple(COLUMNS)
CUSTOM_PREFIX = "custom_"  # then the custom field's id


def is_risky(value: object) -> bool:
    """Whether a spreadsheet program could take this text for a formula (CSV/formula injection)."""
    return type(value) is str and value[:1] in _FORMULA_STARTS


def csv_text(value: str) -> str:
    """Text for a CSV cell: quote-prefixed when a spreadsheet program could take it for a formula."""
    return "'" + value if is_risky(value) else value


def csv_cell(key: str, value: object) -> str:
    """A stored value of column `key` as a CSV export writes it (what `csv_expression` reads in SQL): the kind's label,
    risky text quote-prefixed, nothing as an empty cell."""
    if key == "kind":
        return _INDIVIDUAL if value == "individual" else _INSTITUTION
    return "" if value is None else csv_text(str(value))


def custom_headers(fields: Sequence[CustomField]) -> dict[int, str]:
    """Each custom field's column header: its label, told apart when it repeats a built-in header or another label."""
    taken = {c.header.casefold() for c in COLUMNS.values()}
    repeats = Counter(field.label.casefold() for field in fields)
    headers = {}
    for field in fields:
        header = field.label
        if repeats[field.label.casefold()] > 1:
            header = f"{field.label} ({APPLIES_TO[field.applies_to].lower()})"
        elif field.label.casefold() in taken:
            header = f"{field.label} (custom field)"
        headers[field.id] = header
    return headers


def custom_columns(*, actor: Actor, session: Session) -> dict[str, Column]:
    """A column per custom field (`custom_<id>`), headed by `custom_headers`."""
    require(actor, "customer.export")
    fields = custom_fields.defined_fields(session=session)
    found = {}
    for field_id, header in custom_headers(fields).items():
        value = (
            select(CustomFieldValue.value)
            .where(col(CustomFieldValue.customer_id) == col(Customer.id), col(CustomFieldValue.field_id) == field_id)
            .scalar_subquery()
        )
        key = f"{CUSTOM_PREFIX}{field_id}"
        found[key] = Column(key, header, value)
    return found


def checked_columns(keys: Iterable[str], custom: Mapping[str, Column] | None = None) -> list[Column]:
    """The chosen columns in the chosen order; the customer ID always comes first so re-imports can match.

    `custom` holds the custom field columns (`custom_columns`), when they may be chosen.
    """
    keys, available = list(keys), COLUMNS | dict(custom or {})
    chosen = [key for key in dict.fromkeys(keys) if key in available and key != "id"]
    unknown = [key for key in keys if key not in available]
    if unknown:
        raise ValidationError({"columns": f"Unknown column(s): {', '.join(map(str, unknown))}."})
    return [COLUMNS["id"], *(available[key] for key in chosen)]
