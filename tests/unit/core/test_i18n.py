"""Each user reads the portal in their own language: translations, plurals, parameters, dates and numbers."""

import builtins
import gettext
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel import dates, numbers
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from customer_app.core import i18n
from customer_app.core.i18n import (
    LOCALEDIR,
    N_,
    best_language,
    checked_language,
    format_date,
    format_datetime,
    format_number,
    strings,
    translate,
    translate_plural,
)
from customer_app.core.i18n_catalogs import TRANSLATED, extracted, po_path, read_catalog
from customer_app.core.portal_mail_texts import INVITATION, PASSWORD_RESET, rendered


def compiled(localedir: Path, lang: str, domain: str, messages: dict) -> None:
    """A compiled catalog of `messages` ({msgid or (singular, plural): text or (forms)}) under `localedir`."""
    catalog = Catalog(locale=lang, domain=domain, fuzzy=False)
    for msgid, text in messages.items():
        catalog.add(msgid, text)
    folder = localedir / lang / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{domain}.mo").open("wb") as mo:
        write_mo(mo, catalog)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_the_portal_uses_is_shown_in_the_language_asked_for(lang):
    # Reads whichever messages the code marks today, so the test follows the portal as its words change.
    source = read_catalog(po_path(LOCALEDIR, lang, "portal"), lang)
    wanted = {str(m.id): source.get(m.id).string for m in extracted("portal") if isinstance(m.id, str) and m.id}
    assert wanted, "the portal marks no messages"
    assert {msgid: translate("portal", lang, msgid) for msgid in wanted} == wanted
    assert any(text != msgid for msgid, text in wanted.items())  # a catalog of English copies would pass otherwise
    assert {translate("portal", "en", msgid) for msgid in wanted} == set(wanted)


