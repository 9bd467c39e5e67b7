"""The Sales tab of the customer page: the customer's documents, and the editor of one (lines, totals, issue)."""

import asyncio
from dataclasses import dataclass, field, replace

import reflex as rx
from sqlmodel import Session

from customer_app.access.state.auth import act_as, actor_or_refusal
from customer_app.commerce import documents, draft_edits, income_accounts, rates, sending, shipping
from customer_app.commerce.models import KINDS, STATUSES, Document, DocumentLine, IncomeAccount
from customer_app.commerce.pdf_download import pdf_link_now, render_now
from customer_app.core.money import format_money
from customer_app.core.permissions import Actor
from customer_app.customers.models import Customer
from customer_app.errors import CustomerAppError
from customer_app.records.state.record_tab import CustomerTabMixin
from customer_app.ui.parsing import parse_ids

PDF_LINK_ID = "document-pdf-download"
STAFF_LANGUAGE = "en"  # staff pages are in English; documents keep their own language


@dataclass
class DocumentRow:
    """One document in the list."""

    id: str = ""
    number: str = ""
    kind: str = ""
    status: str = ""
    status_label: str = ""
    date: str = ""
    total: str = ""


@dataclass
class LineRow:
    """One line of the document being edited."""

    id: str = ""
    description: str = ""
    quantity: str = ""
    unit_price: str = ""
    discount: str = ""
    tax_rate: str = ""
    net: str = ""
    discount_value: str = ""  # as typed in the editor: the number alone
    tax_class: str = ""  # the item's tax class id


@dataclass
class Choice:
    """An item tax class or shipping method to choose in the editor."""

    id: str = ""
    label: str = ""


@dataclass
class Editor:
    """The document being edited or looked at."""

    id: str = ""
    title: str = ""
    status: str = ""
    billing_address: str = ""
    shipping_address: str = ""
    destination_country: str = ""
    shipping_method: str = ""
    income_account: str = ""
    lines: list[LineRow] = field(default_factory=list)
    net: str = ""
    tax: str = ""
    gross: str = ""
    warnings: list[str] = field(default_factory=list)
    conversions: list[list[str]] = field(default_factory=list)  # [kind, label] it may become
    can_credit: bool = False
    links: list[str] = field(default_factory=list)  # "From EST-2026-00001", "Credit note CN-2026-00002"
    prices_include_tax: bool = False
    tax_rounding: str = ""  # how tax is rounded: once per rate (the default) or per line
    rate: str = ""  # "Exchange rate: 1 EUR = 1.1172 USD, from 30 Oct 2026" (other currencies than the base)
    rate_warning: str = ""  # the rate is old, or missing


def _money(minor: int, document: Document) -> str:
    return format_money(minor, document.currency, STAFF_LANGUAGE)


def _row(document: Document) -> DocumentRow:
    return DocumentRow(
        id=str(document.id),
        number=document.number or "Draft",
        kind=KINDS[document.kind],
        status=document.status,
        status_label=STATUSES.get(document.status, document.status),
        date=(document.issue_date or document.created_at.date()).isoformat(),
        total=_money(document.gross_minor, document),
    )


def _line(line: DocumentLine, document: Document) -> LineRow:
    return LineRow(
        id=str(line.id),
        description=line.description,
        quantity=str(line.quantity.normalize()),
        unit_price=str(line.unit_price),
        discount=f"{line.discount_percent.normalize()} %" if line.discount_percent else "",
        tax_rate=f"{line.tax_rate.normalize()} %" if line.tax_rate is not None else "—",
        net=_money(line.net_minor, document),
        discount_value=str(line.discount_percent.normalize()),
        tax_class=str(line.item_tax_class_id or ""),
    )


