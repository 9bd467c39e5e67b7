"""The audit log: filters above a table of events, page navigation below."""

import reflex as rx

from customer_app.admin.state.audit_log import AuditLogState as S
from customer_app.audit.queries import ACTION_LABELS
from customer_app.ui.change_list import change_list
from customer_app.ui.pager import pager


def _labelled(label: str, field_id: str, control: rx.Component) -> rx.Component:
    return rx.box(rx.el.label(label, html_for=field_id, class_name="field-label"), control, class_name="field")


def audit_filters() -> rx.Component:
    """Who (part of an e-mail), Action, From and To days (UTC)."""
    return rx.flex(
        _labelled(
            "Who",
            "audit-who",
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                id="audit-who",
                type="search",
                value=S.who,
                placeholder="Part of an e-mail",
                max_length=100,
                on_change=S.set_who.debounce(300),
                width="240px",
            ),
        ),
        _labelled(
            "Action",
            "audit-action",
            rx.el.select(
                rx.el.option("All actions", value=""),
                *[rx.el.option(label, value=key) for key, label in ACTION_LABELS.items()],
                id="audit-action",
                value=S.action,
                on_change=S.set_action,
                class_name="native-select",
            ),
        ),
        _labelled("From", "audit-since", rx.input(id="audit-since", type="date", value=S.since, on_change=S.set_since)),
        _labelled("To", "audit-until", rx.input(id="audit-until", type="date", value=S.until, on_change=S.set_until)),
        rx.cond(
            S.filtered,
            rx.button(
                rx.icon("x", size=14), "Clear filters", variant="soft", color_scheme="gray", on_click=S.clear_filters
            ),
        ),
        spacing="3",
        align="end",
        wrap="wrap",
        width="100%",
    )


def _action_badge(row: rx.Var) -> rx.Component:
    return rx.match(
        row.tone,
        ("red", rx.badge(row.action, color_scheme="red", variant="soft")),
        ("green", rx.badge(row.action, color_scheme="green", variant="soft")),
        rx.badge(row.action, color_scheme="gray", variant="soft"),
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row.when, class_name="nowrap")),
        rx.table.cell(
            rx.text(row.who, class_name="truncate", title=row.who),
            rx.cond(
                row.who_email != "", rx.text(row.who_email, size="1", class_name="muted truncate", title=row.who_email)
            ),
        ),
        rx.table.cell(_action_badge(row)),
        rx.table.cell(rx.text(row.what, class_name="wrap-anywhere")),
        rx.table.cell(change_list(row.changes)),
        data_testid="audit-row",
    )


def _empty() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("scroll-text", size=36, opacity="0.4"),
            rx.cond(S.filtered, rx.text("No events match these filters."), rx.text("Nothing has been recorded yet.")),
            rx.cond(S.filtered, rx.button("Clear filters", variant="soft", on_click=S.clear_filters)),
            align="center",
        ),
        padding="48px",
        class_name="empty-state",
    )


def audit_table() -> rx.Component:
    """One page of events, newest first, or an empty state."""
    return rx.cond(
        S.rows.length() > 0,
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[rx.table.column_header_cell(h) for h in ("When (UTC)", "Who", "Action", "What", "Changes")]
                    )
                ),
                rx.table.body(rx.foreach(S.rows, _row)),
                variant="surface",
                size="1",
                class_name="audit-table",
                aria_label="Audit log",
            ),
            overflow_x="auto",
            width="100%",
        ),
        _empty(),
    )


def audit_log() -> rx.Component:
    """Filters, table and paging."""
    return rx.vstack(
        audit_filters(),
        audit_table(),
        pager(
            page=S.page,
            page_count=S.page_count,
            range_label=S.range_label,
            on_page=S.go_to_page,
            page_size=S.page_size,
            on_page_size=S.set_page_size,
            id_prefix="audit-page",
        ),
        width="100%",
        spacing="3",
    )
