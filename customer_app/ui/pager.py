"""Page navigation under a paged list: the range shown and first/previous/next/last buttons."""

import reflex as rx

from customer_app.settings import settings


def _nav(icon: str, label: str, on_page: rx.EventHandler, page: rx.Var | int, disabled: rx.Var) -> rx.Component:
    return rx.icon_button(
        rx.icon(icon, size=16), variant="soft", aria_label=label, title=label, disabled=disabled, on_click=on_page(page)
    )


def pager(
    *,
    page: rx.Var,
    page_count: rx.Var,
    range_label: rx.Var,
    on_page: rx.EventHandler,
    page_size: rx.Var | None = None,
    on_page_size: rx.EventHandler | None = None,
    sizes: tuple[int, ...] = settings.page_sizes,
    id_prefix: str = "pager",
) -> rx.Component:
    """Rows per page (when `on_page_size` is given), the range shown, and the page buttons."""
    size_picker = rx.fragment()
    if on_page_size is not None and page_size is not None:
        size_picker = rx.hstack(
            rx.el.label("Rows per page", html_for=f"{id_prefix}-size", class_name="muted"),
            rx.el.select(
                *[rx.el.option(str(n), value=str(n)) for n in sizes],
                id=f"{id_prefix}-size",
                value=page_size.to_string(),
                on_change=on_page_size,
                class_name="native-select",
            ),
            align="center",
            spacing="2",
        )
    return rx.flex(
        size_picker,
        rx.spacer(),
        rx.text(range_label, class_name="muted", margin_right="8px"),
        rx.hstack(
            _nav("chevrons-left", "First page", on_page, 1, page <= 1),
            _nav("chevron-left", "Previous page", on_page, page - 1, page <= 1),
            rx.text("Page ", page, " of ", page_count, class_name="nowrap"),
            _nav("chevron-right", "Next page", on_page, page + 1, page >= page_count),
            _nav("chevrons-right", "Last page", on_page, page_count, page >= page_count),
            align="center",
            spacing="2",
        ),
        spacing="4",
        align="center",
        wrap="wrap",
        width="100%",
        padding_y="8px",
    )
