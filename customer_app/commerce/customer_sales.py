"""What a customer brings to new documents: currency, tax class (with an exemption's reference), payment terms."""

from dataclasses import dataclass, replace

from sqlmodel import Session, col, func, select

from customer_app.commerce import balances, sales_policy, taxes
from customer_app.commerce.models import CustomerSales, Document, TaxClass
from customer_app.core import audit
from customer_app.core.countries import country_name
from customer_app.core.money import format_money, is_currency
from customer_app.core.normalize import clean_text, vat_checked
from customer_app.core.permissions import Actor, require
from customer_app.customers.customers import get_customer
from customer_app.errors import ValidationError

REVERSE_CHARGE = "reverse_charge"
MAX_TERMS_DAYS = 365
MAX_REFERENCE = 120


@dataclass(frozen=True)
class SalesSettings:
    """A customer's settings for documents, and what a currency change leaves as it is."""

    currency: str
    tax_class_id: int | None
    payment_terms_days: int
    exemption_reference: str
    documents_in_other_currencies: int  # issued documents that keep their own currency after a change
    vat_number: str = ""
    vat_valid: bool = False  # the number follows its country's rules
    vat_check: str = ""  # what the offline check of the VAT number found, in a sentence
    change_note: str = ""  # after a change of currency: what keeps the old one


def sales_settings(customer_id: int, *, actor: Actor, session: Session) -> SalesSettings:
    """The customer's settings (the defaults where none were chosen)."""
    require(actor, "customer.view")
    customer = get_customer(customer_id, actor=actor, session=session)
    row = session.get(CustomerSales, customer.id) or CustomerSales(customer_id=customer.id)
    standard = taxes.standard_class("customer", session=session)
    return SalesSettings(
        row.currency,
        row.tax_class_id or (standard.id if standard else None),
        row.payment_terms_days,
        row.exemption_reference,
        _issued_in_other(customer.id, row.currency, session),
        customer.vat_number or "",
        *vat_check(customer.vat_number or ""),
    )


def vat_check(vat_number: str) -> tuple[bool, str]:
    """Whether the VAT number follows its country's rules (checked offline), and a sentence saying what was found."""
    if not vat_number:
        return False, "No VAT number: reverse charge needs one (add it on the Contact info tab)."
    found = vat_checked(vat_number)
    country = country_name("GR" if vat_number[:2] == "EL" else vat_number[:2])  # Greek VAT numbers start EL
    if found is None:
        return False, f"No offline rules for {vat_number[:2]} numbers: check it with the tax authority."
    if found:
        return True, f"Valid for {country}: its length and check digits follow that country's rules."
    return False, f"Not valid for {country}: correct it on the Contact info tab."


def save_sales_settings(
    customer_id: int,
    *,
    currency: str,
    tax_class_id: int | None,
    payment_terms_days: str,
    exemption_reference: str,
    actor: Actor,
    session: Session,
) -> SalesSettings:
    """Keep the customer's settings for new documents; documents already issued keep theirs."""
    require(actor, "customer.edit")
    customer = get_customer(customer_id, actor=actor, session=session)
    errors, code = {}, (currency or "").strip().upper()
    if not is_currency(code):
        errors["currency"] = "Choose a currency by its code, like EUR or USD."
    tax_class = session.get(TaxClass, tax_class_id) if tax_class_id else None
    if tax_class is None or tax_class.kind != "customer":
        errors["tax_class"] = "Choose a tax class."
    elif tax_class.code == REVERSE_CHARGE and not customer.vat_number:
        errors["tax_class"] = "Reverse charge needs the customer's VAT number: add it first."
    terms = payment_terms_days.strip()
    if not terms.isdigit() or int(terms) > MAX_TERMS_DAYS:
        errors["payment_terms_days"] = f"Give the days to pay as a whole number up to {MAX_TERMS_DAYS}."
    reference = clean_text(exemption_reference) or ""
    if len(reference) > MAX_REFERENCE:
        errors["exemption_reference"] = f"Keep the reference under {MAX_REFERENCE} characters."
    row = session.get(CustomerSales, customer.id) or CustomerSales(customer_id=customer.id)
    if "currency" not in errors and code != row.currency and (locked := _locked(customer.id, row.currency, session)):
        errors["currency"] = locked
    if errors:
        raise ValidationError(errors)
    before = {"currency": row.currency, "terms": row.payment_terms_days, "reference": row.exemption_reference}
    row.currency, row.tax_class_id, row.payment_terms_days = code, tax_class_id, int(terms)
    row.exemption_reference = reference
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="sales_settings",
        entity_type="customer",
        entity_id=customer.id,
        summary=f"Sales settings of {customer.display_name} changed"[:300],
        changes=audit.field_changes(before, {"currency": code, "terms": int(terms), "reference": reference}),
    )
    found = sales_settings(customer.id, actor=actor, session=session)
    if before["currency"] != code:
        return replace(found, change_note=_change_note(customer.id, str(before["currency"]), code, actor, session))
    return found


