"""Which customer field each spreadsheet column fills: guessed from headers, overridable, remembered per header set."""

import hashlib
import json

from sqlmodel import Session, col, select

from customer_app.core.columns import utcnow
from customer_app.core.permissions import Actor, require
from customer_app.customers import custom_fields
from customer_app.errors import ValidationError
from customer_app.transfer.columns import COLUMNS, CUSTOM_PREFIX, custom_headers
from customer_app.transfer.header_words import (
    ADDRESS_PREFIXES,
    ADDRESS_WORDS,
    COMPANY_WORDS,
    CUSTOM_CONCEPTS,
    NAME_WORDS,
    OWN_FIELDS,
    OWN_PREFIXES,
    PERSON_FIELDS,
    PERSON_NAME_WORDS,
    PERSON_PREFIXES,
    PREFIXED_ADDRESS_WORDS,
    RELATED_WORDS,
    SYNONYMS,
    header_key,
)
from customer_app.transfer.models import ImportMapping

SKIP = ""  # "Do not import"
FIELDS = ("id", *(key for key in COLUMNS if key not in ("id", "created_at")))
LABELS = {key: COLUMNS[key].header for key in FIELDS}
MATCH_KEYS = {"email": "Email", "vat_number": "VAT number", "id": LABELS["id"]}


def targets(*, actor: Actor, session: Session) -> dict[str, str]:
    """Every field a column can fill, with its label: the customer's own, then each custom field (`custom_<id>`)."""
    require(actor, "customer.import")
    headers = custom_headers(custom_fields.defined_fields(session=session))
    return LABELS | {f"{CUSTOM_PREFIX}{field_id}": header for field_id, header in headers.items()}


def auto_map(headers: list[str], custom: dict[str, str] | None = None) -> list[str]:
    """The field each column most likely holds (SKIP when unsure); a field is given to one column at most.

    `custom` maps custom field keys to their labels: a header naming a custom field fills it. A company column
    fills the institution's name when the file names no people, else the people's employer.
    """
    by_word = _BY_WORD | _custom_words(custom or {})
    keys = [header_key(header) for header in headers]
    guesses = [
        by_word.get(key)
        or _address_field(key)
        or _prefixed(key, by_word, OWN_PREFIXES, OWN_FIELDS)
        or _PERSON + _prefixed(key, by_word, PERSON_PREFIXES, PERSON_FIELDS)
        for key in keys
    ]
    guesses = [
        _NAME_KIND.get(key, SKIP) if guess == _PERSON else guess for key, guess in zip(keys, guesses, strict=True)
    ]
    guesses = _contact_persons(guesses)
    names_people = bool({"first_name", "last_name"} & set(guesses))
    if not names_people and _COMPANY in guesses and _NAME not in guesses:
        guesses[guesses.index(_COMPANY)] = "name"  # a list of companies: the first company column names each one
    mapping, used = [], set()
    for guess in guesses:
        field = {_NAME: "name", _COMPANY: "company_name"}.get(guess, guess)
        if field in used:
            field = SKIP
        used.add(field)
        mapping.append(field)
    return mapping


_NAME, _COMPANY = "<name>", "<company>"  # a name or company column, decided once every column is known
_PERSON = "<person>"  # before a field: a contact person's column ("Contact email"), decided with the others
_NAME_KIND = dict.fromkeys(NAME_WORDS, _NAME) | dict.fromkeys(COMPANY_WORDS, _COMPANY)
_BY_WORD = {word: field for field, words in SYNONYMS.items() for word in words}

# Import-only target: the row's country. It decides how the row's national phone numbers are read (as
# `customer_app.core.countries` reads it), and is the country of the row's addresses that do not name their own.
COUNTRY = "country"
LABELS[COUNTRY] = "Country (of the addresses; reads phone numbers)"
_COUNTRY_WORDS = ("country", "countryname", "countrycode", "countryregion", "land", "pays", "pais", "nation")
_BY_WORD.update(dict.fromkeys(_COUNTRY_WORDS, COUNTRY))

# What a row brings besides the customer row itself (transfer/import_related.py reads and writes them).
ADDRESS_KINDS = {"billing": "Billing", "shipping": "Shipping"}
ADDRESS_PARTS = {
    "street": "street",
    "street2": "street, 2nd line",
    "city": "city",
    "postal_code": "postcode",
    "region": "state or region",
    "country": "country",
}
PERSON_PARTS = {
    "name": "name",
    "first_name": "first name",
    "last_name": "last name",
    "position": "position",
    "email": "e-mail",
    "phone": "phone",
}
RELATED = (
    {
        f"{kind}_{part}": f"{title} address: {label}"
        for kind, title in ADDRESS_KINDS.items()
        for part, label in ADDRESS_PARTS.items()
    }
    | {f"person_{part}": f"Contact person: {label}" for part, label in PERSON_PARTS.items()}
    | {
        "other_email": "Other e-mail",
        "other_phone": "Other phone",
        "tags": "Tags (separated by commas)",
        "groups": "Groups (separated by commas)",
        "note": "Note (added to the customer's notes)",
    }
)
LABELS.update(RELATED)
_BY_WORD.update({word: f"billing_{part}" for part, words in ADDRESS_WORDS.items() for word in words})
_BY_WORD.update({word: target for target, words in RELATED_WORDS.items() for word in words})
_BY_WORD.update(dict.fromkeys(PERSON_NAME_WORDS, "person_name"))
_PART_WORDS = (
    {word: part for part, words in ADDRESS_WORDS.items() for word in words}
    | {word: part for part, words in PREFIXED_ADDRESS_WORDS.items() for word in words}
    | dict.fromkeys(_COUNTRY_WORDS, "country")
)
_ADDRESS_PREFIXES = sorted(((p, kind) for kind, ps in ADDRESS_PREFIXES.items() for p in ps), key=lambda pk: -len(pk[0]))


