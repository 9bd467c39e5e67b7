"""Links to the backend's own routes (downloads), which sit on another port than the pages in development."""

import reflex as rx
from reflex.vars.base import Var, VarData
from reflex_base.constants import Dirs
from reflex_base.utils.imports import ImportVar

# The frontend knows the backend's address from its build settings; Reflex's upload links use the same value.
_BACKEND_ORIGIN = Var(
    _js_expr="new URL(getBackendURL(env.UPLOAD)).origin",
    _var_data=VarData(
        imports={f"$/{Dirs.STATE_PATH}": "getBackendURL", "$/env.json": ImportVar(tag="env", is_default=True)}
    ),
).to(str)


def backend_url(path: rx.Var) -> rx.Var:
    """The absolute URL of a backend path such as /api/download/<token>."""
    return _BACKEND_ORIGIN + path


def download_link(label: str, path: rx.Var, *, holder: rx.Var, link_id: str) -> rx.Component:
    """A download button for a backend path: it posts the browser's sign-in token `holder` along, because the route
    gives the file only to the person who made the link (the browser saves it under the name the route gives)."""
    return rx.el.form(
        rx.el.input(type="hidden", name="session", value=holder),
        rx.el.button(
            rx.hstack(rx.icon("download", size=16), rx.text(label), align="center", spacing="2"),
            type="submit",
            id=link_id,
            class_name="download-link",
        ),
        method="post",
        action=backend_url(path),
        on_submit=None,  # the browser posts the form itself: the answer is a file, not an event of the page
    )
