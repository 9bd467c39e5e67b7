"""Meetings, calls and tasks with a customer: when (kept in UTC), how long, where, with whom, and whether done."""

from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlmodel import Session, col, select

from customer_app.core import audit
from customer_app.core.columns import utcnow
from customer_app.core.normalize import clean_text, whole_number
from customer_app.core.permissions import Actor, require
from customer_app.customers.customers import get_customer
from customer_app.errors import NotFoundError, ValidationError
from customer_app.records.models import ACTIVITY_KINDS, ACTIVITY_STATUSES, Activity

ACTIVITIES_SHOWN = 200
MAX_MINUTES = 7 * 24 * 60
MAX_TITLE = 200


def checked_activity(raw: Mapping[str, object], zone: tzinfo = UTC) -> dict[str, Any]:
    """Validated activity values from a form (start as yyyy-mm-ddThh:mm in `zone`, kept in UTC)."""
    errors, values = {}, {}
    values["kind"] = str(raw.get("kind") or "")
    if values["kind"] not in ACTIVITY_KINDS:
        errors["kind"] = "Choose meeting, call or task."
    values["status"] = str(raw.get("status") or "planned")
    if values["status"] not in ACTIVITY_STATUSES:
        errors["status"] = "Choose a status from the list."
    values["title"] = clean_text(raw.get("title")) or ""
    if not values["title"]:
        errors["title"] = "Say what the activity is about."
    elif len(values["title"]) > MAX_TITLE:
        errors["title"] = f"Keep the title under {MAX_TITLE} characters."
    try:
        typed = datetime.fromisoformat(str(raw.get("starts_at") or ""))
        values["starts_at"] = (typed if typed.tzinfo else typed.replace(tzinfo=zone)).astimezone(UTC)
    except ValueError:
        errors["starts_at"] = "Enter a date and time, like 2026-12-01 14:30."
    minutes = whole_number(raw.get("duration_minutes") or "0", max_digits=6)
    if minutes is None or not 0 < minutes <= MAX_MINUTES:
        errors["duration_minutes"] = "Enter the duration in minutes (up to a week)."
    else:
        values["duration_minutes"] = minutes
    values["location"] = (clean_text(raw.get("location")) or "")[:200]
    values["participants"] = (clean_text(raw.get("participants")) or "")[:1000]
    if errors:
        raise ValidationError(errors)
    return values


def save_activity(
    customer_id: int,
    raw: Mapping[str, object],
    *,
    actor: Actor,
    session: Session,
    activity_id: int = 0,
    zone: tzinfo = UTC,
) -> Activity:
    """Add an activity to an active customer, or change one (`activity_id`); the start is typed in `zone`."""
    require(actor, "customer.edit")
    values = checked_activity(raw, zone)
    customer = get_customer(customer_id, actor=actor, session=session)
    if activity_id:
        activity = session.get(Activity, activity_id)
        if activity is None or activity.customer_id != customer.id:
            raise NotFoundError("This activity does not exist any more.")
        before = activity.model_dump(include=set(values))
        for name, value in values.items():
            setattr(activity, name, value)
        action, summary = "activity_update", f"Updated {values['kind']} “{values['title']}”"
    else:
        activity = Activity(customer_id=customer.id, created_by_name=actor.name, **values)
        before, action, summary = {}, "activity_add", f"Planned {values['kind']} “{values['title']}”"
    session.add(activity)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=action,
        entity_type="customer",
        entity_id=customer.id,
        summary=summary[:300],
        changes=audit.field_changes(before, values),
    )
    return activity


def delete_activity(activity_id: int, *, actor: Actor, session: Session) -> None:
    """Remove an activity."""
    require(actor, "customer.edit")
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise NotFoundError("This activity was already deleted.")
    session.delete(activity)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="activity_delete",
        entity_type="customer",
        entity_id=activity.customer_id,
        summary=f"Deleted {activity.kind} “{activity.title}”"[:300],
    )


def list_activities(customer_id: int, *, actor: Actor, session: Session) -> tuple[list[Activity], list[Activity]]:
    """Upcoming activities (soonest first) and past ones (latest first)."""
    require(actor, "customer.view")
    now = utcnow()
    query = select(Activity).where(col(Activity.customer_id) == customer_id)
    upcoming = session.exec(
        query.where(col(Activity.starts_at) >= now).order_by(col(Activity.starts_at), col(Activity.id))
    ).all()
    past = session.exec(
        query.where(col(Activity.starts_at) < now)
        .order_by(col(Activity.starts_at).desc(), col(Activity.id).desc())
        .limit(ACTIVITIES_SHOWN)
    ).all()
    return list(upcoming[:ACTIVITIES_SHOWN]), list(past)
