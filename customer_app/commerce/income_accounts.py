"""The chart of income accounts sales are booked to: admins add, rename and retire them (an account customers or
documents use is never deleted), and each customer has a default that new documents take."""

from sqlalchemy import exists
from sqlmodel import Session, col, select

from customer_app.commerce.models import CustomerSales, Document, IncomeAccount
from customer_app.core import audit
from customer_app.core.normalize import clean_text
from customer_app.core.permissions import Actor, require
from customer_app.customers.customers import get_customer
from customer_app.errors import CustomerAppError, NotFoundError, ValidationError

MAX_CODE = 20
MAX_NAME = 80


def accounts(*, actor: Actor, session: Session, include_retired: bool = True) -> list[IncomeAccount]:
    """The chart by code; without the retired ones when choosing an account for something new."""
    require(actor, "customer.view")
    query = select(IncomeAccount).order_by(col(IncomeAccount.code))
    if not include_retired:
        query = query.where(col(IncomeAccount.retired).is_(False))
    return list(session.exec(query))


def label(account: IncomeAccount | None) -> str:
    """ "4000 Sales of goods", marked when retired; empty for none."""
    if account is None:
        return ""
    return f"{account.code} {account.name}" + (" (retired)" if account.retired else "")


def add_account(code: str, name: str, *, actor: Actor, session: Session) -> IncomeAccount:
    """A new account of the chart; its code is its own."""
    require(actor, "settings.manage")
    number, text = _checked(code, name, session)
    account = IncomeAccount(code=number, name=text)
    session.add(account)
    session.flush()
    _audit(actor, session, f"Income account {number} {text} added")
    return account


def rename_account(account_id: int, code: str, name: str, *, actor: Actor, session: Session) -> IncomeAccount:
    """Change an account's code or name; customers and documents keep pointing at it."""
    require(actor, "settings.manage")
    account = _account(account_id, session)
    number, text = _checked(code, name, session, account.id)
    before = label(account)
    account.code, account.name = number, text
    session.add(account)
    session.flush()
    _audit(actor, session, f"Income account {before} is now {number} {text}")
    return account


def set_retired(account_id: int, retired: bool, *, actor: Actor, session: Session) -> IncomeAccount:
    """Retire an account (no longer offered; what uses it keeps it), or bring it back."""
    require(actor, "settings.manage")
    account = _account(account_id, session)
    account.retired = bool(retired)
    session.add(account)
    session.flush()
    _audit(actor, session, f"Income account {account.code} {account.name} {'retired' if retired else 'in use again'}")
    return account


def delete_account(account_id: int, *, actor: Actor, session: Session) -> None:
    """Delete an account nothing uses; one a customer or a document uses is only retired."""
    require(actor, "settings.manage")
    account = _account(account_id, session)
    if in_use(account.id, session=session):
        raise CustomerAppError(f"{account.code} {account.name} is used by customers or documents: retire it instead.")
    session.delete(account)
    session.flush()
    _audit(actor, session, f"Income account {account.code} {account.name} deleted")


def in_use(account_id: int, *, session: Session) -> bool:
    """Whether a customer or a document names the account."""
    by_customer = exists().where(col(CustomerSales.income_account_id) == account_id)
    by_document = exists().where(col(Document.income_account_id) == account_id)
    return bool(session.exec(select(by_customer | by_document)).one())


def set_customer_account(customer_id: int, account_id: int | None, *, actor: Actor, session: Session) -> None:
    """The account the customer's new documents take (None: no default); a retired account is not chosen."""
    require(actor, "customer.edit")
    customer = get_customer(customer_id, actor=actor, session=session)
    account = session.get(IncomeAccount, account_id) if account_id else None
    if account_id and (account is None or account.retired):
        raise ValidationError({"income_account": "Choose an account from the list."})
    row = session.get(CustomerSales, customer.id) or CustomerSales(customer_id=customer.id)
    before = label(session.get(IncomeAccount, row.income_account_id) if row.income_account_id else None)
    row.income_account_id = account.id if account else None
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="income_account",
        entity_type="customer",
        entity_id=customer.id,
        summary=f"Default income account of {customer.display_name}: {label(account) or 'none'}"[:300],
        changes=audit.field_changes({"income_account": before}, {"income_account": label(account)}),
    )


def customer_account(customer_id: int, *, actor: Actor, session: Session) -> IncomeAccount | None:
    """The customer's default income account, if one was chosen."""
    require(actor, "customer.view")
    customer = get_customer(customer_id, actor=actor, session=session)
    row = session.get(CustomerSales, customer.id)
    return session.get(IncomeAccount, row.income_account_id) if row and row.income_account_id else None


def _checked(code: str, name: str, session: Session, own_id: int = 0) -> tuple[str, str]:
    number, text, errors = (clean_text(code) or "").upper(), clean_text(name) or "", {}
    if not number or len(number) > MAX_CODE or " " in number:
        errors["code"] = f"Give the account a code of up to {MAX_CODE} characters, without spaces, like 4000."
    else:
        taken = session.exec(select(IncomeAccount).where(col(IncomeAccount.code) == number)).first()
        if taken is not None and taken.id != own_id:
            errors["code"] = f"{number} is already {taken.name}."
    if not text or len(text) > MAX_NAME:
        errors["name"] = f"Name the account in up to {MAX_NAME} characters."
    if errors:
        raise ValidationError(errors)
    return number, text


def _account(account_id: int, session: Session) -> IncomeAccount:
    account = session.get(IncomeAccount, account_id)
    if account is None:
        raise NotFoundError("This income account does not exist any more.")
    return account


def _audit(actor: Actor, session: Session, summary: str) -> None:
    audit.record(session, actor=actor, action="income_accounts", entity_type="settings", summary=summary[:300])
