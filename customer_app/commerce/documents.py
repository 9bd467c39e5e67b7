"""Documents from draft to issued: made from the customer (addresses, currency, tax class, language copied in),
lines added and removed while a draft, totals recalculated on the server, and issued with a number of their own."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, col, func, select

from customer_app.commerce import numbering, open_balances, payments, rates, sales_policy, shipping, taxes
from customer_app.commerce.calculation import LineInput, calculate
from customer_app.commerce.models import KINDS, STATUSES, CustomerSales, Document, DocumentLine, IncomeAccount
from customer_app.core import audit
from customer_app.core.columns import utcnow
from customer_app.core.i18n import DEFAULT_LANGUAGE
from customer_app.core.money import from_minor, parse_decimal
from customer_app.core.normalize import clean_text
from customer_app.core.permissions import Actor, require
from customer_app.customers.customers import get_customer
from customer_app.errors import CustomerAppError, NotFoundError, ValidationError
from customer_app.records.addresses import formatted
from customer_app.records.models import CustomerAddress

MAX_LINES = 500
MAX_DESCRIPTION = 500
SHOWN = 200


@dataclass(frozen=True)
class Totals:
    """A document's lines and totals as calculated now, and what stops it from being issued."""

    document: Document
    lines: list[DocumentLine]
    warnings: list[str]


def a_kind(kind: str) -> str:
    """The kind with its article, for messages: "an invoice", "a sales order"."""
    name = KINDS.get(kind, "document").lower()
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def new_draft(customer_id: int, kind: str, *, actor: Actor, session: Session) -> Document:
    """A draft of `kind` for an active customer, its addresses, currency, tax class, language, income account and
    shipping method copied in."""
    require(actor, "customer.edit")
    if kind not in KINDS:
        raise ValidationError({"kind": "Choose a kind of document from the list."})
    customer = get_customer(customer_id, actor=actor, session=session)
    sales = session.get(CustomerSales, customer.id) or CustomerSales(customer_id=customer.id)
    billing = _default_address(customer.id, "billing", session)
    chosen, method = shipping.for_new_document(customer.id, session=session)
    # Goods go to the address chosen on the Shipping tab, else the default shipping address, else the billing one.
    destination = chosen or _default_address(customer.id, "shipping", session) or billing
    standard = taxes.standard_class("customer", session=session)
    account = session.get(IncomeAccount, sales.income_account_id) if sales.income_account_id else None
    rules = sales_policy.policy(session=session)
    document = Document(
        customer_id=customer.id,
        kind=kind,
        currency=sales.currency,
        language=customer.language or DEFAULT_LANGUAGE,
        billing_address=formatted(billing) if billing else "",
        shipping_address=formatted(destination) if destination else "",
        destination_country=destination.country_code if destination else "",
        customer_tax_class_id=sales.tax_class_id or (standard.id if standard else None),
        income_account_id=account.id if account and not account.retired else None,  # retired: no new bookings
        shipping_method=method,
        prices_include_tax=rules.prices_include_tax,
        round_per_line=rules.round_per_line,
        created_by_name=actor.name,
    )
    session.add(document)
    session.flush()
    _audit(actor, session, document, "document_draft", f"Started {a_kind(kind)} draft")
    return document


def add_line(
    document_id: int,
    description: str,
    quantity: str,
    unit_price: str,
    discount_percent: str = "0",
    *,
    actor: Actor,
    session: Session,
) -> Totals:
    """Add a line to a draft; each bad field says why, and nothing is added then."""
    require(actor, "customer.edit")
    document = _draft(document_id, actor, session)
    raw = {"description": description, "quantity": quantity, "unit_price": unit_price, "discount": discount_percent}
    try:
        values, errors = line_values(raw), {}
    except ValidationError as exc:
        values, errors = {}, dict(exc.errors)
    lines = _lines(document.id, session)
    if len(lines) >= MAX_LINES:
        errors["description"] = f"A document has at most {MAX_LINES} lines."
    if errors:
        raise ValidationError(errors)
    item_class = taxes.standard_class("item", session=session)
    session.add(
        DocumentLine(
            document_id=document.id,
            position=len(lines),
            description=values["description"],
            quantity=values["quantity"],
            unit_price=values["unit_price"],
            discount_percent=values["discount"],
            item_tax_class_id=item_class.id if item_class else None,
        )
    )
    session.flush()
    return recalculate(document, session=session, edited=True)


