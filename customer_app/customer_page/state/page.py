"""The customer page: header facts, the tab in the URL, recent history and notes, refreshed when others write."""

from dataclasses import dataclass

import reflex as rx

from customer_app import routes
from customer_app.access.state.auth import actor_for, refusal
from customer_app.audit.queries import customer_history
from customer_app.audit.rows import AuditRow, audit_row
from customer_app.core.db import session_scope
from customer_app.core.live import announce_customer, customer_page_key, hub
from customer_app.core.normalize import format_phone
from customer_app.customers import customers
from customer_app.customers import duplicate as customer_copy
from customer_app.customers.customers import get_customer
from customer_app.customers.pictures import picture_filename
from customer_app.customers.queries import ListQuery, neighbours
from customer_app.customers.rows import initials
from customer_app.customers.state.custom_fields import CustomerCustomFieldsState
from customer_app.customers.state.customer_form import CustomerFormState
from customer_app.customers.state.customer_list import CustomerListState
from customer_app.customers.state.other_info import CustomerOtherInfoState
from customer_app.errors import CustomerAppError, NotFoundError, PermissionDenied
from customer_app.records import notes, notifications
from customer_app.records.models import NOTIFICATION_TOPICS, CustomerNote
from customer_app.records.state.activities import CustomerActivitiesState
from customer_app.records.state.addresses import CustomerAddressesState
from customer_app.records.state.contacts import CustomerContactsState
from customer_app.records.state.tickets import CustomerTicketsState
from customer_app.settings import settings
from customer_app.ui.formatting import when
from customer_app.ui.parsing import parse_ids

TABS = ("overview", "contact", "addresses", "notes", "activities", "tickets", "other", "custom", "notifications")
HISTORY_SHOWN = 10


@dataclass
class NoteRow:
    """One note as the page shows it (the body is rendered as text, never as HTML)."""

    id: str = ""
    body: str = ""
    author: str = ""
    when: str = ""


def note_row(note: CustomerNote) -> NoteRow:
    return NoteRow(id=str(note.id), body=note.body, author=note.author_name or "Someone", when=when(note.created_at))


