"""The Export pop-up driven through its handlers: only admins open it; choices are saved, reused and exported."""

import asyncio
import csv
import io
import json
from pathlib import Path
from typing import cast

import pytest
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken
from reflex.istate.proxy import StateProxy
from reflex.state import State
from reflex_base.event.context import EventContext
from sqlmodel import select
from starlette.testclient import TestClient

from customer_app.access.state.auth import AuthState
from customer_app.api import api
from customer_app.customers import custom_fields
from customer_app.customers.models import CustomerGroup, CustomerGroupMember, CustomerTag
from customer_app.customers.state.customer_list import CustomerListState
from customer_app.transfer import export, export_configs
from customer_app.transfer.models import ExportConfig
from customer_app.transfer.state.exporter import CHOOSABLE, ExportState
from tests.unit.reflex_helpers import redirect_target, run, toast

NOT_ALLOWED = "Your role does not allow this. Ask an admin if you need it."


@pytest.fixture(autouse=True)
def export_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "exports"
    monkeypatch.setenv("EXPORT_DIR", str(folder))
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imports"))
    return folder


def tab(new_tab, user) -> State:
    """A signed-in tab that has loaded the customers page (as the browser's first event does)."""
    root = new_tab(user)
    root.router_data = root._update_router_vars({"pathname": "/", "asPath": "/", "query": {}}, {})
    return root


def exporter(root: State) -> ExportState:
    return cast(ExportState, root.get_substate(ExportState._get_substate_path()))


def listing(root: State) -> CustomerListState:
    return cast(CustomerListState, root.get_substate(CustomerListState._get_substate_path()))


@pytest.fixture
def root(new_tab, admin_user) -> State:
    return tab(new_tab, admin_user)


@pytest.fixture
def state(root) -> ExportState:
    return exporter(root)


def keys(state: ExportState) -> list[str]:
    return [c["key"] for c in state.columns]


def chosen(state: ExportState) -> list[str]:
    return [c["key"] for c in state.columns if c["on"]]


def save_as(session, admin, name, file_format="csv", scope="all", columns=("email",)):
    config = export_configs.save_config(name, file_format, scope, list(columns), actor=admin, session=session)
    session.commit()
    return config


# --- opening the pop-up -------------------------------------------------------------------------------------


def test_an_admin_opens_the_pop_up_with_the_saved_configurations_by_name(state, session, admin):
    save_as(session, admin, "Weekly")
    save_as(session, admin, "Accounts")
    assert run(state.open_dialog()) is None
    assert state.open
    assert state.error == ""
    assert state.download_url == ""
    assert [c["name"] for c in state.configs] == ["Accounts", "Weekly"]


@pytest.mark.parametrize("role", ["staff", "read_only"])
def test_others_get_a_refusal_and_the_pop_up_stays_closed(role, new_tab, make_user, session, admin):
    save_as(session, admin, "Weekly")
    state = exporter(tab(new_tab, make_user(role)))
    assert toast(run(state.open_dialog())) == ("error", NOT_ALLOWED)
    assert not state.open
    assert state.configs == []


def test_a_signed_out_tab_is_sent_to_sign_in(new_tab, app_db):
    state = exporter(new_tab(None, token="stale-or-stolen"))
    assert redirect_target(run(state.open_dialog())).startswith("/login")
    assert not state.open


# --- columns ------------------------------------------------------------------------------------------------


def test_every_column_but_the_customer_id_is_offered_and_on_at_first(state):
    assert keys(state) == CHOOSABLE
    assert chosen(state) == CHOOSABLE
    assert "id" not in keys(state)  # always written first; nothing to choose
    assert state.columns[0] == {"key": "kind", "label": "Kind", "on": "yes"}


def test_toggling_a_column_turns_it_off_and_on_in_place(state):
    state.toggle_column("email")
    assert "email" not in chosen(state)
    assert keys(state) == CHOOSABLE
    state.toggle_column("email")
    assert "email" in chosen(state)
    state.toggle_column("no_such_column")
    assert keys(state) == CHOOSABLE
    assert chosen(state) == CHOOSABLE


def test_moving_a_column_changes_the_file_order(state):
    state.move_column("email", -1)
    assert keys(state).index("email") == CHOOSABLE.index("email") - 1
    assert keys(state)[CHOOSABLE.index("email")] == CHOOSABLE[CHOOSABLE.index("email") - 1]
    state.move_column("kind", 1)
    assert keys(state)[:2] == ["first_name", "kind"]


def test_columns_do_not_move_past_either_end(state):
    state.move_column(CHOOSABLE[0], -1)
    state.move_column(CHOOSABLE[-1], 1)
    state.move_column("password_hash", 1)
    assert keys(state) == CHOOSABLE


def test_only_known_formats_and_scopes_are_taken(state):
    state.set_format("csv")
    state.set_scope("all")
    state.set_format("exe")
    state.set_scope("everyone")
    assert (state.file_format, state.scope) == ("csv", "all")


# --- saved configurations -----------------------------------------------------------------------------------