def line_values(raw: dict[str, str]) -> dict:
    """The fields of a line given in `raw` (description, quantity, unit_price, discount), checked; each bad field says
    why in a ValidationError keyed by the field."""
    errors, values = {}, {}
    if "description" in raw:
        values["description"] = text = clean_text(raw["description"]) or ""
        if not text:
            errors["description"] = "Describe what is sold."
        elif len(text) > MAX_DESCRIPTION:
            errors["description"] = f"Keep the description under {MAX_DESCRIPTION} characters."
    for field, label, places in (
        ("quantity", "Quantity", 4),
        ("unit_price", "Unit price", 6),
        ("discount", "Discount", 2),
    ):
        if field not in raw:
            continue
        try:
            values[field] = parse_decimal(str(raw[field] or "0"), field=label, max_places=places)
        except ValueError as exc:
            errors[field] = str(exc)
    if "discount" in values and not Decimal(0) <= values["discount"] <= Decimal(100):
        errors["discount"] = "A discount is between 0 and 100 %."
    if errors:
        raise ValidationError(errors)
    return values


def remove_line(line_id: int, *, actor: Actor, session: Session) -> Totals:
    """Take a line off a draft."""
    require(actor, "customer.edit")
    line = session.get(DocumentLine, line_id)
    if line is None:
        raise NotFoundError("This line does not exist any more.")
    document = _draft(line.document_id, actor, session)
    session.delete(line)
    session.flush()
    return recalculate(document, session=session, edited=True)


def recalculate(document: Document, *, session: Session, on: date | None = None, edited: bool = False) -> Totals:
    """Resolve each line's tax rate and the totals (in minor units); lines no rule covers are warned about.

    The draft's `updated_at` (its PDF's cache key) moves when it was `edited` or a figure changed (a new rate, say);
    reading a draft as it is writes nothing."""
    day, lines, warnings = on or date.today(), _lines(document.id, session), []
    inputs, before = [], _figures(document, lines)
    for line in lines:
        rate = taxes.resolve_rate(
            document.customer_tax_class_id, line.item_tax_class_id, document.destination_country, day, session=session
        )
        if rate is None:
            warnings.append(f"No tax rule covers “{line.description}”: ask an admin to add one.")
        line.tax_rate = rate.percent if rate else None
        inputs.append(LineInput(line.quantity, line.unit_price, line.discount_percent, line.tax_rate or Decimal(0)))
    result = calculate(
        inputs,
        currency=document.currency,
        prices_include_tax=document.prices_include_tax,
        round_per_line=document.round_per_line,
    )
    for line, total in zip(lines, result.lines, strict=True):
        line.net_minor, line.tax_minor, line.gross_minor = total.net_minor, total.tax_minor, total.gross_minor
    document.net_minor, document.tax_minor, document.gross_minor = (
        result.net_minor,
        result.tax_minor,
        result.gross_minor,
    )
    if edited or _figures(document, lines) != before:
        document.updated_at = utcnow()
        session.add_all([document, *lines])
        session.flush()
    return Totals(document, lines, warnings)


def _figures(document: Document, lines: list[DocumentLine]) -> tuple:
    """What a recalculation may change: each line's rate and amounts, and the document's totals."""
    amounts = tuple((line.tax_rate, line.net_minor, line.tax_minor, line.gross_minor) for line in lines)
    return amounts, document.net_minor, document.tax_minor, document.gross_minor


