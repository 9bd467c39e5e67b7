"""The customer page: a header with the main actions, then its tabs."""

import reflex as rx

from customer_app import routes
from customer_app.access.state.auth import AuthState
from customer_app.customer_page.state.page import CustomerDetailState as S
from customer_app.customers.state.customer_form import CustomerFormState
from customer_app.customers.state.other_info import CustomerOtherInfoState as O
from customer_app.customers.views.custom_fields import custom_fields_tab
from customer_app.customers.views.other_info import other_info_tab
from customer_app.records.state.activities import CustomerActivitiesState as A
from customer_app.records.state.addresses import CustomerAddressesState as D
from customer_app.records.state.contacts import CustomerContactsState as C
from customer_app.records.state.tickets import CustomerTicketsState as T
from customer_app.records.views.activities import activities_tab
from customer_app.records.views.addresses import addresses_tab
from customer_app.records.views.contacts import contacts_tab
from customer_app.records.views.tickets import tickets_tab
from customer_app.ui.avatar import avatar
from customer_app.ui.change_list import change_list
from customer_app.ui.confirm_dialog import confirm_dialog
from customer_app.ui.icon_action import icon_action


def _header() -> rx.Component:
    h = S.header
    contact = rx.hstack(
        rx.cond(
            h["email"] != "",
            rx.hstack(rx.icon("mail", size=14), rx.text(h["email"], class_name="wrap-anywhere"), align="center"),
        ),
        rx.cond(h["phone"] != "", rx.hstack(rx.icon("phone", size=14), rx.text(h["phone"]), align="center")),
        spacing="4",
        wrap="wrap",
        class_name="muted",
    )
    return rx.flex(
        avatar(h["picture"], h["initials"], size="6"),
        rx.vstack(
            rx.hstack(
                rx.heading(h["name"], size="6", class_name="wrap-anywhere"),
                rx.badge(h["kind"], variant="soft"),
                align="center",
                wrap="wrap",
            ),
            contact,
            rx.hstack(
                rx.foreach(
                    O.groups,
                    lambda g: rx.cond(g["on"] != "", rx.badge(g["name"], color_scheme="violet", variant="soft")),
                ),
                rx.cond(O.tags != "", rx.text("Tags: " + O.tags, size="2", class_name="muted")),
                spacing="2",
                wrap="wrap",
                align="center",
            ),
            spacing="1",
            flex="1",
            min_width="0",
        ),
        rx.hstack(
            rx.cond(
                AuthState.can_edit,
                rx.hstack(
                    rx.button(
                        rx.icon("pencil", size=16),
                        "Edit",
                        variant="soft",
                        on_click=CustomerFormState.open_edit(h["id"]),
                    ),
                    rx.button(rx.icon("copy", size=16), "Create Duplicate", variant="soft", on_click=S.duplicate),
                    rx.button(
                        rx.icon("trash-2", size=16),
                        "Delete",
                        variant="soft",
                        color_scheme="red",
                        on_click=S.set_delete_open(True),
                    ),
                    spacing="2",
                    wrap="wrap",
                ),
            ),
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


def _step(icon: str, label: str, target: rx.Var, element_id: str) -> rx.Component:
    """A previous/next button: a link to the neighbour in the list's order, disabled at either end."""
    return rx.cond(
        target != "",
        rx.link(
            rx.icon(icon, size=18),
            href="/customers/" + target,
            id=element_id,
            aria_label=label,
            title=label,
            class_name="step-link",
        ),
        rx.el.span(rx.icon(icon, size=18), aria_label=label, aria_disabled="true", class_name="step-link disabled"),
    )


# J and K step through customers (as in many mail programs), unless the user is typing somewhere.
_KEYS = """
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


def _delete_dialog() -> rx.Component:
    return confirm_dialog(
        open_=S.delete_open,
        title="Delete customer?",
        body=rx.text(rx.text.strong(S.header["name"]), " will be moved to Trash. You can restore it from there."),
        on_open_change=S.set_delete_open,
        actions=[rx.button("Delete", color_scheme="red", on_click=S.delete_customer)],
    )


def _group_badge(group: rx.Var) -> rx.Component:
    return rx.cond(group["on"] != "", rx.badge(group["name"], color_scheme="violet", variant="soft"))


def _fact(fact: rx.Var) -> rx.Component:
    return rx.fragment(rx.el.dt(fact[0], class_name="muted"), rx.el.dd(fact[1], class_name="wrap-anywhere"))


def _count(value: rx.Var, label: str) -> rx.Component:
    return rx.badge(value.to_string() + " " + label, variant="soft", color_scheme="gray")


def _history_event(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.text(row.when, size="1", class_name="muted nowrap"),
            rx.text(row.who, size="1", weight="medium"),
            rx.badge(row.action, variant="soft", color_scheme="gray", size="1"),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.cond(row.changes.length() > 0, change_list(row.changes), rx.text(row.what, size="1", class_name="muted")),
        class_name="history-event",
    )


def _overview() -> rx.Component:
    return rx.flex(
        rx.card(
            rx.heading("Key facts", size="3", margin_bottom="8px"),
            rx.cond(
                S.facts.length() > 0,
                rx.el.dl(rx.foreach(S.facts, _fact), class_name="fact-list"),
                rx.text("Nothing more is recorded yet.", class_name="muted"),
            ),
            rx.hstack(
                _count(C.emails.length() + C.phones.length(), "contacts"),
                _count(D.rows.length(), "addresses"),
                _count(S.notes.length(), "notes"),
                _count(A.upcoming.length(), "upcoming activities"),
                _count(T.rows.length(), "tickets shown"),
                spacing="2",
                wrap="wrap",
                margin_top="12px",
                aria_label="Counts per tab",
            ),
            flex="1",
            min_width="280px",
        ),
        rx.card(
            rx.heading("Recent history", size="3", margin_bottom="8px"),
            rx.cond(
                S.history.length() > 0,
                rx.el.ol(rx.foreach(S.history, _history_event), class_name="history-list"),
                rx.text("Nothing recorded yet.", class_name="muted"),
            ),
            flex="1",
            min_width="280px",
        ),
        spacing="4",
        wrap="wrap",
        width="100%",
    )


def _note(note: rx.Var) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.text(note.author, size="2", weight="medium"),
            rx.text(note.when, size="1", class_name="muted"),
            rx.spacer(),
            rx.cond(
                AuthState.can_edit,
                icon_action("trash-2", "Delete note", S.ask_delete_note(note.id), color_scheme="red"),
            ),
            align="center",
            width="100%",
        ),
        # React renders this as text: markup typed into a note is shown, never run.
        rx.text(note.body, class_name="note-body"),
        width="100%",
        data_testid="note",
    )


def _notes() -> rx.Component:
    form = rx.form(
        rx.vstack(
            rx.el.label("New note", html_for="new-note", class_name="field-label"),
            rx.text_area(id="new-note", name="note", rows="3", max_length=5000, width="100%"),
            rx.cond(S.note_error != "", rx.text(S.note_error, color_scheme="red", size="1", role="alert")),
            rx.button(rx.icon("send", size=14), "Send", type="submit"),
            spacing="2",
            width="100%",
        ),
        on_submit=S.add_note,
        key=S.note_form_key,
        width="100%",
    )
    return rx.vstack(
        rx.cond(AuthState.can_edit, form),
        rx.cond(
            S.notes.length() > 0,
            rx.vstack(rx.foreach(S.notes, _note), spacing="2", width="100%"),
            rx.text("No notes yet.", class_name="muted"),
        ),
        confirm_dialog(
            open_=S.confirm_note_id != "",
            title="Delete this note?",
            body="The note is removed for everyone. The audit trail keeps a copy of its text.",
            on_open_change=S.set_confirm_open,
            actions=[rx.button("Confirm", color_scheme="red", on_click=S.delete_note)],
        ),
        spacing="3",
        width="100%",
        max_width="760px",
    )


def _switch(switch: rx.Var) -> rx.Component:
    return rx.el.label(
        rx.switch(
            checked=switch["on"] != "",
            on_change=lambda on: S.set_switch(switch["topic"], on),
            disabled=~AuthState.can_edit,
        ),
        rx.text(switch["label"]),
        class_name="checkbox-label",
    )


def _notifications() -> rx.Component:
    return rx.vstack(
        rx.text(
            "Which e-mails this customer receives. Newsletters need the customer's consent, so they start off.",
            class_name="muted",
        ),
        rx.foreach(S.switches, _switch),
        spacing="3",
    )


def _missing() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("search-x")),
        rx.callout.text(
            "This customer does not exist or is in Trash. ",
            rx.link("Back to customers", href=routes.CUSTOMERS),
        ),
        color_scheme="amber",
        role="alert",
        max_width="640px",
    )


def customer_detail() -> rx.Component:
    """Everything the workspace knows about one customer."""
    found = rx.vstack(
        rx.link(
            rx.hstack(rx.icon("arrow-left", size=14), "Customers", align="center"), href=routes.CUSTOMERS, size="2"
        ),
        _header(),
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger("Overview", value="overview"),
                rx.tabs.trigger("Contact info", value="contact"),
                rx.tabs.trigger("Addresses", value="addresses"),
                rx.tabs.trigger("Notes", value="notes"),
                rx.tabs.trigger("Activities", value="activities"),
                rx.tabs.trigger("Tickets", value="tickets"),
                rx.tabs.trigger("Other info", value="other"),
                rx.tabs.trigger("Custom fields", value="custom"),
                rx.tabs.trigger("Notifications", value="notifications"),
            ),
            rx.tabs.content(_overview(), value="overview", padding_top="16px"),
            rx.tabs.content(contacts_tab(), value="contact", padding_top="16px"),
            rx.tabs.content(addresses_tab(), value="addresses", padding_top="16px"),
            rx.tabs.content(_notes(), value="notes", padding_top="16px"),
            rx.tabs.content(activities_tab(), value="activities", padding_top="16px"),
            rx.tabs.content(tickets_tab(), value="tickets", padding_top="16px"),
            rx.tabs.content(other_info_tab(), value="other", padding_top="16px"),
            rx.tabs.content(custom_fields_tab(), value="custom", padding_top="16px"),
            rx.tabs.content(_notifications(), value="notifications", padding_top="16px"),
            value=S.tab,
            on_change=S.set_tab,
            width="100%",
        ),
        _delete_dialog(),
        rx.script(_KEYS),
        spacing="4",
        width="100%",
    )
    return rx.match(
        S.status,
        ("ok", found),
        ("missing", _missing()),
        rx.center(rx.spinner(size="3"), padding="48px", aria_label="Loading"),
    )
