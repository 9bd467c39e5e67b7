"""The portal's document sections: a list per section, and Accept / Decline on an estimate waiting for an answer."""

import reflex as rx

from customer_app.portal.documents import PDF_PATH
from customer_app.portal.state.portal import PortalState, tr
from customer_app.portal.state.portal_documents import PortalDocumentRow, PortalPaymentRow
from customer_app.portal.state.portal_documents import PortalDocumentsState as D
from customer_app.ui.backend_url import download_link

TITLES = {
    "invoices": "Invoices",
    "estimates": "Estimates",
    "sales_orders": "Sales orders",
    "documents": "Documents",
    "payments": "Payments",
}


def _document(row: PortalDocumentRow) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.text(row.kind, " ", rx.text.strong(row.number)),
                rx.text(row.date, size="1", class_name="muted"),
                rx.cond(row.due, rx.text(tr("Due date"), ": ", row.due, size="1", class_name="muted")),
                spacing="1",
            ),
            rx.vstack(
                rx.text(row.total, weight="bold"),
                rx.badge(row.status_label),
                download_link(tr("PDF"), PDF_PATH + row.id, holder=PortalState.portal_token, link_id="pdf-" + row.id),
                rx.cond(row.balance, rx.text(tr("Left to pay"), ": ", row.balance, size="1")),
                align="end",
                spacing="1",
            ),
            justify="between",
            width="100%",
        ),
        rx.cond(
            row.answerable,
            rx.hstack(
                rx.button(tr("Accept"), size="2", on_click=D.accept(row.id)),
                rx.button(tr("Decline"), size="2", variant="soft", color_scheme="gray", on_click=D.decline(row.id)),
                margin_top="8px",
            ),
        ),
        width="100%",
        data_testid="portal-document",
    )


def _payment(row: PortalPaymentRow) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.text(row.date, weight="bold"),
                rx.text(row.method, size="1", class_name="muted"),
                rx.cond(row.documents, rx.text(row.documents, size="1", class_name="muted")),
                spacing="1",
            ),
            rx.vstack(
                rx.text(row.amount, weight="bold"),
                rx.cond(row.refund, rx.badge(tr("Refund"), color_scheme="amber")),
                align="end",
                spacing="1",
            ),
            justify="between",
            width="100%",
        ),
        width="100%",
        data_testid="portal-payment",
    )


def documents_view() -> rx.Component:
    """One section's documents, newest first."""
    return rx.vstack(
        rx.heading(
            rx.match(D.section, *[(key, tr(title)) for key, title in TITLES.items()], tr("Documents")), size="6"
        ),
        rx.cond(
            (D.rows.length() > 0) | (D.payments.length() > 0),
            rx.fragment(rx.foreach(D.rows, _document), rx.foreach(D.payments, _payment)),
            rx.cond(D.loaded, rx.text(tr("Nothing here yet."), class_name="empty-state")),
        ),
        spacing="3",
        width="100%",
    )
