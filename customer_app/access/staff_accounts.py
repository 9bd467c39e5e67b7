"""Staff accounts: first-run setup, invitations, roles, deactivation, password resets."""

from datetime import timedelta

from sqlmodel import Session, col, select

from customer_app import routes
from customer_app.access.auth import end_all_sessions
from customer_app.access.models import StaffUser
from customer_app.core import audit
from customer_app.core.columns import utcnow
from customer_app.core.mail import send_mail
from customer_app.core.normalize import clean_text, email_key, normalize_email
from customer_app.core.passwords import check_new_password, hash_password
from customer_app.core.permissions import Actor, Role, require
from customer_app.core.tokens import consume_one_time, issue_one_time, issued_since, peek_one_time
from customer_app.errors import CustomerAppError, NotFoundError, ValidationError
from customer_app.settings import settings

INVITE_TTL = timedelta(days=7)
RESET_TTL = timedelta(hours=1)
RESETS_PER_HOUR = 3  # nobody can flood a colleague's inbox with reset mails
STAFF = "staff"  # whose link tokens these are (portal accounts get theirs too)


def has_staff(*, session: Session) -> bool:
    """Whether any staff account exists (first-run setup is open only while none does)."""
    return session.exec(select(StaffUser.id).limit(1)).first() is not None


def create_first_admin(email: str, name: str, password: str, *, session: Session, address: str = "") -> StaffUser:
    """Create the first admin; refused once any account exists."""
    if has_staff(session=session):
        raise CustomerAppError("Setup is already done. Sign in instead.")
    user = _new_user(email, name, Role.ADMIN, session=session)
    check_new_password(password, user_inputs=[user.email, user.name])
    user.password_hash = hash_password(password)
    audit.record(
        session,
        actor=None,
        actor_email=user.email,
        address=address,
        action="setup",
        entity_type="staff",
        entity_id=user.id,
        summary=f"First admin {user.email} created",
    )
    return user


def invite(email: str, name: str, role: str, *, actor: Actor, session: Session) -> StaffUser:
    """Create an account without a password and e-mail its owner a link to choose one."""
    require(actor, "staff.manage")
    user = _new_user(email, name, _role(role), session=session)
    link = settings.public_url + routes.invite(issue_one_time(STAFF, user.id, "invite", INVITE_TTL, session=session))
    send_mail(
        user.email,
        "You are invited to the customer workspace",
        f"Hello {user.name},\n\n{actor.name} invited you to the customer workspace.\n"
        f"Choose your password here (the link works once, for 7 days):\n\n{link}\n",
        session=session,
        redact=(link,),
    )
    audit.record(
        session,
        actor=actor,
        action="invite",
        entity_type="staff",
        entity_id=user.id,
        summary=f"Invited {user.email} as {user.role}",
    )
    return user


def set_password_with_token(raw: str, purpose: str, password: str, *, session: Session) -> StaffUser:
    """Accept an invitation or a reset link: set the password; every other session of the user ends."""
    user = session.get(StaffUser, consume_one_time(raw, purpose, STAFF, session=session))
    if user is None or not user.active:
        raise CustomerAppError("This account is not active.")
    check_new_password(password, user_inputs=[user.email, user.name])
    user.password_hash, user.locked_until = hash_password(password), None
    end_all_sessions(user.id, session=session)
    action = "password_reset" if purpose == "reset" else "invitation_accepted"
    audit.record(
        session,
        actor=None,
        actor_email=user.email,
        action=action,
        entity_type="staff",
        entity_id=user.id,
        summary=f"{user.email} set a new password",
    )
    return user


