"""The Sales tab: the customer's documents, buttons to start one of each kind, and the document editor."""

import reflex as rx

from customer_app.access.state.auth import AuthState
from customer_app.commerce.models import KINDS, STATUSES
from customer_app.commerce.state.sales import PDF_LINK_ID, DocumentRow, LineRow
from customer_app.commerce.state.sales import CustomerSalesState as S
from customer_app.ui.backend_url import download_link
from customer_app.ui.confirm_dialog import confirm_dialog
from customer_app.ui.form_field import form_field, textarea_field
from customer_app.ui.icon_action import icon_action

STATUS_COLORS = {
    "draft": "gray",
    "issued": "blue",
    "sent": "cyan",
    "accepted": "green",
    "declined": "amber",
    "cancelled": "red",
}


def _status(status: rx.Var, label: rx.Var) -> rx.Component:
    return rx.match(
        status, *[(key, rx.badge(label, color_scheme=color)) for key, color in STATUS_COLORS.items()], rx.badge(label)
    )


def _row(row: DocumentRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            # A button, not a link to "#": following "#" is a navigation, which reloads the page and shuts the editor.
            rx.button(
                row.number,
                on_click=S.open_document(row.id),
                variant="ghost",
                size="2",
                aria_label="Open " + row.number,
                class_name="link-button",
            )
        ),
        rx.table.cell(row.kind),
        rx.table.cell(_status(row.status, row.status_label)),
        rx.table.cell(row.date),
        rx.table.cell(row.total, text_align="right"),
        data_testid="document-row",
    )


def _line(line: LineRow) -> rx.Component:
    """A line as issued: text only."""
    return rx.table.row(
        rx.table.cell(line.description),
        rx.table.cell(line.quantity, text_align="right"),
        rx.table.cell(line.unit_price, text_align="right"),
        rx.table.cell(line.discount, text_align="right"),
        rx.table.cell(line.tax_rate, text_align="right"),
        rx.table.cell(line.net, text_align="right"),
        rx.table.cell(),
        data_testid="document-line",
    )


def _cell_input(line: LineRow, field: str, label: str, value: rx.Var, **props) -> rx.Component:
    """An input of a draft's line: saved after a pause in typing and when leaving it; a bad value says why below."""
    error = S.line_errors[line.id + ":" + field]
    return rx.table.cell(
        rx.input(
            default_value=value,
            on_change=S.edit_line(line.id, field).debounce(500),
            on_blur=S.edit_line(line.id, field),
            aria_label=label + " of " + line.description,
            aria_invalid=rx.cond(error, "true", "false"),
            size="1",
            **props,
        ),
        rx.cond(error, rx.text(error, color_scheme="red", size="1", role="alert", max_width="180px")),
    )


def _draft_line(line: LineRow, index: rx.Var) -> rx.Component:
    """A draft's line, edited in place; arrows move it, the cross takes it off."""
    last = S.editor.lines.length() - 1
    return rx.table.row(
        _cell_input(line, "description", "Description", line.description, min_width="220px"),
        _cell_input(
            line, "quantity", "Quantity", line.quantity, input_mode="decimal", width="80px", text_align="right"
        ),
        _cell_input(
            line, "unit_price", "Unit price", line.unit_price, input_mode="decimal", width="100px", text_align="right"
        ),
        _cell_input(
            line, "discount", "Discount %", line.discount_value, input_mode="decimal", width="70px", text_align="right"
        ),
        rx.table.cell(
            rx.el.select(
                rx.foreach(S.item_classes, lambda c: rx.el.option(c.label, value=c.id)),
                default_value=line.tax_class,
                on_change=S.edit_line(line.id, "tax_class"),
                aria_label="Tax class of " + line.description,
                class_name="native-select",
            ),
            rx.text(line.tax_rate, size="1", class_name="muted"),
            rx.cond(
                S.line_errors[line.id + ":tax_class"],
                rx.text(S.line_errors[line.id + ":tax_class"], color_scheme="red", size="1", role="alert"),
            ),
        ),
        rx.table.cell(line.net, text_align="right", data_testid="line-net"),
        rx.table.cell(
            rx.hstack(
                icon_action(
                    "arrow-up", "Move " + line.description + " up", S.move_line(line.id, -1), disabled=index == 0
                ),
                icon_action(
                    "arrow-down", "Move " + line.description + " down", S.move_line(line.id, 1), disabled=index == last
                ),
                icon_action("x", "Remove " + line.description, S.remove_line(line.id), color_scheme="red"),
                spacing="2",
                justify="end",
            )
        ),
        key=line.id,  # the inputs keep what is typed in them when lines move
        data_testid="document-line",
    )


