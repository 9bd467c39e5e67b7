"""Page navigation and page size under the table."""

import reflex as rx

from customer_app.customers.state.customer_list import CustomerListState as S


def _nav(icon: str, label: str, page: rx.Var, disabled: rx.Var) -> rx.Component:
    return rx.icon_button(
        rx.icon(icon, size=16),
        variant="soft",
        aria_label=label,
        title=label,
        disabled=disabled,
        on_click=S.go_to_page(page),
    )


def pagination() -> rx.Component:
    """Rows per page, the range shown, and first/previous/next/last buttons."""
    return rx.flex(
        rx.hstack(
            rx.el.label("Rows per page", html_for="page-size", class_name="muted"),
            rx.el.select(
                *[rx.el.option(str(n), value=str(n)) for n in (25, 50, 100)],
                id="page-size",
                value=S.page_size.to_string(),
                on_change=S.set_page_size,
                class_name="native-select",
            ),
            align="center",
            spacing="2",
        ),
        rx.spacer(),
        rx.text(S.range_label, class_name="muted", margin_right="8px"),
        rx.hstack(
            _nav("chevrons-left", "First page", 1, S.page <= 1),
            _nav("chevron-left", "Previous page", S.page - 1, S.page <= 1),
            rx.text("Page ", S.page, " of ", S.page_count, class_name="nowrap"),
            _nav("chevron-right", "Next page", S.page + 1, S.page >= S.page_count),
            _nav("chevrons-right", "Last page", S.page_count, S.page >= S.page_count),
            align="center",
            spacing="2",
        ),
        spacing="4",
        align="center",
        wrap="wrap",
        width="100%",
        padding_y="8px",
    )
