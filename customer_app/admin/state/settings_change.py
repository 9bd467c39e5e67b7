"""Running one change on the settings page as the signed-in admin, then showing the settings as they now are."""

from collections.abc import Callable
from typing import Protocol, cast

import reflex as rx
from sqlmodel import Session

from customer_app.access.state.auth import act_as
from customer_app.core.permissions import Actor


class _Reloads(Protocol):
    async def _load(self) -> object: ...


async def apply_change(state: rx.State, work: Callable[[Actor, Session], object]) -> tuple[bool, object]:
    """Run `work` as an admin, then reload `state` (also after a refusal: the list may have changed meanwhile)."""
    done, event = await act_as(state, "settings.manage", work)
    await cast("_Reloads", state)._load()  # every settings state reads its list in `_load`
    return done, event
