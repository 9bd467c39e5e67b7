"""Read customers a page at a time: tabs, substring search, allow-listed sorting, counts, a customer's neighbours.

The pages of a search or filter go through chosen plans: customers.search_plans on SQLite, customers.postgres_plans
on PostgreSQL (each explains why). Tab counts without a search or filter are read from customer_tab_count, which
triggers keep; with one, `count_tabs` counts exactly up to a bound (CANDIDATE_LIMIT) and estimates beyond.
"""

import re
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, and_, func, literal, tuple_
from sqlmodel import Session, col, select

from customer_app.core.normalize import fold
from customer_app.core.permissions import Actor, require
from customer_app.customers import filters as customer_filters
from customer_app.customers import list_extras, postgres_plans, search_plans, tab_counts
from customer_app.customers.filters import ListFilter, clean_tag
from customer_app.customers.models import Customer, CustomerKind

TABS = ("individual", "institution", "trash")
SORT_COLUMNS = {
    "name": Customer.sort_name,
    "email": Customer.email_key,
    "phone": Customer.phone,
    "company": Customer.company_key,
    "created": Customer.created_at,
    "deleted": Customer.deleted_at,
}
_FILLED_SORTS = ("name", "created", "deleted")  # never empty in their tabs (removal times: in Trash only)
DEFAULT_SORT = {"individual": ("name", "asc"), "institution": ("name", "asc"), "trash": ("deleted", "desc")}
_PHONE_LIKE = re.compile(r"^[+(\d][\d\s().\-/]*$")
_PHONE_DIGITS = 3  # phone-like input with at least this many digits is searched as digits


@dataclass(frozen=True)
class ListQuery:
    """What a viewer asked to see; every field is checked against an allow-list."""

    tab: str = "individual"
    search: str = ""
    sort: str = "name"
    direction: str = "asc"
    page: int = 1
    page_size: int = 25
    group_id: int | None = None  # only customers in this group
    tag: str = ""  # only customers with this tag, ignoring case ("" for any)
    flags: tuple[str, ...] = ()  # added yes/no filters that are on (customers.list_extras), e.g. "open_balance"

    def checked(self, page_sizes: tuple[int, ...]) -> "ListQuery":
        """The same query with anything unknown replaced by a safe default."""
        tab = self.tab if self.tab in TABS else "individual"
        sort, direction = self.sort, self.direction
        if sort not in SORT_COLUMNS or (sort == "deleted" and tab != "trash"):
            sort, direction = DEFAULT_SORT[tab]
        direction = direction if direction in ("asc", "desc") else "asc"
        size = self.page_size if self.page_size in page_sizes else page_sizes[0]
        group = self.group_id if type(self.group_id) is int and self.group_id > 0 else None
        page = max(1, int(self.page))
        flags = list_extras.known_flags(self.flags if isinstance(self.flags, tuple | list) else ())
        return ListQuery(tab, self.search[:100], sort, direction, page, size, group, clean_tag(self.tag), flags)

    def resolved(self) -> ListFilter:
        """The query's group, tag and added filters."""
        return customer_filters.resolve(self.group_id, self.tag, self.flags)


@dataclass(frozen=True)
class ShownPage:
    """A page as a viewer last saw it: its query and its first and last rows' sort values and ids, from which the
    page before or after it is read by keyset (`list_customers`)."""

    query: ListQuery
    first: tuple[object, int]
    last: tuple[object, int]


def shown_page(query: ListQuery, found: list[Customer]) -> ShownPage | None:
    """The edges of a page just read for `query` (None when it is empty)."""
    if not found:
        return None
    key = SORT_COLUMNS[query.sort].key
    return ShownPage(query, (getattr(found[0], key), found[0].id), (getattr(found[-1], key), found[-1].id))


def search_term(raw: str) -> str:
    """The folded form of what was typed; phone-like input becomes its digits."""
    term = " ".join(raw.split())
    if _PHONE_LIKE.match(term) and sum(ch.isdigit() for ch in term) >= _PHONE_DIGITS:
        return re.sub(r"\D", "", term)
    return fold(term)


