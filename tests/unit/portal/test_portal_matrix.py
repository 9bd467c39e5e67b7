"""Every portal handler, called by a person of customer A with customer B's ids: refused or answered about A only.

The portal shares the websocket with staff, so any portal client can call any public handler with any arguments. Each
handler of the portal's states is called as A's person with every id argument (and every id the tab holds) naming
B's ticket or B itself; B's words must not come back, and B's rows must not change. Then the same with the Tickets
section switched off for A (the server refuses though the browser may still show it), and with access taken back.
"""

import pytest
from reflex.state import State
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from customer_app.access.state.auth import AuthState
from customer_app.core.permissions import Actor
from customer_app.portal import grants, sections, sign_in
from customer_app.portal.state.portal import PortalState
from customer_app.records import ticket_replies, tickets
from customer_app.records.models import Ticket, TicketReply
from tests.unit.handler_calls import Handler, app_handlers, arguments, deliver
from tests.unit.portal.portal_world import PORTAL_PASSWORD, registered

PORTAL_STATES = {"PortalState", "PortalTicketsState", "PortalProfileState", "PortalSignInState", "PortalDocumentsState"}
HANDLERS = [h for h in app_handlers() if h.state.__name__ in PORTAL_STATES]
SECRET = "zebrafinch"  # in B's records only


@pytest.fixture
def world(app_db: Engine, session: Session, staff: Actor, add) -> dict:
    """Customers A and B, each with a registered portal person, a ticket and a reply; A signed in."""
    ada = add(first_name="Ada", email="ada@example.com")
    bob = add(first_name=f"Bob {SECRET}", email="bob@example.com", phone="+1 212 555 0100")
    registered(session, ada.id, actor=staff)
    registered(session, bob.id, actor=staff, name="Bob")
    own = tickets.open_ticket(
        ada.id, "Ada's question", "", "normal", author_name="Ada", from_customer=True, session=session
    )
    theirs = tickets.open_ticket(
        bob.id,
        f"Bob {SECRET} invoice",
        f"{SECRET} details",
        "normal",
        author_name="Bob",
        from_customer=True,
        session=session,
    )
    ticket_replies.write_reply(theirs, f"{SECRET} reply", author_name="Staff", from_customer=False, session=session)
    token = sign_in.sign_in("ada@example.com", PORTAL_PASSWORD, address="198.51.100.1", session=session)
    session.commit()
    return {"ada": ada.id, "bob": bob.id, "own_ticket": own.id, "their_ticket": theirs.id, "token": token}


def tab(token: str) -> State:
    root = State(_reflex_internal_init=True)  # pyright: ignore[reportCallIssue] (how Reflex builds one)
    root.get_substate(PortalState._get_substate_path()).portal_token = token
    return root


def bob_rows(session: Session, world: dict) -> list:
    """B's customer row, tickets and replies as stored."""
    session.expire_all()
    found = list(session.exec(select(Ticket).where(col(Ticket.customer_id) == world["bob"])))
    replies = list(session.exec(select(TicketReply).where(col(TicketReply.ticket_id).in_([t.id for t in found]))))
    return [t.model_dump() for t in found] + [r.model_dump() for r in replies]


def pointed_at(handler: Handler, target: int) -> dict:
    """The handler's usual arguments with every id naming `target`."""
    payload = arguments(handler)
    return {name: str(target) if "id" in name else value for name, value in payload.items()}


def words_of(root: State) -> str:
    return str(root.dict())


@pytest.mark.parametrize("handler", HANDLERS, ids=str)
@pytest.mark.parametrize("target", ["their_ticket", "bob"])
def test_a_person_of_one_customer_never_reaches_another(world, session, handler: Handler, target: str):
    before = bob_rows(session, world)
    root = tab(world["token"])
    answer = deliver(root, handler, pointed_at(handler, world[target]))
    assert SECRET not in answer.text() + words_of(root)
    assert bob_rows(session, world) == before


def test_switching_to_a_customer_without_access_is_refused(world, session):
    root = tab(world["token"])
    [handler] = [h for h in HANDLERS if str(h) == "PortalState.switch_customer"]
    answer = deliver(root, handler, {"customer_id": str(world["bob"])})
    assert "You have no access to this customer." in answer.text()
    assert sign_in.resolve(world["token"], session=session).customer_id == world["ada"]


def test_a_section_switched_off_is_refused_on_the_server(world, session, staff):
    sections.set_sections(world["ada"], ["profile"], actor=staff, session=session)
    session.commit()
    root = tab(world["token"])
    [handler] = [h for h in HANDLERS if str(h) == "PortalTicketsState.open_ticket"]
    answer = deliver(root, handler, {"form": {"subject": "Still here?", "description": ""}})
    assert "not available to you" in answer.text()
    session.expire_all()
    assert session.exec(select(Ticket).where(col(Ticket.subject) == "Still here?")).first() is None


def test_taking_access_back_ends_the_open_session(world, session, staff):
    [line] = grants.access_rows(world["ada"], actor=staff, session=session)
    grants.revoke_access(line.grant_id, actor=staff, session=session)
    session.commit()
    root = tab(world["token"])
    [handler] = [h for h in HANDLERS if str(h) == "PortalTicketsState.on_load"]
    answer = deliver(root, handler, {})
    assert [e.payload.get("path") for e in answer.events if e.name == "_redirect"] == ["/clients/login"]
    assert "Ada's question" not in answer.text() + words_of(root)


def test_a_portal_token_never_opens_staff_pages_and_a_staff_token_never_the_portal(
    world, session, staff_user, session_token
):
    staff_raw = session_token(staff_user)
    assert sign_in.resolve(staff_raw, session=session) is None
    root = State(_reflex_internal_init=True)  # pyright: ignore[reportCallIssue]
    root.get_substate(AuthState._get_substate_path()).auth_token = world["token"]
    [customers] = [h for h in app_handlers() if str(h) == "CustomerListState.on_load"]
    answer = deliver(root, customers, {})
    assert [e.payload.get("path", "").split("?")[0] for e in answer.events if e.name == "_redirect"] == ["/login"]
    assert "Ada" not in words_of(root)


def test_a_staff_preview_reads_the_customers_portal_and_writes_nothing(world, session, reader_user, session_token):
    root = tab("")
    root.get_substate(AuthState._get_substate_path()).auth_token = session_token(reader_user)
    [preview] = [h for h in HANDLERS if str(h) == "PortalState.preview"]
    [load] = [h for h in HANDLERS if str(h) == "PortalTicketsState.on_load"]
    [write] = [h for h in HANDLERS if str(h) == "PortalTicketsState.open_ticket"]
    deliver(root, preview, {"customer_id": str(world["bob"])})
    assert f"Bob {SECRET} invoice" in deliver(root, load, {}).text() + words_of(root)  # staff may view Bob
    before = bob_rows(session, world)
    answer = deliver(root, write, {"form": {"subject": "From staff", "description": ""}})
    assert "nothing is changed for the customer" in answer.text()
    assert bob_rows(session, world) == before


def test_a_portal_person_cannot_start_a_preview(world, session):
    root = tab(world["token"])
    [preview] = [h for h in HANDLERS if str(h) == "PortalState.preview"]
    [load] = [h for h in HANDLERS if str(h) == "PortalTicketsState.on_load"]
    deliver(root, preview, {"customer_id": str(world["bob"])})
    assert SECRET not in deliver(root, load, {}).text() + words_of(root)
