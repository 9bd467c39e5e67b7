"""The Portal tab of the customer page: access and its status, invitations, revoking, and the sections shown."""

import reflex as rx

from customer_app.access.state.auth import AuthState
from customer_app.portal.state.customer_portal import AccessLine, ContactChoice, SectionSwitch
from customer_app.portal.state.customer_portal import CustomerPortalState as P
from customer_app.portal.state.portal import PortalState
from customer_app.ui.confirm_dialog import confirm_dialog

STATUS_COLORS = {"invited": "blue", "opened": "cyan", "registered": "green", "expired": "amber", "revoked": "gray"}


def _status(line: AccessLine) -> rx.Component:
    return rx.match(
        line.status,
        *[(status, rx.badge(line.status_label, color_scheme=color)) for status, color in STATUS_COLORS.items()],
        rx.badge(line.status_label),
    )


def _line(line: AccessLine) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.vstack(
                rx.text(line.email),
                rx.cond(line.contact_name, rx.text(line.contact_name, size="1", class_name="muted")),
                spacing="0",
            )
        ),
        rx.table.cell(_status(line)),
        rx.table.cell(line.invited),
        rx.table.cell(line.last_sign_in),
        rx.table.cell(
            rx.cond(
                AuthState.can_edit & (line.status != "revoked"),
                rx.button(
                    "Revoke access", size="1", variant="soft", color_scheme="red", on_click=P.ask_revoke(line.grant_id)
                ),
            )
        ),
    )


def _access() -> rx.Component:
    return rx.cond(
        P.lines.length() > 0,
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[rx.table.column_header_cell(h) for h in ("Who", "Status", "Invited", "Last sign-in", "")]
                )
            ),
            rx.table.body(rx.foreach(P.lines, _line)),
            width="100%",
        ),
        rx.text("Nobody has access to the client portal for this customer yet.", class_name="empty-state"),
    )


def _contact(contact: ContactChoice) -> rx.Component:
    return rx.hstack(
        rx.text(contact.label, size="2"),
        rx.button("Give access", size="1", variant="soft", on_click=P.invite_contact(contact.id)),
        align="center",
    )


def _switch(switch: SectionSwitch) -> rx.Component:
    return rx.el.label(
        rx.switch(
            checked=switch.on,
            on_change=lambda on: P.set_section(switch.key, on),
            disabled=~AuthState.can_edit,
        ),
        rx.text(switch.label),
        rx.cond(switch.coming, rx.text("(not built yet: hidden until it is)", size="1", class_name="muted")),
        class_name="checkbox-label",
    )


def portal_tab() -> rx.Component:
    """Who may use the client portal for this customer, and what they see there."""
    return rx.vstack(
        rx.flex(
            rx.heading("Client portal access", size="3", as_="h3"),
            rx.hstack(
                rx.button(
                    rx.icon("eye", size=16),
                    "Preview portal",
                    size="2",
                    variant="soft",
                    on_click=PortalState.preview(P.customer_id.to_string()),
                ),
                rx.cond(
                    AuthState.can_edit,
                    rx.button(
                        rx.icon("send", size=16),
                        "Send portal invitation",
                        size="2",
                        on_click=P.send_invitation,
                        disabled=~P.has_email,
                    ),
                ),
                wrap="wrap",
            ),
            justify="between",
            width="100%",
            wrap="wrap",
            gap="8px",
        ),
        rx.cond(~P.has_email, rx.text("Add an e-mail address to this customer to invite them.", class_name="muted")),
        _access(),
        rx.cond(
            AuthState.can_edit & (P.contacts.length() > 0),
            rx.vstack(
                rx.heading("Contact persons", size="2", as_="h4"),
                rx.foreach(P.contacts, _contact),
                spacing="2",
            ),
        ),
        rx.heading("Sections they see", size="3", as_="h3", margin_top="12px"),
        rx.foreach(P.switches, _switch),
        confirm_dialog(
            open_=P.confirm_grant != "",
            title="Revoke portal access?",
            body="This person is signed out of the portal for this customer at once, and a pending invitation "
            "stops working. You can invite them again later.",
            on_open_change=P.set_confirm_open,
            actions=[rx.button("Revoke access", color_scheme="red", on_click=P.revoke)],
        ),
        spacing="3",
        width="100%",
    )