def test_a_saved_configuration_restores_format_scope_and_columns(state, session):
    run(state.open_dialog())
    state.set_format("csv")
    state.set_scope("all")
    for key in CHOOSABLE:
        if key not in ("email", "last_name", "phone"):
            state.toggle_column(key)
    state.move_column("phone", -1)
    state.move_column("phone", -1)
    state.set_config_name("Phone list")
    assert toast(run(state.save_config())) == ("success", "Saved the export configuration “Phone list”.")
    assert state.error == ""
    assert [c["name"] for c in state.configs] == ["Phone list"]
    saved = session.exec(select(ExportConfig)).one()
    assert json.loads(saved.columns) == ["id", "last_name", "phone", "email"]

    state.set_format("xlsx")
    state.set_scope("view")
    state.toggle_column("kind")
    state.move_column("email", -1)
    state.set_config_name("")
    run(state.use_config(state.configs[0]["id"]))
    assert (state.file_format, state.scope, state.config_name) == ("csv", "all", "Phone list")
    assert chosen(state) == ["last_name", "phone", "email"]
    assert keys(state)[:3] == ["last_name", "phone", "email"]  # chosen columns first, the rest after, off
    assert sorted(keys(state)) == sorted(CHOOSABLE)


def test_saving_under_the_same_name_overwrites(state, session):
    run(state.open_dialog())
    state.set_config_name("Mine")
    run(state.save_config())
    state.set_format("csv")
    state.set_config_name(" Mine ")
    run(state.save_config())
    assert [c["name"] for c in state.configs] == ["Mine"]
    assert session.exec(select(ExportConfig)).one().file_format == "csv"


def test_a_configuration_without_a_name_is_refused_in_the_pop_up(state, session):
    run(state.open_dialog())
    state.set_config_name("   ")
    assert run(state.save_config()) is None
    assert state.error == "Give the configuration a name."
    assert state.configs == []
    assert session.exec(select(ExportConfig)).all() == []


def test_a_deleted_configuration_leaves_the_list(state, session, admin):
    keep, gone = save_as(session, admin, "Keep"), save_as(session, admin, "Gone")
    run(state.open_dialog())
    run(state.delete_config(str(gone.id)))
    assert state.configs == [{"id": str(keep.id), "name": "Keep"}]
    session.expire_all()
    assert [c.name for c in session.exec(select(ExportConfig))] == ["Keep"]


def test_an_unknown_configuration_changes_nothing(state, session, admin):
    save_as(session, admin, "Weekly")
    run(state.open_dialog())
    run(state.use_config("999999"))
    assert (state.file_format, state.scope, chosen(state)) == ("xlsx", "view", CHOOSABLE)


@pytest.mark.parametrize("role", ["staff", "read_only"])
def test_others_may_not_save_use_or_delete_configurations(role, new_tab, make_user, session, admin):
    config = save_as(session, admin, "Weekly")
    state = exporter(tab(new_tab, make_user(role)))
    state.set_config_name("Sneaky")
    assert toast(run(state.save_config())) == ("error", NOT_ALLOWED)
    assert toast(run(state.use_config(str(config.id)))) == ("error", NOT_ALLOWED)
    assert toast(run(state.delete_config(str(config.id)))) == ("error", NOT_ALLOWED)
    assert state.file_format == "xlsx"
    session.expire_all()
    assert [c.name for c in session.exec(select(ExportConfig))] == ["Weekly"]


# --- the "selected rows" scope ------------------------------------------------------------------------------


def test_selected_rows_are_offered_only_when_rows_are_selected(root, state):
    run(state.open_dialog())
    assert [value for value, _ in state.scope_options] == ["view", "all"]

    listing(root).selected = ["3", "5"]
    run(state.open_dialog())
    assert state.scope_options == [
        ["view", "Current tab, search and filters"],
        ["selected", "Selected rows (2)"],
        ["all", "Everything (not in Trash)"],
    ]
    state.set_scope("selected")

    listing(root).selected = []
    run(state.open_dialog())
    assert state.scope == "view"
    assert [value for value, _ in state.scope_options] == ["view", "all"]


def test_a_saved_selected_scope_falls_back_to_the_view_without_a_selection(root, state, session, admin):
    config = save_as(session, admin, "Picked", scope="selected")
    run(state.open_dialog())
    run(state.use_config(str(config.id)))
    assert state.scope == "view"
    listing(root).selected = ["1"]
    run(state.open_dialog())
    run(state.use_config(str(config.id)))
    assert state.scope == "selected"


# --- running an export (a background event) -----------------------------------------------------------------


@pytest.fixture(autouse=True)
def worker(job_worker) -> None:
    """Exports are written by a job worker, as in the app."""


