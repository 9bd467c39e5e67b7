"""The customers list's whole view in its address and back: `/customers?tab=trash&q=ada&sort=-created&page=3`.

Values equal to the defaults stay out of the address, so plain `/customers` is the default view and a copied link
shows what its sender saw. Anything a client could not have meant (an unknown tab, `page=-4`, `sort=evil`) reads as
the default: addresses are typed and pasted by people, and forged by anyone.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from customer_app.core.normalize import whole_number
from customer_app.customers import list_extras
from customer_app.customers.filters import clean_tag
from customer_app.customers.queries import DEFAULT_SORT, SORT_COLUMNS, TABS

SEARCH_CHARS = 100  # the search box keeps at most this many characters
PAGE_DIGITS = 9  # a page number longer than this is no page anyone reached


@dataclass(frozen=True)
class ListView:
    """What the customers list shows: tab, search, sort, page and size, and the group, tag and added filters."""

    tab: str = TABS[0]
    search: str = ""
    sort: str = DEFAULT_SORT[TABS[0]][0]
    direction: str = DEFAULT_SORT[TABS[0]][1]
    page: int = 1
    page_size: int = 0  # 0 until checked against the allowed sizes (the first one is the default)
    group: str = ""  # a group id ("" for every group)
    tag: str = ""
    flags: tuple[str, ...] = ()  # keys of the added yes/no filters that are on (customers.list_extras)

    def checked(self, page_sizes: tuple[int, ...]) -> "ListView":
        """The same view with anything unknown replaced by its default."""
        tab = self.tab if self.tab in TABS else TABS[0]
        sort, direction = self.sort, self.direction
        if sort not in SORT_COLUMNS or direction not in ("asc", "desc") or (sort == "deleted" and tab != "trash"):
            sort, direction = DEFAULT_SORT[tab]
        return ListView(
            tab,
            str(self.search)[:SEARCH_CHARS],
            sort,
            direction,
            self.page if type(self.page) is int and self.page > 0 else 1,
            self.page_size if self.page_size in page_sizes else page_sizes[0],
            _group(self.group),
            clean_tag(str(self.tag)),
            list_extras.known_flags(self.flags),
        )


def _group(value: object) -> str:
    number = whole_number(value, max_digits=9)
    return str(number) if number else ""


def _number(value: str | None, default: int) -> int:
    number = whole_number(value or "", max_digits=PAGE_DIGITS)
    return number if number else default


def read_view(parameters: Mapping[str, str], page_sizes: tuple[int, ...]) -> ListView:
    """The view an address's query asks for, defaults where it names nothing or nonsense."""
    tab = parameters.get("tab", "")
    sort = parameters.get("sort", "")
    direction = "desc" if sort.startswith("-") else "asc"
    return ListView(
        tab,
        parameters.get("q", ""),
        sort.removeprefix("-"),  # none named, or an unknown key: the tab's own
        direction,
        _number(parameters.get("page"), 1),
        _number(parameters.get("size"), 0),
        parameters.get("group", ""),
        parameters.get("tag", ""),
        tuple(key for key in (extra.key for extra in list_extras.flags()) if parameters.get(key) == "1"),
    ).checked(page_sizes)


def view_query(view: ListView, page_sizes: tuple[int, ...]) -> str:
    """The address's query for a view ("?tab=trash&q=ada"), naming only what differs from the default ("")."""
    view = view.checked(page_sizes)
    sort = None if (view.sort, view.direction) == DEFAULT_SORT[view.tab] else view.sort
    named = [
        ("tab", view.tab if view.tab != TABS[0] else ""),
        ("q", view.search),
        ("sort", f"-{sort}" if sort and view.direction == "desc" else sort or ""),
        ("page", str(view.page) if view.page > 1 else ""),
        ("size", str(view.page_size) if view.page_size != page_sizes[0] else ""),
        ("group", view.group),
        ("tag", view.tag),
        *((key, "1") for key in view.flags),
    ]
    query = urlencode([(key, value) for key, value in named if value])
    return f"?{query}" if query else ""
