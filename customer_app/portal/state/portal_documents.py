"""The portal's document sections: invoices (with credit notes), estimates (to accept or decline), sales orders and
sales receipts, each the customer's issued documents only."""

from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from customer_app import routes
from customer_app.commerce.balances import PAYMENT_STATUSES
from customer_app.commerce.models import KINDS, PAYMENT_METHODS, STATUSES, Document, Payment
from customer_app.core.db import session_scope
from customer_app.core.i18n import format_date, translate
from customer_app.core.money import format_money
from customer_app.portal import documents
from customer_app.portal.scope import PortalScope
from customer_app.portal.state.portal import DOMAIN, portal_act, portal_scope_or_refusal
from customer_app.ui.parsing import parse_ids

SECTION_OF_PAGE = {
    routes.PORTAL_INVOICES: "invoices",
    routes.PORTAL_ESTIMATES: "estimates",
    routes.PORTAL_ORDERS: "sales_orders",
    routes.PORTAL_DOCUMENTS: "documents",
    routes.PORTAL_PAYMENTS: "payments",
}


@dataclass
class PortalDocumentRow:
    """One document as the customer sees it, in their language."""

    id: str = ""
    number: str = ""
    kind: str = ""
    date: str = ""
    due: str = ""
    total: str = ""
    status: str = ""
    status_label: str = ""
    answerable: bool = False  # an estimate waiting for the customer's answer
    balance: str = ""  # an invoice's amount left to pay


def _row(document: Document, lang: str, payment: tuple[str, int] | None = None) -> PortalDocumentRow:
    status = payment[0] if payment else document.status
    label = PAYMENT_STATUSES.get(status) or STATUSES.get(status, status)
    return PortalDocumentRow(
        id=str(document.id),
        number=document.number or "",
        kind=translate(DOMAIN, lang, KINDS[document.kind]),
        date=format_date(document.issue_date, lang) if document.issue_date else "",
        due=format_date(document.due_date, lang) if document.due_date else "",
        total=format_money(document.gross_minor, document.currency, lang),
        status=status,
        status_label=translate(DOMAIN, lang, label),
        answerable=document.kind == "estimate" and document.status in ("issued", "sent"),
        balance=format_money(payment[1], document.currency, lang) if payment and payment[1] > 0 else "",
    )


@dataclass
class PortalPaymentRow:
    """One payment or refund as the customer sees it."""

    id: str = ""
    date: str = ""
    method: str = ""
    amount: str = ""
    refund: bool = False
    documents: str = ""


def _payment(payment: Payment, numbers: list[str], lang: str) -> PortalPaymentRow:
    return PortalPaymentRow(
        id=str(payment.id),
        date=format_date(payment.paid_on, lang),
        method=translate(DOMAIN, lang, PAYMENT_METHODS.get(payment.method, payment.method)),
        amount=format_money(payment.amount_minor, payment.currency, lang),
        refund=payment.kind == "refund",
        documents=", ".join(numbers),
    )


class PortalDocumentsState(rx.State):
    """One document section of the portal in one browser tab."""

    section: str = ""
    rows: list[PortalDocumentRow] = []
    payments: list[PortalPaymentRow] = []
    loaded: bool = False

    @rx.event
    async def on_load(self):
        """Read the section this page shows."""
        self.section = SECTION_OF_PAGE.get(self.router.url.path.rstrip("/"), "documents")
        return await self._load()

    async def _load(self):
        scope, refusal = await portal_scope_or_refusal(self, self.section)
        if scope is None:
            self.rows = []
            return refusal
        with session_scope() as session:
            self._read(scope, session)
        return None

    def _read(self, scope: PortalScope, session: Session) -> None:
        if self.section == "payments":
            found_payments = documents.my_payments(scope=scope, session=session)
            self.payments = [_payment(p, numbers, scope.language) for p, numbers in found_payments]
            self.rows, self.loaded = [], True
            return
        found = documents.my_documents(self.section, scope=scope, session=session)
        paying = documents.payment_states(found, scope=scope, session=session) if self.section == "invoices" else {}
        self.rows, self.loaded = [_row(d, scope.language, paying.get(d.id)) for d in found], True

    @rx.event
    async def accept(self, document_id: str):
        """Accept an estimate."""
        return await self._answer(document_id, True)

    @rx.event
    async def decline(self, document_id: str):
        """Decline an estimate."""
        return await self._answer(document_id, False)

    async def _answer(self, document_id: str, accept: bool):
        chosen = (parse_ids(document_id) or [0])[0]

        def work(scope: PortalScope, session: Session) -> None:
            documents.answer_estimate(chosen, accept, scope=scope, session=session)
            self._read(scope, session)

        _, event = await portal_act(self, "estimates", work)
        return event
