"""No message reaches a user untranslated: the catalogs cover what the code marks, and what ships is compiled."""

import shutil
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from customer_app.core import portal_mail_texts
from customer_app.core.i18n import DOMAINS, LOCALEDIR
from customer_app.core.i18n_catalogs import (
    TRANSLATED,
    extracted,
    po_path,
    problems,
    read_catalog,
    stale_compiled,
    update_catalogs,
)


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_in_the_code_is_translated_in_every_language(domain):
    found = problems(domain)
    assert not found, "Translate these (make messages, then edit the .po files):\n" + "\n".join(found)


def test_the_compiled_catalogs_match_their_sources():
    found = stale_compiled()
    assert not found, "\n".join(found)


def test_every_email_text_is_found_by_extraction():
    texts = [value for value in vars(portal_mail_texts).values() if isinstance(value, portal_mail_texts.MailText)]
    wanted = {part for text in texts for part in text}
    assert wanted <= {str(message.id) for message in extracted("email")}
    assert len(wanted) == 2 * len(texts) >= 10  # subject and body of each, the confirmation of a new address too


# --- the check and the update, on catalogs of their own ----------------------------------------------------


def project(tmp_path: Path, code: str) -> tuple[Path, Path]:
    """A source tree with one portal module holding `code`, and a locale folder with the real mappings."""
    sources, localedir = tmp_path / "app", tmp_path / "locales"
    (sources / "portal").mkdir(parents=True)
    (sources / "portal" / "views.py").write_text(code)
    localedir.mkdir()
    for domain in DOMAINS:
        shutil.copy(LOCALEDIR / f"{domain}.cfg", localedir)
    return sources, localedir


def edit(localedir: Path, lang: str, changes: dict, fuzzy: tuple[str, ...] = ()) -> None:
    """Set msgstr values ({msgid: text, or None to delete}) in one language's portal catalog; flag `fuzzy` ones."""
    path = po_path(localedir, lang, "portal")
    catalog = read_catalog(path, lang)
    for msgid, text in changes.items():
        if text is None:
            catalog.delete(msgid)
        else:
            catalog[msgid].string, catalog[msgid].flags = text, {"fuzzy"} if msgid in fuzzy else set()
    with path.open("wb") as po:
        write_po(po, catalog)


CODE = """
def page(lang, n):
    return [tr("Sign in"), tr("Save"), N_("Cancel"), translate("portal", lang, "Welcome, {name}", name="Ada"),
            translate_plural("portal", lang, "{n} ticket", "{n} tickets", n)]
"""
ALL = {"Sign in": "S", "Save": "S", "Cancel": "C", "Welcome, {name}": "W {name}", "{n} ticket": ("{n} t", "{n} ts")}


def test_update_creates_a_catalog_for_each_language_with_every_marked_message(tmp_path):
    sources, localedir = project(tmp_path, CODE)
    assert len(update_catalogs("portal", localedir, sources)) == len(TRANSLATED)
    catalog = read_catalog(po_path(localedir, "de", "portal"), "de")
    plural = ("{n} ticket", "{n} tickets")
    assert {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id} == {
        "Sign in",
        "Save",
        "Cancel",
        "Welcome, {name}",
        plural,
    }
    assert not catalog.fuzzy  # a fuzzy header would keep the whole catalog from being compiled


def test_the_check_names_each_missing_empty_fuzzy_or_misplaced_translation(tmp_path):
    sources, localedir = project(tmp_path, CODE)
    update_catalogs("portal", localedir, sources)
    for lang in TRANSLATED:
        edit(localedir, lang, ALL)
    assert problems("portal", localedir, sources) == []

    edit(localedir, "de", {"Save": None, "Welcome, {name}": "Willkommen, {nmae}"})
    edit(localedir, "fr", {"Save": ""})
    edit(localedir, "es", {"Cancel": "Cancelar"}, fuzzy=("Cancel",))
    found = problems("portal", localedir, sources)
    assert found == [
        "de/portal: 'Save' is missing (run make messages)",
        "de/portal: 'Welcome, {name}' is placeholders ['nmae'] instead of ['name']",
        "es/portal: 'Cancel' is marked fuzzy (check the translation, then remove the flag)",
        "fr/portal: 'Save' is not translated",
    ]


def test_a_message_that_comes_back_to_the_code_gets_its_translation_back(tmp_path):
    sources, localedir = project(tmp_path, CODE)
    update_catalogs("portal", localedir, sources)
    edit(localedir, "de", {"Save": "Speichern"})

    (sources / "portal" / "views.py").write_text('tr("Sign in")')
    update_catalogs("portal", localedir, sources)
    assert read_catalog(po_path(localedir, "de", "portal"), "de").get("Save") is None

    (sources / "portal" / "views.py").write_text('tr("Sign in"); tr("Save")')
    update_catalogs("portal", localedir, sources)
    save = read_catalog(po_path(localedir, "de", "portal"), "de").get("Save")
    assert save.string == "Speichern"
    assert not save.fuzzy


def test_code_without_messages_leaves_the_catalogs_alone(tmp_path):
    sources, localedir = project(tmp_path, CODE)
    update_catalogs("portal", localedir, sources)
    before = po_path(localedir, "de", "portal").read_text()
    (sources / "portal" / "views.py").write_text("")
    assert update_catalogs("portal", localedir, sources) == []
    assert po_path(localedir, "de", "portal").read_text() == before


def test_a_missing_or_old_compiled_catalog_is_named(tmp_path):
    sources, localedir = project(tmp_path, CODE)
    update_catalogs("portal", localedir, sources)
    source = po_path(localedir, "de", "portal")
    assert f"{source.with_suffix('.mo')} is missing (run make install)" in stale_compiled(localedir)

    edit(localedir, "de", {"Save": "Speichern"})
    with source.with_suffix(".mo").open("wb") as mo:
        write_mo(mo, read_catalog(source, "de"))
    assert not [problem for problem in stale_compiled(localedir) if "/de/" in problem]

    edit(localedir, "de", {"Save": "Sichern"})
    assert f"{source.with_suffix('.mo')} is older than portal.po (run make install)" in stale_compiled(localedir)
