"""Events no page of the app sends are dropped before any handler runs, and an event naming no handler is logged on
one line: what a hostile websocket client sends leaves no traceback behind (tests/e2e/test_hostile_client.py sends
it over a real socket)."""

import asyncio
import io
import logging
import sys

import pytest
import reflex as rx
from reflex.state import State, StateUpdate, UpdateVarsInternalState
from reflex_base.event import Event
from reflex_base.utils.format import format_event_handler

from customer_app.access.state.auth import AuthState
from customer_app.customers.state.customer_form import CustomerFormState
from customer_app.customers.state.customer_history import CustomerHistoryState
from customer_app.customers.state.customer_list import CustomerListState
from customer_app.event_check import EventCheck, OneLineForUnknownHandlers, misfit
from tests.unit.handler_calls import app_handlers, arguments

LIST = CustomerListState.event_handlers
AUTH_KEY = f"{AuthState.get_full_name()}.auth_token_rx_state_"


def dropped(handler, **payload) -> bool:
    """Whether the app drops this event before the handler runs."""
    event = Event(name=format_event_handler(handler), payload=payload)
    answer = asyncio.run(EventCheck().preprocess(None, State(_reflex_internal_init=True), event))  # pyright: ignore[reportCallIssue]
    assert answer is None or answer == StateUpdate()  # dropped without a word to the client
    return answer is not None


@pytest.mark.parametrize(
    ("handler", "payload"),
    [
        (LIST["set_search"], {"value": "ann"}),
        (LIST["go_to_page"], {"page": 3}),
        (LIST["go_to_page"], {"page": "3"}),  # Reflex turns digits into the int the handler wants
        (LIST["restore"], {"row_ids": ["1", "2"]}),
        (LIST["clear_search"], {}),
        (CustomerHistoryState.event_handlers["load"], {"customer_id": 7}),
        (CustomerFormState.event_handlers["save"], {"form_data": {"first_name": "Ann"}}),
        (CustomerFormState.event_handlers["upload_picture"], {"files": [rx.UploadFile(file=io.BytesIO(b"x"))]}),
        (UpdateVarsInternalState.event_handlers["update_vars_internal"], {"vars": {AUTH_KEY: "a token"}}),
    ],
)
def test_what_the_pages_send_goes_through(handler, payload):
    assert not dropped(handler, **payload)


@pytest.mark.parametrize(
    ("handler", "payload"),
    [
        (LIST["set_search"], {"value": 12345}),
        (LIST["set_search"], {"value": {"$ne": ""}}),
        (LIST["set_search"], {"value": None}),
        (LIST["set_search"], {}),
        (LIST["clear_search"], {"bogus": 1}),
        (LIST["go_to_page"], {"page": "last"}),
        (LIST["go_to_page"], {"page": True}),
        (LIST["restore"], {"row_ids": "1,2"}),
        (LIST["restore"], {"row_ids": [1, 2]}),
        (LIST["toggle_selected"], {"row_id": ["1"]}),
        (CustomerFormState.event_handlers["save"], {"form_data": "not a form"}),
        (LIST["setvar"], {"var_name": "rows", "value": []}),
        (UpdateVarsInternalState.event_handlers["update_vars_internal"], {"vars": {"no.such.state_rx_state_": "x"}}),
        (UpdateVarsInternalState.event_handlers["update_vars_internal"], {"vars": ["not", "a", "mapping"]}),
    ],
)
def test_what_no_page_sends_is_dropped(handler, payload):
    assert dropped(handler, **payload)


def test_the_drop_is_logged_on_one_line_without_the_values(caplog):
    caplog.set_level(logging.WARNING)
    assert dropped(LIST["set_search"], value={"secret": "hostile text"})
    (record,) = caplog.records
    assert record.getMessage() == "Dropped an event for set_search: argument 'value' is not str"
    assert record.exc_info is None


def test_every_handler_takes_arguments_of_the_types_it_declares():
    # The arguments the authorization matrix makes from each signature are ones the check lets through.
    assert [str(h) for h in app_handlers() if misfit(h.state.event_handlers[h.name], arguments(h))] == []


def test_an_event_naming_no_handler_is_one_warning_without_a_traceback():
    try:
        raise KeyError("No registered handler found for event: state.drop_everything")
    except KeyError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "Error processing %s", ("a" * 10_000,), sys.exc_info()
        )
    assert OneLineForUnknownHandlers().filter(record)
    assert (record.levelname, record.getMessage(), record.exc_info) == (
        "WARNING",
        "Dropped an event naming no handler",
        None,
    )


def test_other_errors_keep_their_traceback():
    try:
        raise KeyError("a real bug")
    except KeyError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "Error processing", (), sys.exc_info())
    assert OneLineForUnknownHandlers().filter(record)
    assert record.levelname == "ERROR"
    assert record.exc_info is not None