def _delivery() -> rx.Component:
    """A draft's addresses, destination country and shipping method, as a form saved together."""
    return rx.form(
        rx.grid(
            textarea_field("Bill to", "billing_address", S.editor.billing_address, S.errors["billing_address"]),
            textarea_field("Ship to", "shipping_address", S.editor.shipping_address, S.errors["shipping_address"]),
            form_field(
                "Ship to country",
                "destination_country",
                S.editor.destination_country,
                S.errors["destination_country"],
                max_length=60,
            ),
            rx.box(
                rx.el.label("Shipping method", html_for="field-shipping_method", class_name="field-label"),
                rx.el.select(
                    rx.el.option("None", value=""),
                    rx.foreach(S.shipping_methods, lambda c: rx.el.option(c.label, value=c.id)),
                    id="field-shipping_method",
                    name="shipping_method",
                    default_value=S.method_choice,
                    class_name="native-select",
                ),
                rx.cond(
                    S.errors["shipping_method"],
                    rx.text(S.errors["shipping_method"], color_scheme="red", size="1", role="alert"),
                ),
                class_name="field",
            ),
            columns="2",
            gap="12px",
            width="100%",
        ),
        rx.flex(rx.button("Save addresses", type="submit", variant="soft"), justify="end", margin_top="8px"),
        key=S.editor.id + "-" + S.form_key.to_string(),
        on_submit=S.save_delivery,
        reset_on_submit=False,
        no_validate=True,
    )


def _delivery_text() -> rx.Component:
    """An issued document's (or a reader's) addresses and shipping method, as text."""
    return rx.grid(
        rx.box(
            rx.text("Bill to", class_name="field-label"),
            rx.text(S.editor.billing_address, class_name="note-body"),
        ),
        rx.box(
            rx.text("Ship to", class_name="field-label"),
            rx.text(S.editor.shipping_address, class_name="note-body"),
            rx.cond(
                S.editor.shipping_method != "",
                rx.text("Shipping method: ", S.editor.shipping_method, size="2", class_name="muted"),
            ),
        ),
        columns="2",
        gap="16px",
    )


def _add_line() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.box(form_field("Description", "description", "", S.errors["description"], required=True), flex="3"),
            rx.box(form_field("Quantity", "quantity", "1", S.errors["quantity"], input_mode="decimal"), flex="1"),
            rx.box(form_field("Unit price", "unit_price", "", S.errors["unit_price"], input_mode="decimal"), flex="1"),
            rx.box(form_field("Discount %", "discount", "", S.errors["discount"], input_mode="decimal"), flex="1"),
            rx.button("Add line", type="submit", variant="soft"),
            gap="8px",
            align="end",
            wrap="wrap",
        ),
        key=S.form_key.to_string(),
        on_submit=S.add_line,
        reset_on_submit=False,
        no_validate=True,
    )


def _exchange_rate() -> rx.Component:
    """The rate to the base currency a draft would be issued at (or an issued one was), and a warning when it is old."""
    return rx.fragment(
        rx.cond(S.editor.rate, rx.text(S.editor.rate, size="2", class_name="muted", data_testid="document-rate")),
        rx.cond(
            S.editor.rate_warning,
            rx.callout(S.editor.rate_warning, icon="clock", color_scheme="amber", data_testid="document-rate-warning"),
        ),
    )


