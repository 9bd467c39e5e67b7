"""Other info about a customer: business number, tags, groups and sales rep; groups are a list admins keep."""

from dataclasses import dataclass, field

from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from customer_app.access.models import StaffUser
from customer_app.core import audit
from customer_app.core.i18n import LANGUAGES
from customer_app.core.normalize import clean_text
from customer_app.core.permissions import Actor, require
from customer_app.customers.customers import get_customer
from customer_app.customers.models import CustomerGroup, CustomerGroupMember, CustomerProfile, CustomerTag
from customer_app.errors import NotFoundError, ValidationError

MAX_TAGS = 30
MAX_TAG = 50  # characters of one tag
MAX_BUSINESS_NUMBER = 64
MAX_GROUP_NAME = 80
TAG_SUGGESTIONS = 200


@dataclass
class OtherInfo:
    """What the Other info tab shows and edits."""

    business_number: str = ""
    sales_rep_id: int | None = None
    tags: list[str] = field(default_factory=list)
    group_ids: list[int] = field(default_factory=list)
    language: str = ""  # empty: the workspace's language


def other_info(customer_id: int, *, actor: Actor, session: Session) -> OtherInfo:
    """A customer's other info."""
    require(actor, "customer.view")
    profile = session.get(CustomerProfile, customer_id)
    tags = session.exec(
        select(CustomerTag.tag).where(col(CustomerTag.customer_id) == customer_id).order_by(col(CustomerTag.tag))
    ).all()
    groups = session.exec(
        select(CustomerGroupMember.group_id).where(col(CustomerGroupMember.customer_id) == customer_id)
    ).all()
    return OtherInfo(
        business_number=profile.business_number if profile else "",
        sales_rep_id=profile.sales_rep_id if profile else None,
        tags=list(tags),
        group_ids=list(groups),
        language=get_customer(customer_id, actor=actor, session=session).language or "",
    )


def parse_tags(text: str) -> list[str]:
    """Tags typed as a comma-separated list: trimmed, without repeats (case-insensitively), in typed order."""
    tags, seen = [], set()
    for part in (text or "").split(","):
        tag = clean_text(part)
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def save_other_info(
    customer_id: int,
    *,
    business_number: str,
    tags: list[str],
    group_ids: list[int],
    sales_rep_id: int | None,
    language: str | None = None,
    actor: Actor,
    session: Session,
) -> OtherInfo:
    """Replace a customer's other info with these values."""
    require(actor, "customer.edit")
    errors = {}
    number = clean_text(business_number) or ""
    if len(number) > MAX_BUSINESS_NUMBER:
        errors["business_number"] = f"Keep the business number under {MAX_BUSINESS_NUMBER} characters."
    if len(tags) > MAX_TAGS or any(len(tag) > MAX_TAG for tag in tags):
        errors["tags"] = f"Use at most {MAX_TAGS} tags of up to {MAX_TAG} characters."
    known_groups = set(session.exec(select(CustomerGroup.id)).all())
    if set(group_ids) - known_groups:
        errors["groups"] = "A chosen group no longer exists; reload the page."
    if sales_rep_id is not None:
        rep = session.get(StaffUser, sales_rep_id)
        if rep is None or not rep.active:
            errors["sales_rep"] = "Choose an active staff member."
    if language and language not in LANGUAGES:
        errors["language"] = "Choose a language from the list."
    if errors:
        raise ValidationError(errors)
    customer = get_customer(customer_id, actor=actor, session=session)
    before = other_info(customer.id, actor=actor, session=session)
    profile = session.get(CustomerProfile, customer.id) or CustomerProfile(customer_id=customer.id)
    profile.business_number, profile.sales_rep_id = number, sales_rep_id
    session.add(profile)
    if language is not None and (language or None) != customer.language:
        # On the customer's row: the version moves on, so a pop-up opened before cannot put the old one back.
        customer.language, customer.version = language or None, customer.version + 1
        session.add(customer)
    session.execute(delete(CustomerTag).where(col(CustomerTag.customer_id) == customer.id))
    session.execute(delete(CustomerGroupMember).where(col(CustomerGroupMember.customer_id) == customer.id))
    session.add_all(CustomerTag(customer_id=customer.id, tag=tag) for tag in tags)
    session.add_all(CustomerGroupMember(customer_id=customer.id, group_id=g) for g in sorted(set(group_ids)))
    session.flush()
    after = OtherInfo(number, sales_rep_id, sorted(tags), sorted(set(group_ids)), customer.language or "")
    audit.record(
        session,
        actor=actor,
        action="other_info",
        entity_type="customer",
        entity_id=customer.id,
        summary=f"Changed other info of {customer.display_name}"[:300],
        changes=audit.field_changes(
            {"business_number": before.business_number, "tags": ", ".join(before.tags), "language": before.language},
            {"business_number": after.business_number, "tags": ", ".join(after.tags), "language": after.language},
        ),
    )
    return after


