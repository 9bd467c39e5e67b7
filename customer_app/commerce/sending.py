"""Sending an issued document to the customer: its PDF attached, the message in the document's language, and only
when the customer receives e-mails of that kind."""

from sqlmodel import Session

from customer_app.commerce import pdf
from customer_app.commerce.models import KINDS, Document
from customer_app.core import audit
from customer_app.core.i18n import translate
from customer_app.core.money import format_money
from customer_app.core.permissions import Actor, require
from customer_app.core.portal_mail_texts import DOCUMENT, rendered
from customer_app.customers.customers import get_customer
from customer_app.errors import CustomerAppError, NotFoundError
from customer_app.records.notifications import mail_customer
from customer_app.settings import settings


def send_document(document_id: int, *, actor: Actor, session: Session) -> Document:
    """E-mail an issued document with its PDF; it counts as sent from then on."""
    require(actor, "customer.edit")
    document = session.get(Document, document_id)
    if document is None:
        raise NotFoundError("This document does not exist any more.")
    customer = get_customer(document.customer_id, actor=actor, session=session)
    if document.status == "draft":
        raise CustomerAppError("Issue the document before sending it.")
    lang, kind = document.language, KINDS[document.kind]
    subject, body = rendered(
        DOCUMENT,
        lang,
        document=translate("pdf", lang, kind),
        number=document.number or "",
        customer=document.customer_name or customer.display_name,
        total=format_money(document.gross_minor, document.currency, lang),
        workspace=settings.workspace_name,
    )
    attachment = (f"{document.number}.pdf", pdf.render_pdf(document.id, actor=actor, session=session))
    if not customer.email:
        raise CustomerAppError("The customer has no e-mail address to send it to.")
    if mail_customer(customer, "invoices", subject, body, session=session, attachment=attachment) is None:
        raise CustomerAppError("This customer does not receive these e-mails (see the Notifications tab).")
    if document.status == "issued":
        document.status = "sent"
        session.add(document)
    audit.record(
        session,
        actor=actor,
        action="document_send",
        entity_type="customer",
        entity_id=customer.id,
        summary=f"Sent {kind.lower()} {document.number} to {customer.email}"[:300],
    )
    return document