def request_password_reset(email: str, *, session: Session, address: str = "") -> None:
    """E-mail a reset link if an active account has this address; say nothing either way (no enumeration)."""
    try:
        key = email_key(normalize_email(email.strip()))
    except ValueError:
        return
    user = session.exec(select(StaffUser).where(col(StaffUser.email_key) == key)).first()
    if user is None or not user.active or _recent_resets(user, session) >= RESETS_PER_HOUR:
        return
    link = settings.public_url + routes.reset(issue_one_time(STAFF, user.id, "reset", RESET_TTL, session=session))
    send_mail(
        user.email,
        "Reset your password",
        f"Hello {user.name},\n\nSomeone asked to reset your password. If it was you, choose a new one here "
        f"(the link works once, for 1 hour):\n\n{link}\n\nIf it was not you, ignore this message.\n",
        session=session,
        redact=(link,),
    )
    audit.record(
        session,
        actor=None,
        actor_email=user.email,
        address=address,
        action="password_reset_requested",
        entity_type="staff",
        entity_id=user.id,
        summary=f"Password reset requested for {user.email}",
    )


def change_role(user_id: int, role: str, *, actor: Actor, session: Session) -> StaffUser:
    """Give a staff member another role; the last active admin keeps theirs."""
    require(actor, "staff.manage")
    user, new_role = _get(user_id, session), _role(role)
    if user.role == Role.ADMIN and new_role != Role.ADMIN:
        _keep_an_admin(user, session)
    before, user.role = user.role, new_role.value
    audit.record(
        session,
        actor=actor,
        action="role_change",
        entity_type="staff",
        entity_id=user.id,
        summary=f"{user.email}: {before} → {user.role}",
        changes={"role": [before, user.role]},
    )
    return user


def set_active(user_id: int, active: bool, *, actor: Actor, session: Session) -> StaffUser:
    """Deactivate (their sessions end at once) or reactivate a staff member."""
    require(actor, "staff.manage")
    user = _get(user_id, session)
    if not active and user.role == Role.ADMIN:
        _keep_an_admin(user, session)
    user.active = active
    if not active:
        end_all_sessions(user.id, session=session)
    audit.record(
        session,
        actor=actor,
        action="reactivate" if active else "deactivate",
        entity_type="staff",
        entity_id=user.id,
        summary=f"{user.email} {'reactivated' if active else 'deactivated'}",
    )
    return user


def list_staff(*, actor: Actor, session: Session) -> list[StaffUser]:
    """Every staff account, admins first, then by name."""
    require(actor, "staff.manage")
    return list(session.exec(select(StaffUser).order_by(col(StaffUser.role), col(StaffUser.name))).all())


def _new_user(email: str, name: str, role: Role, *, session: Session) -> StaffUser:
    errors = {}
    try:
        email = normalize_email(email.strip())
    except ValueError as exc:
        errors["email"] = str(exc)
    name = clean_text(name) or ""
    if not name:
        errors["name"] = "Enter the person's name."
    if not errors and session.exec(select(StaffUser.id).where(col(StaffUser.email_key) == email_key(email))).first():
        errors["email"] = "A staff account with this e-mail already exists."
    if errors:
        raise ValidationError(errors)
    user = StaffUser(email=email, email_key=email_key(email), name=name[:200], role=role.value)
    session.add(user)
    session.flush()
    return user


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError as exc:
        raise ValidationError({"role": "Choose Admin, Staff or Read-only."}) from exc


def _get(user_id: int, session: Session) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None:
        raise NotFoundError("This staff account does not exist.")
    return user


def _keep_an_admin(user: StaffUser, session: Session) -> None:
    # Lock the admins' rows (PostgreSQL) so two admins demoting each other at once cannot both succeed;
    # SQLite lets only one writer commit from a snapshot anyway.
    admins = session.exec(
        select(StaffUser.id)
        .where(col(StaffUser.role) == Role.ADMIN.value, col(StaffUser.active).is_(True))
        .with_for_update()
    ).all()
    if user.active and len(admins) <= 1:
        raise CustomerAppError("This is the last admin. Make someone else an admin first.")


def link_owner(raw: str, purpose: str, *, session: Session) -> StaffUser | None:
    """The staff member a still-valid link is for, without using the link up (to greet them)."""
    user_id = peek_one_time(raw, purpose, STAFF, session=session)
    return session.get(StaffUser, user_id) if user_id is not None else None


def _recent_resets(user: StaffUser, session: Session) -> int:
    return issued_since(STAFF, user.id, "reset", utcnow() - timedelta(hours=1), session=session)