def _editor(
    totals: documents.Totals, source: Document | None, made: list[Document], account: IncomeAccount | None = None
) -> Editor:
    document = totals.document
    open_ = document.status in ("issued", "sent")
    return Editor(
        id=str(document.id),
        title=f"{KINDS[document.kind]} {document.number or '(draft)'}",
        status=document.status,
        billing_address=document.billing_address,
        shipping_address=document.shipping_address,
        destination_country=document.destination_country,
        shipping_method=document.shipping_method,
        income_account=income_accounts.label(account),
        prices_include_tax=document.prices_include_tax,
        tax_rounding="Tax rounded per line" if document.round_per_line else "Tax rounded once per rate",
        lines=[_line(line, document) for line in totals.lines],
        net=_money(document.net_minor, document),
        tax=_money(document.tax_minor, document),
        gross=_money(document.gross_minor, document),
        warnings=totals.warnings,
        conversions=[[k, KINDS[k]] for k in documents.CONVERSIONS.get(document.kind, ())] if open_ else [],
        can_credit=open_ and document.kind in ("invoice", "sales_receipt"),
        links=([f"From {KINDS[source.kind].lower()} {source.number or '(draft)'}"] if source else [])
        + [f"{KINDS[d.kind]} {d.number or '(draft)'}" for d in made],
    )


def _read_editor(document_id: int, actor: Actor, session: Session) -> Editor:
    totals = documents.document_totals(document_id, actor=actor, session=session)
    source, made = documents.linked(document_id, actor=actor, session=session)
    account_id = totals.document.income_account_id
    account = session.get(IncomeAccount, account_id) if account_id else None
    rate, rate_warning = rates.document_note(totals.document, session=session)
    return replace(_editor(totals, source, made, account), rate=rate, rate_warning=rate_warning)