def currency_change_note(customer_id: int, currency: str, *, actor: Actor, session: Session) -> str:
    """Before a change of currency is saved, what it leaves as it is (empty when the currency stays or is no code)."""
    require(actor, "customer.view")
    customer = get_customer(customer_id, actor=actor, session=session)
    row = session.get(CustomerSales, customer.id) or CustomerSales(customer_id=customer.id)
    code = (currency or "").strip().upper()
    if code == row.currency or not is_currency(code):
        return ""
    if locked := _locked(customer.id, row.currency, session):
        raise ValidationError({"currency": locked})
    return _change_note(customer.id, row.currency, code, actor, session)


def _locked(customer_id: int, currency: str, session: Session) -> str:
    """Why the currency may not change (the company locks it once documents were issued), or "" when it may."""
    if not sales_policy.policy(session=session).lock_currency:
        return ""
    issued = select(func.count()).select_from(Document)
    issued = issued.where(col(Document.customer_id) == customer_id, col(Document.status) != "draft")
    if not session.exec(issued).one():
        return ""
    return (
        f"Documents have been issued in {currency} for this customer, and this workspace keeps a customer's "
        "currency from then on (Settings, Sales documents)."
    )


def _change_note(customer_id: int, old: str, new: str, actor: Actor, session: Session) -> str:
    """What a change of currency leaves as it is: "3 open EUR invoices (€4,210.00) keep EUR; new documents use USD"."""
    still_open = [
        row
        for row in balances.invoices(customer_id, "open", actor=actor, session=session)
        if row.document.currency == old
    ]
    drafts = _drafts_in(customer_id, old, session)
    kept = []
    if still_open:
        owed = format_money(sum(row.balance_minor for row in still_open), old, "en")
        count = len(still_open)
        kept.append(f"{count} open {old} invoice{'s' if count != 1 else ''} ({owed})")
    if drafts:
        kept.append(f"{drafts} draft{'s' if drafts != 1 else ''}")
    if not kept:
        return f"New documents use {new}."
    one = len(kept) == 1 and len(still_open) + drafts == 1
    return f"{' and '.join(kept)} {'keeps' if one else 'keep'} {old}; new documents use {new}."


def _drafts_in(customer_id: int, currency: str, session: Session) -> int:
    where = (
        col(Document.customer_id) == customer_id,
        col(Document.currency) == currency,
        col(Document.status) == "draft",
    )
    return session.exec(select(func.count()).select_from(Document).where(*where)).one()


def _issued_in_other(customer_id: int, currency: str, session: Session) -> int:
    where = (
        col(Document.customer_id) == customer_id,
        col(Document.currency) != currency,
        col(Document.status) != "draft",
    )
    return session.exec(select(func.count()).select_from(Document).where(*where)).one()
