"""The Activities tab: upcoming and past meetings, calls and tasks, and the plan/edit pop-up."""

import reflex as rx

from customer_app.access.state.auth import AuthState
from customer_app.records.models import ACTIVITY_KINDS, ACTIVITY_STATUSES
from customer_app.records.state.activities import CustomerActivitiesState as A
from customer_app.ui.confirm_dialog import confirm_dialog
from customer_app.ui.form_dialog import form_dialog
from customer_app.ui.form_field import form_field, select_field
from customer_app.ui.icon_action import icon_action

_ICONS = (("meeting", "users"), ("call", "phone"), ("task", "square-check"))


def _activity(row: rx.Var) -> rx.Component:
    details = rx.hstack(
        rx.text(row.when, size="2"),
        rx.text(row.duration, size="2", class_name="muted"),
        rx.cond(row.location != "", rx.text(row.location, size="2", class_name="muted")),
        rx.cond(row.participants != "", rx.text("With " + row.participants, size="2", class_name="muted")),
        spacing="3",
        wrap="wrap",
    )
    return rx.card(
        rx.hstack(
            rx.match(row.kind, *[(k, rx.icon(icon, size=16)) for k, icon in _ICONS], rx.icon("calendar", size=16)),
            rx.text(row.title, weight="bold", class_name="wrap-anywhere"),
            rx.badge(row.kind_label, variant="soft", color_scheme="gray"),
            rx.badge(
                row.status_label,
                variant="soft",
                color_scheme=rx.match(row.status, ("done", "green"), ("cancelled", "gray"), "blue"),
            ),
            rx.spacer(),
            rx.cond(
                AuthState.can_edit,
                rx.hstack(
                    rx.button(
                        "Edit", size="1", variant="soft", on_click=A.open_edit(row.id), aria_label="Edit " + row.title
                    ),
                    icon_action("trash-2", "Delete " + row.title, A.ask_delete(row.id), color_scheme="red"),
                    spacing="2",
                    align="center",
                ),
            ),
            align="center",
            wrap="wrap",
            width="100%",
        ),
        details,
        width="100%",
        data_testid="activity",
    )


def _select(name: str, label: str, options: dict[str, str]) -> rx.Component:
    return select_field(label, name, options, A.values[name], A.errors[name], blank=False)


def _dialog() -> rx.Component:
    return form_dialog(
        rx.cond(A.editing_id > 0, "Edit activity", "New activity"),
        rx.hstack(_select("kind", "Type", ACTIVITY_KINDS), _select("status", "Status", ACTIVITY_STATUSES)),
        form_field("Title", "title", A.values["title"], A.errors["title"], required=True, max_length=200),
        rx.hstack(
            form_field(
                "Starts",
                "starts_at",
                A.values["starts_at"],
                A.errors["starts_at"],
                type_="datetime-local",
                required=True,
            ),
            form_field(
                "Duration (minutes)",
                "duration_minutes",
                A.values["duration_minutes"],
                A.errors["duration_minutes"],
                type_="number",
                min="1",
            ),
            width="100%",
        ),
        rx.text("Times are in your time zone, " + A.time_zone + ".", size="1", class_name="muted"),
        form_field("Location", "location", A.values["location"], A.errors["location"], max_length=200),
        form_field(
            "Participants",
            "participants",
            A.values["participants"],
            A.errors["participants"],
            max_length=1000,
            placeholder="Names, separated by commas",
        ),
        on_submit=A.save,
        form_key=A.form_key,
        open_=A.form_open,
        on_open_change=A.set_form_open,
    )


def _section(title: str, rows: rx.Var, empty: str) -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="3"),
        rx.cond(
            rows.length() > 0,
            rx.vstack(rx.foreach(rows, _activity), spacing="2", width="100%"),
            rx.text(empty, class_name="muted"),
        ),
        spacing="2",
        width="100%",
        aria_label=title,
        role="region",
    )


def activities_tab() -> rx.Component:
    """Upcoming first, then past; plan, edit and delete."""
    return rx.vstack(
        rx.cond(AuthState.can_edit, rx.button(rx.icon("plus", size=16), "New activity", on_click=A.open_new)),
        _section("Upcoming", A.upcoming, "Nothing planned."),
        _section("Past", A.past, "Nothing yet."),
        _dialog(),
        confirm_dialog(
            open_=A.confirm_id != "",
            title="Delete this activity?",
            body="It is removed for everyone. The audit trail keeps a record.",
            on_open_change=A.set_confirm_open,
            actions=[rx.button("Confirm", color_scheme="red", on_click=A.delete)],
        ),
        spacing="4",
        width="100%",
        max_width="760px",
    )
