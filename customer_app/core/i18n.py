"""Languages for the portal and its e-mails: gettext catalogs per domain and language, and babel's formatting.

The server serves many users at once, each in their own language, so nothing here installs a global `_`: every call
names its domain and language. English needs no catalog: the msgids are the English text, and a language or
catalog that is missing falls back to them. Catalogs are the compiled `.mo` files under customer_app/locales
(`make install` builds them from the `.po` sources); each is read once per process and kept.
"""

import functools
import gettext
import logging
import string
from collections.abc import Iterable
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import dates, numbers

LANGUAGES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}
DEFAULT_LANGUAGE = "en"
DOMAINS = ("portal", "email", "pdf")
LOCALEDIR = Path(__file__).resolve().parent.parent / "locales"

log = logging.getLogger(__name__)


def N_(msgid: str) -> str:  # noqa: N802  (gettext's name for "mark for extraction, translate later")
    """Mark a message for extraction where it is written; it is translated where it is shown."""
    return msgid


def checked_language(value: object) -> str:
    """A supported language code for whatever came in ("de", "DE", "de_CH", "de-CH" → "de"); anything else → default."""
    if not isinstance(value, str):
        return DEFAULT_LANGUAGE
    primary = value.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


def best_language(accept_language_header: str) -> str:
    """The supported language a browser's Accept-Language header prefers most ("de-CH,de;q=0.9" → "de")."""
    ranked = []
    for position, part in enumerate((accept_language_header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = _quality(params)
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    for _quality_rank, _position, tag in sorted(ranked):
        primary = tag.lower().replace("_", "-").split("-")[0]
        if primary in LANGUAGES:
            return primary
        if primary == "*":
            return DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def _quality(params: str) -> float:
    """The q-value of one Accept-Language entry (1 when absent, 0 when malformed so the entry is skipped)."""
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                return 0.0
            return quality if 0 <= quality <= 1 else 0.0
    return 1.0


@functools.cache
def _load(localedir: Path, domain: str, lang: str) -> gettext.NullTranslations:
    """One compiled catalog, read once; a missing one gives the English msgids (and says so in the log)."""
    catalog = gettext.translation(domain, localedir, languages=[lang], fallback=True)
    if lang != DEFAULT_LANGUAGE and type(catalog) is gettext.NullTranslations:
        log.warning("No catalog %s/%s/LC_MESSAGES/%s.mo: showing English (run make install)", localedir, lang, domain)
    return catalog


def catalog(domain: str, lang: str) -> gettext.NullTranslations:
    """The translations of one domain in one language (English for an unknown language)."""
    return _load(LOCALEDIR, domain, checked_language(lang))


def load_catalogs() -> None:
    """Read every domain's catalog in every language now, at start, rather than on the first request."""
    for domain in DOMAINS:
        for lang in LANGUAGES:
            catalog(domain, lang)


def translate(domain: str, lang: str, msgid: str, **params: object) -> str:
    """`msgid` in `lang`, with `{name}` parameters filled in after translation."""
    return _filled(catalog(domain, lang).gettext(msgid), msgid, params)


def translate_plural(domain: str, lang: str, singular: str, plural: str, n: int, **params: object) -> str:
    """The form of a message for `n` in `lang` (languages differ: French says "0 ticket"); `{n}` is n."""
    english = singular if n == 1 else plural
    return _filled(catalog(domain, lang).ngettext(singular, plural, n), english, {"n": n, **params})


def _filled(text: str, english: str, params: dict[str, object]) -> str:
    """`text` with its parameters; a translation whose placeholders are broken shows the English text instead."""
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError, AttributeError):
        # The catalog check catches this before release; a user still gets a readable message, never an error.
        log.warning("Translation %r does not fit its parameters: showing English", text)
        return english.format(**params)


def strings(domain: str, lang: str, msgids: Iterable[str]) -> dict[str, str]:
    """{msgid: text in lang} for the messages a page shows: what a computed var sends to the browser."""
    translations = catalog(domain, lang)
    return {msgid: translations.gettext(msgid) for msgid in msgids}


def placeholders(text: str) -> set[str]:
    """The `{name}` fields a message uses (for checking that a translation keeps them)."""
    try:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError:
        return {"<malformed braces>"}


def format_date(value: date, lang: str) -> str:
    """A date the way `lang` writes it with the month's short name (de: "4. Dez. 2026", en: "Dec 4, 2026")."""
    # CLDR's "medium" date is all digits in German ("04.12.2026"); the skeleton keeps the month's name everywhere.
    return dates.format_skeleton("yMMMd", value, locale=checked_language(lang))


def format_datetime(value: datetime, lang: str, tz: tzinfo | str = UTC) -> str:
    """A moment in time zone `tz` the way `lang` writes it (de: "4. Dez. 2026, 23:30"); naive means UTC, as stored."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone)
    locale = checked_language(lang)
    time = dates.format_time(local, format="short", tzinfo=zone, locale=locale)
    pattern = str(dates.get_datetime_format("medium", locale=locale))  # "{1}, {0}": where date and time go
    return pattern.format(time, format_date(local.date(), locale))


def format_number(value: float | Decimal, lang: str) -> str:
    """A number with `lang`'s separators (de: "1.234,5", en: "1,234.5")."""
    return numbers.format_decimal(value, locale=checked_language(lang))
