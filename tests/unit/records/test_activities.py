"""Activities: meetings, calls and tasks, checked field by field, split into upcoming and past."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from customer_app.core.columns import utcnow
from customer_app.errors import PermissionDenied, ValidationError
from customer_app.records.activities import delete_activity, list_activities, save_activity
from customer_app.records.models import Activity
from customer_app.records.state.activities import activity_row, zone_named
from tests.unit.refusals import SIGN_IN, refusal


def raw(title="Kick-off", when=None, **extra):
    start = when or utcnow() + timedelta(days=2)
    values = {
        "kind": "meeting",
        "title": title,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "45",
    }
    return values | extra


def test_upcoming_soonest_first_and_past_latest_first(session, staff, add):
    ada = add(first_name="Ada")
    now = utcnow()
    for title, days in (("Later", 9), ("Soon", 1), ("Yesterday", -1), ("Last month", -30)):
        save_activity(ada.id, raw(title, now + timedelta(days=days)), actor=staff, session=session)
    session.commit()
    upcoming, past = list_activities(ada.id, actor=staff, session=session)
    assert [a.title for a in upcoming] == ["Soon", "Later"]
    assert [a.title for a in past] == ["Yesterday", "Last month"]


def test_an_activity_is_edited_and_deleted(session, staff, add):
    ada = add(first_name="Ada")
    activity = save_activity(ada.id, raw(location="Room 1", participants="Ada, Sam"), actor=staff, session=session)
    assert (activity.duration_minutes, activity.location, activity.participants) == (45, "Room 1", "Ada, Sam")
    save_activity(
        ada.id, raw("Kick-off", status="done", kind="call"), actor=staff, session=session, activity_id=activity.id
    )
    session.commit()
    assert (activity.kind, activity.status) == ("call", "done")
    delete_activity(activity.id, actor=staff, session=session)
    session.commit()
    assert session.exec(select(Activity)).all() == []


def test_bad_values_are_refused_field_by_field(session, staff, add):
    ada = add(first_name="Ada")
    with pytest.raises(ValidationError) as caught:
        save_activity(
            ada.id,
            {"kind": "party", "title": "", "starts_at": "tomorrow", "duration_minutes": "-5"},
            actor=staff,
            session=session,
        )
    assert set(caught.value.errors) == {"kind", "title", "starts_at", "duration_minutes"}


@pytest.mark.parametrize("duration", ["²", "٤٥", "1e3", "45.5", "9" * 40])
def test_a_duration_that_is_not_plain_digits_is_a_field_error_not_a_crash(session, staff, add, duration):
    ada = add(first_name="Ada")
    with pytest.raises(ValidationError) as caught:
        save_activity(ada.id, raw() | {"duration_minutes": duration}, actor=staff, session=session)
    assert caught.value.errors == {"duration_minutes": "Enter the duration in minutes (up to a week)."}


def test_read_only_staff_see_activities_but_cannot_change_them(session, staff, reader, add):
    ada = add(first_name="Ada")
    activity = save_activity(ada.id, raw(), actor=staff, session=session)
    session.commit()
    assert len(list_activities(ada.id, actor=reader, session=session)[0]) == 1
    with pytest.raises(PermissionDenied):
        save_activity(ada.id, raw(), actor=reader, session=session)
    with pytest.raises(PermissionDenied):
        delete_activity(activity.id, actor=reader, session=session)


def test_a_start_is_typed_in_the_viewers_time_zone_and_kept_in_utc(session, staff, add):
    berlin = ZoneInfo("Europe/Berlin")
    ada = add(first_name="Ada")
    summer = save_activity(ada.id, raw(when=datetime(2099, 7, 1, 10, 0)), actor=staff, session=session, zone=berlin)
    winter = save_activity(ada.id, raw(when=datetime(2099, 1, 1, 10, 0)), actor=staff, session=session, zone=berlin)
    session.commit()
    assert (summer.starts_at.hour, winter.starts_at.hour) == (8, 9)
    shown = activity_row(summer, zone_named("Europe/Berlin"))
    assert (shown.when, shown.starts_at) == ("2099-07-01 10:00 CEST", "2099-07-01T10:00")


def test_an_unknown_time_zone_falls_back_to_utc():
    assert [str(zone_named(name)) for name in ("Mars/Olympus", "../../etc/passwd", "", "x" * 100)] == ["UTC"] * 4


def test_nobody_signed_in_reads_activities():
    assert refusal(lambda actor, session: list_activities(1, actor=actor, session=session), None).startswith(SIGN_IN)
