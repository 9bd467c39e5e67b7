"""Normalisers for the values people type: names, e-mails, phones, VAT numbers, websites."""

import functools
import re
import unicodedata

import phonenumbers
from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email
from stdnum import vatin
from stdnum.exceptions import ValidationError as StdnumError

_WHOLE_NUMBER = re.compile(r"[0-9]+")


def whole_number(value: object, *, max_digits: int = 18) -> int | None:
    """A non-negative whole number written in ASCII digits, or None.

    Python's own digit tests accept "²" and "١", on which int() then fails or reads another script: anything a
    client or a form sends is read with this one helper instead.
    """
    text = str(value).strip()
    return int(text) if len(text) <= max_digits and _WHOLE_NUMBER.fullmatch(text) else None


def clean_text(value: object) -> str | None:
    """Trim a value (including non-breaking spaces); empty becomes None."""
    if value is None:
        return None
    text = " ".join(str(value).replace("\u00a0", " ").split())
    return text or None


def fold(value: str) -> str:
    """Case- and accent-insensitive form used for sorting and searching."""
    if value.isascii():  # nothing to decompose: the common case, ~10x faster
        return value.casefold()
    # Word by word (a space never combines with its neighbours), so repeated names are folded once.
    return " ".join(_fold_word(word) for word in value.split(" "))


@functools.lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


MAX_LOCAL_PART = 64  # RFC 5321 limits on the part before the @ and on the whole address
MAX_EMAIL = 254
MIN_VAT = 4  # a two-letter country prefix and at least two characters

# Plain ASCII addresses that email-validator accepts unchanged but for the domain's case. Checking these with a
# regular expression is ~25x faster, which matters for a 100,000-row import; anything else takes the full path.
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@(?:(?!-)(?!..--)[a-z0-9-]{1,63}(?<!-)\.)+([a-z]{2,63})",
)


def normalize_email(value: str) -> str:
    """A syntactically valid e-mail with its domain lower-cased; raises ValueError."""
    local, at, domain = value.rpartition("@")
    plain = f"{local}{at}{domain.lower()}"
    match = _PLAIN_EMAIL.fullmatch(plain)
    if match and len(local) <= MAX_LOCAL_PART and len(plain) <= MAX_EMAIL and match[1] not in SPECIAL_USE_DOMAIN_NAMES:
        return plain
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError("Enter a valid e-mail address, like name@example.com.") from exc


def email_key(email: str) -> str:
    """The uniqueness key of an e-mail: compared without regard to case."""
    return email.casefold()


def normalize_phone(value: str, region: str) -> str:
    """A phone number in E.164 form; raises ValueError."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError("Enter a phone number, like +1 202 555 0143.") from exc
    # Valid in its country code's main region settles it at once; else every region sharing the code is tried
    # (+1 alone has some twenty-five, and trying them all is most of the time an import spends on a row).
    main = phonenumbers.region_code_for_country_code(number.country_code or 0)
    if not phonenumbers.is_valid_number_for_region(number, main) and not phonenumbers.is_valid_number(number):
        raise ValueError("This phone number is not valid for its country.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@functools.lru_cache(maxsize=65536)  # every list read formats its rows' numbers (parsing one: ~20 µs), mostly again
def format_phone(e164: str | None) -> str:
    """An E.164 number written the international way for display."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalize_vat(value: str) -> str:
    """A compact VAT number, checked where its country prefix has known rules; raises ValueError."""
    compact = "".join(value.split()).replace(".", "").replace("-", "").upper()
    if len(compact) < MIN_VAT or not compact.isalnum():
        raise ValueError("Enter a VAT number with its country prefix, like DE136695976.")
    try:
        return vatin.validate(compact)
    except StdnumError as exc:
        if _has_rules(compact[:2]):
            raise ValueError("This VAT number is not valid for its country.") from exc
        return compact  # no rules for this prefix: keep what was typed


def vat_checked(value: str) -> bool | None:
    """Whether a VAT number follows its country's rules (checked offline); None where no rules are known."""
    compact = "".join(value.split()).upper()
    if not _has_rules(compact[:2]):
        return None
    return vatin.is_valid(compact)


def _has_rules(prefix: str) -> bool:
    try:
        vatin._get_cc_module(prefix)
    except StdnumError:
        return False
    return True


def normalize_website(value: str) -> str:
    """A website with a scheme; raises ValueError for text that is not a host name."""
    url = value.strip()
    if "://" not in url:
        url = "https://" + url
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0]
    if scheme.lower() not in ("http", "https") or "." not in host or " " in url:
        raise ValueError("Enter a website address, like example.com.")
    return f"{scheme.lower()}://{rest}"