def issue(document_id: int, *, actor: Actor, session: Session, paid_by: str = "cash") -> Document:
    """Give a draft its number and freeze its amounts, tax rates and exchange rate; refused while a line has no tax
    rule or the currency no exchange rate. A sales receipt is paid in the same step (`paid_by` says how)."""
    require(actor, "customer.edit")
    document = _draft(document_id, actor, session)
    totals = recalculate(document, session=session)
    if not totals.lines:
        raise CustomerAppError("Add at least one line before issuing.")
    if totals.warnings:
        raise CustomerAppError(totals.warnings[0])
    today = date.today()
    rates.freeze(document, today, session=session)
    sales = session.get(CustomerSales, document.customer_id) or CustomerSales(customer_id=document.customer_id)
    document.number = numbering.take_number(document.kind, today, session=session)
    document.customer_name = get_customer(document.customer_id, actor=actor, session=session).display_name
    document.status, document.issue_date, document.issued_at = "issued", today, utcnow()
    document.due_date = today + timedelta(days=sales.payment_terms_days) if document.kind == "invoice" else None
    session.add(document)
    session.flush()
    _audit(actor, session, document, "document_issue", f"Issued {KINDS[document.kind].lower()} {document.number}")
    if document.kind == "sales_receipt" and document.gross_minor > 0:  # sold and paid at once
        payments.record_payment(
            document.customer_id,
            paid_on=today,
            method=paid_by,
            amount_text=str(from_minor(document.gross_minor, document.currency)),
            currency=document.currency,
            reference=document.number or "",
            allocations={document.id: str(from_minor(document.gross_minor, document.currency))},
            actor=actor,
            session=session,
        )
    open_balances.refresh(document.customer_id, session=session)
    return document


def delete_draft(document_id: int, *, actor: Actor, session: Session) -> None:
    """Delete a draft (an issued document is never deleted: it is corrected by a credit note)."""
    require(actor, "customer.edit")
    document = _draft(document_id, actor, session)
    session.delete(document)
    _audit(actor, session, document, "document_delete", f"Deleted {a_kind(document.kind)} draft")


def documents_of(
    customer_id: int, kind: str = "", status: str = "", number: str = "", *, actor: Actor, session: Session
) -> list[Document]:
    """A customer's documents, newest first; of one kind, in one status, or whose number contains `number`."""
    require(actor, "customer.view")
    query = select(Document).where(col(Document.customer_id) == customer_id)
    if kind in KINDS:
        query = query.where(col(Document.kind) == kind)
    if status in STATUSES:
        query = query.where(col(Document.status) == status)
    if term := (clean_text(number) or "")[:40].upper():
        query = query.where(func.upper(col(Document.number)).contains(term, autoescape=True))
    return list(session.exec(query.order_by(col(Document.created_at).desc(), col(Document.id).desc()).limit(SHOWN)))


def document_totals(document_id: int, *, actor: Actor, session: Session) -> Totals:
    """A document with its lines: a draft as calculated now, an issued one as it was frozen."""
    require(actor, "customer.view")
    document = _document(document_id, actor, session)
    if document.status == "draft":
        return recalculate(document, session=session)
    return Totals(document, _lines(document.id, session), [])


def _document(document_id: int, actor: Actor, session: Session) -> Document:
    """A document of a customer the actor may see (not one in Trash)."""
    document = session.get(Document, document_id)
    if document is None:
        raise NotFoundError("This document does not exist any more.")
    get_customer(document.customer_id, actor=actor, session=session)
    return document


def editable(document_id: int, *, actor: Actor, session: Session) -> Document:
    """A draft the actor may change; an issued document is refused (it is corrected by a credit note)."""
    require(actor, "customer.edit")
    return _draft(document_id, actor, session)


def lines_of(document: Document, *, session: Session) -> list[DocumentLine]:
    """A document's lines in their order."""
    return _lines(document.id, session)


def _draft(document_id: int, actor: Actor, session: Session) -> Document:
    """A draft of a customer the actor may see; an issued document is refused."""
    document = _document(document_id, actor, session)
    if document.status != "draft":
        raise CustomerAppError("An issued document is not changed: correct it with a credit note.")
    return document


def _lines(document_id: int, session: Session) -> list[DocumentLine]:
    """A document's lines in their order."""
    query = select(DocumentLine).where(col(DocumentLine.document_id) == document_id)
    return list(session.exec(query.order_by(col(DocumentLine.position), col(DocumentLine.id))))


