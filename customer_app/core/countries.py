"""Countries written the way people write them: ISO codes, or names in English, German, French or Spanish."""

import functools
import gettext
import re
from pathlib import Path

import phonenumbers
import pycountry

from customer_app.core.normalize import fold

LANGUAGES = ("de", "fr", "es")  # besides English, which pycountry's own names are in
# Names in common use that are neither ISO names nor their translations.
_ALIASES = {
    "uk": "GB",
    "greatbritain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northernireland": "GB",
    "holland": "NL",
    "oesterreich": "AT",
}


def _key(text: str) -> str:
    """A name without case, accents, spaces or punctuation: "Österreich" and "osterreich" are one."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


@functools.cache
def _by_key() -> dict[str, str]:
    """Every way of writing a country this module understands, keyed by `_key`, to its ISO alpha-2 code."""
    found: dict[str, str] = {}
    locales = Path(pycountry.__file__).parent / "locales"
    translations = [gettext.NullTranslations()] + [
        gettext.translation("iso3166-1", locales, languages=[language], fallback=True) for language in LANGUAGES
    ]
    for country in pycountry.countries:
        found.setdefault(_key(country.alpha_2), country.alpha_2)
        found.setdefault(_key(country.alpha_3), country.alpha_2)
    # English first: where a translated name repeats another country's English one, the English reading wins.
    for translation in translations:
        for country in pycountry.countries:
            for attribute in ("name", "common_name", "official_name"):
                name = getattr(country, attribute, None)
                if name:
                    found.setdefault(_key(translation.gettext(name)), country.alpha_2)
    for alias, code in _ALIASES.items():
        found.setdefault(alias, code)
    found.pop("", None)
    return found


def country_code(text: str | None) -> str | None:
    """The ISO alpha-2 code of a country written by code or name; None when it is not one this module knows."""
    return _by_key().get(_key(text or "")) if text else None


@functools.lru_cache(maxsize=4096)  # a file repeats a handful of countries over many rows
def phone_region(text: str | None) -> str | None:
    """The region national phone numbers of this country are read in; None when unknown or without a numbering plan."""
    code = country_code(text)
    return code if code in phonenumbers.SUPPORTED_REGIONS else None


def country_name(code: str) -> str:
    """A country's short English name, for messages ("Germany", "South Korea")."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name
