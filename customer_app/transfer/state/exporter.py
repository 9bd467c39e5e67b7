"""The Export pop-up: format, scope and columns (chosen and ordered), saved configurations, progress, download."""

import asyncio
import json
import logging

import reflex as rx
from sqlmodel import Session

from customer_app.access.downloads import create_link
from customer_app.access.state.auth import actor_or_refusal
from customer_app.core import jobs
from customer_app.core.db import session_scope
from customer_app.core.permissions import Actor
from customer_app.customers.state.customer_list import CustomerListState
from customer_app.errors import CustomerAppError
from customer_app.transfer import export, export_configs, export_jobs
from customer_app.transfer.columns import COLUMNS, DEFAULT_COLUMNS, custom_columns
from customer_app.transfer.export import ExportScope
from customer_app.ui.parsing import parse_ids

EXPORT = "customer.export"
POLL_SECONDS = 0.3
log = logging.getLogger(__name__)
CHOOSABLE = [key for key in DEFAULT_COLUMNS if key != "id"]  # the customer ID is always written first
BUILT_IN = {key: COLUMNS[key].header for key in CHOOSABLE}


def _columns(chosen: list[str], available: dict[str, str] = BUILT_IN) -> list[dict[str, str]]:
    """Chosen columns in their order, then the others, each with its header and whether it is on.

    `available` maps each column that can be chosen to its header (custom field columns come after the built-in).
    """
    order = [key for key in chosen if key in available] + [key for key in available if key not in chosen]
    return [{"key": key, "label": available[key], "on": "yes" if key in chosen else ""} for key in order]


def _available(actor: Actor, session: Session) -> dict[str, str]:
    """Every column the pop-up offers, with its header: the built-in ones, then a column per custom field."""
    return BUILT_IN | {key: column.header for key, column in custom_columns(actor=actor, session=session).items()}


