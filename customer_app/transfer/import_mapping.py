"""Which customer field each spreadsheet column fills: guessed from headers, overridable, remembered per header set."""

import hashlib
import json
import re

from sqlmodel import Session, col, select

from customer_app.core.columns import utcnow
from customer_app.core.normalize import fold
from customer_app.core.permissions import Actor, require
from customer_app.customers import custom_fields
from customer_app.errors import ValidationError
from customer_app.transfer.columns import COLUMNS, CUSTOM_PREFIX, custom_headers
from customer_app.transfer.models import ImportMapping

SKIP = ""  # "Do not import"
FIELDS = ("id", *(key for key in COLUMNS if key not in ("id", "created_at")))
LABELS = {key: COLUMNS[key].header for key in FIELDS}
MATCH_KEYS = {"email": "Email", "vat_number": "VAT number", "id": "Customer ID"}

# Header words people use for each field, written in their normalised form (see `header_key`).
_SYNONYMS = {
    "id": ["customerid", "id", "clientid", "customerno", "customernumber", "customer"],
    "kind": ["kind", "type", "customertype", "customerkind", "individualorinstitution"],
    "first_name": ["firstname", "givenname", "forename", "first", "prenom", "vorname"],
    "last_name": ["lastname", "surname", "familyname", "last", "nom", "nachname", "apellido", "apellidos"],
    "name": ["name", "institution", "institutionname", "organisationname", "organizationname", "legalname"],
    "email": ["email", "mail", "emailaddress", "mailaddress", "courriel", "emailadresse", "correo"],
    "phone": [
        "phone",
        "tel",
        "telephone",
        "phonenumber",
        "telephonenumber",
        "landline",
        "workphone",
        "telefon",
        "telefono",
    ],
    "mobile": ["mobile", "mobilephone", "cell", "cellphone", "mobilenumber", "gsm", "handy", "mobil", "portable"],
    "fax": ["fax", "faxnumber", "telefax"],
    "company_name": [
        "companyname",
        "company",
        "organisation",
        "organization",
        "employer",
        "firm",
        "firma",
        "unternehmen",
        "societe",
        "entreprise",
        "empresa",
    ],
    "website": ["website", "web", "url", "homepage", "site", "webseite", "siteweb"],
    "vat_number": ["vatnumber", "vat", "vatid", "taxid", "taxnumber", "vatno", "ustid", "ustidnr", "tva", "nif"],
    "position": ["position", "jobtitle", "title", "role", "function", "funktion", "poste", "cargo"],
    "date_of_birth": [
        "dateofbirth",
        "dob",
        "birthday",
        "birthdate",
        "born",
        "geburtstag",
        "geburtsdatum",
        "datedenaissance",
    ],
    "gender": ["gender", "sex", "geschlecht", "sexe", "genero"],
    "ownership_type": ["ownershiptype", "ownership", "legalform", "companytype"],
    "footnotes": [
        "footnotes",
        "notes",
        "note",
        "comments",
        "comment",
        "remarks",
        "notizen",
        "bemerkungen",
        "remarques",
    ],
}
_BY_WORD = {word: field for field, words in _SYNONYMS.items() for word in words}

# Import-only target: the row's country, read to understand its national phone numbers; never stored (a customer
# has no country field). The import reads it as `customer_app.core.countries` does.
COUNTRY = "country"
LABELS[COUNTRY] = "Country (used to read phone numbers)"
_COUNTRY_WORDS = ("country", "countryname", "countrycode", "countryregion", "land", "pays", "pais", "nation")
_BY_WORD.update(dict.fromkeys(_COUNTRY_WORDS, COUNTRY))


def header_key(header: str) -> str:
    """A header without case, accents, spaces or punctuation: "E-Mail " and "e mail" become "email"."""
    return re.sub(r"[^0-9a-z]", "", fold(str(header or "")))


def targets(*, actor: Actor, session: Session) -> dict[str, str]:
    """Every field a column can fill, with its label: the customer's own, then each custom field (`custom_<id>`)."""
    require(actor, "customer.import")
    headers = custom_headers(custom_fields.defined_fields(session=session))
    return LABELS | {f"{CUSTOM_PREFIX}{field_id}": header for field_id, header in headers.items()}


def auto_map(headers: list[str], custom: dict[str, str] | None = None) -> list[str]:
    """The field each column most likely holds (SKIP when unsure); a field is given to one column at most.

    `custom` maps custom field keys to their labels: a header naming a custom field fills it.
    """
    by_word = _BY_WORD | {header_key(label): key for key, label in (custom or {}).items()}
    mapping, used = [], set()
    for header in headers:
        field = by_word.get(header_key(header), SKIP)
        if field in used:
            field = SKIP
        used.add(field)
        mapping.append(field)
    return mapping


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
    if match_on not in chosen:
        raise ValidationError(
            {"match_on": f"Rows are matched on {MATCH_KEYS[match_on]}, but no column is mapped to it."}
        )
