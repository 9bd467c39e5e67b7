"""The staff page: the invite form, the table of accounts with role and status, and the deactivate confirmation."""

import reflex as rx

from customer_app.admin.state.staff import StaffAdminState as S
from customer_app.core.permissions import ROLE_LABELS, Role
from customer_app.ui.confirm_dialog import confirm_dialog
from customer_app.ui.form_field import form_field

ROLE_OPTIONS = [(role.value, ROLE_LABELS[role]) for role in Role]


def _role_options() -> list[rx.Component]:
    return [rx.el.option(label, value=value) for value, label in ROLE_OPTIONS]


def invite_form() -> rx.Component:
    """Name, e-mail and role of a colleague; they get a link to choose a password."""
    role_error = S.invite_errors["role"]
    return rx.card(
        rx.form(
            rx.heading("Invite a colleague", size="3", as_="h2"),
            rx.text("They get an e-mail with a link to choose a password (valid for 7 days).", class_name="muted"),
            rx.flex(
                rx.box(
                    form_field("Name", "name", "", S.invite_errors["name"], required=True, auto_complete="off"),
                    class_name="invite-field",
                ),
                rx.box(
                    form_field(
                        "Email",
                        "email",
                        "",
                        S.invite_errors["email"],
                        type_="email",
                        required=True,
                        auto_complete="off",
                    ),
                    class_name="invite-field",
                ),
                rx.box(
                    rx.el.label("Role", html_for="invite-role", class_name="field-label"),
                    rx.el.select(
                        *_role_options(),
                        id="invite-role",
                        name="role",
                        default_value=Role.STAFF.value,
                        class_name="native-select",
                    ),
                    rx.cond(role_error, rx.text(role_error, color_scheme="red", size="1", role="alert")),
                    class_name="field",
                ),
                rx.button(rx.icon("send", size=16), "Invite", type="submit", class_name="invite-submit"),
                spacing="3",
                align="start",
                wrap="wrap",
                margin_top="12px",
            ),
            key=S.invite_key.to_string(),
            on_submit=S.invite,
            reset_on_submit=False,
            no_validate=True,  # the server validates and explains every field
        ),
        width="100%",
    )


def _status(row: rx.Var) -> rx.Component:
    return rx.match(
        row.status,
        ("Active", rx.badge(row.status, color_scheme="green", variant="soft")),
        ("Deactivated", rx.badge(row.status, color_scheme="red", variant="soft")),
        rx.badge(row.status, color_scheme="amber", variant="soft"),
    )


def _role_select(row: rx.Var) -> rx.Component:
    field_id = "role-" + row.id
    return rx.box(
        rx.el.label("Role for ", row.name, html_for=field_id, class_name="sr-only"),
        rx.el.select(
            *_role_options(), id=field_id, value=row.role, on_change=S.change_role(row.id), class_name="native-select"
        ),
    )


def _actions(row: rx.Var) -> rx.Component:
    return rx.cond(
        row.active,
        rx.button(
            "Deactivate",
            variant="soft",
            color_scheme="red",
            size="1",
            aria_label="Deactivate " + row.name,
            on_click=S.ask_deactivate(row.id, row.name),
        ),
        rx.button(
            "Reactivate", variant="soft", size="1", aria_label="Reactivate " + row.name, on_click=S.reactivate(row.id)
        ),
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.hstack(
                rx.text(row.name, weight="medium", class_name="truncate", title=row.name),
                rx.cond(row.is_me, rx.badge("you", variant="outline", size="1")),
                spacing="2",
                align="center",
            )
        ),
        rx.table.cell(rx.text(row.email, class_name="truncate", title=row.email)),
        rx.table.cell(_role_select(row)),
        rx.table.cell(_status(row)),
        rx.table.cell(_actions(row)),
        align="center",
        data_testid="staff-row",
    )


def staff_table() -> rx.Component:
    """Every account: name, e-mail, role (changeable), status and the (de)activate action."""
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[rx.table.column_header_cell(h) for h in ("Name", "Email", "Role", "Status")],
                    rx.table.column_header_cell(rx.text("Actions", class_name="sr-only")),
                )
            ),
            rx.table.body(rx.foreach(S.rows, _row)),
            variant="surface",
            size="1",
            class_name="staff-table",
            aria_label="Staff",
        ),
        overflow_x="auto",
        width="100%",
    )


def deactivate_dialog() -> rx.Component:
    """Ask before deactivating: the person is signed out everywhere at once."""
    return confirm_dialog(
        open_=S.confirm_id != "",
        title="Deactivate account?",
        body=rx.text(
            rx.text.strong(S.confirm_name),
            " will be signed out everywhere and cannot sign in until "
            "reactivated. Their past actions stay in the audit log.",
        ),
        on_open_change=S.set_confirm_open,
        actions=[rx.button("Deactivate", color_scheme="red", on_click=S.confirm_deactivate)],
    )


def staff_admin() -> rx.Component:
    """Invite form above the staff table."""
    return rx.vstack(invite_form(), staff_table(), deactivate_dialog(), width="100%", spacing="4")