def _address_field(key: str) -> str:
    """The address part a prefixed header names ("billingcity": billing_city, "shiptozip": shipping_postal_code)."""
    for prefix, kind in _ADDRESS_PREFIXES:
        part = _PART_WORDS.get(key[len(prefix) :]) if key.startswith(prefix) else None
        if part:
            return f"{kind}_{part}"
    return ""


def _contact_persons(guesses: list[str]) -> list[str]:
    """A company's file with "Contact first name" columns names each company's contact person; its e-mail and phone
    are the company's own when the file has no other. A file of people alone reads them as the people themselves."""
    names_customer = not {"first_name", "last_name"} & set(guesses) and {_NAME, _COMPANY, "person_name"} & set(guesses)
    fields = [guess.removeprefix(_PERSON) for guess in guesses]
    guessed = []
    for guess, field in zip(guesses, fields, strict=True):
        own = not names_customer or (field in OWN_FIELDS and fields.count(field) == 1)
        person = guess.startswith(_PERSON) and not own
        guessed.append(f"person_{'phone' if field in ('mobile', 'fax') else field}" if person else field)
    return guessed


def _prefixed(key: str, by_word: dict[str, str], prefixes: tuple[str, ...], fields: frozenset[str]) -> str:
    """The field a prefixed header names ("contactfirstname": first_name, "companyemail": email), else ""."""
    for prefix in prefixes:
        if key.startswith(prefix) and by_word.get(key[len(prefix) :]) in fields:
            return by_word[key[len(prefix) :]]
    return ""


def _custom_words(custom: dict[str, str]) -> dict[str, str]:
    """Each custom field's label, and the synonyms of a label that names a common field ("Anrede": "Salutation")."""
    words = {}
    for key, label in custom.items():
        own = header_key(label)
        words[own] = key
        for concept in CUSTOM_CONCEPTS:
            if own in concept:
                words |= {word: key for word in concept if word not in words}
    return words


def match_key(mapping: list[str]) -> str:
    """The surest match key the mapping allows: this workspace's customer ID, else e-mail, else VAT number."""
    return next((key for key in ("id", "email", "vat_number") if key in mapping), "email")


def headers_key(headers: list[str]) -> str:
    """A fingerprint of a header row, so a mapping chosen once is offered for the next file like it."""
    return hashlib.sha256("\x1f".join(header_key(h) for h in headers).encode()).hexdigest()


def suggested_mapping(headers: list[str], *, actor: Actor, session: Session) -> tuple[list[str], bool]:
    """The remembered mapping for these headers if there is one (True), else the automatic guess (False)."""
    known = targets(actor=actor, session=session)
    row = session.exec(select(ImportMapping).where(col(ImportMapping.headers_key) == headers_key(headers))).first()
    if row is not None:
        remembered = json.loads(row.mapping)
        if len(remembered) == len(headers) and all(field in known or field == SKIP for field in remembered):
            return remembered, True
    return auto_map(headers, {key: label for key, label in known.items() if key not in LABELS}), False


def remember_mapping(headers: list[str], mapping: list[str], *, session: Session) -> None:
    """Keep this mapping for the next file with the same headers."""
    key = headers_key(headers)
    row = session.exec(select(ImportMapping).where(col(ImportMapping.headers_key) == key)).first()
    if row is None:
        row = ImportMapping(headers_key=key)
    row.mapping = json.dumps(mapping)
    row.updated_at = utcnow()
    session.add(row)
    session.flush()


def check_mapping(mapping: list[str], *, match_on: str, known: dict[str, str] = LABELS) -> None:
    """Refuse a mapping that imports nothing, fills a field twice, or lacks the column rows are matched on.

    `known` holds the fields a column can fill, with their labels (`targets`).
    """
    chosen = [field for field in mapping if field != SKIP]
    unknown = [field for field in chosen if field not in known]
    if unknown:
        raise ValidationError({"mapping": f"Unknown field(s): {', '.join(unknown)}."})
    if not [field for field in chosen if field != "id"]:
        raise ValidationError({"mapping": "Choose at least one column to import."})
    twice = sorted({known[field] for field in chosen if chosen.count(field) > 1})
    if twice:
        raise ValidationError({"mapping": f"Each field can come from one column only: {', '.join(twice)}."})
    if match_on not in MATCH_KEYS:
        raise ValidationError({"match_on": "Match rows on Email, VAT number or Customer ID."})
    # Without its column, rows match by name customers that have no e-mail (or VAT number); IDs must be given.
    if match_on not in chosen and (match_on == "id" or set(chosen) - {COUNTRY} <= RELATED.keys()):
        raise ValidationError(
            {"match_on": f"Rows are matched on {MATCH_KEYS[match_on]}, but no column is mapped to it."}
        )