def _default_address(customer_id: int, kind: str, session: Session) -> CustomerAddress | None:
    query = select(CustomerAddress).where(
        col(CustomerAddress.customer_id) == customer_id, col(CustomerAddress.kind) == kind
    )
    return session.exec(query.order_by(col(CustomerAddress.is_default).desc(), col(CustomerAddress.id))).first()


def _audit(actor: Actor, session: Session, document: Document, action: str, summary: str) -> None:
    audit.record(
        session, actor=actor, action=action, entity_type="customer", entity_id=document.customer_id, summary=summary
    )


# What each kind may become; the new document keeps a link to the one it came from (and that one lists it).
CONVERSIONS = {"estimate": ("sales_order", "invoice"), "sales_order": ("invoice",)}


def convert(document_id: int, to_kind: str, *, actor: Actor, session: Session) -> Document:
    """A draft of `to_kind` from an issued estimate or sales order, with its lines and addresses."""
    require(actor, "customer.edit")
    source = _issued(document_id, actor, session)
    if to_kind not in CONVERSIONS.get(source.kind, ()):
        raise CustomerAppError(f"{a_kind(source.kind).capitalize()} cannot become {a_kind(to_kind)}.")
    return _copy(source, to_kind, 1, actor, session)


def credit_note_for(document_id: int, *, actor: Actor, session: Session) -> Document:
    """A draft credit note taking back an issued invoice's lines (to take back part, edit the draft)."""
    require(actor, "customer.edit")
    source = _issued(document_id, actor, session)
    if source.kind not in ("invoice", "sales_receipt"):
        raise CustomerAppError("Only invoices and sales receipts are credited.")
    return _copy(source, "credit_note", -1, actor, session)


def void(document_id: int, *, actor: Actor, session: Session) -> Document:
    """Cancel an issued invoice by a full credit note, issued at once; returns the credit note."""
    credit = credit_note_for(document_id, actor=actor, session=session)
    invoice = session.get(Document, document_id)
    if invoice is not None:  # cancelled before the credit note is issued, whose refresh of the balance then sees it
        invoice.status = "cancelled"
        session.add(invoice)
    issued = issue(credit.id, actor=actor, session=session)
    if invoice is not None:
        _audit(actor, session, invoice, "document_void", f"Voided {invoice.number} by {issued.number}")
    return issued


def linked(document_id: int, *, actor: Actor, session: Session) -> tuple[Document | None, list[Document]]:
    """The document this one came from, and those made from it (conversions and credit notes)."""
    require(actor, "customer.view")
    document = _document(document_id, actor, session)
    source = session.get(Document, document.source_id) if document.source_id else None
    made = session.exec(select(Document).where(col(Document.source_id) == document.id).order_by(col(Document.id)))
    return source, list(made)


def _issued(document_id: int, actor: Actor, session: Session) -> Document:
    document = _document(document_id, actor, session)
    if document.status not in ("issued", "sent", "accepted"):
        raise CustomerAppError("Issue the document first.")
    return document


def _copy(source: Document, kind: str, sign: int, actor: Actor, session: Session) -> Document:
    """A draft of `kind` with the source's addresses, currency, language, tax class and lines (quantities × sign)."""
    copy = Document(
        customer_id=source.customer_id,
        kind=kind,
        currency=source.currency,
        language=source.language,
        billing_address=source.billing_address,
        shipping_address=source.shipping_address,
        destination_country=source.destination_country,
        customer_tax_class_id=source.customer_tax_class_id,
        income_account_id=source.income_account_id,
        shipping_method=source.shipping_method,
        prices_include_tax=source.prices_include_tax,
        round_per_line=source.round_per_line,
        source_id=source.id,
        created_by_name=actor.name,
    )
    session.add(copy)
    session.flush()
    for line in _lines(source.id, session):
        session.add(
            DocumentLine(
                document_id=copy.id,
                position=line.position,
                description=line.description,
                quantity=line.quantity * sign,
                unit_price=line.unit_price,
                discount_percent=line.discount_percent,
                item_tax_class_id=line.item_tax_class_id,
            )
        )
    session.flush()
    recalculate(copy, session=session)
    _audit(actor, session, copy, "document_draft", f"Started {a_kind(kind)} from {source.number}")
    return copy