class CustomerDetailState(rx.State):
    """What one browser tab shows of one customer."""

    status: str = ""  # "" while loading, "ok", "missing" (no such customer or in Trash)
    customer_id: int = 0
    header: dict[str, str] = {}
    facts: list[list[str]] = []
    tab: str = "overview"
    history: list[AuditRow] = []
    notes: list[NoteRow] = []
    note_error: str = ""
    note_form_key: int = 0
    confirm_note_id: str = ""
    previous_id: str = ""
    next_id: str = ""
    delete_open: bool = False
    switches: list[dict[str, str]] = []

    @rx.event
    async def on_load(self):
        """Show the customer named in the URL, on the tab the URL asks for, and follow others' changes."""
        self.tab = self.router.url.query_parameters.get("tab", "overview")
        if self.tab not in TABS:
            self.tab = "overview"
        self.customer_id = (parse_ids(self.router.url.path.rstrip("/").rsplit("/", 1)[-1]) or [0])[0]
        refused = await self._load()
        if refused:
            return refused
        browser_zone = rx.call_script(
            "Intl.DateTimeFormat().resolvedOptions().timeZone", callback=CustomerActivitiesState.set_time_zone
        )
        return [CustomerDetailState.watch_changes, browser_zone]

    async def _load(self):
        try:
            actor = await actor_for(self, "customer.view")
        except PermissionDenied as exc:
            self.status = "missing"
            return await refusal(self, exc)
        with session_scope() as session:
            try:
                customer = get_customer(self.customer_id, actor=actor, session=session)
            except NotFoundError:
                self.status, self.header, self.notes, self.history = "missing", {}, [], []
                return None
            self.header = _header(customer)
            self.facts = _facts(customer)
            before, after = neighbours(await self._list_query(customer), customer, actor=actor, session=session)
            self.previous_id, self.next_id = str(before or ""), str(after or "")
            history = customer_history(customer.id, actor=actor, session=session, limit=HISTORY_SHOWN)
            self.history = [audit_row(e) for e in history]
            self.notes = [note_row(n) for n in notes.list_notes(customer.id, actor=actor, session=session)]
            (await self.get_state(CustomerTicketsState)).load_for(customer.id, actor, session)
            (await self.get_state(CustomerActivitiesState)).load_for(customer.id, actor, session)
            (await self.get_state(CustomerContactsState)).load_for(customer, actor, session)
            (await self.get_state(CustomerAddressesState)).load_for(customer.id, actor, session)
            (await self.get_state(CustomerOtherInfoState)).load_for(customer.id, actor, session)
            custom = await self.get_state(CustomerCustomFieldsState)
            custom.load_for(customer, actor, session)
            self.facts += [[f.label, f.shown] for f in custom.fields if f.shown]
            chosen = notifications.preferences(customer.id, actor=actor, session=session)
            self.switches = [
                {"topic": topic, "label": label, "on": "yes" if chosen[topic] else ""}
                for topic, label in NOTIFICATION_TOPICS.items()
            ]
        self.status = "ok"
        return None

    async def _list_query(self, customer) -> ListQuery:
        """The customers list's tab, search and sort, or the customer's own tab when it is not in that list."""
        listing = await self.get_state(CustomerListState)
        query = listing._query()
        if query.tab != customer.kind:
            return ListQuery(customer.kind).checked(settings.page_sizes)
        return query

    @rx.event(background=True)
    async def watch_changes(self):
        """Refresh this customer whenever anyone changes it (or many customers at once), until the page goes away."""
        async with self:
            token, customer_id = self.router.session.client_token, self.customer_id
        async with hub.subscribe(customer_page_key(token), customer_id) as subscriber:
            while hub.is_current(subscriber):
                await subscriber.wake.wait()
                subscriber.wake.clear()
                async with hub.slots(), self:
                    await self._load()

    @rx.event
    def set_tab(self, tab: str):
        """Switch tab and put it in the address, so the link can be shared."""
        if tab not in TABS:
            return None
        self.tab = tab
        return rx.call_script(f"window.history.replaceState(null, '', '?tab={tab}')")

    @rx.event
    async def add_note(self, form: dict):
        """Keep the typed note; everyone viewing this customer sees it appear."""
        try:
            actor = await actor_for(self, "customer.edit")
            with session_scope() as session:
                notes.add_note(self.customer_id, str(form.get("note", "")), actor=actor, session=session)
        except PermissionDenied as exc:
            return await refusal(self, exc)
        except CustomerAppError as exc:
            self.note_error = "; ".join(getattr(exc, "errors", {}).values()) or str(exc)
            return None
        self.note_error, self.note_form_key = "", self.note_form_key + 1
        await self._changed()
        return None

    @rx.event
    def ask_delete_note(self, note_id: str):
        self.confirm_note_id = note_id

    @rx.event
    def set_confirm_open(self, is_open: bool):
        if not is_open:
            self.confirm_note_id = ""

    @rx.event
    async def delete_note(self):
        """Delete the note the confirmation was about."""
        try:
            actor = await actor_for(self, "customer.edit")
            with session_scope() as session:
                for note_id in parse_ids(self.confirm_note_id):
                    notes.delete_note(note_id, actor=actor, session=session)
        except PermissionDenied as exc:
            return await refusal(self, exc)
        except CustomerAppError as exc:
            self.confirm_note_id = ""
            return rx.toast.error(str(exc))
        self.confirm_note_id = ""
        await self._changed()
        return rx.toast.success("Note deleted.")

    @rx.event
    async def duplicate(self):
        """Copy this customer without its e-mail and open the copy for editing."""
        try:
            actor = await actor_for(self, "customer.edit")
            with session_scope() as session:
                copy = customer_copy.duplicate_customer(self.customer_id, actor=actor, session=session)
                copy_id = copy.id
        except PermissionDenied as exc:
            return await refusal(self, exc)
        except CustomerAppError as exc:
            return rx.toast.error(str(exc))
        await announce_customer(self)
        return [
            rx.redirect(f"/customers/{copy_id}"),
            CustomerFormState.open_edit(str(copy_id)),
            rx.toast.success("Duplicate created: give it its own e-mail and save."),
        ]

    @rx.event
    async def set_switch(self, topic: str, enabled: bool):
        """Turn one kind of e-mail on or off for this customer."""
        try:
            actor = await actor_for(self, "customer.edit")
            with session_scope() as session:
                notifications.set_preference(self.customer_id, topic, bool(enabled), actor=actor, session=session)
        except PermissionDenied as exc:
            return await refusal(self, exc)
        except CustomerAppError as exc:
            return rx.toast.error(str(exc))
        await self._changed()
        return None

    @rx.event
    def set_delete_open(self, is_open: bool):
        self.delete_open = is_open

    @rx.event
    async def delete_customer(self):
        """Move this customer to Trash and go back to the list."""
        self.delete_open = False
        try:
            actor = await actor_for(self, "customer.edit")
            with session_scope() as session:
                customers.trash_customers([self.customer_id], actor=actor, session=session)
        except PermissionDenied as exc:
            return await refusal(self, exc)
        await announce_customer(self)
        return [
            rx.redirect(routes.CUSTOMERS),
            rx.toast.success(f"{self.header.get('name', 'Customer')} moved to Trash."),
        ]

    async def _changed(self) -> None:
        await self._load()
        await announce_customer(self)


def _header(customer) -> dict[str, str]:
    picture = f"pictures/{picture_filename(customer.picture, 512)}" if customer.picture else ""
    return {
        "id": str(customer.id),
        "name": customer.display_name or "(no name)",
        "initials": initials(customer.display_name),
        "picture": picture,
        "kind": "Individual" if customer.kind == "individual" else "Institution",
        "email": customer.email or "",
        "phone": format_phone(customer.phone or customer.mobile),
    }


def _facts(customer) -> list[list[str]]:
    """Label and value of each key fact that has a value."""
    pairs = [
        ("Company", customer.company_name),
        ("Position", customer.position),
        ("Mobile", format_phone(customer.mobile)),
        ("Fax", format_phone(customer.fax)),
        ("Website", customer.website),
        ("VAT number", customer.vat_number),
        ("Date of birth", customer.date_of_birth.isoformat() if customer.date_of_birth else ""),
        ("Gender", customer.gender),
        ("Ownership type", customer.ownership_type),
        ("Customer since", when(customer.created_at)),
        ("Footnotes", customer.footnotes),
    ]
    return [[label, str(value)] for label, value in pairs if value]