def _editor() -> rx.Component:
    draft = S.editor.status == "draft"
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(S.editor.title),
            rx.cond(draft & AuthState.can_edit, _delivery(), _delivery_text()),
            rx.cond(
                S.editor.income_account != "",
                rx.text("Income account: ", S.editor.income_account, size="2", class_name="muted"),
            ),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in ("Description", "Qty", "Unit price", "Discount", "Tax", "Net", "")
                        ]
                    )
                ),
                rx.table.body(
                    rx.cond(
                        draft & AuthState.can_edit,
                        rx.foreach(S.editor.lines, _draft_line),
                        rx.foreach(S.editor.lines, _line),
                    )
                ),
                width="100%",
                margin_y="12px",
            ),
            rx.cond(draft & AuthState.can_edit, _add_line()),
            rx.hstack(
                rx.cond(
                    draft & AuthState.can_edit,
                    rx.el.label(
                        rx.checkbox(
                            checked=S.editor.prices_include_tax,
                            on_change=S.set_prices_include_tax,
                            aria_label="Prices include tax",
                        ),
                        "Prices include tax",
                        class_name="checkbox-label",
                    ),
                    rx.cond(S.editor.prices_include_tax, rx.text("Prices include tax", size="2")),
                ),
                rx.text(S.editor.tax_rounding, size="2", class_name="muted"),
                spacing="4",
                align="center",
                margin_top="8px",
            ),
            rx.foreach(S.editor.warnings, lambda w: rx.callout(w, icon="triangle-alert", color_scheme="amber")),
            _exchange_rate(),
            rx.cond(S.editor.links.length() > 0, rx.text(S.editor.links.join(" · "), size="2", class_name="muted")),
            rx.vstack(
                rx.text("Net ", S.editor.net),
                rx.text("Tax ", S.editor.tax),
                rx.text("Total ", rx.text.strong(S.editor.gross), data_testid="document-total"),
                align="end",
                spacing="1",
                margin_top="12px",
            ),
            rx.flex(
                rx.cond(
                    draft & AuthState.can_edit,
                    rx.button("Delete draft", variant="soft", color_scheme="red", on_click=S.delete_draft),
                ),
                rx.cond(
                    AuthState.can_edit,
                    rx.fragment(
                        rx.foreach(
                            S.editor.conversions,
                            lambda pair: rx.button(
                                "Make " + pair[1].lower(), variant="soft", on_click=S.convert(pair[0])
                            ),
                        ),
                        rx.cond(
                            S.editor.status != "draft",
                            rx.button(rx.icon("mail", size=16), "E-mail", variant="soft", on_click=S.send),
                        ),
                        rx.cond(
                            S.editor.can_credit,
                            rx.fragment(
                                rx.button("Credit note", variant="soft", on_click=S.credit),
                                rx.button(
                                    "Void", variant="soft", color_scheme="red", on_click=S.set_confirm_void(True)
                                ),
                            ),
                        ),
                    ),
                ),
                rx.cond(
                    S.pdf_url != "",
                    download_link("Download PDF", S.pdf_url, holder=AuthState.auth_token, link_id=PDF_LINK_ID),
                ),
                rx.button(
                    rx.icon("file-text", size=16),
                    "PDF",
                    variant="soft",
                    on_click=S.prepare_pdf,
                    loading=S.pdf_busy,
                    aria_label="PDF of this document",
                ),
                rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                rx.cond(
                    draft & AuthState.can_edit,
                    rx.button("Issue", on_click=S.issue, disabled=S.editor.warnings.length() > 0),
                ),
                gap="8px",
                justify="end",
                margin_top="16px",
            ),
            confirm_dialog(
                open_=S.confirm_void,
                title="Void this invoice?",
                body="A credit note for the whole invoice is issued with its own number, and the invoice is "
                "cancelled. Both stay on record.",
                on_open_change=S.set_confirm_void,
                actions=[rx.button("Void invoice", color_scheme="red", on_click=S.void)],
            ),
            max_width="1040px",
        ),
        open=S.editor_open,
        on_open_change=S.set_editor_open,
    )


def sales_tab() -> rx.Component:
    """All of the customer's documents, and a way to start each kind."""
    return rx.vstack(
        rx.cond(
            AuthState.can_edit,
            rx.flex(
                *[
                    rx.button(
                        rx.icon("plus", size=14),
                        f"New {label.lower()}",
                        size="2",
                        variant="soft",
                        on_click=S.new_document(kind),
                    )
                    for kind, label in KINDS.items()
                    if kind != "credit_note"
                ],
                gap="8px",
                wrap="wrap",
            ),
        ),
        rx.flex(
            rx.el.select(
                rx.el.option("All kinds", value=""),
                *[rx.el.option(label, value=kind) for kind, label in KINDS.items()],
                value=S.kind_filter,
                on_change=S.set_kind_filter,
                aria_label="Kind",
                class_name="native-select",
            ),
            rx.el.select(
                rx.el.option("Any status", value=""),
                *[rx.el.option(label, value=status) for status, label in STATUSES.items()],
                value=S.status_filter,
                on_change=S.set_status_filter,
                aria_label="Status",
                class_name="native-select",
            ),
            rx.input(
                placeholder="Number",
                on_change=S.search_number.debounce(300),
                aria_label="Search by number",
                max_length=40,
            ),
            gap="8px",
            wrap="wrap",
        ),
        rx.cond(
            S.rows.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[rx.table.column_header_cell(h) for h in ("Number", "Kind", "Status", "Date", "Total")]
                    )
                ),
                rx.table.body(rx.foreach(S.rows, _row)),
                width="100%",
            ),
            rx.text("No documents yet.", class_name="empty-state"),
        ),
        _editor(),
        spacing="3",
        width="100%",
    )
