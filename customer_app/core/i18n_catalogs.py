"""The catalogs as source files: messages extracted from the code, `.po` files updated from them, and their checks.

Used by `make messages` (scripts/messages.py) and by the unit test that fails on an untranslated message. Each
domain's sources are named in customer_app/locales/<domain>.cfg (a babel mapping file with its keywords), so the
command line (`pybabel extract -F customer_app/locales/portal.cfg customer_app`) finds the same messages.
"""

import io
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po, write_po

from customer_app.core.i18n import DEFAULT_LANGUAGE, DOMAINS, LANGUAGES, LOCALEDIR, placeholders

SOURCES = LOCALEDIR.parent
TRANSLATED = sorted(set(LANGUAGES) - {DEFAULT_LANGUAGE})  # English is the msgids themselves


def po_path(localedir: Path, lang: str, domain: str) -> Path:
    """Where one language's catalog of one domain is kept."""
    return localedir / lang / "LC_MESSAGES" / f"{domain}.po"


def extracted(domain: str, localedir: Path = LOCALEDIR, sources: Path = SOURCES) -> Catalog:
    """The messages the sources mark for `domain`, as a template (babel's default keywords plus the mapping's)."""
    with (localedir / f"{domain}.cfg").open() as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    template = Catalog(domain=domain, project="customer_app")
    for filename, lineno, msgid, comments, context in extract_from_dir(sources, method_map, options_map):
        template.add(msgid, locations=[(filename, lineno)], auto_comments=comments, context=context)
    return template


def _key(message: Message) -> str | tuple[str, str]:
    """How a catalog files a message: its (singular) id, with its context if it has one."""
    msgid = str(message.id[0] if isinstance(message.id, (list, tuple)) else message.id)
    return (msgid, message.context) if message.context else msgid


def new_catalog(lang: str, domain: str) -> Catalog:
    """An empty catalog for a language, its header filled in (a fuzzy header would keep it from being compiled)."""
    comment = f"# {LANGUAGES[lang]} ({lang}) texts of the {domain} domain; `make messages` keeps the msgids in line."
    return Catalog(locale=lang, domain=domain, project="customer_app", version="1", header_comment=comment, fuzzy=False)


def read_catalog(path: Path, lang: str) -> Catalog:
    """One `.po` file."""
    with path.open("rb") as po:
        return read_po(po, locale=lang)


def update_catalogs(domain: str, localedir: Path = LOCALEDIR, sources: Path = SOURCES) -> list[Path]:
    """Bring every language's `.po` of `domain` in line with the sources; returns the files whose messages changed.

    Unlike `pybabel update`, a message that comes back after a time out of the code gets its old translation back
    from the obsolete (#~) entries instead of starting empty: moving text between files loses no work. Sources
    without a single message leave the catalogs alone: that is a domain whose code is not written yet (or a
    mapping that points nowhere), not a reason to retire every translation.
    """
    template, written = extracted(domain, localedir, sources), []
    if not len(template):
        return written
    for lang in TRANSLATED:
        path = po_path(localedir, lang, domain)
        catalog = read_catalog(path, lang) if path.exists() else new_catalog(lang, domain)
        retired = dict(catalog.obsolete)
        catalog.update(template)
        for message in catalog:
            old = retired.get(_key(message))
            if message.id and old is not None and old.string and (message.fuzzy or not _translated(message)):
                message.string, message.flags = old.string, message.flags - {"fuzzy"}
                catalog.obsolete.pop(_key(message), None)
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=120, include_lineno=False)  # no churn when lines move
        if not path.exists() or _content(path.read_bytes()) != _content(buffer.getvalue()):
            path.write_bytes(buffer.getvalue())  # only a real change: the extraction's date alone is none
            written.append(path)
    return written


def _content(po: bytes) -> bytes:
    """A `.po` file without the line that dates the extraction."""
    return b"\n".join(line for line in po.splitlines() if not line.startswith(b'"POT-Creation-Date:'))


def _text(value: object) -> object:
    """A message's id or text in one shape whether it came from a `.po` or a `.mo` (plural forms as a tuple)."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _shown(messages: Iterable[Message]) -> dict[object, object]:
    """{id: text} of the messages that show something other than their English id (compiled or not, the same)."""
    # Compiling writes an untranslated plural's English forms as its translation; a plain one it leaves out.
    texts = {_text(m.id): _text(m.string) for m in messages if m.id and _translated(m)}
    return {msgid: text for msgid, text in texts.items() if text != msgid}


def _translated(message: Message) -> bool:
    """Whether every form of a message has a translation."""
    forms = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return all(forms)


def _problem(message: Message) -> str | None:
    """What is wrong with one message of a catalog, if anything."""
    if not _translated(message):
        return "not translated"
    if message.fuzzy:
        return "marked fuzzy (check the translation, then remove the flag)"
    ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
    forms = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    wanted = set().union(*(placeholders(msgid or "") for msgid in ids)) - {"n"}
    for form in forms:
        if placeholders(form or "") - {"n"} != wanted:
            return f"placeholders {sorted(placeholders(form or ''))} instead of {sorted(wanted)}"
    return None


def problems(domain: str, localedir: Path = LOCALEDIR, sources: Path = SOURCES) -> list[str]:
    """Each message of `domain` that some language lacks, leaves empty, marks fuzzy or whose placeholders differ."""
    template, found = extracted(domain, localedir, sources), []
    for lang in TRANSLATED:
        path = po_path(localedir, lang, domain)
        if not path.exists():
            found.append(f"{lang}/{domain}: no catalog at {path} (run make messages)")
            continue
        catalog = read_catalog(path, lang)
        if catalog.fuzzy:
            found.append(f"{lang}/{domain}: the header is marked fuzzy, so the whole catalog would not be compiled")
        for message in template:
            if message.id and catalog.get(message.id, message.context) is None:
                found.append(f"{lang}/{domain}: {message.id!r} is missing (run make messages)")
        for message in catalog:
            problem = message.id and _problem(message)
            if problem:
                found.append(f"{lang}/{domain}: {message.id!r} is {problem}")
    return found


def stale_compiled(localedir: Path = LOCALEDIR) -> list[str]:
    """Each `.po` whose compiled `.mo` is missing or says something else (the app would show English or old text)."""
    found = []
    for domain in DOMAINS:
        for lang in TRANSLATED:
            path = po_path(localedir, lang, domain)
            if not path.exists():
                continue
            compiled = path.with_suffix(".mo")
            if not compiled.exists():
                found.append(f"{compiled} is missing (run make install)")
                continue
            with compiled.open("rb") as mo:
                shipped = _shown(read_mo(mo))
            if shipped != _shown(m for m in read_catalog(path, lang) if not m.fuzzy):
                found.append(f"{compiled} is older than {path.name} (run make install)")
    return found
