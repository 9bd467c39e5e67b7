"""A document as a PDF: what is printed (a small view), an HTML template in the document's language, WeasyPrint.

Rendering takes a tenth of a second or more, so callers run `render_pdf` in a thread (asyncio.to_thread); an issued
document never changes, so its bytes are kept in a small in-process cache keyed by what would change them.
"""

import io
import threading
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import jinja2
from PIL import ImageFile
from sqlmodel import Session, col, select
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from customer_app.commerce.models import Document, DocumentLine
from customer_app.commerce.pdf_texts import LABELS, TITLES
from customer_app.core.i18n import format_date, format_number, strings
from customer_app.core.money import format_money, quantize, to_minor
from customer_app.core.permissions import Actor, require
from customer_app.customers.customers import get_customer
from customer_app.errors import NotFoundError
from customer_app.settings import settings

# Importing WeasyPrint tells Pillow, process-wide, to accept truncated images; profile pictures must still refuse a
# damaged upload, and a document prints no image that needs it.
ImageFile.LOAD_TRUNCATED_IMAGES = False

DOMAIN = "pdf"
TEMPLATES = Path(__file__).resolve().parent / "templates"
CACHED = 32  # rendered documents kept per process (a one-page PDF is ~20 kB)

# Autoescape: descriptions and addresses are typed by people, and markup in them must print as text, never become
# a <link> or <img> the renderer would follow.
_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined
)


@dataclass(frozen=True)
class PdfLine:
    """One printed line, every value already formatted in the document's language."""

    description: str
    quantity: str
    unit_price: str
    discount: str
    tax_rate: str
    amount: str


@dataclass(frozen=True)
class PdfView:
    """Everything a document's PDF shows, formatted; `language` picks the labels."""

    language: str
    kind: str
    title: str
    number: str
    draft: bool
    issuer: str
    customer_name: str
    billing_address: str
    shipping_address: str
    issue_date: str
    due_date: str
    lines: tuple[PdfLine, ...]
    net: str
    tax: str
    gross: str
    shipping_method: str = ""


class DataOnlyFetcher(URLFetcher):
    """Fetches `data:` URLs only: a file:// or http:// URL in a document would put a server file or a request to
    anywhere into the PDF."""

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        """The resource of a `data:` URL; anything else raises ValueError."""
        if not url.lower().startswith("data:"):
            raise ValueError(f"Only data: URLs are fetched for a PDF, not {url[:80]!r}")
        return super().fetch(url, headers)


def html_of(view: PdfView) -> str:
    """The document as HTML, labels in its language."""
    labels = strings(DOMAIN, view.language, LABELS.values())
    return _templates.get_template("document.html").render(
        view=view, labels={key: labels[msgid] for key, msgid in LABELS.items()}
    )


def pdf_bytes(view: PdfView) -> bytes:
    """The PDF of a document's view (pure: no database, no files read)."""
    buffer = io.BytesIO()
    HTML(string=html_of(view), url_fetcher=DataOnlyFetcher()).write_pdf(target=buffer)
    return buffer.getvalue()


def view_of(document: Document, lines: list[DocumentLine], customer_name: str) -> PdfView:
    """What a document's PDF prints, formatted in the document's language."""
    lang, currency = document.language, document.currency
    return PdfView(
        language=lang,
        kind=document.kind,
        title=strings(DOMAIN, lang, [TITLES[document.kind]])[TITLES[document.kind]],
        number=document.number or "",
        draft=document.status == "draft",
        issuer=settings.workspace_name,
        customer_name=customer_name,
        billing_address=document.billing_address,
        shipping_address=document.shipping_address,
        shipping_method=document.shipping_method,
        issue_date=format_date(document.issue_date, lang) if document.issue_date else "",
        due_date=format_date(document.due_date, lang) if document.due_date else "",
        lines=tuple(
            PdfLine(
                description=line.description,
                quantity=format_number(line.quantity.normalize(), lang),
                unit_price=_price(line.unit_price, currency, lang),
                discount=f"{format_number(line.discount_percent.normalize(), lang)} %" if line.discount_percent else "",
                tax_rate=f"{format_number(line.tax_rate.normalize(), lang)} %" if line.tax_rate is not None else "",
                amount=format_money(line.net_minor, currency, lang),
            )
            for line in lines
        ),
        net=format_money(document.net_minor, currency, lang),
        tax=format_money(document.tax_minor, currency, lang),
        gross=format_money(document.gross_minor, currency, lang),
    )


def render_pdf(document_id: int, *, actor: Actor, session: Session) -> bytes:
    """The PDF of one document (a draft is marked DRAFT), for anyone who may see its customer."""
    require(actor, "customer.view")
    document = session.get(Document, document_id)
    if document is None:
        raise NotFoundError("This document does not exist any more.")
    customer = get_customer(document.customer_id, actor=actor, session=session)
    return render_document(document, customer.display_name, session=session)


def render_document(document: Document, current_name: str, *, session: Session) -> bytes:
    """The PDF of a document, for a caller that checked who may see it (staff through `render_pdf`, the portal
    through its scope). An issued document prints the customer's name as at issue, a draft `current_name`."""
    customer_name = document.customer_name or current_name
    # A draft's name is read live, so it is part of the key; everything else changes only with updated_at.
    key = (document.id, document.issued_at or document.updated_at, customer_name)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    query = select(DocumentLine).where(col(DocumentLine.document_id) == document.id)
    lines = list(session.exec(query.order_by(col(DocumentLine.position), col(DocumentLine.id))))
    rendered = pdf_bytes(view_of(document, lines, customer_name))
    _cache.put(key, rendered)
    return rendered


def file_name(document: Document) -> str:
    """The name the PDF is saved under ("invoice-INV-00012.pdf", "invoice-draft-7.pdf")."""
    return f"{document.kind.replace('_', '-')}-{document.number or f'draft-{document.id}'}.pdf"


def _price(value: Decimal, currency: str, lang: str) -> str:
    """A unit price as money when it fits the currency's minor unit, else the exact number and the code."""
    if quantize(value, currency) == value:
        return format_money(to_minor(value, currency), currency, lang)
    return f"{format_number(value.normalize(), lang)} {currency}"


class _Lru:
    """A small least-recently-used map, safe to share between the threads renders run in."""

    def __init__(self, size: int) -> None:
        self._size, self._items, self._lock = size, OrderedDict[tuple, bytes](), threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: tuple, value: bytes) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


_cache = _Lru(CACHED)
