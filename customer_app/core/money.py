"""Money: integer minor units per ISO 4217 currency, half-up rounding, formatting, and reading typed numbers.

Amounts are stored and sent as whole minor units (cents, yen, fils) with their currency beside them; `Decimal` stays
on the server (Reflex would send it to the browser as a float). Every rounding here is ROUND_HALF_UP, away from zero
at exactly half, so a negated amount rounds to the negated result (a credit note mirrors its invoice).
"""

import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

from babel import numbers

from customer_app.core.i18n import checked_language

# Room for any amount a document can hold: 18 significant digits fit a BIGINT column with room to spare.
MAX_DIGITS = 18
_CODE_LENGTH = 3  # ISO 4217 alphabetic codes
# Enough precision for quantity × price × discount × rate without the context rounding anything first.
PRECISION = 80


def is_currency(code: object) -> bool:
    """Whether `code` is an ISO 4217 currency code babel knows, written as the standard writes it ("EUR")."""
    return (
        isinstance(code, str)
        and len(code) == _CODE_LENGTH
        and code.isascii()
        and code.isupper()
        and numbers.is_currency(code)
    )


def exponent(currency: str) -> int:
    """The number of decimal places of the currency's minor unit (EUR 2, JPY 0, BHD 3)."""
    if not is_currency(currency):
        # babel answers 2 for any code it does not know: an unknown code must not pass for a currency with cents.
        raise ValueError(f"Unknown currency code {currency!r}: use an ISO 4217 code such as EUR.")
    return numbers.get_currency_precision(currency)


def quantize(amount: Decimal, currency: str) -> Decimal:
    """`amount` rounded half-up to the currency's minor unit (2.345 EUR → 2.35)."""
    places = exponent(currency)
    value = _checked_decimal(amount, "amount")
    with localcontext(prec=PRECISION):
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def to_minor(amount: Decimal, currency: str) -> int:
    """The amount in whole minor units, rounded half-up first (Decimal("2.345"), "EUR" → 235)."""
    rounded = quantize(amount, currency)
    minor = int(rounded.scaleb(exponent(currency)))
    if abs(minor) >= 10**MAX_DIGITS:
        raise ValueError("The amount is too large.")
    return minor


def from_minor(minor: int, currency: str) -> Decimal:
    """The exact amount of `minor` units, with as many places as the currency has (123450, "EUR" → 1234.50)."""
    if not isinstance(minor, int) or isinstance(minor, bool):
        raise ValueError(f"An amount in minor units must be a whole number, not {type(minor).__name__}.")
    # Built from its digits, not by arithmetic, so no context precision can round a long amount.
    digits = tuple(int(digit) for digit in str(abs(minor)))
    return Decimal((int(minor < 0), digits, -exponent(currency)))


def format_money(minor: int, currency: str, lang: str) -> str:
    """The amount as `lang` writes it (en "€1,234.50", de "1.234,50 €"); unknown languages get English."""
    # The Decimal already has exactly the currency's places, so babel's own (half-even) rounding changes nothing.
    return numbers.format_currency(from_minor(minor, currency), currency, locale=checked_language(lang))


# --- reading what people type -------------------------------------------------------------------------------

# Spaces of every width and apostrophes only ever group thousands; "." and "," may be either.
_GROUPING_ONLY = " \u00a0\u202f\u2009'’"
_DIGITS = re.compile(r"[0-9]+")
_MAX_LENGTH = 40


