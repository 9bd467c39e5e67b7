"""The customers list's filter bar: a group drop-down, a tag box with suggestions, the added yes/no filters as
check boxes, and the active filters as chips."""

import reflex as rx

from customer_app.customers import list_extras
from customer_app.customers.state.customer_list import CustomerListState as S


def group_select() -> rx.Component:
    """A native drop-down of every group (keyboard- and screen-reader-friendly); changing it filters at once."""
    return rx.hstack(
        rx.el.label("Group", html_for="filter-group", class_name="field-label"),
        rx.el.select(
            rx.el.option("All groups", value=""),
            rx.foreach(S.groups, lambda group: rx.el.option(group["name"], value=group["id"])),
            id="filter-group",
            value=S.group,
            on_change=S.set_group,
            class_name="native-select filter-select",
        ),
        align="center",
        spacing="2",
    )


def tag_box() -> rx.Component:
    """Tag box: a tag in use (from the suggestions) filters as soon as it is typed, any other on Enter."""
    return rx.form(
        rx.hstack(
            rx.el.label("Tag", html_for="filter-tag", class_name="field-label"),
            rx.input(
                id="filter-tag",
                name="tag",
                type="search",
                placeholder="Any tag",
                list="filter-tag-options",
                value=S.tag_text,
                on_change=S.type_tag.debounce(300),
                on_focus=S.load_tag_options,
                max_length=50,
                auto_complete="off",
                class_name="filter-tag",
            ),
            rx.el.datalist(rx.foreach(S.tag_options, lambda tag: rx.el.option(value=tag)), id="filter-tag-options"),
            align="center",
            spacing="2",
        ),
        on_submit=S.submit_tag,
        no_validate=True,
    )


def flag_boxes() -> list[rx.Component]:
    """One check box for each added yes/no filter (e.g. "With open balance"); ticking it filters at once."""
    return [
        rx.el.label(
            rx.el.input(
                type="checkbox",
                id=f"filter-{extra.key}",
                checked=S.flags_on.contains(extra.key),
                on_change=S.toggle_flag(extra.key),
            ),
            " ",
            extra.label,
            html_for=f"filter-{extra.key}",
            class_name="check-label",
        )
        for extra in list_extras.flags()
    ]


def _flag_chip(key: str, label: str) -> rx.Component:
    return rx.cond(
        S.flags_on.contains(key),
        rx.badge(
            rx.text.span(label),
            rx.icon_button(
                rx.icon("x", size=12),
                size="1",
                variant="ghost",
                radius="full",
                aria_label=f"Remove filter {label.lower()}",
                title=f"Remove filter {label.lower()}",
                on_click=S.toggle_flag(key),
            ),
            size="2",
            radius="full",
            variant="soft",
            class_name="filter-chip",
        ),
    )


def _chip(kind: str, value: rx.Var, on_remove) -> rx.Component:
    return rx.badge(
        rx.text.span(f"{kind}: ", rx.text.strong(value, title=value)),
        rx.icon_button(
            rx.icon("x", size=12),
            size="1",
            variant="ghost",
            radius="full",
            aria_label=f"Remove {kind.lower()} filter",
            title=f"Remove {kind.lower()} filter",
            on_click=on_remove,
        ),
        size="2",
        radius="full",
        variant="soft",
        class_name="filter-chip",
    )


def active_filters() -> rx.Component:
    """The filters in use, each removable, and one button to drop them all."""
    return rx.cond(
        S.filtered,
        rx.hstack(
            rx.cond(S.group != "", _chip("Group", S.group_name, S.clear_group)),
            rx.cond(S.tag != "", _chip("Tag", S.tag, S.clear_tag)),
            *[_flag_chip(extra.key, extra.label) for extra in list_extras.flags()],
            rx.button("Clear filters", variant="ghost", size="1", on_click=S.clear_filters),
            align="center",
            spacing="2",
            wrap="wrap",
            aria_label="Active filters",
            role="group",
        ),
    )


def filter_bar() -> rx.Component:
    """Group, tag and added filters on one line (wrapping on narrow screens), the active ones as chips."""
    return rx.flex(
        group_select(),
        tag_box(),
        *flag_boxes(),
        active_filters(),
        align="center",
        spacing="4",
        wrap="wrap",
        width="100%",
        class_name="filter-bar",
    )