def test_an_unknown_language_or_message_shows_the_english_text(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALEDIR", tmp_path)
    compiled(tmp_path, "de", "portal", {"Sign in": "Anmelden"})
    assert translate("portal", "de", "Sign in") == "Anmelden"
    assert translate("portal", "xx", "Sign in") == "Sign in"
    assert translate("portal", "de", "A message nobody translated") == "A message nobody translated"


def test_parameters_are_filled_in_after_translation_and_their_values_are_not_read_as_placeholders(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(i18n, "LOCALEDIR", tmp_path)
    compiled(tmp_path, "de", "portal", {"Welcome, {name}": "Willkommen, {name}"})
    compiled(tmp_path, "fr", "portal", {"Welcome, {name}": "Bienvenue, {name}"})
    assert translate("portal", "de", "Welcome, {name}", name="Ada") == "Willkommen, Ada"
    assert translate("portal", "fr", "Welcome, {name}", name="{name.__class__}") == "Bienvenue, {name.__class__}"


def test_two_languages_served_at_once_each_get_their_own_text(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALEDIR", tmp_path)
    compiled(tmp_path, "de", "portal", {"Save": "Speichern", "Cancel": "Abbrechen"})
    compiled(tmp_path, "fr", "portal", {"Save": "Enregistrer", "Cancel": "Annuler"})

    def both(_: int) -> tuple[str, str]:
        return translate("portal", "de", "Save"), translate("portal", "fr", "Save")

    assert translate("portal", "de", "Cancel") == "Abbrechen"
    assert translate("portal", "fr", "Cancel") == "Annuler"
    assert translate("portal", "de", "Cancel") == "Abbrechen"
    with ThreadPoolExecutor(4) as pool:
        assert set(pool.map(both, range(200))) == {("Speichern", "Enregistrer")}
    # Nothing was installed process-wide: plain gettext and builtins know no language.
    monkeypatch.undo()
    i18n.load_catalogs()
    assert gettext.gettext("Save") == "Save"
    assert not hasattr(builtins, "_")


def test_plural_forms_follow_each_languages_rules(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALEDIR", tmp_path)
    ids = ("{n} open ticket", "{n} open tickets")
    compiled(tmp_path, "fr", "plurals", {ids: ("{n} ticket ouvert", "{n} tickets ouverts")})
    compiled(tmp_path, "de", "plurals", {ids: ("{n} offenes Ticket", "{n} offene Tickets")})

    assert translate_plural("plurals", "fr", *ids, 0) == "0 ticket ouvert"  # French counts zero as one
    assert translate_plural("plurals", "fr", *ids, 2) == "2 tickets ouverts"
    assert translate_plural("plurals", "de", *ids, 0) == "0 offene Tickets"
    assert translate_plural("plurals", "de", *ids, 1) == "1 offenes Ticket"
    assert translate_plural("plurals", "en", *ids, 0) == "0 open tickets"
    assert translate_plural("plurals", "en", *ids, 1) == "1 open ticket"


def test_a_translation_with_broken_placeholders_shows_english_rather_than_failing(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALEDIR", tmp_path)
    compiled(tmp_path, "de", "broken", {"Welcome, {name}": "Willkommen, {nmae}"})
    assert translate("broken", "de", "Welcome, {name}", name="Ada") == "Welcome, Ada"


def test_a_missing_compiled_catalog_shows_english_instead_of_failing(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALEDIR", tmp_path)
    assert translate("portal", "de", "Sign in") == "Sign in"
    assert translate_plural("portal", "de", "{n} ticket", "{n} tickets", 3) == "3 tickets"


def test_a_page_gets_exactly_the_messages_it_uses_in_its_language(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALEDIR", tmp_path)
    compiled(tmp_path, "es", "portal", {"Invoices": "Facturas", "Payments": "Pagos", "Unused": "Sin usar"})
    assert strings("portal", "es", ["Invoices", "Payments", "Not in any catalog"]) == {
        "Invoices": "Facturas",
        "Payments": "Pagos",
        "Not in any catalog": "Not in any catalog",
    }


def test_marking_a_message_leaves_it_as_written():
    assert N_("Open tickets") == "Open tickets"


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("de-CH,de;q=0.9", "de"),
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("en;q=0.5,es;q=0.8", "es"),  # order in the header does not matter, q does
        ("it,es;q=0.3", "es"),  # the first supported one
        ("it,pt;q=0.5", "en"),
        ("de;q=0,fr;q=0.1", "fr"),  # q=0 means "not this one"
        ("de;q=abc,fr;q=0.5", "fr"),  # a malformed q counts as no wish
        ("*", "en"),
        ("", "en"),
        ("ES", "es"),
    ],
)
def test_the_browsers_preferred_supported_language_is_chosen(header, lang):
    assert best_language(header) == lang


@pytest.mark.parametrize(
    ("value", "lang"),
    [("de", "de"), ("FR", "fr"), ("es_ES", "es"), ("de-CH", "de"), ("xx", "en"), ("", "en"), (None, "en"), (3, "en")],
)
def test_a_language_from_outside_is_checked(value, lang):
    assert checked_language(value) == lang


def test_dates_are_written_the_way_each_language_writes_them():
    day = date(2026, 12, 4)
    assert format_date(day, "de") == dates.format_skeleton("yMMMd", day, locale="de") == "4. Dez. 2026"
    assert format_date(day, "fr") == dates.format_skeleton("yMMMd", day, locale="fr")
    assert "déc" in format_date(day, "fr")
    assert format_date(day, "en") == "Dec 4, 2026"
    assert format_date(day, "xx") == format_date(day, "en")


def test_a_moment_is_shown_in_the_time_zone_asked_for():
    moment = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)
    assert format_datetime(moment, "de") == "4. Dez. 2026, 23:30"
    assert format_datetime(moment, "de", tz="Europe/Berlin") == "5. Dez. 2026, 00:30"  # the next day there
    assert format_datetime(moment, "en", tz=ZoneInfo("America/New_York")).startswith("Dec 4, 2026, 6:30")
    assert format_datetime(moment.replace(tzinfo=None), "de") == format_datetime(moment, "de")  # naive is UTC


def test_numbers_use_each_languages_separators():
    assert format_number(1234567.5, "de") == "1.234.567,5"
    assert format_number(Decimal("1234.5"), "en") == "1,234.5"
    assert format_number(1234.5, "fr") == numbers.format_decimal(1234.5, locale="fr")


def test_an_email_is_written_in_the_recipients_language_with_its_placeholders_filled():
    subject, body = rendered(INVITATION, "de", workspace="Acme GmbH", link="https://portal.example/i/abc")
    assert subject == "Einladung zum Kundenportal von Acme GmbH"
    assert "https://portal.example/i/abc" in body
    assert "7 Tage" in body
    subject, body = rendered(PASSWORD_RESET, "es", workspace="Acme", link="https://portal.example/r/x")
    assert subject == "Elija una nueva contraseña para el portal de clientes de Acme"
    assert "1 hora" in body
    assert "{" not in subject + body
