"""Boxes that higher packages add to the customer pop-up (portal access, a welcome e-mail): each says its current
value for a customer and what ticking or unticking it does, in the transaction that saves the customer."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlmodel import Session

from customer_app.core.permissions import Actor
from customer_app.customers.models import Customer

Reader = Callable[[int, Actor, Session], bool]
Applier = Callable[[Customer, Mapping[str, bool], bool, Actor, Session], None]  # customer, ticked boxes, created


@dataclass(frozen=True)
class FormExtra:
    """One box on the pop-up."""

    name: str
    label: str
    read: Reader  # whether the box starts ticked for an existing customer
    apply: Applier
    only_on_create: bool = False


_EXTRAS: dict[str, FormExtra] = {}


def register(extra: FormExtra) -> None:
    """Add a box to the pop-up (the package that owns what it does calls this when imported)."""
    _EXTRAS[extra.name] = extra


def extras() -> list[FormExtra]:
    """The boxes, in the order they were added."""
    return list(_EXTRAS.values())


def ticked(form: Mapping[str, object]) -> dict[str, bool]:
    """Which boxes a submitted form ticked (browsers send "on" for a ticked box and nothing otherwise)."""
    return {name: form.get(name) in ("on", True, "true") for name in _EXTRAS}


def read_all(customer_id: int, *, actor: Actor, session: Session) -> dict[str, bool]:
    """Each box's value for an existing customer."""
    return {
        extra.name: extra.read(customer_id, actor, session) for extra in _EXTRAS.values() if not extra.only_on_create
    }


def apply_all(customer: Customer, boxes: Mapping[str, bool], *, created: bool, actor: Actor, session: Session) -> None:
    """Do what the boxes say, after the customer was stored."""
    for extra in _EXTRAS.values():
        if created or not extra.only_on_create:
            extra.apply(customer, boxes, created, actor, session)
