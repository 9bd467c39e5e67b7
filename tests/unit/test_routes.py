"""Routes are data: one table of pages, unique addresses, and builders that land on the page they name."""

import ast
import re
from pathlib import Path

import pytest

from customer_app import routes
from customer_app.customer_app import PAGES

ROOT = Path(__file__).resolve().parents[2] / "customer_app"
CONSTANTS = {name: value for name, value in vars(routes).items() if name.isupper() and not name.startswith("_")}


def pattern(route: str) -> re.Pattern:
    """A route as a regular expression: each [segment] matches one path segment."""
    return re.compile("^" + re.sub(r"\\\[\w+\\\]", "[^/?]+", re.escape(route)) + r"(\?.*)?$")


def test_every_route_is_unique():
    assert len(set(CONSTANTS.values())) == len(CONSTANTS)


def test_every_route_is_a_page_and_every_page_a_route():
    assert sorted(route for route, *_ in PAGES) == sorted(CONSTANTS.values())


@pytest.mark.parametrize(
    ("built", "route"),
    [
        (routes.customer(42), routes.CUSTOMER),
        (routes.customer(42, tab="tickets"), routes.CUSTOMER),
        (routes.login("/customers/42"), routes.LOGIN),
        (routes.portal_login("/clients/tickets"), routes.PORTAL_LOGIN),
        (routes.reset("abc-DEF_1"), routes.RESET),
        (routes.invite("abc-DEF_1"), routes.INVITE),
    ],
)
def test_builders_land_on_their_page(built, route):
    matching = [r for r in CONSTANTS.values() if pattern(r).match(built)]
    assert route in matching
    assert routes.IMPORT not in matching or route == routes.IMPORT


def test_signing_in_from_the_sign_in_page_does_not_come_back_to_it():
    assert routes.login(routes.LOGIN) == routes.LOGIN
    assert routes.login() == routes.LOGIN


def test_link_purpose_follows_the_page():
    assert routes.link_purpose(routes.invite("t")) == "invite"
    assert routes.link_purpose(routes.reset("t")) == "reset"


def spelled_paths(source: str) -> list[str]:
    """String constants that spell a page address (or its start) instead of naming a route."""
    first_segments = {value.strip("/").split("/")[0] for value in CONSTANTS.values()} - {""}
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            segment = node.value.split("?")[0].strip("/").split("/")[0]
            if node.value.startswith("/") and segment in first_segments:
                found.append(node.value)
    return found


def test_the_path_check_notices_a_spelled_path():
    assert spelled_paths('x = rx.redirect("/customers/" + y)\nz = "/styles.css"') == ["/customers/"]


def test_no_module_spells_a_page_address():
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in sorted(ROOT.rglob("*.py"))
        if path.name != "routes.py" and (found := spelled_paths(path.read_text()))
    }
    assert offenders == {}
