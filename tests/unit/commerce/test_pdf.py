"""A document's PDF: number, customer, lines and total read back with pdftotext, in the document's language; CJK
text prints; markup in a description is text; the fetcher refuses files; read-only staff may print, nobody else."""

import shutil
import subprocess
from decimal import Decimal

import pytest
from PIL import ImageFile
from sqlmodel import Session

from customer_app.commerce import documents, pdf, shipping, taxes
from customer_app.commerce.models import TaxRate, TaxRule
from customer_app.commerce.pdf_texts import LABELS, TITLES
from customer_app.core.i18n import catalog
from customer_app.core.money import format_money
from customer_app.errors import PermissionDenied
from customer_app.records.addresses import save_address
from tests.unit.commerce.test_documents import clean_rules  # noqa: F401  (each test's rate is removed after it)

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext is missing: `make install-dev` installs poppler-utils"
)


def text_of(data: bytes) -> str:
    """The text a reader of the PDF sees, as poppler extracts it."""
    assert data.startswith(b"%PDF-")
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode()


def plain(text: str) -> str:
    """`text` with no-break spaces as the plain spaces pdftotext gives back for them."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def standard_rate(session: Session, percent: str) -> None:
    rate = TaxRate(name=f"VAT {percent} %", percent=Decimal(percent))
    session.add(rate)
    session.flush()
    customer_class = taxes.standard_class("customer", session=session)
    item_class = taxes.standard_class("item", session=session)
    session.add(TaxRule(customer_class_id=customer_class.id, item_class_id=item_class.id, rate_id=rate.id))
    session.commit()


def issued_invoice(session, staff, customer, *lines: tuple[str, str, str]):
    """An invoice of `customer` with `lines` (description, quantity, unit price), issued at 19 %."""
    standard_rate(session, "19")
    draft = documents.new_draft(customer.id, "invoice", actor=staff, session=session)
    for description, quantity, price in lines:
        documents.add_line(draft.id, description, quantity, price, actor=staff, session=session)
    issued = documents.issue(draft.id, actor=staff, session=session)
    session.commit()
    return issued


def test_an_issued_invoice_prints_its_number_customer_lines_and_total(session, staff, add):
    ada = add(kind="institution", name="Lovelace Analytics", email="ada@example.com")
    save_address(
        ada.id,
        {"kind": "billing", "street": "1 Engine Row", "city": "London", "postal_code": "N1 9GU", "country_code": "GB"},
        actor=staff,
        session=session,
    )
    invoice = issued_invoice(session, staff, ada, ("Consulting", "3", "1250.00"), ("Travel", "1", "80.50"))
    text = text_of(pdf.render_pdf(invoice.id, actor=staff, session=session))
    assert invoice.number
    assert invoice.number in text
    assert "Invoice" in text
    assert "Lovelace Analytics" in text
    assert "1 Engine Row" in text
    assert "Consulting" in text
    assert "Travel" in text
    assert "€3,750.00" in text
    assert plain(format_money(invoice.gross_minor, "EUR", "en")) in text  # 3,830.50 + 19 % = €4,558.30
    assert "€4,558.30" in text
    assert "DRAFT" not in text


def test_a_german_customers_invoice_is_printed_in_german(session, staff, add):
    hans = add(kind="institution", name="Müller & Söhne GmbH", email="hans@example.com", language="de")
    invoice = issued_invoice(session, staff, hans, ("Wartung", "2", "1000.00"))
    text = text_of(pdf.render_pdf(invoice.id, actor=staff, session=session))
    german = catalog("pdf", "de")
    for msgid in (TITLES["invoice"], LABELS["total"], LABELS["quantity"], LABELS["due_date"]):
        assert german.gettext(msgid) != msgid  # really translated, so the checks below mean something
        assert german.gettext(msgid) in text
    assert "Müller & Söhne GmbH" in text
    assert plain(format_money(invoice.gross_minor, "EUR", "de")) in text  # "2.380,00 €"
    assert "2.380,00" in text


def test_japanese_and_greek_text_prints(session, staff, add):
    if not any("Droid Sans Fallback" in line or "CJK" in line for line in _fonts()):
        pytest.skip("No CJK font: `make install-dev` installs fonts-droid-fallback")
    tokyo = add(kind="institution", name="株式会社テスト", email="info@example.jp")
    invoice = issued_invoice(session, staff, tokyo, ("Ελληνικά μαθήματα", "1", "10.00"))
    text = text_of(pdf.render_pdf(invoice.id, actor=staff, session=session))
    assert "株式会社テスト" in text
    assert "Ελληνικά μαθήματα" in text


def test_a_draft_is_marked_draft(session, staff, add):
    ada = add(first_name="Ada", email="ada@example.com")
    draft = documents.new_draft(ada.id, "estimate", actor=staff, session=session)
    documents.add_line(draft.id, "Design", "1", "500", actor=staff, session=session)
    session.commit()
    text = text_of(pdf.render_pdf(draft.id, actor=staff, session=session))
    assert "DRAFT" in text
    assert "Estimate" in text
    assert "Design" in text


def test_markup_in_a_description_prints_as_text_and_never_attaches_a_server_file(session, staff, add):
    ada = add(first_name="Ada", email="ada@example.com")
    trap = '<link rel="attachment" href="file:///etc/hostname">'
    invoice = issued_invoice(session, staff, ada, (f"Setup {trap}", "1", "10"))
    data = pdf.render_pdf(invoice.id, actor=staff, session=session)
    assert 'rel="attachment"' in text_of(data).replace("\n", "")
    assert b"/EmbeddedFile" not in data


def test_the_fetcher_refuses_files_and_the_web_but_reads_data_urls():
    fetcher = pdf.DataOnlyFetcher()
    for url in ("file:///etc/hostname", "http://127.0.0.1/", "FILE:///etc/passwd"):
        with pytest.raises(ValueError, match="Only data: URLs"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


def test_read_only_staff_may_print_and_nobody_signed_in_may_not(session, staff, reader, add):
    ada = add(first_name="Ada", email="ada@example.com")
    invoice = issued_invoice(session, staff, ada, ("Consulting", "1", "10"))
    assert str(invoice.number) in text_of(pdf.render_pdf(invoice.id, actor=reader, session=session))
    with pytest.raises(PermissionDenied):
        pdf.render_pdf(invoice.id, actor=None, session=session)  # type: ignore[arg-type]


def test_an_issued_document_keeps_the_name_at_issue_and_is_rendered_once(session, staff, add, monkeypatch):
    ada = add(kind="institution", name="Ada Ltd", email="ada@example.com")
    invoice = issued_invoice(session, staff, ada, ("Consulting", "1", "10"))
    draft = documents.new_draft(ada.id, "estimate", actor=staff, session=session)
    calls = []
    real = pdf.pdf_bytes
    monkeypatch.setattr(pdf, "pdf_bytes", lambda view: calls.append(view.customer_name) or real(view))
    first = pdf.render_pdf(invoice.id, actor=staff, session=session)
    assert pdf.render_pdf(invoice.id, actor=staff, session=session) == first
    ada.display_name = "Ada Holdings"
    session.add(ada)
    session.commit()
    assert pdf.render_pdf(invoice.id, actor=staff, session=session) == first  # an issued invoice never changes
    assert "Ada Holdings" in text_of(pdf.render_pdf(draft.id, actor=staff, session=session))  # a draft: the name now
    assert calls == ["Ada Ltd", "Ada Holdings"]


def test_loading_the_pdf_module_leaves_pillow_refusing_truncated_images():
    assert pdf.HTML is not None  # WeasyPrint is loaded, and it switches the flag on when it is
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False  # damaged picture uploads are still refused


def _fonts() -> list[str]:
    return subprocess.run(["fc-list"], capture_output=True, text=True, check=False).stdout.splitlines()


def test_the_shipping_method_prints_in_the_documents_language(session, staff, add):
    hans = add(kind="institution", name="Müller & Söhne GmbH", email="hans@example.com", language="de")
    shipping.save_customer_shipping(
        hans.id, address_id=None, method_id=2, instructions="", actor=staff, session=session
    )
    session.commit()
    invoice = issued_invoice(session, staff, hans, ("Wartung", "1", "10.00"))
    text = text_of(pdf.render_pdf(invoice.id, actor=staff, session=session))
    assert catalog("pdf", "de").gettext(LABELS["shipping_method"]) == "Versandart"
    assert "Versandart" in text
    assert "Courier" in text  # the method's name as the admin wrote it