class CustomerSalesState(CustomerTabMixin, rx.State):
    """One customer's documents, and the one open in the editor, in one browser tab."""

    rows: list[DocumentRow] = []
    kind_filter: str = ""
    status_filter: str = ""
    number_search: str = ""
    editor: Editor = Editor()
    editor_open: bool = False
    confirm_void: bool = False
    pdf_url: str = ""  # a download link to the open document's PDF, once asked for
    pdf_busy: bool = False
    line_errors: dict[str, str] = {}  # "<line id>:<field>" -> what is wrong with what was typed there
    item_classes: list[Choice] = []
    shipping_methods: list[Choice] = []
    method_choice: str = ""  # the id of the open draft's shipping method, "" for none
    _problem: dict[str, str] = {}  # the field errors of the last line edit, before they are filed by line

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None:
        """Read the customer's documents (and the open one again: someone may have changed it)."""
        self.customer_id = customer.id
        found = documents.documents_of(
            customer.id, self.kind_filter, self.status_filter, self.number_search, actor=actor, session=session
        )
        self.rows = [_row(d) for d in found]
        if self.editor.id:
            fresh = _read_editor(int(self.editor.id), actor, session)
            if fresh != self.editor:  # a PDF made before a change shows what the document no longer says
                self.pdf_url = ""
            self.editor = fresh
            self._read_choices(actor, session)

    @rx.event
    async def set_kind_filter(self, kind: str):
        """Show one kind of document, or all."""
        self.kind_filter = kind if kind in KINDS else ""
        _, event = await self._reload()
        return event

    @rx.event
    async def set_status_filter(self, status: str):
        """Show documents in one status, or all."""
        self.status_filter = status if status in STATUSES else ""
        _, event = await self._reload()
        return event

    @rx.event
    async def search_number(self, text: str):
        """Find documents by (part of) their number."""
        self.number_search = str(text)[:40]
        _, event = await self._reload()
        return event

    @rx.event
    async def new_document(self, kind: str):
        """Start a draft of `kind` for this customer, its addresses and currency filled in, and open it."""
        started: list[int] = []

        def work(actor: Actor, session: Session) -> None:
            started.append(documents.new_draft(self.customer_id, str(kind), actor=actor, session=session).id)

        done, event = await self._write(work, errors=None)
        if done:
            return await self.open_document(str(started[0]))
        return event

    @rx.event
    async def open_document(self, document_id: str):
        """Open one document in the editor."""
        chosen = (parse_ids(document_id) or [0])[0]

        def read(actor: Actor, session: Session) -> None:
            self.editor = _read_editor(chosen, actor, session)
            self._read_choices(actor, session)

        done, event = await act_as(self, "customer.view", read, errors=None)
        self.editor_open, self.pdf_url, self.line_errors = done, "", {}
        return event

    def _read_choices(self, actor: Actor, session: Session) -> None:
        """The item tax classes and shipping methods the editor offers (the draft's own method even if retired)."""
        self.item_classes = [Choice(str(c.id), c.name) for c in draft_edits.item_classes(actor=actor, session=session)]
        offered = shipping.methods(actor=actor, session=session)
        kept = self.editor.shipping_method
        self.shipping_methods = [Choice(str(m.id), m.name) for m in offered if not m.retired or m.name == kept]
        self.method_choice = next((c.id for c in self.shipping_methods if c.label == kept), "") if kept else ""

    @rx.event
    async def edit_line(self, line_id: str, field: str, value: str):
        """Change one field of a draft's line as typed; totals follow, and a bad value says why and changes nothing."""
        chosen = (parse_ids(line_id) or [0])[0]
        if field not in draft_edits.LINE_FIELDS:
            return None
        changes = {field: str(value)[:600]}
        self._problem = {}
        done, event = await self._write(
            lambda actor, session: draft_edits.update_line(chosen, changes, actor=actor, session=session),
            errors="_problem",
        )
        key, problems = f"{chosen}:{field}", dict(self.line_errors)
        problems.pop(key, None)
        if self._problem:
            problems[key] = next(iter(self._problem.values()))
        self.line_errors, self._problem = problems, {}
        return None if done else event

    @rx.event
    async def set_prices_include_tax(self, include: bool):
        """Read the open draft's prices as including tax, or not."""
        chosen = (parse_ids(self.editor.id) or [0])[0]
        _, event = await self._write(
            lambda actor, session: draft_edits.set_prices_include_tax(
                chosen, include is True, actor=actor, session=session
            ),
            errors=None,
        )
        return event

    @rx.event
    async def move_line(self, line_id: str, step: int):
        """Move a draft's line one place up (-1) or down (1)."""
        chosen, steps = (parse_ids(line_id) or [0])[0], -1 if str(step).strip().startswith("-") else 1
        _, event = await self._write(
            lambda actor, session: draft_edits.move_line(chosen, steps, actor=actor, session=session),
            errors=None,
        )
        return event

    @rx.event
    async def save_delivery(self, form: dict):
        """Keep the draft's billing and shipping addresses, destination country and shipping method as typed."""
        document_id = (parse_ids(self.editor.id) or [0])[0]
        method_id = (parse_ids(form.get("shipping_method", "")) or [None])[0]
        typed = {name: str(form.get(name, ""))[:2000] for name in ("billing_address", "shipping_address")}
        country = str(form.get("destination_country", ""))[:60]
        done, event = await self._write(
            lambda actor, session: draft_edits.edit_delivery(
                document_id,
                billing_address=typed["billing_address"],
                shipping_address=typed["shipping_address"],
                destination_country=country,
                shipping_method_id=method_id,
                actor=actor,
                session=session,
            )
        )
        return rx.toast.success("Addresses and shipping saved.") if done else event

    @rx.event
    async def prepare_pdf(self):
        """Render the open document's PDF (in a thread: it takes a moment) and hand the browser a link to it."""
        actor, event = await actor_or_refusal(self, "customer.view")
        if actor is None:
            yield event
            return
        document_id = (parse_ids(self.editor.id) or [0])[0]
        self.pdf_busy, self.pdf_url = True, ""
        yield
        try:
            self.pdf_url = await asyncio.to_thread(pdf_link_now, document_id, actor)
        except CustomerAppError as exc:
            yield rx.toast.error(str(exc))
            return
        finally:
            self.pdf_busy = False
        yield rx.call_script(f"document.getElementById('{PDF_LINK_ID}')?.click()")

    @rx.event
    async def add_line(self, form: dict):
        """Add the typed line to the draft; totals follow."""
        document_id = (parse_ids(self.editor.id) or [0])[0]
        done, event = await self._write(
            lambda actor, session: documents.add_line(
                document_id,
                str(form.get("description", "")),
                str(form.get("quantity", "")),
                str(form.get("unit_price", "")),
                str(form.get("discount", "") or "0"),
                actor=actor,
                session=session,
            )
        )
        if done:
            self.form_key += 1
        return event

    @rx.event
    async def remove_line(self, line_id: str):
        """Take a line off the draft."""
        chosen = (parse_ids(line_id) or [0])[0]
        _, event = await self._write(
            lambda actor, session: documents.remove_line(chosen, actor=actor, session=session), errors=None
        )
        return event

    @rx.event
    async def issue(self):
        """Number the draft and freeze it."""
        document_id = (parse_ids(self.editor.id) or [0])[0]
        done, event = await self._write(
            lambda actor, session: documents.issue(document_id, actor=actor, session=session), errors=None
        )
        return rx.toast.success(f"{self.editor.title} issued.") if done else event

    @rx.event
    async def convert(self, kind: str):
        """Make a draft of `kind` from the issued document in the editor, and open it."""
        return await self._derive(
            lambda document_id, actor, session: documents.convert(document_id, str(kind), actor=actor, session=session)
        )

    @rx.event
    async def credit(self):
        """Start a credit note taking back the issued invoice in the editor, and open it."""
        return await self._derive(
            lambda document_id, actor, session: documents.credit_note_for(document_id, actor=actor, session=session)
        )

    @rx.event
    async def send(self):
        """E-mail the issued document in the editor to the customer, its PDF attached."""
        document_id = (parse_ids(self.editor.id) or [0])[0]
        actor, refusal = await actor_or_refusal(self, "customer.edit")
        if actor is None:
            return refusal
        try:  # rendering takes a moment: in a thread, so other tabs keep going; the send then finds it cached
            await asyncio.to_thread(render_now, document_id, actor)
        except CustomerAppError as exc:
            return rx.toast.error(str(exc))
        done, event = await self._write(
            lambda actor, session: sending.send_document(document_id, actor=actor, session=session), errors=None
        )
        return rx.toast.success(f"{self.editor.title} sent.") if done else event

    @rx.event
    def set_confirm_void(self, is_open: bool):
        self.confirm_void = bool(is_open)

    @rx.event
    async def void(self):
        """Cancel the issued invoice in the editor by a full credit note, and open that."""
        self.confirm_void = False
        return await self._derive(
            lambda document_id, actor, session: documents.void(document_id, actor=actor, session=session)
        )

    async def _derive(self, make):
        """Run `make(document_id, actor, session)` on the open document, then open the document it made."""
        source_id, made = (parse_ids(self.editor.id) or [0])[0], []

        def work(actor: Actor, session: Session) -> None:
            made.append(make(source_id, actor, session).id)

        done, event = await self._write(work, errors=None)
        return await self.open_document(str(made[0])) if done else event

    @rx.event
    async def delete_draft(self):
        """Delete the draft open in the editor."""
        document_id = (parse_ids(self.editor.id) or [0])[0]

        def work(actor: Actor, session: Session) -> None:
            documents.delete_draft(document_id, actor=actor, session=session)
            self.editor, self.editor_open = Editor(), False  # before the tab reads again: it is gone

        _, event = await self._write(work, errors=None)
        return event

    @rx.event
    def set_editor_open(self, is_open: bool):
        if not is_open:
            self.editor, self.editor_open, self.pdf_url = Editor(), False, ""
