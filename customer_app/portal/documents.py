"""The customer's documents in the portal: issued ones only, each kind in its own section, and an estimate's answer."""

from datetime import date

from sqlmodel import Session, col, select

from customer_app.commerce import balances, pdf
from customer_app.commerce.models import Document, Payment, PaymentAllocation
from customer_app.core import audit
from customer_app.errors import CustomerAppError, NotFoundError
from customer_app.portal.scope import PortalScope

# The portal section that shows each kind of document.
SECTION_OF = {
    "invoice": "invoices",
    "credit_note": "invoices",
    "estimate": "estimates",
    "sales_order": "sales_orders",
    "sales_receipt": "documents",
}
KINDS_OF = {section: tuple(k for k, s in SECTION_OF.items() if s == section) for section in set(SECTION_OF.values())}
SHOWN = 200
PDF_PATH = "/api/portal/document/"  # + the document's id: posted with the browser's portal session


def my_documents(section: str, *, scope: PortalScope, session: Session) -> list[Document]:
    """The customer's issued documents of a section, newest first."""
    scope.require(section)
    query = select(Document).where(
        col(Document.customer_id) == scope.customer_id,
        col(Document.kind).in_(KINDS_OF.get(section, ())),
        col(Document.status) != "draft",
    )
    return list(session.exec(query.order_by(col(Document.issued_at).desc(), col(Document.id).desc()).limit(SHOWN)))


def payment_states(found: list[Document], *, scope: PortalScope, session: Session) -> dict[int, tuple[str, int]]:
    """Each of the customer's issued invoices among `found`: its payment status and what is left to pay."""
    scope.require("invoices")
    invoices = [d for d in found if d.kind == "invoice" and d.customer_id == scope.customer_id and d.status != "draft"]
    paid = balances.settlements([d.id for d in invoices], session)
    figures = [balances.invoice_balance(d, paid, date.today()) for d in invoices]
    return {f.document.id: (f.status, f.balance_minor) for f in figures}


def my_payments(*, scope: PortalScope, session: Session) -> list[tuple[Payment, list[str]]]:
    """The customer's payments and refunds, newest first, each with the numbers of the documents it went to."""
    scope.require("payments")
    query = select(Payment).where(col(Payment.customer_id) == scope.customer_id)
    found = list(session.exec(query.order_by(col(Payment.paid_on).desc(), col(Payment.id).desc()).limit(SHOWN)))
    parts = session.exec(
        select(PaymentAllocation.payment_id, Document.number)
        .join(Document, col(Document.id) == col(PaymentAllocation.document_id))
        .where(col(PaymentAllocation.payment_id).in_([p.id for p in found]))
        .order_by(col(Document.number))
    )
    numbers: dict[int, list[str]] = {p.id: [] for p in found}
    for payment_id, number in parts:
        numbers[payment_id].append(str(number))
    return [(payment, numbers[payment.id]) for payment in found]


def my_pdf(document_id: int, *, scope: PortalScope, session: Session) -> tuple[str, bytes]:
    """The PDF of one of the customer's issued documents, in a section the customer's people may see: its file name
    and bytes. Another customer's document, a draft or an unknown id is not found."""
    document = session.get(Document, document_id)
    if document is None or document.customer_id != scope.customer_id or document.status == "draft":
        raise NotFoundError("This document does not exist.")
    scope.require(SECTION_OF[document.kind])
    return pdf.file_name(document), pdf.render_document(document, scope.customer_name, session=session)


def answer_estimate(document_id: int, accept: bool, *, scope: PortalScope, session: Session) -> Document:
    """Accept or decline one of the customer's issued estimates (once)."""
    scope.require("estimates")
    document = session.get(Document, document_id)
    if document is None or document.customer_id != scope.customer_id or document.kind != "estimate":
        raise NotFoundError("This document does not exist.")
    if document.status not in ("issued", "sent"):
        raise CustomerAppError("This estimate was answered already.")
    document.status = "accepted" if accept else "declined"
    session.add(document)
    audit.record(
        session,
        actor=None,
        actor_email=scope.email,
        address=scope.address,
        action="portal_estimate_answer",
        entity_type="customer",
        entity_id=scope.customer_id,
        summary=f"{'Accepted' if accept else 'Declined'} estimate {document.number} in the portal",
    )
    return document
