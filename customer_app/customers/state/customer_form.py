"""The create/edit pop-up: which customer, its values, field errors, picture and conflicts."""

import asyncio

import reflex as rx
from sqlmodel import Session

from customer_app.access.state.auth import act_as, actor_or_refusal
from customer_app.core.normalize import format_phone
from customer_app.core.permissions import Actor
from customer_app.customers import custom_field_values, customers, editing, form_extras, pictures
from customer_app.customers.models import Customer
from customer_app.customers.state.custom_fields import FieldInput, field_input, typed_values
from customer_app.customers.state.customer_list import CustomerListState
from customer_app.errors import FORM_LOST, ConflictError, CustomerAppError, NotFoundError, PictureError
from customer_app.settings import settings
from customer_app.ui.parsing import parse_ids

EDIT = "customer.edit"  # also what the upload guard checks before a picture's body is read

FORM_FIELDS = (
    "email",
    "phone",
    "mobile",
    "fax",
    "company_name",
    "website",
    "vat_number",
    "position",
    "footnotes",
    "first_name",
    "last_name",
    "date_of_birth",
    "gender",
    "name",
    "ownership_type",
    "language",
)


def form_values(customer: Customer) -> dict[str, str]:
    """A customer's stored values as the text the form's inputs start with."""
    values = {field: getattr(customer, field) for field in FORM_FIELDS}
    text = {k: "" if v is None else v.isoformat() if k == "date_of_birth" else str(v) for k, v in values.items()}
    return text | {k: format_phone(values[k]) for k in ("phone", "mobile", "fax")}  # as people write them


