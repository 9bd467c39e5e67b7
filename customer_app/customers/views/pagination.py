"""Page navigation and page size under the customers table."""

import reflex as rx

from customer_app.customers.state.customer_list import CustomerListState as S
from customer_app.ui.pager import pager


def pagination() -> rx.Component:
    """Rows per page, the range shown, and first/previous/next/last buttons."""
    return pager(
        page=S.page,
        page_count=S.page_count,
        range_label=S.range_label,
        on_page=S.go_to_page,
        page_size=S.page_size,
        on_page_size=S.set_page_size,
        id_prefix="page",
    )
