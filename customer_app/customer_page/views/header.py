"""The customer page's header: picture, name, kind, e-mail and phone, groups and tags, and the main actions."""

import reflex as rx

from customer_app import routes
from customer_app.access.state.auth import AuthState
from customer_app.commerce.models import KINDS
from customer_app.commerce.state.sales import CustomerSalesState
from customer_app.customer_page.state.page import CustomerDetailState as S
from customer_app.customers.state.customer_form import CustomerFormState
from customer_app.ui.avatar import avatar
from customer_app.ui.confirm_dialog import confirm_dialog

# J and K step through customers (as in many mail programs), unless the user is typing somewhere.
STEP_KEYS = """
if (!window.__customerKeys) {
  window.__customerKeys = true;
  document.addEventListener('keydown', (event) => {
    const typing = event.target.closest('input, textarea, select, [contenteditable="true"]');
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = {j: 'next-customer', k: 'previous-customer'}[event.key.toLowerCase()];
    if (target) document.getElementById(target)?.click();
  });
}
"""


def _group_badge(name: rx.Var) -> rx.Component:
    return rx.badge(name, color_scheme="violet", variant="soft")


def _contact() -> rx.Component:
    h = S.header
    return rx.hstack(
        rx.cond(
            h["email"] != "",
            rx.hstack(rx.icon("mail", size=14), rx.text(h["email"], class_name="wrap-anywhere"), align="center"),
        ),
        rx.cond(h["phone"] != "", rx.hstack(rx.icon("phone", size=14), rx.text(h["phone"]), align="center")),
        spacing="4",
        wrap="wrap",
        class_name="muted",
    )


def _who() -> rx.Component:
    h = S.header
    return rx.vstack(
        rx.hstack(
            rx.heading(h["name"], size="6", class_name="wrap-anywhere"),
            rx.badge(h["kind"], variant="soft"),
            align="center",
            wrap="wrap",
        ),
        _contact(),
        rx.hstack(
            rx.foreach(S.groups, _group_badge),
            rx.cond(S.tags != "", rx.text("Tags: " + S.tags, size="2", class_name="muted")),
            spacing="2",
            wrap="wrap",
            align="center",
        ),
        spacing="1",
        flex="1",
        min_width="0",
    )


def _edit_actions() -> rx.Component:
    return rx.hstack(
        rx.button(
            rx.icon("pencil", size=16), "Edit", variant="soft", on_click=CustomerFormState.open_edit(S.header["id"])
        ),
        rx.button(rx.icon("copy", size=16), "Create Duplicate", variant="soft", on_click=S.duplicate),
        rx.button(rx.icon("send", size=16), "Send portal invitation", variant="soft", on_click=S.send_invitation),
        rx.menu.root(
            rx.menu.trigger(rx.button(rx.icon("file-plus", size=16), "New document", variant="soft")),
            rx.menu.content(
                *[
                    rx.menu.item(label, on_click=[S.set_tab("sales"), CustomerSalesState.new_document(kind)])
                    for kind, label in KINDS.items()
                    if kind != "credit_note"  # credit notes are made from the invoice they take back
                ]
            ),
        ),
        rx.button(
            rx.icon("trash-2", size=16), "Delete", variant="soft", color_scheme="red", on_click=S.set_delete_open(True)
        ),
        spacing="2",
        wrap="wrap",
    )


def _step(icon: str, label: str, target: rx.Var, element_id: str) -> rx.Component:
    """A previous/next button: a link to the neighbour in the list's order, disabled at either end."""
    return rx.cond(
        target != "",
        rx.link(
            rx.icon(icon, size=18),
            href=routes.customer(target),
            id=element_id,
            aria_label=label,
            title=label,
            class_name="step-link",
        ),
        rx.el.span(  # a link with nowhere to go: role link, so its label is allowed and read as dimmed
            rx.icon(icon, size=18), role="link", aria_label=label, aria_disabled="true", class_name="step-link disabled"
        ),
    )


def header() -> rx.Component:
    """Who the customer is, and what can be done with them."""
    return rx.flex(
        avatar(S.header["picture"], S.header["initials"], size="6"),
        _who(),
        rx.hstack(
            rx.cond(AuthState.can_edit, _edit_actions()),
            _step("chevron-left", "Previous customer (K)", S.previous_id, "previous-customer"),
            _step("chevron-right", "Next customer (J)", S.next_id, "next-customer"),
            spacing="2",
            align="center",
        ),
        spacing="4",
        align="center",
        wrap="wrap",
        width="100%",
        class_name="customer-header",
    )


def delete_dialog() -> rx.Component:
    """Ask before moving the customer to Trash."""
    return confirm_dialog(
        open_=S.delete_open,
        title="Delete customer?",
        body=rx.text(rx.text.strong(S.header["name"]), " will be moved to Trash. You can restore it from there."),
        on_open_change=S.set_delete_open,
        actions=[rx.button("Delete", color_scheme="red", on_click=S.delete_customer)],
    )
