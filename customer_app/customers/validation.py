"""Turn raw form or spreadsheet values into a validated CustomerInput, or say what is wrong."""

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from customer_app.core import normalize
from customer_app.core.columns import utcnow
from customer_app.core.i18n import LANGUAGES
from customer_app.customers.models import GENDERS, OWNERSHIP_TYPES, CustomerInput, CustomerKind
from customer_app.errors import ValidationError

MAX_AGE_YEARS = 130
_TEXT_LIMITS = {
    "first_name": 100,
    "last_name": 100,
    "name": 200,
    "company_name": 200,
    "position": 120,
    "footnotes": 5000,
}
_PHONES = ("phone", "mobile", "fax")


def validate_customer(
    raw: Mapping[str, object], *, phone_region: str, known: Mapping[str, object] | None = None
) -> CustomerInput:
    """Validate every field at once; raise ValidationError naming each bad field.

    `known` holds a stored customer's values: a raw value equal to one of them was validated when it was stored,
    so it is taken as it is (a re-imported spreadsheet is mostly such values).
    """
    known = known or {}
    errors: dict[str, str] = {}
    kind = str(raw.get("kind") or CustomerKind.INDIVIDUAL)
    if kind not in CustomerKind.__members__.values():
        raise ValidationError({"kind": "Choose Individual or Institution."})
    values: dict[str, Any] = {"kind": kind}

    def take(field: str, convert: Callable[[str], object] | None = None) -> None:
        text = normalize.clean_text(raw.get(field)) if field != "footnotes" else _multiline(raw.get(field))
        if text is None:
            return
        if field in known and text == str(known[field]):
            values[field] = known[field]
            return
        if len(text) > _TEXT_LIMITS.get(field, 300):
            errors[field] = f"Keep this under {_TEXT_LIMITS.get(field, 300)} characters."
            return
        try:
            values[field] = convert(text) if convert else text
        except ValueError as exc:
            errors[field] = str(exc)

    for field in ("company_name", "position", "footnotes"):
        take(field)
    take("email", normalize.normalize_email)
    for field in _PHONES:
        take(field, lambda v: normalize.normalize_phone(v, phone_region))
    take("website", normalize.normalize_website)
    take("vat_number", normalize.normalize_vat)
    take("language", _language)
    if kind == CustomerKind.INDIVIDUAL:
        _individual(take, values, errors)
    else:
        _institution(take, values, errors)
    if errors:
        raise ValidationError(errors)
    return CustomerInput(**values)


def _individual(take, values: dict, errors: dict) -> None:
    take("first_name")
    take("last_name")
    take("date_of_birth", _birth_date)
    take("gender", _choice(GENDERS, "Choose a gender from the list."))
    if "first_name" not in values and "last_name" not in values and not errors.keys() & {"first_name", "last_name"}:
        errors["last_name"] = "Enter a first or last name."


def _institution(take, values: dict, errors: dict) -> None:
    take("name")
    take("ownership_type", _choice(OWNERSHIP_TYPES, "Choose an ownership type from the list."))
    if "name" not in values and "name" not in errors:
        errors["name"] = "Enter the institution's name."


def _multiline(value: object) -> str | None:
    text = str(value or "").replace("\u00a0", " ").strip()
    return text or None


def _language(value: str) -> str:
    """A language code from a code or its name ("de", "Deutsch")."""
    for code, name in LANGUAGES.items():
        if value.casefold() in (code, name.casefold()):
            return code
    raise ValueError("Choose a language from the list.")


def _choice(options: tuple[str, ...], message: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        for option in options:
            if option.casefold() == value.casefold():
                return option
        raise ValueError(message)

    return check


def _birth_date(value: str) -> date:
    try:
        born = date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError("Enter a date like 1990-04-23.") from exc
    today = utcnow().date()
    if born > today:
        raise ValueError("The date of birth cannot be in the future.")
    if born < _years_before(today, MAX_AGE_YEARS):
        raise ValueError(f"The date of birth cannot be more than {MAX_AGE_YEARS} years ago.")
    return born


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)