def tab_filter(
    tab: str,
    search: str,
    session: Session,
    *,
    group_id: int | None = None,
    tag: str = "",
    flags: tuple[str, ...] = (),
) -> list[ColumnElement[bool]]:
    """WHERE conditions selecting a tab's customers that match the search and the group, tag and added filters.

    A building block for services that check their actor themselves (Remove all, export); it reads no customer.
    """
    return _where(tab, search, customer_filters.resolve(group_id, tag, flags), session)


def _where(
    tab: str | None, search: str, listing: ListFilter, session: Session, *, listed: bool = False
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]]
    if tab is None:  # every tab
        conditions = []
    elif tab == "trash":
        conditions = [col(Customer.deleted_at).is_not(None)]
    else:
        conditions = [col(Customer.kind) == CustomerKind(tab).value, col(Customer.deleted_at).is_(None)]
    term = search_term(search)
    if term:
        conditions.append(_matches(term, _dialect(session)))
    small = search_plans.CANDIDATE_LIMIT
    return conditions + customer_filters.conditions(listing, session=session, small=small, listed=listed)


def _matches(term: str, dialect: str) -> ColumnElement[bool]:
    if len(term) < search_plans.TRIGRAM:
        # Too short for a trigram index: match the start of the name, which the name index serves.
        if dialect == "sqlite":
            # A range rather than LIKE, which SQLite cannot serve from an index on a case-sensitive column.
            return and_(col(Customer.sort_name) >= term, col(Customer.sort_name) < term + "\U0010ffff")
        # PostgreSQL serves LIKE 'an%' from an index only under the "C" collation (not even C.UTF-8): the range
        # [term, term with its last character raised) is what the name index serves; LIKE keeps the match exact.
        above = term[:-1] + chr(ord(term[-1]) + 1)
        name = col(Customer.sort_name)
        return and_(name >= term, name < above, name.startswith(term, autoescape=True))
    if dialect == "sqlite":
        return col(Customer.id).in_(search_plans.fts_ids(term))
    return col(Customer.search_text).contains(term, autoescape=True)


def list_customers(
    query: ListQuery, *, actor: Actor, session: Session, shown: ShownPage | None = None
) -> list[Customer]:
    """One page of customers for the query (already checked); the page before or after the `shown` one is read from
    that page's edge (keyset) where its offset would cost."""
    require(actor, "customer.view")
    term, listing = search_term(query.search), query.resolved()
    if _dialect(session) == "sqlite" and search_plans.planned(term, listing):
        return search_plans.page_of(
            search_plans.plan_for(term, listing),
            tab=query.tab,
            sort_column=SORT_COLUMNS[query.sort],
            descending=query.direction == "desc",
            page=query.page,
            page_size=query.page_size,
            session=session,
        )
    descending, offset = query.direction == "desc", (query.page - 1) * query.page_size
    if _dialect(session) == "postgresql":
        if len(term) >= search_plans.TRIGRAM:
            found = postgres_plans.first_matches(session, _where(None, query.search, listing, session), (term, listing))
            return postgres_plans.search_page(
                session,
                many=sum(found.values()) > postgres_plans.CANDIDATE_LIMIT,
                tab_where=_where(query.tab, "", listing, session),
                match=_matches(term, "postgresql"),
                sort_key=SORT_COLUMNS[query.sort].key,
                descending=descending,
                offset=offset,
                limit=query.page_size,
            )
        driving = _driving(listing, session)
        if driving is not None:
            if not driving:
                return []  # the filter selects nobody
            return postgres_plans.filtered_page(
                session,
                where=_where(None, query.search, listing, session, listed=True),
                key=(term, listing),
                tab=query.tab,
                sort_key=SORT_COLUMNS[query.sort].key,
                descending=descending,
                offset=offset,
                limit=query.page_size,
            )
    limit, backwards = query.page_size, False
    where = _where(query.tab, query.search, listing, session)
    deep = offset >= postgres_plans.DEEP_OFFSET and not term and not listing.active  # of a whole tab
    beside = _beside(query, shown) if deep else None
    if beside is not None:
        # The page next to the one shown, read from its edge row: no row is skipped however deep it is.
        edge, backwards = beside
        where, descending, offset = [*where, edge], descending != backwards, 0
    elif deep:
        # The tab's size is known exactly: skip the fewer rows, from the nearer end.
        total = tab_counts.stored(session)[query.tab]
        after = total - offset - limit  # rows past the page
        if after < offset:
            backwards, descending = True, not descending
            offset, limit = max(after, 0), min(limit, total - offset)
            if limit <= 0:
                return []  # past the last page
    order = postgres_plans.order_by(Customer, SORT_COLUMNS[query.sort].key, descending)
    if _dialect(session) == "postgresql" and offset >= postgres_plans.DEEP_OFFSET:
        rows = postgres_plans.deep_page(session, where=where, order=order, offset=offset, limit=limit)
    else:
        rows = list(session.exec(select(Customer).where(*where).order_by(*order).offset(offset).limit(limit)).all())
    return rows[::-1] if backwards else rows


