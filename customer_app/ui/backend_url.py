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


def download_link(label: str, path: rx.Var, *, link_id: str) -> rx.Component:
    """A download link to a backend path (the browser saves the file under the name the route gives)."""
    return rx.el.a(
        rx.hstack(rx.icon("download", size=16), rx.text(label), align="center", spacing="2"),
        href=backend_url(path),
        id=link_id,
        download="",
        class_name="download-link",
        # Reflex renders links with the client-side router, which would treat a same-origin download (the
        # single-port production server) as a page of the app: let the browser fetch it instead.
        custom_attrs={"reloadDocument": True},
    )
