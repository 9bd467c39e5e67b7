"""The first steps of the import page: the sample files, the upload, the sheet and the column mapping."""

import asyncio

import reflex as rx

from customer_app.access.state.auth import actor_or_refusal
from customer_app.core.db import session_scope
from customer_app.core.normalize import whole_number
from customer_app.core.permissions import Actor
from customer_app.errors import CustomerAppError
from customer_app.transfer import import_uploads, imports
from customer_app.transfer.import_mapping import LABELS, MATCH_KEYS, SKIP, match_key

IMPORT = "customer.import"
MIME_TYPES = {"csv": "text/csv"}  # xlsx: the browser's guess from the file name


def options_for(labels: dict[str, str]) -> list[dict[str, str]]:
    """What a column can fill, as the mapping drop-down lists it."""
    return [{"value": SKIP or "skip", "label": "Do not import"}] + [
        {"value": key, "label": label} for key, label in labels.items()
    ]


class ImportUploadMixin(rx.State, mixin=True):
    """The file being imported and how its columns map to fields; the import state adds preview and progress."""

    step: str = "upload"  # upload, sheet, map, preview, running, finished
    job_id: int = 0
    file_name: str = ""
    sheets: list[str] = []
    sheet: str = ""
    headers: list[str] = []
    samples: list[str] = []
    mapping: list[str] = []
    field_options: list[dict[str, str]] = options_for(LABELS)  # the customer's fields, then custom fields
    remembered: bool = False
    header_line: int = 0  # the file's line the headers are on
    header_rows: list[dict[str, str]] = []  # the first rows, any of which the admin may call the header
    mode: str = "both"
    match_on: str = "email"
    notice: str = ""  # why a column was left unmapped (another system's customer IDs)
    error: str = ""
    busy: bool = False

    @rx.var
    def columns(self) -> list[dict[str, str]]:
        """Each column's header, sample values and chosen field, for the mapping table."""
        return [
            {"index": str(i), "header": header or f"Column {i + 1}", "sample": sample, "field": field or "skip"}
            for i, (header, sample, field) in enumerate(zip(self.headers, self.samples, self.mapping, strict=False))
        ]

    def _reset(self) -> None:
        """Back to the upload step with nothing chosen."""
        self.job_id, self.file_name, self.sheet, self.remembered = 0, "", "", False
        self.sheets, self.headers, self.samples, self.mapping = [], [], [], []
        self.header_line, self.header_rows = 0, []
        self.step, self.error, self.mode, self.match_on = "upload", "", "both", "email"
        self.notice = ""

    @rx.event
    def reset_flow(self):
        """Back to the upload step with nothing chosen."""
        self._reset()

    @rx.event
    async def download_sample(self, file_format: str):
        """The sample file (small: it travels with the event)."""
        actor, refused = await actor_or_refusal(self, IMPORT)
        if actor is None:
            return refused
        with session_scope() as session:
            data, name = import_uploads.sample_file(file_format, actor=actor, session=session)
        return rx.download(data=data, filename=name, mime_type=MIME_TYPES.get(file_format))

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]):
        """Keep the file privately and show its columns (or ask which sheet)."""
        actor, refused = await actor_or_refusal(self, IMPORT)
        if actor is None:
            yield refused
            return
        self._reset()
        if not files:
            return
        upload = files[0]
        self.busy = True
        yield
        try:
            with session_scope() as session:
                job = import_uploads.store_upload(
                    iter(lambda: upload.file.read(1 << 20), b""),
                    upload.filename or upload.name or "upload",
                    actor=actor,
                    session=session,
                )
            self.job_id, self.file_name = job.id, job.file_name
            self.sheets = await asyncio.to_thread(_sheet_names, job.id, actor)
            self.sheet = self.sheets[0] if self.sheets else ""
            if len(self.sheets) > 1:
                self.step = "sheet"
            else:
                await self._read_columns(actor)
        except CustomerAppError as exc:
            self._fail(str(exc), actor)
        finally:
            self.busy = False

    def _fail(self, message: str, actor: Actor) -> None:
        """Show why the file cannot be used and forget it (nothing was written)."""
        if self.job_id:
            with session_scope() as session:
                import_uploads.fail_upload(self.job_id, message, actor=actor, session=session)
        self._reset()
        self.error = message

    async def _read_columns(self, actor: Actor, header_line: int | None = None) -> None:
        found = await asyncio.to_thread(_read_columns, self.job_id, self.sheet, actor, header_line)
        self.headers, self.samples, self.mapping = found.headers, found.samples, found.mapping
        self.header_line = found.header_line
        self.header_rows = [{"value": str(line), "label": f"Row {line}: {text}"} for line, text in found.top_rows]
        self.remembered, self.field_options = found.remembered, options_for(found.targets)
        self.notice = found.notice
        self.match_on = match_key(self.mapping)  # an export coming back matches on our customer ID, the surest
        self.step = "map"

    @rx.event
    async def choose_sheet(self, sheet: str):
        """Use this sheet of the workbook."""
        if sheet not in self.sheets:
            return
        actor, refused = await actor_or_refusal(self, IMPORT)
        if actor is None:
            yield refused
            return
        self.sheet, self.busy = sheet, True
        yield
        try:
            await self._read_columns(actor)
        except CustomerAppError as exc:
            self._fail(str(exc), actor)
        finally:
            self.busy = False

    @rx.event
    async def choose_header_row(self, line: str):
        """Read the columns again with their names on another of the first rows (rows above it are ignored)."""
        chosen = whole_number(line)
        if chosen is None or str(chosen) not in {row["value"] for row in self.header_rows}:
            return  # clients can send anything; the offered rows are the only choices
        actor, refused = await actor_or_refusal(self, IMPORT)
        if actor is None:
            yield refused
            return
        self.busy, self.error = True, ""
        yield
        try:
            await self._read_columns(actor, chosen)
        except CustomerAppError as exc:
            self.error = str(exc)  # the file stays usable with the row it had
        finally:
            self.busy = False

    @rx.event
    def set_field(self, index: str, field: str):
        """Import column `index` into `field` ("skip" means not at all); the preview checks the field itself."""
        position = whole_number(index)
        if position is None or position >= len(self.mapping):
            return  # clients can send anything
        mapping = list(self.mapping)
        mapping[position] = SKIP if field == "skip" else str(field)[:100]
        self.mapping, self.error = mapping, ""
        if mapping[position] == "id" or self.match_on not in mapping:
            self.match_on = match_key(mapping)  # follow the ID column; never match on a column no longer mapped

    @rx.event
    def set_mode(self, mode: str):
        if mode in imports.MODES:
            self.mode = mode

    @rx.event
    def set_match_on(self, match_on: str):
        if match_on in MATCH_KEYS:
            self.match_on = match_on


def _sheet_names(job_id: int, actor: Actor) -> list[str]:
    """The upload's sheets, read on a worker thread (opening a big workbook takes a while)."""
    with session_scope() as session:
        return import_uploads.sheet_names(job_id, actor=actor, session=session)


def _read_columns(job_id: int, sheet: str, actor: Actor, header_line: int | None) -> import_uploads.SheetColumns:
    """The sheet's columns, read on a worker thread."""
    with session_scope() as session:
        return import_uploads.read_columns(job_id, sheet, actor=actor, session=session, header_line=header_line)
