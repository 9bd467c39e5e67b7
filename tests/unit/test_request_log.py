"""With LOG_FORMAT=json each request and each failed event is one JSON line naming its correlation id and the
signed-in staff user; every answer carries that id back in X-Request-ID."""

import asyncio
import json
import logging
from collections.abc import Iterator

import pytest
from reflex_base.event import Event
from starlette.testclient import TestClient

from customer_app import failures, health, request_log
from customer_app.access import auth
from customer_app.access.downloads import create_link
from customer_app.api import api
from customer_app.core import request_context
from customer_app.settings import settings


@pytest.fixture
def lines() -> Iterator[list[dict]]:
    """The JSON lines the app writes, as configured by LOG_FORMAT=json."""
    app_logger = logging.getLogger("customer_app")
    before = (list(app_logger.handlers), app_logger.propagate, app_logger.level, request_log.REQUESTS.level)
    request_log.configure("json")
    captured: list[dict] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            captured.append(json.loads(request_log.JsonLines().format(record)))

    json_handler = app_logger.handlers[-1]
    app_logger.removeHandler(json_handler)  # keep stderr quiet; the formatter is what is under test
    app_logger.addHandler(capture := Capture())
    yield captured
    app_logger.removeHandler(capture)
    app_logger.handlers[:], app_logger.propagate = before[0], before[1]
    app_logger.setLevel(before[2])
    request_log.REQUESTS.setLevel(before[3])


@pytest.fixture
def client(app_db) -> TestClient:
    return TestClient(request_log.log_requests(api))


def test_text_logging_is_the_default_and_adds_no_json_lines_but_still_answers_with_an_id(client):
    app_logger = logging.getLogger("customer_app")
    before = list(app_logger.handlers)
    request_log.configure(settings.log_format)  # LOG_FORMAT unset in the tests: "text"
    assert settings.log_format == "text"
    assert app_logger.handlers == before
    assert len(client.get(health.HEALTH_PATH).headers["x-request-id"]) == 32


def test_a_request_is_one_json_line_with_its_id_path_status_and_duration(client, lines):
    answer = client.get(health.HEALTH_PATH, headers={"X-Request-ID": "proxy-42.a:b"})
    assert answer.headers["x-request-id"] == "proxy-42.a:b"
    [line] = lines
    assert line["request_id"] == "proxy-42.a:b"
    assert (line["level"], line["method"], line["path"], line["status"]) == ("INFO", "GET", "/api/health", 200)
    assert isinstance(line["duration_ms"], float)
    assert line["user_id"] is None
    assert line["time"].endswith("+00:00")


@pytest.mark.parametrize("sent", ["", "has spaces", "x" * 129, "<script>", "a/b"])
def test_an_odd_incoming_request_id_is_replaced_by_a_fresh_one(client, lines, sent):
    answer = client.get(health.HEALTH_PATH, headers={"X-Request-ID": sent})
    assert answer.headers["x-request-id"] != sent
    assert len(answer.headers["x-request-id"]) == 32
    assert lines[0]["request_id"] == answer.headers["x-request-id"]


def test_a_signed_in_download_names_the_staff_user(
    client, lines, admin, admin_user, session, session_token, tmp_path, monkeypatch
):
    monkeypatch.setenv("EXPORT_DIR", str(tmp_path))
    (tmp_path / "Xk2-private.csv").write_text("Customer ID\r\n")
    url = create_link(tmp_path / "Xk2-private.csv", "customers.csv", actor=admin, session=session)
    session.commit()
    answer = client.post(url, data={"session": session_token(admin_user)})
    assert answer.status_code == 200
    assert lines[-1]["user_id"] == admin_user.id
    assert lines[-1]["status"] == 200
    assert client.post(url, data={"session": "not-a-session"}).status_code == 403
    assert lines[-1]["user_id"] is None


def test_a_failed_event_is_one_json_line_with_its_id_handler_user_and_traceback(lines, monkeypatch):
    monkeypatch.setattr(request_log, "event_id", lambda: "txid-1")  # the id Reflex gives the event
    state_event = Event(name="state.customer_list_state.delete_customer", payload={})
    token = request_context.current()
    asyncio.run(request_log.EventContextMiddleware().preprocess(None, None, state_event))  # type: ignore[arg-type]
    request_log._recent["txid-1"].user_id = 7  # what resolving the tab's sign-in notes while the handler runs
    assert request_context.current() is token  # asyncio.run ran it in a copy of the context, as Reflex's tasks do

    failures.tell_the_user(RuntimeError("the secret SQL"))

    [line] = lines
    assert line["level"] == "ERROR"
    assert line["message"] == "An event failed"
    assert (line["request_id"], line["event"], line["user_id"]) == ("txid-1", "delete_customer", 7)
    assert line["error"] == "RuntimeError"
    assert "the secret SQL" in line["traceback"]


def test_an_event_notes_its_signed_in_user_when_the_sign_in_is_resolved(admin_user, session, session_token):
    token = request_context.begin("evt", "state.x.save")
    try:
        auth.resolve_session(session_token(admin_user), session=session)
        assert request_context.current().user_id == admin_user.id  # type: ignore[union-attr]
    finally:
        request_context.end(token)
