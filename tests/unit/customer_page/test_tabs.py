"""Every tab the page's state can show has a view, and every view belongs to a tab."""

from customer_app.customer_page.state.tabs import TABS
from customer_app.customer_page.views.tabs import VIEWS


def test_every_tab_has_exactly_one_view():
    assert [tab.key for tab in TABS] == list(VIEWS)


def test_every_tab_state_reads_through_its_private_loader():
    assert all(callable(getattr(tab.state, "_load_for", None)) for tab in TABS)
