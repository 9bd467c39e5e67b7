"""Who may do what, by behaviour: the customer and staff services and the customers page handlers, each called by
every kind of caller, with what each allowed call really changes. (tests/unit/test_handler_guards.py checks that every
handler of every state asks who is calling; tests/unit/test_handler_matrix.py calls every handler of every state as
every kind of caller; the per-package tests check each feature's refusals.)

Read each matrix as a table: the operation, then the roles allowed to do it. Every other caller is refused:
services raise PermissionDenied; event handlers change nothing and answer with the sign-in page (nobody signed
in) or an error message (signed in, but the role lacks the right). Allowed callers really change the data.

Permission checks come before any database work, so the matrix runs on SQLite only (to stay fast); the
services' database behaviour is tested on both backends elsewhere.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import pytest
import reflex as rx
from PIL import Image
from reflex.state import State
from sqlmodel import Session, col, select

from customer_app.access import auth, staff_accounts
from customer_app.access.models import StaffUser
from customer_app.core.models import AuditEvent, OutboxMessage
from customer_app.core.permissions import Actor
from customer_app.customers import customers, trash_batches
from customer_app.customers.models import Customer
from customer_app.customers.state.customer_form import CustomerFormState
from customer_app.customers.state.customer_list import CustomerListState
from customer_app.customers.validation import validate_customer
from customer_app.errors import PermissionDenied
from customer_app.settings import settings
from tests.unit.accounts import ADDRESS
from tests.unit.reflex_helpers import redirect_target, run, toast

ADMIN_ONLY = frozenset({"admin"})
EDITORS = frozenset({"admin", "staff"})
READERS = frozenset({"admin", "staff", "read_only"})
NOBODY = ("no token", "ended session", "deactivated")  # three ways of not being signed in
SIGNED_IN = ("admin", "staff", "read_only")


@pytest.fixture
def backend() -> str:
    """SQLite only (see the module's docstring)."""
    return "sqlite"


@dataclass
class World:
    """Three signed-up roles, a customer in the list, one in Trash, and a colleague to manage."""

    users: dict[str, StaffUser]
    active: int  # "Ann Active"
    trashed: int  # "Tom Trashed", in Trash
    removal: int  # the Trash action that put Tom there
    colleague: StaffUser  # a staff member the admin operations act on

    def actor(self, role: str) -> Actor | None:
        return auth.actor_of(self.users[role], ADDRESS) if role in self.users else None


@pytest.fixture
def world(session, admin_user, staff_user, reader_user, make_user, admin) -> World:
    def add(**raw):
        return customers.create_customer(validate_customer(raw, phone_region="US"), actor=admin, session=session)

    active, trashed = add(first_name="Ann", last_name="Active"), add(first_name="Tom", last_name="Trashed")
    session.flush()
    customers.trash_customers([trashed.id], actor=admin, session=session)
    session.commit()
    colleague = make_user("staff", email="cole@example.com", name="Cole League")
    users = {"admin": admin_user, "staff": staff_user, "read_only": reader_user}
    return World(users, active.id, trashed.id, trashed.trash_batch_id, colleague)


def snapshot(session: Session) -> tuple:
    """Everything a caller could change: customers, accounts, mail and the audit trail."""
    session.expire_all()
    rows = session.exec(select(Customer).order_by(col(Customer.id))).all()
    return (
        [(c.id, c.display_name, c.version, c.deleted_at is None, c.picture) for c in rows],
        [(u.id, u.role, u.active) for u in session.exec(select(StaffUser).order_by(col(StaffUser.id)))],
        len(session.exec(select(OutboxMessage)).all()),
        len(session.exec(select(AuditEvent)).all()),
    )


def customer(session: Session, customer_id: int) -> Customer | None:
    session.expire_all()
    return session.get(Customer, customer_id)


def named(session: Session, name: str) -> bool:
    session.expire_all()
    return session.exec(select(Customer).where(Customer.display_name == name)).first() is not None


def data(**raw):
    return validate_customer(raw, phone_region="US")


# --- services -----------------------------------------------------------------------------------------------

Call = Callable[[Session, Actor | None, World], Any]
Effect = Callable[[Session, World, Any], bool]

# operation: (call it as `actor`, did it take effect?)
SERVICE_CALLS: dict[str, tuple[Call, Effect]] = {
    "create_customer": (
        lambda s, a, w: customers.create_customer(data(last_name="Newcomer"), actor=a, session=s),
        lambda s, w, _: named(s, "Newcomer"),
    ),
    "update_customer": (
        lambda s, a, w: customers.update_customer(
            w.active, data(first_name="Ann", last_name="Renamed"), actor=a, session=s, expected_version=1
        ),
        lambda s, w, _: customer(s, w.active).display_name == "Ann Renamed",
    ),
    "trash_customers": (
        lambda s, a, w: customers.trash_customers([w.active], actor=a, session=s),
        lambda s, w, _: customer(s, w.active).deleted_at is not None,
    ),
    "trash_matching": (
        lambda s, a, w: customers.trash_matching("individual", "ann", actor=a, session=s),
        lambda s, w, _: customer(s, w.active).deleted_at is not None,
    ),
    "restore_customers": (
        lambda s, a, w: customers.restore_customers([w.trashed], actor=a, session=s),
        lambda s, w, _: customer(s, w.trashed).deleted_at is None,
    ),
    "purge_customers": (
        lambda s, a, w: customers.purge_customers([w.trashed], actor=a, session=s),
        lambda s, w, _: customer(s, w.trashed) is None,
    ),
    "restore_batch": (
        lambda s, a, w: trash_batches.restore_batch(w.removal, actor=a, session=s),
        lambda s, w, _: customer(s, w.trashed).deleted_at is None,
    ),
    "recent_removals": (
        lambda s, a, w: trash_batches.recent_removals(actor=a, session=s),
        lambda s, w, result: result == [],  # Tom's removal is a single one: a row, not a group
    ),
    "invite": (
        lambda s, a, w: staff_accounts.invite("ivy@example.com", "Ivy New", "staff", actor=a, session=s),
        lambda s, w, _: s.exec(select(StaffUser).where(StaffUser.email == "ivy@example.com")).first() is not None,
    ),
    "change_role": (
        lambda s, a, w: staff_accounts.change_role(w.colleague.id, "read_only", actor=a, session=s),
        lambda s, w, _: s.get(StaffUser, w.colleague.id).role == "read_only",
    ),
    "set_active": (
        lambda s, a, w: staff_accounts.set_active(w.colleague.id, False, actor=a, session=s),
        lambda s, w, _: not s.get(StaffUser, w.colleague.id).active,
    ),
    "list_staff": (
        lambda s, a, w: staff_accounts.list_staff(actor=a, session=s),
        lambda s, w, result: {u.email for u in result} == {u.email for u in s.exec(select(StaffUser))},
    ),
}

SERVICE_MATRIX = {
    # operation            allowed roles
    "create_customer": EDITORS,
    "update_customer": EDITORS,
    "trash_customers": EDITORS,
    "trash_matching": EDITORS,
    "restore_customers": EDITORS,
    "purge_customers": ADMIN_ONLY,
    "restore_batch": EDITORS,
    "recent_removals": READERS,
    "invite": ADMIN_ONLY,
    "change_role": ADMIN_ONLY,
    "set_active": ADMIN_ONLY,
    "list_staff": ADMIN_ONLY,
}


def test_every_service_operation_is_in_the_matrix():
    assert set(SERVICE_MATRIX) == set(SERVICE_CALLS)


@pytest.mark.parametrize("caller", [*SIGNED_IN, "nobody"])
@pytest.mark.parametrize("operation", list(SERVICE_MATRIX))
def test_service(session, world, operation, caller):
    call, took_effect = SERVICE_CALLS[operation]
    actor = world.actor(caller)  # None for nobody
    if caller in SERVICE_MATRIX[operation]:
        result = call(session, actor, world)
        session.commit()
        assert took_effect(session, world, result)
    else:
        before = snapshot(session)
        with pytest.raises(PermissionDenied) as refused:
            call(session, actor, world)
        session.rollback()
        assert snapshot(session) == before
        expected = "Please sign in" if actor is None else "Your role does not allow this"
        assert str(refused.value).startswith(expected)


# --- event handlers -----------------------------------------------------------------------------------------


@dataclass
class Tab:
    """One browser tab: its customers page and customer pop-up."""

    root: State

    @property
    def page(self) -> CustomerListState:
        return cast(CustomerListState, self.root.get_substate(CustomerListState._get_substate_path()))

    @property
    def form(self) -> CustomerFormState:
        return cast(CustomerFormState, self.root.get_substate(CustomerFormState._get_substate_path()))


@pytest.fixture
def tab_for(new_tab, session, session_token, make_user, world) -> Callable[[str], Tab]:
    """A tab for a caller: signed in with a role, or one of the NOBODY ways of not being signed in."""

    def tab(caller: str) -> Tab:
        if caller in SIGNED_IN:
            return Tab(new_tab(world.users[caller]))
        if caller == "no token":
            return Tab(new_tab())
        if caller == "ended session":  # signed out (or expired) in this browser
            token = session_token(world.users["staff"])
            auth.sign_out(token, session=session)
        else:  # "deactivated": an editor whose account was switched off while signed in
            former = make_user("staff", email="dee@example.com", name="Dee Parted")
            token = session_token(former)
            former.active = False
        session.commit()
        return Tab(new_tab(token=token))

    return tab


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def stored_pictures() -> set[str]:
    return {p.name for p in settings.picture_dir.glob("*.webp")} if settings.picture_dir.exists() else set()


def nothing(tab: Tab, w: World) -> None:
    """No preparation needed."""


def in_trash_tab(*selected: Callable[[World], int]) -> Callable[[Tab, World], None]:
    def arrange(tab: Tab, w: World) -> None:
        tab.page.tab = "trash"
        tab.page.selected = [str(pick(w)) for pick in selected]  # as any client can set it (setvar)

    return arrange


def form_editing(tab: Tab, w: World) -> None:
    """The pop-up is open on Ann Active (opened earlier, before the right was lost)."""
    tab.form.open, tab.form.customer_id, tab.form.version = True, w.active, 1


@dataclass(frozen=True)
class Handler:
    arrange: Callable[[Tab, World], None]  # where the person is before the action (no rights needed)
    act: Callable[[Tab, World], Any]
    took_effect: Callable[[Session, Tab, World], bool]


HANDLERS = {
    "CustomerListState.confirm_delete": Handler(
        lambda t, w: t.page.ask_delete(str(w.active), "Ann Active"),
        lambda t, w: t.page.confirm_delete(),
        lambda s, t, w: customer(s, w.active).deleted_at is not None,
    ),
    "CustomerListState.confirm_delete (purge in Trash)": Handler(
        lambda t, w: (in_trash_tab()(t, w), t.page.ask_delete(str(w.trashed), "Tom Trashed")),
        lambda t, w: t.page.confirm_delete(),
        lambda s, t, w: customer(s, w.trashed) is None,
    ),
    "CustomerListState.remove_selected": Handler(
        lambda t, w: setattr(t.page, "selected", [str(w.active)]),
        lambda t, w: t.page.remove_selected(),
        lambda s, t, w: customer(s, w.active).deleted_at is not None,
    ),
    "CustomerListState.remove_selected (purge in Trash)": Handler(
        in_trash_tab(lambda w: w.trashed),
        lambda t, w: t.page.remove_selected(),
        lambda s, t, w: customer(s, w.trashed) is None,
    ),
    "CustomerListState.remove_all": Handler(
        nothing, lambda t, w: t.page.remove_all(), lambda s, t, w: customer(s, w.active).deleted_at is not None
    ),
    "CustomerListState.restore": Handler(
        in_trash_tab(),
        lambda t, w: t.page.restore([str(w.trashed)]),
        lambda s, t, w: customer(s, w.trashed).deleted_at is None,
    ),
    "CustomerListState.restore_selected": Handler(
        in_trash_tab(lambda w: w.trashed),
        lambda t, w: t.page.restore_selected(),
        lambda s, t, w: customer(s, w.trashed).deleted_at is None,
    ),
    "CustomerListState.undo_trash": Handler(
        nothing,
        lambda t, w: t.page.undo_trash(str(w.removal)),
        lambda s, t, w: customer(s, w.trashed).deleted_at is None,
    ),
    "CustomerListState.restore_removal_confirmed": Handler(
        lambda t, w: (in_trash_tab()(t, w), setattr(t.page, "restore_id", str(w.removal))),
        lambda t, w: t.page.restore_removal_confirmed(),
        lambda s, t, w: customer(s, w.trashed).deleted_at is None,
    ),
    "CustomerFormState.open_new": Handler(nothing, lambda t, w: t.form.open_new(), lambda s, t, w: t.form.open),
    "CustomerFormState.open_edit": Handler(
        nothing,
        lambda t, w: t.form.open_edit(str(w.active)),
        lambda s, t, w: t.form.open and t.form.values.get("last_name") == "Active",
    ),
    "CustomerFormState.save (new)": Handler(
        lambda t, w: setattr(t.form, "open", True),
        lambda t, w: t.form.save({"first_name": "Nora", "last_name": "Newcomer"}),
        lambda s, t, w: named(s, "Nora Newcomer"),
    ),
    "CustomerFormState.save (edit)": Handler(
        form_editing,
        lambda t, w: t.form.save({"first_name": "Ann", "last_name": "Renamed"}),
        lambda s, t, w: customer(s, w.active).display_name == "Ann Renamed",
    ),
    "CustomerFormState.upload_picture": Handler(
        lambda t, w: setattr(t.form, "open", True),
        lambda t, w: t.form.upload_picture([rx.UploadFile(file=io.BytesIO(png()))]),
        lambda s, t, w: bool(t.form.picture),
    ),
    "CustomerFormState.reload_latest": Handler(
        lambda t, w: (form_editing(t, w), setattr(t.form, "conflict", True)),
        lambda t, w: t.form.reload_latest(),
        lambda s, t, w: t.form.values.get("last_name") == "Active" and not t.form.conflict,
    ),
}

HANDLER_MATRIX = {
    # event handler                                          allowed roles
    "CustomerListState.confirm_delete": EDITORS,
    "CustomerListState.confirm_delete (purge in Trash)": ADMIN_ONLY,
    "CustomerListState.remove_selected": EDITORS,
    "CustomerListState.remove_selected (purge in Trash)": ADMIN_ONLY,
    "CustomerListState.remove_all": EDITORS,
    "CustomerListState.restore": EDITORS,
    "CustomerListState.restore_selected": EDITORS,
    "CustomerListState.undo_trash": EDITORS,
    "CustomerListState.restore_removal_confirmed": EDITORS,
    "CustomerFormState.open_new": EDITORS,
    "CustomerFormState.open_edit": EDITORS,
    "CustomerFormState.save (new)": EDITORS,
    "CustomerFormState.save (edit)": EDITORS,
    "CustomerFormState.upload_picture": EDITORS,
    "CustomerFormState.reload_latest": EDITORS,
}


def test_every_handler_is_in_the_matrix():
    assert set(HANDLER_MATRIX) == set(HANDLERS)


@pytest.mark.parametrize("caller", [*SIGNED_IN, *NOBODY])
@pytest.mark.parametrize("handler", list(HANDLER_MATRIX))
def test_handler(session, world, tab_for, handler, caller):
    case, tab = HANDLERS[handler], tab_for(caller)
    case.arrange(tab, world)
    before, pictures_before = snapshot(session), stored_pictures()
    result = run(case.act(tab, world))
    if caller in HANDLER_MATRIX[handler]:
        assert case.took_effect(session, tab, world)
        assert redirect_target(result) is None
        assert result is None or toast(result)[0] == "success"
    else:
        assert not case.took_effect(session, tab, world)
        assert snapshot(session) == before
        assert stored_pictures() == pictures_before
        if caller in NOBODY:
            assert redirect_target(result).startswith("/login")
        else:
            assert toast(result) == ("error", "Your role does not allow this. Ask an admin if you need it.")


# --- reading ------------------------------------------------------------------------------------------------

READS = {
    "on_load": lambda page: page.on_load(),
    "set_search": lambda page: page.set_search("ann"),
    "clear_search": lambda page: page.clear_search(),
    "set_tab": lambda page: page.set_tab("trash"),
    "toggle_sort": lambda page: page.toggle_sort("email"),
    "set_page_size": lambda page: page.set_page_size("50"),
    "go_to_page": lambda page: page.go_to_page(1),
}


@pytest.mark.parametrize("caller", NOBODY)
@pytest.mark.parametrize("read", list(READS))
def test_signed_out_clients_read_no_rows(world, tab_for, read, caller):
    page = tab_for(caller).page
    result = run(READS[read](page))
    assert page.rows == []
    assert page.counts == {"individual": 0, "institution": 0, "trash": 0}
    assert redirect_target(result).startswith("/login")


@pytest.mark.parametrize("read", list(READS))
def test_read_only_staff_read_rows(world, tab_for, read):
    page = tab_for("read_only").page
    run(READS[read](page))
    assert page.rows
    assert page.counts["individual"] + page.counts["trash"] >= 1


def test_a_tab_whose_session_ends_loses_its_rows_at_the_next_read(world, tab_for, session):
    tab = tab_for("staff")
    run(tab.page.on_load())
    assert [row["name"] for row in tab.page.rows] == ["Ann Active"]
    tab.page.toggle_selected(tab.page.rows[0]["id"])
    auth.end_all_sessions(world.users["staff"].id, session=session)
    session.commit()
    assert redirect_target(run(tab.page.set_search("ann"))).startswith("/login")
    assert tab.page.rows == []
    assert tab.page.selected == []