class ExportState(rx.State):
    """One admin's export pop-up and the export it is running."""

    open: bool = False
    file_format: str = "xlsx"
    scope: str = "view"
    columns: list[dict[str, str]] = _columns(CHOOSABLE)
    configs: list[dict[str, str]] = []
    config_name: str = ""
    error: str = ""
    running: bool = False
    done_rows: int = 0
    total_rows: int = 0
    download_url: str = ""
    download_label: str = ""
    selected_count: int = 0

    @rx.var
    def percent(self) -> int:
        return int(self.done_rows * 100 / self.total_rows) if self.total_rows else 0

    @rx.var
    def scope_options(self) -> list[list[str]]:
        """Scopes with their labels (selected rows only when some are selected)."""
        options = [["view", export_configs.SCOPES["view"]]]
        if self.selected_count:
            options.append(["selected", f"{export_configs.SCOPES['selected']} ({self.selected_count})"])
        return [*options, ["all", export_configs.SCOPES["all"]]]

    def _chosen(self) -> list[str]:
        return [c["key"] for c in self.columns if c["on"]]

    @rx.event
    async def open_dialog(self):
        """Open the pop-up with the saved configurations."""
        actor, refused = await actor_or_refusal(self, EXPORT)
        if actor is None:
            return refused
        listing = await self.get_state(CustomerListState)
        self.selected_count = len(listing.selected)
        if self.scope == "selected" and not self.selected_count:
            self.scope = "view"
        self._load_configs(actor)
        with session_scope() as session:
            available = _available(actor, session)
        # Keep the order and choice made so far; custom fields added since come last, not chosen.
        shown = [c["key"] for c in self.columns if c["key"] in available]
        self.columns = _columns(self._chosen(), {key: available[key] for key in [*shown, *available]})
        self.open, self.error, self.download_url = True, "", ""
        return None

    def _load_configs(self, actor: Actor) -> None:
        with session_scope() as session:
            self.configs = [
                {"id": str(c.id), "name": c.name} for c in export_configs.list_configs(actor=actor, session=session)
            ]

    @rx.event
    def set_open(self, is_open: bool):
        self.open = is_open

    @rx.event
    def set_format(self, value: str):
        if value in export.FORMATS:
            self.file_format = value

    @rx.event
    def set_scope(self, value: str):
        if value in export_configs.SCOPES:
            self.scope = value

    @rx.event
    def toggle_column(self, key: str):
        self.columns = [c | {"on": "" if c["on"] else "yes"} if c["key"] == key else c for c in self.columns]

    @rx.event
    def move_column(self, key: str, step: int):
        """Move a column up (-1) or down (+1) in the file's order."""
        keys = [c["key"] for c in self.columns]
        i = keys.index(key) if key in keys else -1
        j = i + int(step)
        if i < 0 or not 0 <= j < len(keys):
            return
        columns = list(self.columns)
        columns[i], columns[j] = columns[j], columns[i]
        self.columns = columns

    @rx.event
    def set_config_name(self, value: str):
        self.config_name = value[:100]  # the longest name a configuration keeps; clients can send any length

    @rx.event
    async def save_config(self):
        """Save the current choice under the typed name (the same name overwrites)."""
        actor, refused = await actor_or_refusal(self, EXPORT)
        if actor is None:
            return refused
        try:
            with session_scope() as session:
                config = export_configs.save_config(
                    self.config_name, self.file_format, self.scope, self._chosen(), actor=actor, session=session
                )
                name = config.name
        except CustomerAppError as exc:
            self.error = "; ".join(getattr(exc, "errors", {}).values()) or str(exc)
            return None
        self._load_configs(actor)
        self.error = ""
        return rx.toast.success(f"Saved the export configuration “{name}”.")

    @rx.event
    async def use_config(self, config_id: str):
        """Fill the pop-up from a saved configuration."""
        actor, refused = await actor_or_refusal(self, EXPORT)
        if actor is None:
            return refused
        with session_scope() as session:
            chosen = next(
                (c for c in export_configs.list_configs(actor=actor, session=session) if str(c.id) == config_id), None
            )
        if chosen is None:
            return None
        self.file_format, self.config_name = chosen.file_format, chosen.name
        self.scope = chosen.scope if chosen.scope != "selected" or self.selected_count else "view"
        with session_scope() as session:
            self.columns = _columns(json.loads(chosen.columns), _available(actor, session))
        return None

    @rx.event
    async def delete_config(self, config_id: str):
        actor, refused = await actor_or_refusal(self, EXPORT)
        if actor is None:
            return refused
        with session_scope() as session:
            for config in parse_ids([config_id]):
                export_configs.delete_config(config, actor=actor, session=session)
        self._load_configs(actor)
        return None

    @rx.event(background=True)
    async def start_export(self):
        """Queue the export, show its progress while a job worker writes it, then offer it for download."""
        async with self:
            actor, refused = await actor_or_refusal(self, EXPORT)
            if actor is None:
                return refused
            listing = await self.get_state(CustomerListState)
            view = listing._query()
            scope = {
                "view": ExportScope(
                    tab=view.tab, search=view.search, group_id=view.group_id, tag=view.tag, flags=view.flags
                ),
                "selected": ExportScope(ids=tuple(parse_ids(listing.selected)) or (0,)),
                "all": ExportScope(),
            }[self.scope]
            try:
                with session_scope() as session:
                    queued = export_jobs.start(scope, self._chosen(), self.file_format, actor=actor, session=session)
            except CustomerAppError as exc:
                self.error = "; ".join(getattr(exc, "errors", {}).values()) or str(exc)
                return None
            file_format = self.file_format
            self.running, self.error, self.done_rows, self.download_url = True, "", 0, ""
        while (job := jobs.current(queued.id)) is not None and job.status not in jobs.ENDED:
            async with self:
                self.done_rows, self.total_rows = job.done, job.total
            await asyncio.sleep(POLL_SECONDS)
        written = export_jobs.written_file(job, actor=actor) if job is not None else None
        async with self:
            self.running = False
            if written is None:
                log.error("Export job %s failed: %s", queued.id, job.message if job is not None else "lost")
                self.error = "The export failed. Try again; if it fails again, tell an admin."
                return None
            path, count = written
            with session_scope() as session:
                self.download_url = create_link(path, f"customers.{file_format}", actor=actor, session=session)
            self.done_rows = self.total_rows = count
            noun = "customer" if count == 1 else "customers"
            self.download_label = f"Download {count:,} {noun} (.{file_format})"
        # Start the download at once; the link stays in the pop-up in case the browser blocks it.
        return rx.call_script("document.getElementById('export-download')?.click()")