class CustomerFormState(rx.State):
    """State of the customer pop-up; nothing is written until Save succeeds."""

    open: bool = False
    customer_id: int = 0
    version: int = 0
    kind: str = "individual"
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    picture: str = ""
    picture_error: str = ""
    conflict: bool = False
    form_key: int = 0
    custom: list[FieldInput] = []  # custom fields of both kinds; the form shows those of the chosen kind
    boxes: dict[str, bool] = {}  # the extra boxes other packages add (portal access, ...) and whether ticked
    _uploaded: list[str] = []  # pictures stored during this pop-up, to clean up if not saved

    @rx.var
    def custom_for_kind(self) -> list[FieldInput]:
        """The custom fields for the kind of customer the form is showing."""
        return [f for f in self.custom if f.applies_to in (self.kind, "all")]

    @rx.var
    def picture_url(self) -> str:
        """Relative upload path of the preview, or empty."""
        return f"pictures/{pictures.picture_filename(self.picture, 512)}" if self.picture else ""

    def _reset(self, kind: str = "individual") -> None:
        self.customer_id, self.version, self.kind = 0, 0, kind
        self.values, self.errors, self.picture, self.picture_error = {}, {}, "", ""
        self.conflict, self._uploaded = False, []
        self.form_key += 1

    @rx.event
    async def open_new(self):
        """Open an empty individual form."""

        def fill(actor: Actor, session: Session) -> None:
            self._reset()
            self._load_custom(None, actor, session)

        opened, event = await act_as(self, "customer.edit", fill, errors=None)
        if opened:
            self.open = True
        return event

    @rx.event
    async def open_edit(self, customer_id: str):
        """Open the form filled with a customer's current values."""
        self._reset()

        def fill(actor: Actor, session: Session) -> None:
            self._fill(customers.get_customer((parse_ids(customer_id) or [0])[0], actor=actor, session=session))
            self._load_custom(self.customer_id, actor, session)

        opened, event = await act_as(self, "customer.edit", fill, errors=None)
        if opened:
            self.open = True
        return event

    def _load_custom(self, customer_id: int | None, actor, session) -> None:
        found = custom_field_values.form_fields(customer_id, actor=actor, session=session)
        self.custom = [field_input(field, value) for field, value in found]
        self.boxes = form_extras.read_all(customer_id, actor=actor, session=session) if customer_id else {}

    def _fill(self, customer: Customer) -> None:
        self.customer_id, self.version, self.kind = customer.id, customer.version, customer.kind
        self.values, self.picture, self.conflict, self.errors = form_values(customer), customer.picture or "", False, {}
        self.form_key += 1

    @rx.event
    def set_kind(self, kind: str):
        """Switch between the individual and institution forms."""
        if kind in ("individual", "institution"):
            self.kind, self.errors = kind, {}

    @rx.event
    def set_open(self, is_open: bool):
        """Closing the pop-up (Escape, overlay, Cancel) discards the draft."""
        if not is_open:
            self.cancel()

    @rx.event
    def cancel(self):
        """Close without changing anything; drop pictures uploaded for this draft."""
        self._discard_uploads(keep="")
        self.open = False
        self._reset()

    @rx.event
    async def upload_picture(self, files: list[rx.UploadFile]):
        """Process a dropped or picked picture and show it as the preview."""
        self.picture_error = ""
        actor, refused = await actor_or_refusal(self, EDIT)
        if actor is None:
            return refused
        for file in files[:1]:
            data = await file.read(settings.picture_max_bytes + 1)
            try:
                # Decoding and resizing up to 50 megapixels takes a while: in a thread, other tabs keep going.
                key = await asyncio.to_thread(pictures.store_upload, data)
            except PictureError as exc:
                self.picture_error = str(exc)
                return None
            self._uploaded.append(key)
            self.picture = key
        return None

    @rx.event
    def remove_picture(self):
        """Take the picture off the draft (stored only on Save)."""
        self.picture, self.picture_error = "", ""

    @rx.event
    async def save(self, form_data: dict):
        """Validate everything, then create or update; show field errors or a conflict otherwise."""
        raw = {field: form_data.get(field, "") for field in FORM_FIELDS} | {"kind": self.kind}
        typed = typed_values(form_data)
        boxes = form_extras.ticked(form_data)
        saved: list[int] = []

        def work(actor: Actor, session: Session) -> None:
            if not self.open:
                # The server lost this tab's pop-up (Redis restarted empty, or dropped the entry): which customer and
                # which version it showed went with it, and saving now would turn an edit into a second customer.
                raise CustomerAppError(FORM_LOST)
            self.values = {k: str(v) for k, v in raw.items() if k != "kind"}  # shown again; only if allowed to save
            try:
                customer = editing.save_customer(
                    raw,
                    typed,
                    customer_id=self.customer_id or None,
                    expected_version=self.version,
                    picture=self.picture or None,
                    actor=actor,
                    session=session,
                    boxes=boxes,
                )
            except ConflictError:  # nothing was written: the pop-up offers the other person's version instead
                self.conflict = True
                return
            saved.append(customer.id)

        done, event = await act_as(self, "customer.edit", work)  # field errors go to self.errors
        if not (done and saved):
            return event
        created, saved_id = not self.customer_id, self.customer_id or None
        self._discard_uploads(keep=self.picture)
        self.open = False
        self._reset()
        page = await self.get_state(CustomerListState)
        await page._changed(saved_id)  # its notice also wakes the customer page the pop-up may have been opened from
        return rx.toast.success("Customer created." if created else "Changes saved.")

    @rx.event
    async def reload_latest(self):
        """After a conflict, load what the other person saved (the draft is discarded)."""
        self._discard_uploads(keep="")

        def fill(actor: Actor, session: Session) -> None:
            try:
                customer = customers.get_customer(self.customer_id, actor=actor, session=session)
            except NotFoundError:
                self.open = False  # deleted meanwhile: nothing left to edit
                raise
            self._fill(customer)
            self._load_custom(self.customer_id, actor, session)

        _, event = await act_as(self, "customer.edit", fill, errors=None)
        return event

    def _discard_uploads(self, keep: str) -> None:
        for key in self._uploaded:
            if key != keep:
                pictures.delete_picture(key, directory=settings.picture_dir)
        self._uploaded = []
