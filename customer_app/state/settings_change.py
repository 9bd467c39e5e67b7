"""Running one change on the settings page as the signed-in admin, with the outcome shown the same way each time."""

from collections.abc import Callable

import reflex as rx
from sqlmodel import Session

from customer_app.db import session_scope
from customer_app.errors import CustomerAppError, PermissionDenied, ValidationError
from customer_app.services.permissions import Actor
from customer_app.state.auth import actor_for, refusal


async def apply_change(state: rx.State, work: Callable[[Actor, Session], object]) -> tuple[bool, object]:
    """Run `work`, then reload `state`; returns whether it worked and the event (if any) to send back.

    Field errors land in `state.errors`; other refusals become a message.
    """
    try:
        actor = await actor_for(state, "settings.manage")
        with session_scope() as session:
            work(actor, session)
    except PermissionDenied as exc:
        return False, await refusal(state, exc)
    except ValidationError as exc:
        state.errors = exc.errors
        return False, None
    except CustomerAppError as exc:
        await state._load()
        return False, rx.toast.error(str(exc))
    state.errors = {}
    await state._load()
    return True, None
