"""Which portal sections each customer's people see, and the workspace's defaults for new customers."""

from sqlmodel import Session

from customer_app.core import audit
from customer_app.core.permissions import Actor, require
from customer_app.customers.customers import get_customer
from customer_app.errors import ValidationError
from customer_app.portal.models import AVAILABLE_SECTIONS, SECTIONS, PortalSections, PortalSettings

SETTINGS_ROW = 1


def _parsed(text: str) -> frozenset[str]:
    return frozenset(key for key in text.split(",") if key in SECTIONS)


def _checked(keys: object) -> str:
    """Known section keys in the navigation's order, as stored; anything else is refused."""
    chosen = set(keys) if isinstance(keys, list | tuple | set | frozenset) else None
    if chosen is None or not all(isinstance(k, str) and k in SECTIONS for k in chosen):
        raise ValidationError({"sections": "Choose sections from the list."})
    return ",".join(key for key in SECTIONS if key in chosen)


def default_sections(*, session: Session) -> frozenset[str]:
    """The sections a customer gets until staff choose others."""
    row = session.get(PortalSettings, SETTINGS_ROW)
    return _parsed(row.default_sections) if row else _parsed(PortalSettings().default_sections)


def sections_of(customer_id: int, *, session: Session) -> frozenset[str]:
    """The sections switched on for a customer (including those whose capability does not exist yet)."""
    row = session.get(PortalSections, customer_id)
    return _parsed(row.sections) if row else default_sections(session=session)


def chosen_sections(customer_id: int, *, actor: Actor, session: Session) -> frozenset[str]:
    """The sections switched on for a customer, for staff who may view it."""
    require(actor, "customer.view")
    return sections_of(customer_id, session=session)


def usable_sections(customer_id: int, *, session: Session) -> frozenset[str]:
    """The sections a customer's people can open in the portal today."""
    return sections_of(customer_id, session=session) & frozenset(AVAILABLE_SECTIONS)


def set_sections(customer_id: int, keys: object, *, actor: Actor, session: Session) -> frozenset[str]:
    """Switch a customer's sections; open portal sessions follow at their next step."""
    require(actor, "customer.edit")
    stored = _checked(keys)
    customer = get_customer(customer_id, actor=actor, session=session)
    before = sections_of(customer.id, session=session)
    row = session.get(PortalSections, customer.id) or PortalSections(customer_id=customer.id)
    row.sections = stored
    session.add(row)
    audit.record(
        session,
        actor=actor,
        action="portal_sections",
        entity_type="customer",
        entity_id=customer.id,
        summary=f"Portal sections of {customer.display_name}: {_labels(stored)}"[:300],
        changes={"sections": [_labels(",".join(sorted(before))), _labels(stored)]},
    )
    return _parsed(stored)


def set_default_sections(keys: object, *, actor: Actor, session: Session) -> frozenset[str]:
    """Choose the sections customers get until staff choose others for them."""
    require(actor, "settings.manage")
    stored = _checked(keys)
    row = session.get(PortalSettings, SETTINGS_ROW) or PortalSettings(id=SETTINGS_ROW)
    before, row.default_sections = row.default_sections, stored
    session.add(row)
    audit.record(
        session,
        actor=actor,
        action="portal_default_sections",
        entity_type="settings",
        summary=f"Default portal sections: {_labels(stored)}"[:300],
        changes={"sections": [_labels(before), _labels(stored)]},
    )
    return _parsed(stored)


def _labels(stored: str) -> str:
    return ", ".join(SECTIONS[key] for key in SECTIONS if key in _parsed(stored)) or "none"
