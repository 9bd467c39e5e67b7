"""The staff page, audit log and outbox handlers: what an admin sees and does, and what everyone else gets."""

from customer_app.admin.state.audit_log import AuditLogState
from customer_app.admin.state.outbox import OutboxState
from customer_app.admin.state.staff import StaffAdminState
from tests.unit.reflex_helpers import redirect_target, run, toast

REFUSED = ("error", "Your role does not allow this. Ask an admin if you need it.")


def staff_page(new_tab, user=None) -> StaffAdminState:
    return new_tab(user).get_substate(StaffAdminState._get_substate_path())


def test_an_admin_invites_a_colleague_and_mistakes_stay_in_the_form(new_tab, admin_user):
    page = staff_page(new_tab, admin_user)
    run(page.on_load())
    assert (page.access, [r.email for r in page.rows]) == ("ok", ["ada@example.com"])
    assert run(page.invite({"email": "not an address", "name": "Ivy", "role": "staff"})) is None
    assert set(page.invite_errors) == {"email"}
    assert page.invite_key == 0
    result = run(page.invite({"email": "ivy@example.com", "name": "Ivy New", "role": "staff"}))
    assert toast(result) == (
        "success",
        "Invitation sent to ivy@example.com. No mail server is set up: the link is in the Outbox.",
    )
    assert page.invite_errors == {}
    assert page.invite_key == 1
    assert [r.email for r in page.rows] == ["ada@example.com", "ivy@example.com"]


def test_an_admin_changes_roles_deactivates_and_reactivates(new_tab, admin_user, staff_user):
    page = staff_page(new_tab, admin_user)
    sam = str(staff_user.id)
    assert toast(run(page.change_role(sam, "read_only"))) == ("success", "Sam Staff is now Read-only.")
    assert run(page.ask_deactivate(sam, "Sam Staff")) is None
    assert (page.confirm_id, page.confirm_name) == (sam, "Sam Staff")
    assert toast(run(page.confirm_deactivate())) == ("success", "Sam Staff is deactivated and signed out.")
    assert page.confirm_id == ""
    assert [r.status for r in page.rows if r.id == sam] == ["Deactivated"]
    assert toast(run(page.reactivate(sam))) == ("success", "Sam Staff can sign in again.")


def test_the_last_admin_is_told_why_and_the_list_shows_the_role_unchanged(new_tab, admin_user):
    page = staff_page(new_tab, admin_user)
    result = run(page.change_role(str(admin_user.id), "staff"))
    assert toast(result) == ("error", "This is the last admin. Make someone else an admin first.")
    assert [(r.email, r.role) for r in page.rows] == [("ada@example.com", "admin")]


def test_others_see_no_staff_and_change_nothing(new_tab, staff_user, admin_user):
    page = staff_page(new_tab, staff_user)
    assert toast(run(page.on_load())) == REFUSED
    assert (page.access, page.rows) == ("denied", [])
    assert toast(run(page.invite({"email": "ivy@example.com", "name": "Ivy", "role": "admin"}))) == REFUSED
    assert toast(run(page.ask_deactivate(str(admin_user.id), "Ada"))) == REFUSED
    assert page.confirm_id == ""
    assert toast(run(page.change_role(str(admin_user.id), "read_only"))) == REFUSED
    signed_out = staff_page(new_tab)
    assert redirect_target(run(signed_out.reactivate(str(admin_user.id)))).startswith("/login")


def test_the_audit_log_shows_events_to_admins_and_forgets_a_tampered_filter(new_tab, admin_user, staff_user):
    page = staff_page(new_tab, admin_user)
    run(page.change_role(str(staff_user.id), "read_only"))
    log = new_tab(admin_user).get_substate(AuditLogState._get_substate_path())
    assert run(log.on_load()) is None
    assert (log.access, log.total, [r.who for r in log.rows]) == ("ok", 1, ["Ada Admin"])
    assert toast(run(log.set_action("drop table"))) == ("error", "Choose one of the listed actions.")
    assert log.action == ""
    assert log.total == 1


def test_the_audit_log_and_outbox_show_others_nothing(new_tab, staff_user):
    for state in (AuditLogState, OutboxState):
        page = new_tab(staff_user).get_substate(state._get_substate_path())
        assert toast(run(page.on_load())) == REFUSED
        assert (page.access, page.rows, page.total) == ("denied", [], 0)
        assert redirect_target(run(new_tab().get_substate(state._get_substate_path()).go_to_page(2))) == (
            "/login?next=/"
        )


def test_the_outbox_shows_the_invitation_to_admins(new_tab, admin_user):
    run(staff_page(new_tab, admin_user).invite({"email": "ivy@example.com", "name": "Ivy", "role": "staff"}))
    outbox = new_tab(admin_user).get_substate(OutboxState._get_substate_path())
    assert run(outbox.on_load()) is None
    assert (outbox.access, outbox.total, [r.recipient for r in outbox.rows]) == ("ok", 1, ["ivy@example.com"])
