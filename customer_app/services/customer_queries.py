"""Read customers a page at a time: tabs, substring search, allow-listed sorting, counts."""

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, text
from sqlmodel import Session, col, select

from customer_app.models.customer import Customer, CustomerKind
from customer_app.services.normalize import fold

TABS = ("individual", "institution", "trash")
SORT_COLUMNS = {
    "name": Customer.sort_name,
    "email": Customer.email_key,
    "phone": Customer.phone,
    "company": Customer.company_key,
    "created": Customer.created_at,
    "deleted": Customer.deleted_at,
}
DEFAULT_SORT = {"individual": ("name", "asc"), "institution": ("name", "asc"), "trash": ("deleted", "desc")}
_PHONE_LIKE = re.compile(r"^[+(\d][\d\s().\-/]*$")


@dataclass(frozen=True)
class ListQuery:
    """What a viewer asked to see; every field is checked against an allow-list."""

    tab: str = "individual"
    search: str = ""
    sort: str = "name"
    direction: str = "asc"
    page: int = 1
    page_size: int = 25

    def checked(self, page_sizes: tuple[int, ...]) -> "ListQuery":
        """The same query with anything unknown replaced by a safe default."""
        tab = self.tab if self.tab in TABS else "individual"
        sort, direction = self.sort, self.direction
        if sort not in SORT_COLUMNS or (sort == "deleted" and tab != "trash"):
            sort, direction = DEFAULT_SORT[tab]
        direction = direction if direction in ("asc", "desc") else "asc"
        size = self.page_size if self.page_size in page_sizes else page_sizes[0]
        return ListQuery(tab, self.search[:100], sort, direction, max(1, int(self.page)), size)


def search_term(raw: str) -> str:
    """The folded form of what was typed; phone-like input becomes its digits."""
    term = " ".join(raw.split())
    if _PHONE_LIKE.match(term) and sum(ch.isdigit() for ch in term) >= 3:
        return re.sub(r"\D", "", term)
    return fold(term)


def tab_filter(tab: str, search: str, session: Session) -> list[ColumnElement[bool]]:
    """WHERE conditions selecting a tab's customers that match the search."""
    if tab == "trash":
        conditions = [col(Customer.deleted_at).is_not(None)]
    else:
        conditions = [col(Customer.kind) == CustomerKind(tab).value, col(Customer.deleted_at).is_(None)]
    term = search_term(search)
    if term:
        conditions.append(_matches(term, session.get_bind().dialect.name))
    return conditions


def _matches(term: str, dialect: str) -> ColumnElement[bool]:
    if len(term) < 3:
        # Too short for a trigram index: match the start of the name, which the name index serves.
        return col(Customer.sort_name).startswith(term, autoescape=True)
    if dialect == "sqlite":
        phrase = '"' + term.replace('"', '""') + '"'
        ids = text("SELECT rowid FROM customer_fts WHERE customer_fts MATCH :phrase").bindparams(phrase=phrase)
        return col(Customer.id).in_(ids.columns(rowid=Customer.id.type))
    return col(Customer.search_text).contains(term, autoescape=True)


def list_customers(query: ListQuery, *, session: Session) -> list[Customer]:
    """One page of customers for the query (already checked)."""
    sort_column = col(SORT_COLUMNS[query.sort])
    order = sort_column.desc() if query.direction == "desc" else sort_column.asc()
    tiebreak = col(Customer.id).desc() if query.direction == "desc" else col(Customer.id).asc()
    statement = (
        select(Customer)
        .where(*tab_filter(query.tab, query.search, session))
        .order_by(order, tiebreak)
        .offset((query.page - 1) * query.page_size)
        .limit(query.page_size)
    )
    return list(session.exec(statement).all())


def count_customers(tab: str, search: str, *, session: Session) -> int:
    """How many customers a tab shows for a search."""
    statement = select(func.count()).select_from(Customer).where(*tab_filter(tab, search, session))
    return session.exec(statement).one()