def _beside(query: ListQuery, shown: ShownPage | None) -> tuple[ColumnElement[bool], bool] | None:
    """The condition selecting what comes after the shown page's last row (or before its first) when `query` asks for
    the page right after (or before) it in the same view, and whether that reads backwards; else None. Only for sorts
    whose every row has a value (name, added, removed): empty values would need a second read."""
    if shown is None or query.sort not in _FILLED_SORTS or abs(query.page - shown.query.page) != 1:
        return None
    if replace(shown.query, page=query.page) != query:
        return None
    backwards = query.page < shown.query.page
    key, ident = col(SORT_COLUMNS[query.sort]), col(Customer.id)
    value, row_id = shown.first if backwards else shown.last
    # col() is typed as Mapped, which hides the column type the literal must share with the sort key.
    edge = tuple_(literal(value, key.type), literal(row_id))  # pyright: ignore[reportAttributeAccessIssue]
    greater = backwards == (query.direction == "desc")  # next in an ascending list, previous in a descending one
    return (tuple_(key, ident) > edge if greater else tuple_(key, ident) < edge), backwards


def neighbours(
    query: ListQuery, customer: Customer, *, actor: Actor, session: Session
) -> tuple[int | None, int | None]:
    """The customers just before and after this one in the list's tab, search, filters and sort (None at either end).

    Each side is one index seek on (sort value, id). Customers without a value (no e-mail, phone or company) sit
    where the database lists them: first on SQLite, last on PostgreSQL, in id order.
    """
    require(actor, "customer.view")
    key, ident = col(SORT_COLUMNS[query.sort]), col(Customer.id)
    value = getattr(customer, SORT_COLUMNS[query.sort].key)
    conditions = _where(query.tab, query.search, query.resolved(), session)
    nulls_low = _dialect(session) == "sqlite"

    def first(*where: ColumnElement[bool], descending: bool) -> int | None:
        order = (key.desc(), ident.desc()) if descending else (key.asc(), ident.asc())
        return session.exec(select(Customer.id).where(*conditions, *where).order_by(*order).limit(1)).first()

    def step(up: bool) -> int | None:
        """The nearest customer above (`up`) or below this one, in the order ascending sorts list them."""
        if value is None:
            found = first(key.is_(None), ident > customer.id if up else ident < customer.id, descending=not up)
            spills = up == nulls_low  # past the last empty value into the valued ones
        else:
            # col() is typed as Mapped, which hides the column type the literal must share with the sort key.
            here = tuple_(literal(value, key.type), literal(customer.id))  # pyright: ignore[reportAttributeAccessIssue]
            found = first(tuple_(key, ident) > here if up else tuple_(key, ident) < here, descending=not up)
            spills = up != nulls_low  # past the last value into the empty ones
        if found is not None or not spills:
            return found
        return first(key.is_not(None) if value is None else key.is_(None), descending=not up)

    ascending = query.direction == "asc"
    return step(not ascending), step(ascending)


def count_customers(
    tab: str,
    search: str,
    *,
    actor: Actor,
    session: Session,
    group_id: int | None = None,
    tag: str = "",
    flags: tuple[str, ...] = (),
) -> int:
    """How many customers a tab shows for a search and filters (exact; without either read from the kept counts)."""
    require(actor, "customer.view")
    return _count(tab, search, customer_filters.resolve(group_id, tag, flags), session)


def count_tabs(
    search: str,
    *,
    actor: Actor,
    session: Session,
    group_id: int | None = None,
    tag: str = "",
    flags: tuple[str, ...] = (),
) -> tuple[dict[str, int], frozenset[str]]:
    """Every tab's count for a search and filters, and the tabs whose count is an estimate (shown "about 49,000").

    Without a search or filter the counts are read from customer_tab_count: exact, and no customer is counted. With
    one, on PostgreSQL a filter with few members (and no trigram search) is counted exactly from the page's own read;
    otherwise the first CANDIDATE_LIMIT + 1 matches are counted, and beyond that the tabs estimated from a sample; on
    SQLite a search or filter with more than CANDIDATE_LIMIT candidates is counted among its first CANDIDATE_LIMIT
    and scaled up to all of them (counting every candidate costs 1.5-2 microseconds each per tab: 60-100 ms for
    "son", 49,000 candidates).
    """
    require(actor, "customer.view")
    term, listing = search_term(search), customer_filters.resolve(group_id, tag, flags)
    if not term and not listing.active:
        return tab_counts.stored(session), frozenset()
    if _dialect(session) == "postgresql":
        return _postgres_counts(search, listing, session)
    if search_plans.planned(term, listing):
        plan, bound = search_plans.plan_for(term, listing), search_plans.CANDIDATE_LIMIT
        counts, exact = search_plans.remembered(
            session, ("tabs", bound, term, listing), lambda: search_plans.estimated_counts(session, plan, bound)
        )
        return counts, frozenset() if exact else frozenset(TABS)
    return {tab: _count(tab, search, listing, session) for tab in TABS}, frozenset()


def _postgres_counts(search: str, listing: ListFilter, session: Session) -> tuple[dict[str, int], frozenset[str]]:
    """Tabs counted exactly up to CANDIDATE_LIMIT matches, estimated from a sample beyond; exactly when a filter
    selecting few customers drives (no trigram search).

    A trigram search or a filter is counted in one pass over its first matches (any tab), which the page's list
    already read: a tab with no match would otherwise read every candidate to find none. A name prefix is counted
    per tab, each tab's range of the name index being cheap to read.
    """
    term, limit = search_term(search), postgres_plans.CANDIDATE_LIMIT
    driving = _driving(listing, session) if len(term) < search_plans.TRIGRAM else None
    if driving is not None:
        where = _where(None, search, listing, session, listed=True)
        exact = postgres_plans.filtered_counts(session, where, (term, listing)) if driving else {}
        return {tab: exact.get(tab, 0) for tab in TABS}, frozenset()
    if len(term) >= search_plans.TRIGRAM or (listing.active and not term):
        found = postgres_plans.first_matches(session, _where(None, search, listing, session), (term, listing))
        counts = {tab: found.get(tab, 0) for tab in TABS}
        estimated = frozenset(TABS) if sum(counts.values()) > limit else frozenset()
    else:
        counts = {}
        for tab in TABS:
            capped = select(Customer.id).where(*_where(tab, search, listing, session)).limit(limit + 1)
            counts[tab] = session.exec(select(func.count()).select_from(capped.subquery())).one()
        estimated = frozenset(tab for tab in TABS if counts[tab] > limit)
    if estimated:
        everyone = sum(tab_counts.stored(session).values())
        sampled = postgres_plans.sampled_counts(session, _where(None, search, listing, session), everyone)
        counts |= {tab: sampled.get(tab, 0) for tab in estimated}
    return counts, estimated


def _count(tab: str, search: str, listing: ListFilter, session: Session) -> int:
    """How many customers a tab shows, for count_customers and count_tabs (which checked the actor)."""
    term = search_term(search)
    if not term and not listing.active:
        return tab_counts.stored(session)[tab]
    if _dialect(session) != "sqlite":
        statement = select(func.count()).select_from(Customer).where(*_where(tab, search, listing, session))
        return session.exec(statement).one()
    if search_plans.planned(term, listing):
        plan = search_plans.plan_for(term, listing)
        counts = search_plans.remembered(
            session, ("tabs", term, listing), lambda: search_plans.planned_counts(session, plan)
        )
        return counts[0][tab]
    statement = select(func.count()).select_from(Customer).where(*_where(tab, search, listing, session))
    return search_plans.remembered(session, (tab, term, listing), lambda: session.exec(statement).one())


def _driving(listing: ListFilter, session: Session) -> tuple[int, ...] | None:
    """The ids of the filter's part selecting few enough customers (as `_where` applies it) to read them all."""
    return customer_filters.driving(listing, session=session, small=search_plans.CANDIDATE_LIMIT)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name
