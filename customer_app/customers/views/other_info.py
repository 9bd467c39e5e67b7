"""The Other info tab: business number, tags (with suggestions), groups and sales rep, and groups for admins."""

import reflex as rx

from customer_app import routes
from customer_app.access.state.auth import AuthState
from customer_app.core.i18n import LANGUAGES
from customer_app.customers.state.other_info import CustomerOtherInfoState as O
from customer_app.ui.form_field import form_field, select_field


def _group(group: rx.Var) -> rx.Component:
    return rx.el.label(
        rx.checkbox(
            name="group-" + group["id"],
            default_checked=group["on"] != "",
            disabled=~AuthState.can_edit,
            aria_label=group["name"],
        ),
        group["name"],
        class_name="checkbox-label",
    )


def _groups_admin() -> rx.Component:
    return rx.form(
        rx.hstack(
            form_field("New group", "group_name", "", O.errors["group"], max_length=80),
            rx.button("Add group", type="submit", variant="soft"),
            rx.link("Rename or remove groups", href=routes.SETTINGS, size="2", margin_bottom="8px"),
            align="end",
        ),
        on_submit=O.add_group,
        reset_on_submit=True,
        no_validate=True,
    )


def other_info_tab() -> rx.Component:
    """Edit and save the customer's other info."""
    form = rx.form(
        rx.vstack(
            form_field(
                "Business number", "business_number", O.business_number, O.errors["business_number"], max_length=64
            ),
            rx.box(
                form_field(
                    "Tags",
                    "tags",
                    O.tags,
                    O.errors["tags"],
                    list="tag-suggestions",
                    placeholder="vip, wholesale",
                    on_focus=O.load_suggestions,
                ),
                rx.el.datalist(rx.foreach(O.suggestions, lambda tag: rx.el.option(value=tag)), id="tag-suggestions"),
                width="100%",
            ),
            rx.text("Separate tags with commas.", size="1", class_name="muted"),
            rx.vstack(
                rx.text("Groups", class_name="field-label"),
                rx.cond(
                    O.groups.length() > 0,
                    rx.flex(rx.foreach(O.groups, _group), spacing="4", wrap="wrap"),
                    rx.text("No groups yet. Admins add them below.", size="2", class_name="muted"),
                ),
                rx.cond(O.errors["groups"], rx.text(O.errors["groups"], color_scheme="red", size="1", role="alert")),
                spacing="1",
            ),
            rx.vstack(
                rx.el.label("Sales rep", html_for="sales-rep", class_name="field-label"),
                rx.el.select(
                    rx.el.option("Nobody", value=""),
                    rx.foreach(O.reps, lambda rep: rx.el.option(rep["name"], value=rep["id"])),
                    id="sales-rep",
                    name="sales_rep",
                    default_value=O.sales_rep,
                    class_name="native-select",
                ),
                rx.cond(
                    O.errors["sales_rep"], rx.text(O.errors["sales_rep"], color_scheme="red", size="1", role="alert")
                ),
                spacing="1",
            ),
            select_field("Language", "language", LANGUAGES, O.language, O.errors["language"]),
            rx.text("Portal pages, e-mails and documents for this customer use it.", size="1", class_name="muted"),
            rx.cond(AuthState.can_edit, rx.button("Save other info", type="submit")),
            spacing="3",
            width="100%",
        ),
        on_submit=O.save,
        key=O.form_key,
        no_validate=True,
        width="100%",
    )
    return rx.vstack(form, rx.cond(AuthState.is_admin, _groups_admin()), spacing="5", width="100%", max_width="640px")
