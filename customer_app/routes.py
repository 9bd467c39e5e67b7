"""Every address of the app: route constants for the table of pages, and builders for the links to them.

Code never spells a path itself: it names a constant here or calls a builder, so a page can move in one place.
Builders accept plain values and Vars alike (an f-string with a Var becomes a string Var in the browser).
"""

import re
from urllib.parse import quote

HOME = "/"
CUSTOMERS = "/customers"
CUSTOMER = "/customers/[customer_ref]"
IMPORT = "/customers/import"
LOGIN = "/login"
SETUP = "/setup"
FORGOT = "/forgot"
RESET = "/reset/[token]"
INVITE = "/invite/[token]"
STAFF = "/admin/staff"
AUDIT = "/admin/audit"
OUTBOX = "/admin/outbox"
IMPORTS = "/admin/imports"
SETTINGS = "/admin/settings"
PORTAL = "/clients"
PORTAL_LOGIN = "/clients/login"
PORTAL_FORGOT = "/clients/forgot"
PORTAL_REGISTER = "/clients/register/[token]"
PORTAL_RESET = "/clients/reset/[token]"
PORTAL_PROFILE = "/clients/profile"
PORTAL_CONFIRM_EMAIL = "/clients/confirm-email/[token]"
PORTAL_TICKETS = "/clients/tickets"
PORTAL_DOCUMENTS = "/clients/documents"
PORTAL_INVOICES = "/clients/invoices"
PORTAL_ESTIMATES = "/clients/estimates"
PORTAL_ORDERS = "/clients/orders"
PORTAL_PAYMENTS = "/clients/payments"


def customer(customer_id: object, *, tab: str = "") -> str:
    """The address of one customer's page (on one of its tabs)."""
    return f"{CUSTOMERS}/{customer_id}" + (f"?tab={tab}" if tab else "")


def address(path: str, query: str) -> str:
    """A path with its query string, as the address bar shows it (e.g. /customers?tab=trash)."""
    return path + (f"?{query}" if query else "")


def login(next_path: str = "") -> str:
    """The sign-in page, sending the person back to `next_path` (with its own query, e.g. the list's view)
    afterwards."""
    return _sign_in_then(LOGIN, next_path, (LOGIN, SETUP))


def portal_login(next_path: str = "") -> str:
    """The portal's sign-in page, sending the person back to `next_path` (a portal page) afterwards; the dashboard,
    where signing in leads anyway, needs no `next`."""
    return _sign_in_then(PORTAL_LOGIN, next_path, (PORTAL_LOGIN, PORTAL))


def _sign_in_then(page: str, next_path: str, not_back_to: tuple[str, ...]) -> str:
    if not next_path or next_path.split("?", 1)[0] in not_back_to:
        return page
    return f"{page}?next={quote(next_path, safe='/')}"  # its own "?" and "&" must not end the sign-in page's query


_LOCAL_PATH = re.compile(r"/(?![/\\])[\w\-./?=&%+,~]*")


def safe_next(target: str, home: str, *, within: str = "/") -> str:
    """Where a sign-in page sends the person: `target` if it is a plain path of this site (under `within`), else
    `home`. A link must not bounce people to another site, nor a portal sign-in to the staff pages."""
    path = target.split("?", 1)[0]
    inside = path == within or path.startswith(within.rstrip("/") + "/")
    return target if _LOCAL_PATH.fullmatch(target) and inside else home


def reset(token: str) -> str:
    """The page where a reset link's owner chooses a new password."""
    return RESET.replace("[token]", token)


def invite(token: str) -> str:
    """The page where an invited colleague chooses a password."""
    return INVITE.replace("[token]", token)


def link_purpose(path: str) -> str:
    """Which kind of one-time link a page address carries: "invite" or "reset"."""
    return "invite" if path.startswith(INVITE.split("[", 1)[0]) else "reset"


def portal_register(token: str) -> str:
    """The page where an invited customer chooses a password."""
    return PORTAL_REGISTER.replace("[token]", token)


def portal_reset(token: str) -> str:
    """The page where a portal account's owner chooses a new password."""
    return PORTAL_RESET.replace("[token]", token)


def portal_confirm_email(token: str) -> str:
    """The page that confirms a portal user's new e-mail address."""
    return PORTAL_CONFIRM_EMAIL.replace("[token]", token)
