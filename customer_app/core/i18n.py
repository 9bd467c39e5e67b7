"""Languages the portal, its e-mails and documents speak."""

LANGUAGES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}
DEFAULT_LANGUAGE = "en"


def checked_language(value: object) -> str:
    """A known language code; anything else is the default."""
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT_LANGUAGE


def translate(domain: str, lang: str, msgid: str, **params: object) -> str:
    """The message in `lang`, its `{name}` parameters filled in."""
    return msgid.format(**params) if params else msgid


def strings(domain: str, lang: str, msgids: list[str]) -> dict[str, str]:
    """The messages in `lang`, keyed by their English text."""
    return {msgid: translate(domain, lang, msgid) for msgid in msgids}


def best_language(accept_language: str) -> str:
    """The first known language a browser asks for."""
    for part in accept_language.split(","):
        code = part.split(";")[0].strip().split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE
