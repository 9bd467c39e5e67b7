"""Checking who is asking where `act_as` does not fit: work that outlives one transaction or the state's lock.

`act_as` runs its work in one transaction under the event's lock and sends errors to a field map or a toast. Import
and export read files and write chunks on worker threads, poll from background events, and show errors in the page,
so their handlers only need the check itself.
"""

import reflex as rx

from customer_app.access.state.auth import actor_for, refusal
from customer_app.core.permissions import Actor
from customer_app.errors import PermissionDenied


async def allowed(state: rx.State, permission: str) -> tuple[Actor | None, object]:
    """The signed-in actor if their role allows `permission`; else None and what to send back (sign-in or a message).

    In a background event call it inside `async with self:` (it reads and refreshes the signed-in user's state), and
    do the slow work after the block.
    """
    try:
        return await actor_for(state, permission), None
    except PermissionDenied as exc:
        return None, await refusal(state, exc)
