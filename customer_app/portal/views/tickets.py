"""The portal's dashboard and tickets pages: open tickets at a glance, the list with threads, new ticket, reply."""

import reflex as rx

from customer_app import routes
from customer_app.portal.state.portal import PortalState as P
from customer_app.portal.state.portal import tr
from customer_app.portal.state.portal_tickets import PortalTicketRow, ReplyRow
from customer_app.portal.state.portal_tickets import PortalTicketsState as T
from customer_app.records.models import TICKET_STATUSES
from customer_app.ui.form_field import form_field, textarea_field

STATUS_COLORS = {"new": "blue", "in_progress": "amber", "solved": "green", "cancelled": "gray"}


def _status(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        *[(key, rx.badge(tr(label), color_scheme=STATUS_COLORS[key])) for key, label in TICKET_STATUSES.items()],
        rx.badge(status),
    )


def _message(reply: ReplyRow) -> rx.Component:
    return rx.cond(reply.status != "", _status_change(reply), _reply(reply))


def _status_change(change: ReplyRow) -> rx.Component:
    return rx.hstack(
        rx.text(tr("Status"), size="1", class_name="muted"),
        _status(change.status),
        rx.text(change.at, size="1", class_name="muted"),
        align="center",
        class_name="portal-message",
    )


def _reply(reply: ReplyRow) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.text(reply.author, weight="bold", size="2"),
            rx.cond(reply.from_customer, rx.fragment(), rx.badge(tr("Support"), size="1")),
            rx.text(reply.at, size="1", class_name="muted"),
            align="center",
        ),
        rx.text(reply.body, size="2", class_name="note-body"),
        class_name="portal-message",
    )


def _ticket(row: PortalTicketRow) -> rx.Component:
    field_id = "reply-" + row.id
    return rx.card(
        rx.vstack(
            rx.flex(rx.heading(row.subject, size="3", as_="h3"), _status(row.status), justify="between", width="100%"),
            rx.text(row.opened, size="1", class_name="muted"),
            rx.cond(row.description, rx.text(row.description, size="2", class_name="note-body")),
            rx.foreach(row.thread, _message),
            rx.form(
                rx.el.label(tr("Reply"), html_for=field_id, class_name="sr-only"),
                rx.text_area(id=field_id, name="reply", placeholder=tr("Write a reply"), rows="2", width="100%"),
                rx.cond(
                    T.reply_errors[row.id],
                    rx.text(T.reply_errors[row.id], color_scheme="red", size="1", role="alert"),
                ),
                rx.button(tr("Reply"), type="submit", size="2", margin_top="6px"),
                key=T.form_key.to_string() + row.id,
                on_submit=lambda form: T.reply(row.id, form),
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def _new_ticket() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(tr("New ticket"), size="3", as_="h2"),
                form_field(tr("Subject"), "subject", "", T.errors["subject"], required=True),
                textarea_field(tr("Description"), "description", "", T.errors["description"]),
                rx.button(tr("Send"), type="submit"),
                spacing="2",
                width="100%",
            ),
            key=T.form_key.to_string(),
            on_submit=T.open_ticket,
            width="100%",
        ),
        width="100%",
    )


def _filter() -> rx.Component:
    return rx.el.select(
        rx.el.option(tr("All"), value="all"),
        *[rx.el.option(tr(label), value=key) for key, label in TICKET_STATUSES.items()],
        value=T.status_filter,
        on_change=T.set_status_filter,
        aria_label=tr("Status"),
        class_name="native-select",
    )


def tickets_view() -> rx.Component:
    """The tickets page: a new ticket, the status filter and every ticket with its thread."""
    return rx.vstack(
        rx.heading(tr("Tickets"), size="6"),
        _new_ticket(),
        rx.flex(rx.heading(tr("Your tickets"), size="4", as_="h2"), _filter(), justify="between", width="100%"),
        rx.cond(
            T.rows.length() > 0,
            rx.foreach(T.rows, _ticket),
            rx.cond(T.loaded, rx.text(tr("No tickets yet."), class_name="empty-state")),
        ),
        spacing="4",
        width="100%",
    )


def dashboard_view() -> rx.Component:
    """The dashboard: who you work for, what you can do here, your open tickets."""
    return rx.vstack(
        rx.heading(T.welcome, size="6"),
        rx.cond(P.customer_name != P.account_name, rx.text(P.customer_name, size="4", class_name="muted")),
        rx.cond(
            P.sections.contains("tickets"),
            rx.card(
                rx.vstack(
                    rx.heading(tr("Open tickets"), size="4", as_="h2"),
                    rx.text(T.open_tickets, size="7", weight="bold", data_testid="open-tickets"),
                    rx.link(tr("Open a ticket or reply"), href=routes.PORTAL_TICKETS),
                ),
                width="100%",
            ),
        ),
        rx.cond(
            P.sections.contains("profile"),
            rx.card(
                rx.vstack(
                    rx.heading(tr("Profile"), size="4", as_="h2"),
                    rx.link(tr("Keep your contact details up to date"), href=routes.PORTAL_PROFILE),
                ),
                width="100%",
            ),
        ),
        rx.cond(
            P.sections.length() == 0, rx.text(tr("Nothing is shared with you here yet."), class_name="empty-state")
        ),
        spacing="4",
        width="100%",
    )