def tag_suggestions(*, actor: Actor, session: Session) -> list[str]:
    """Tags already in use, most used first (for autocomplete)."""
    require(actor, "customer.view")
    used = func.count(col(CustomerTag.customer_id))
    query = select(CustomerTag.tag).group_by(col(CustomerTag.tag)).order_by(used.desc(), col(CustomerTag.tag))
    return list(session.exec(query.limit(TAG_SUGGESTIONS)).all())


def list_groups(*, actor: Actor, session: Session) -> list[CustomerGroup]:
    """Every group, by name (customer pages pick and filter by them)."""
    require(actor, "customer.view")
    return _groups(session)


def group_sizes(*, actor: Actor, session: Session) -> dict[int, int]:
    """How many customers are in each group (the admins' groups list)."""
    require(actor, "settings.manage")
    query = select(CustomerGroupMember.group_id, func.count()).group_by(col(CustomerGroupMember.group_id))
    return dict(session.exec(query).all())


def _group_name(name: str, group_id: int | None, session: Session) -> str:
    title = clean_text(name) or ""
    if not title or len(title) > MAX_GROUP_NAME:
        raise ValidationError({"group": f"Give the group a name of up to {MAX_GROUP_NAME} characters."})
    if any(g.name.casefold() == title.casefold() and g.id != group_id for g in _groups(session)):
        raise ValidationError({"group": "There is already a group with this name."})
    return title


def add_group(name: str, *, actor: Actor, session: Session) -> CustomerGroup:
    """Add a group to the list (admins only; names are unique, ignoring case)."""
    require(actor, "settings.manage")
    group = CustomerGroup(name=_group_name(name, None, session))
    session.add(group)
    session.flush()
    audit.record(session, actor=actor, action="group_add", entity_type="group", entity_id=group.id, summary=group.name)
    return group


def rename_group(group_id: int, name: str, *, actor: Actor, session: Session) -> CustomerGroup:
    """Give a group a new name; its members stay."""
    require(actor, "settings.manage")
    group = _group(group_id, session)
    title = _group_name(name, group.id, session)
    changes = audit.field_changes({"name": group.name}, {"name": title})
    group.name = title
    session.add(group)
    audit.record(
        session,
        actor=actor,
        action="group_rename",
        entity_type="group",
        entity_id=group.id,
        summary=title,
        changes=changes,
    )
    return group


def remove_group(group_id: int, *, actor: Actor, session: Session) -> int:
    """Remove a group; its customers stay, outside it. Returns how many customers were in it."""
    require(actor, "settings.manage")
    group = _group(group_id, session)
    members = group_sizes(actor=actor, session=session).get(group.id, 0)
    session.execute(delete(CustomerGroupMember).where(col(CustomerGroupMember.group_id) == group.id))
    session.delete(group)
    audit.record(
        session,
        actor=actor,
        action="group_remove",
        entity_type="group",
        entity_id=group_id,
        summary=f"{group.name} ({members:,} customers were in it)",
    )
    return members


def _groups(session: Session) -> list[CustomerGroup]:
    return list(session.exec(select(CustomerGroup).order_by(col(CustomerGroup.name))).all())


def _group(group_id: int, session: Session) -> CustomerGroup:
    group = session.get(CustomerGroup, group_id)
    if group is None:
        raise NotFoundError("This group no longer exists; reload the page.")
    return group


def sales_reps(*, actor: Actor, session: Session) -> list[StaffUser]:
    """Active staff who can be a customer's sales rep."""
    require(actor, "customer.view")
    return list(session.exec(select(StaffUser).where(col(StaffUser.active)).order_by(col(StaffUser.name))).all())