def parse_decimal(text: str, *, field: str, max_places: int) -> Decimal:
    """The exact number someone typed in `field`, with at most `max_places` decimal places.

    The rule, for what people type in any language:
    - an optional sign ("-", "+" or "−"), then digits with "." or "," as the decimal mark; spaces and apostrophes
      may group thousands ("1 234,50", "1'234.50"), and then the one "." or "," is the decimal mark;
    - with both "." and ",", the last one is the decimal mark and the other groups thousands ("1,234.50",
      "1.234,50");
    - one mark used more than once groups thousands ("1,234,567");
    - one mark used once is the decimal mark ("1234,50", "12.5", "0.125"), except when it could just as well group
      thousands: 1 to 3 digits (not starting with 0), the mark, then exactly 3 digits. "1,234" is over a thousand
      in English and just over one in German, so it is refused and the person asked to write it plainly;
    - thousands groups are checked (3 digits each: "12,34,567" is refused);
    - nothing else: no exponents ("1e5"), NaN, Infinity, letters or currency signs.
    Every refusal is a ValueError whose message names the field and is safe to show.
    """
    example = "12" if max_places == 0 else "12." + "5".ljust(max_places, "0")
    plain = f"{field}: enter a number like {example}."
    if not isinstance(text, str) or not text.strip():
        raise ValueError(plain)
    typed = text.strip()
    if len(typed) > _MAX_LENGTH:
        raise ValueError(f"{field}: the number is too long.")
    negative = typed[0] in "-−"
    body = typed[1:].lstrip() if typed[0] in "+-−" else typed
    if "_" in body:  # Python's digit separator; "_" stands for the grouping spaces below
        raise ValueError(plain)
    body = "".join("_" if mark in _GROUPING_ONLY else mark for mark in body)
    grouping, decimal_mark = _marks(body, plain)
    if decimal_mark and grouping is None and _is_grouped(body, decimal_mark):
        whole, _, fraction = body.partition(decimal_mark)
        sign = "-" if negative else ""
        raise ValueError(
            f"{field}: {typed} could mean {sign}{whole}{fraction} or {sign}{whole}.{fraction}; "
            "write it without a thousands mark."
        )
    whole, _, fraction = body.rpartition(decimal_mark) if decimal_mark else (body, "", "")
    if decimal_mark and not _DIGITS.fullmatch(fraction):
        raise ValueError(plain)
    if grouping:
        if not _is_grouped(whole, grouping):
            raise ValueError(plain)
        whole = whole.replace(grouping, "")
    if not (_DIGITS.fullmatch(whole) or (whole == "" and decimal_mark)):
        raise ValueError(plain)
    if len(fraction) > max_places:
        if max_places == 0:
            raise ValueError(f"{field}: enter a whole number.")
        raise ValueError(f"{field}: enter at most {max_places} decimal places.")
    if len(whole.lstrip("0")) > MAX_DIGITS:
        raise ValueError(f"{field}: the number is too large.")
    value = Decimal(f"{whole or '0'}.{fraction}" if fraction else whole)
    return -value if negative and value else value  # "-0" reads as 0


def _marks(body: str, plain: str) -> tuple[str | None, str]:
    """(the mark grouping thousands or None, the decimal mark or "") of a number without its sign."""
    dots, commas = body.count("."), body.count(",")
    if "_" in body:
        if dots + commas > 1:
            raise ValueError(plain)
        return "_", "." if dots else "," if commas else ""
    if dots and commas:
        decimal_mark = "." if body.rfind(".") > body.rfind(",") else ","
        if body.count(decimal_mark) > 1:
            raise ValueError(plain)
        return ("," if decimal_mark == "." else "."), decimal_mark
    mark = "." if dots else "," if commas else ""
    if mark and body.count(mark) > 1:
        return mark, ""
    return None, mark


def _is_grouped(whole: str, mark: str) -> bool:
    """Whether `whole` is digits grouped in thousands by `mark` ("1,234,567"; "12,34" and "0,123" are not)."""
    groups = whole.split(mark)
    return (
        len(groups) > 1
        and bool(re.fullmatch(r"[1-9][0-9]{0,2}", groups[0]))
        and all(re.fullmatch(r"[0-9]{3}", group) for group in groups[1:])
    )


def _checked_decimal(value: object, name: str) -> Decimal:
    """`value` as a finite Decimal (ints are exact too); floats, NaN and Infinity are refused."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueError(f"The {name} must be a Decimal, not {type(value).__name__}.")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"The {name} must be a finite number.")
    return number
