"""The Activities tab of the customer page: upcoming and past, and the pop-up to plan, edit or delete one."""

from dataclasses import dataclass
from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo

import reflex as rx
from sqlmodel import Session

from customer_app.core.permissions import Actor
from customer_app.customers.models import Customer
from customer_app.records import activities
from customer_app.records.models import ACTIVITY_KINDS, ACTIVITY_STATUSES, Activity
from customer_app.records.state.record_tab import RecordTabMixin
from customer_app.ui.parsing import parse_ids

_ZONE_NAME_LIMIT = 64  # IANA zone names are far shorter; anything longer is not one
FORM_FIELDS = ("kind", "title", "starts_at", "duration_minutes", "location", "participants", "status")


@dataclass
class ActivityRow:
    """One activity as the tab shows it."""

    id: str = ""
    kind: str = ""
    kind_label: str = ""
    title: str = ""
    when: str = ""
    starts_at: str = ""
    duration: str = ""
    location: str = ""
    participants: str = ""
    status: str = ""
    status_label: str = ""


def zone_named(name: str) -> tzinfo:
    """The IANA time zone a browser reported, or UTC when it is unknown (clients can send anything)."""
    try:
        return ZoneInfo(name) if name and len(name) < _ZONE_NAME_LIMIT else UTC
    except (KeyError, ValueError, OSError):  # unknown (ZoneInfoNotFoundError is a KeyError) or malformed
        return UTC


def activity_row(activity: Activity, zone: tzinfo = UTC) -> ActivityRow:
    """An activity as text, its start in the viewer's time zone."""
    local = activity.starts_at.astimezone(zone)
    return ActivityRow(
        id=str(activity.id),
        kind=activity.kind,
        kind_label=ACTIVITY_KINDS.get(activity.kind, activity.kind),
        title=activity.title,
        when=local.strftime("%Y-%m-%d %H:%M ") + (local.tzname() or ""),
        starts_at=local.strftime("%Y-%m-%dT%H:%M"),
        duration=f"{activity.duration_minutes} min",
        location=activity.location,
        participants=activity.participants,
        status=activity.status,
        status_label=ACTIVITY_STATUSES.get(activity.status, activity.status),
    )


class CustomerActivitiesState(RecordTabMixin, rx.State):
    """One customer's activities in one browser tab."""

    upcoming: list[ActivityRow] = []
    past: list[ActivityRow] = []
    time_zone: str = "UTC"  # the browser's, reported once the page has loaded

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None:
        """Read the customer's activities, in the browser's time zone."""
        self.customer_id = customer.id
        upcoming, past = activities.list_activities(customer.id, actor=actor, session=session)
        zone = zone_named(self.time_zone)
        self.upcoming = [activity_row(a, zone) for a in upcoming]
        self.past = [activity_row(a, zone) for a in past]

    @rx.event
    async def set_time_zone(self, name: str):
        """Show and take times in the browser's time zone."""
        zone = str(zone_named(str(name)))
        changed, self.time_zone = zone != self.time_zone, zone
        if changed and self.customer_id:
            await self._reload()  # a refusal is the page's to report: this runs as the page loads

    def _rows(self) -> list[ActivityRow]:
        return [*self.upcoming, *self.past]

    @rx.event
    def open_new(self):
        self._open_form(0, {"kind": "meeting", "duration_minutes": "30", "status": "planned"})

    @rx.event
    def open_edit(self, activity_id: str):
        row = next((r for r in self._rows() if r.id == activity_id), None)
        if row is None:
            return
        values = {
            "kind": row.kind,
            "title": row.title,
            "starts_at": row.starts_at,
            "duration_minutes": row.duration.removesuffix(" min"),
            "location": row.location,
            "participants": row.participants,
            "status": row.status,
        }
        self._open_form(int(row.id), values)

    @rx.event
    async def save(self, form: dict):
        """Plan or change the activity; field errors stay in the pop-up."""
        values = {name: str(form.get(name, "")) for name in FORM_FIELDS}
        zone = zone_named(self.time_zone)

        def work(actor, session):
            self.values = values  # what the pop-up shows again; kept only for someone allowed to save
            activities.save_activity(
                self.customer_id, values, actor=actor, session=session, activity_id=self.editing_id, zone=zone
            )

        done, event = await self._write(work)
        if not done:
            return event
        self.form_open = False
        return rx.toast.success("Activity saved.")

    @rx.event
    async def delete(self):
        """Delete the activity the confirmation was about."""
        ids, self.confirm_id = parse_ids(self.confirm_id), ""
        done, event = await self._write(
            lambda actor, session: [activities.delete_activity(i, actor=actor, session=session) for i in ids]
        )
        return rx.toast.success("Activity deleted.") if done else event