def in_background(root: State, handler: str):
    """Run a background handler as Reflex does: on a StateProxy of the tab's state, held by a state manager.

    Returns what the handler returned and the state changes it sent to the browser, in order.
    """
    sent: list[dict] = []

    async def emit_delta(_token, delta):
        sent.append(delta)

    async def enqueue(_token, *_events):
        raise AssertionError("the export chains no events")

    async def go():
        manager = StateManagerMemory()
        await manager.set_state(BaseStateToken(ident="tab-1", cls=State), root)
        context = EventContext(token="tab-1", state_manager=manager, enqueue_impl=enqueue, emit_delta_impl=emit_delta)
        try:
            with context:
                proxy = StateProxy(exporter(root))
                return await ExportState.event_handlers[handler].fn(proxy)
        finally:
            await manager.close()

    result = asyncio.run(go())
    name = exporter(root).get_full_name()
    return result, [delta[name] for delta in sent if name in delta]


def download(url: str, root: State) -> list[list[str]]:
    """The file behind a link, fetched as the tab's page does: posting the tab's sign-in along."""
    holder = cast(AuthState, root.get_substate(AuthState._get_substate_path())).auth_token
    with TestClient(api) as client:
        response = client.post(url, data={"session": holder})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def people(add) -> dict:
    return {
        "ann": add(first_name="Ann", last_name="Lee", email="ann@example.com"),
        "bob": add(first_name="Bob", last_name="Stone", email="bob@example.com"),
        "acme": add(kind="institution", name="Acme Labs"),
    }


def test_an_export_shows_progress_then_offers_the_file(root, state, people, export_dir):
    listing(root).search = "ann"  # the individuals tab, searched as on screen
    state.set_format("csv")
    for key in CHOOSABLE:
        if key not in ("email", "first_name"):
            state.toggle_column(key)
    result, sent = in_background(root, "start_export")
    assert "export-download" in str(result.args)  # the browser is told to start the download
    assert sent[0]["running_rx_state_"] is True
    assert sent[-1]["running_rx_state_"] is False
    assert not state.running
    assert state.error == ""
    assert state.done_rows == state.total_rows == 1
    assert state.download_label.startswith("Download 1 ")
    assert state.download_label.endswith("(.csv)")
    assert sent[-1]["download_url_rx_state_"] == state.download_url
    assert download(state.download_url, root) == [
        ["Workspace customer ID", "First name", "Email"],
        [str(people["ann"].id), "Ann", "ann@example.com"],
    ]
    assert [p.parent for p in export_dir.iterdir()] == [export_dir]


def test_an_export_of_selected_rows_holds_only_those(root, state, people):
    listing(root).selected = [str(people["bob"].id), str(people["acme"].id)]
    run(state.open_dialog())
    state.set_scope("selected")
    state.set_format("csv")
    _, _sent = in_background(root, "start_export")
    table = download(state.download_url, root)
    assert sorted(row[0] for row in table[1:]) == sorted([str(people["bob"].id), str(people["acme"].id)])
    assert state.download_label.startswith("Download 2 customers")


def test_an_export_that_fails_in_its_worker_says_so_and_offers_no_file(root, state, people, monkeypatch):
    def full_disk(*_args, **_kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(export, "write_export", full_disk)
    result, _sent = in_background(root, "start_export")
    assert result is None
    assert not state.running
    assert state.error == "The export failed. Try again; if it fails again, tell an admin."
    assert state.download_url == ""


@pytest.mark.parametrize("role", ["staff", "read_only"])
def test_others_cannot_start_an_export(role, new_tab, make_user, people, export_dir):
    root = tab(new_tab, make_user(role))
    result, sent = in_background(root, "start_export")
    assert toast(result) == ("error", NOT_ALLOWED)
    assert not exporter(root).running
    assert exporter(root).download_url == ""
    assert all(not delta.get("running_rx_state_") for delta in sent)
    assert not export_dir.exists() or list(export_dir.iterdir()) == []


def test_an_export_of_the_view_holds_only_the_customers_the_filters_show(root, state, people, session):
    vip = CustomerGroup(name="VIP")
    session.add(vip)
    session.flush()
    session.add_all(CustomerGroupMember(customer_id=people[name].id, group_id=vip.id) for name in ("ann", "acme"))
    session.add_all(CustomerTag(customer_id=people[name].id, tag="Key") for name in ("ann", "bob"))
    session.commit()
    listing(root).group, listing(root).tag = str(vip.id), "key"  # as the filter bar leaves them
    state.set_format("csv")
    in_background(root, "start_export")
    assert [row[0] for row in download(state.download_url, root)[1:]] == [str(people["ann"].id)]


def test_custom_fields_are_offered_off_and_a_configuration_can_keep_them(state, session, admin):
    tier = custom_fields.add_field(custom_fields.FieldDefinition("Tier"), actor=admin, session=session)
    session.commit()
    run(state.open_dialog())
    key = f"custom_{tier.id}"
    assert state.columns[-1] == {"key": key, "label": "Tier", "on": ""}
    assert chosen(state) == CHOOSABLE
    state.toggle_column(key)
    state.set_config_name("With tier")
    run(state.save_config())
    assert json.loads(session.exec(select(ExportConfig)).one().columns)[-1] == key
    state.toggle_column(key)
    run(state.use_config(state.configs[0]["id"]))
    assert chosen(state)[-1] == key
