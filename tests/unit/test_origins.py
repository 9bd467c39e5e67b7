"""Only pages from PUBLIC_URL, or from the frontend Reflex is configured with, may call the backend from a browser
(tests/e2e/test_production_headers.py asks a real server)."""

import pytest
from reflex.config import get_config

from customer_app import origins
from customer_app.origins import AllowedOrigins, allowed, origin_of
from customer_app.settings import Settings


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://crm.example.com/", "https://crm.example.com"),
        ("https://CRM.example.com:443/login?next=/", "https://crm.example.com"),
        ("http://crm.example.com:80", "http://crm.example.com"),
        ("http://127.0.0.1:3000/", "http://127.0.0.1:3000"),
        ("http://[::1]:3000", "http://[::1]:3000"),
        (" http://localhost:3000 ", "http://localhost:3000"),
        ("ftp://crm.example.com", ""),
        ("null", ""),
        ("*", ""),
        ("http://host:notaport", ""),
        (None, ""),
    ],
)
def test_an_address_becomes_the_origin_browsers_send(url, origin):
    assert origin_of(url) == origin


@pytest.fixture
def configured(monkeypatch):
    """The workspace at https://crm.example.com; its frontend configured at http://localhost:3000."""
    monkeypatch.setenv("PUBLIC_URL", "https://crm.example.com")
    monkeypatch.setattr(origins, "settings", Settings())  # read from the environment when made, like at start
    monkeypatch.setattr(get_config(), "deploy_url", "http://localhost:3000")


def test_the_workspace_and_its_frontend_may_call_and_nobody_else(configured):
    assert allowed("https://crm.example.com")
    assert allowed("http://localhost:3000")
    for origin in ("https://attacker.example", "http://crm.example.com", "https://crm.example.com:8443", "null", "*"):
        assert not allowed(origin), origin
    assert not allowed(None)


def test_a_frontend_address_set_after_start_is_honoured(configured, monkeypatch):
    monkeypatch.setattr(get_config(), "deploy_url", "http://localhost:41234/")  # what the test harness does
    assert allowed("http://localhost:41234")
    assert not allowed("http://localhost:3000")


def test_the_list_reflex_gets_answers_like_allowed_and_never_means_everyone(configured):
    listed = AllowedOrigins()
    assert list(listed) == ["https://crm.example.com"]
    assert listed != ("*",)
    assert "*" not in listed
    assert "http://localhost:3000" in listed
    assert "https://attacker.example" not in listed
