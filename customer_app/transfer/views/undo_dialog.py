"""The undo confirmation: what will be reverted, and who changed what since the import."""

import reflex as rx

from customer_app.transfer.state.import_history import ImportHistoryState as S
from customer_app.ui.confirm_dialog import confirm_dialog


def undo_dialog() -> rx.Component:
    """Undo, leaving later changes alone; or undo everything, overwriting them."""
    conflicts = rx.vstack(
        rx.text(
            S.conflict_count.to_string()
            + " customer(s) were changed by someone after the import. They are left alone unless you choose "
            "“Undo everything”.",
            weight="medium",
        ),
        rx.el.ul(rx.foreach(S.conflicts, lambda line: rx.el.li(line)), class_name="conflict-list"),
        spacing="2",
    )
    return confirm_dialog(
        open_=S.undo_open,
        title="Undo this import?",
        body=rx.vstack(
            rx.text(
                "Customers the import created move to Trash (they can be restored from there); "
                "fields it changed get their previous values."
            ),
            rx.cond(S.conflict_count > 0, conflicts),
            spacing="3",
        ),
        on_open_change=S.set_undo_open,
        actions=[
            rx.cond(
                S.conflict_count > 0,
                rx.button("Undo everything", color_scheme="red", variant="soft", on_click=S.undo(True)),
            ),
            rx.button(
                rx.cond(S.conflict_count > 0, "Undo the rest", "Undo import"),
                color_scheme="red",
                on_click=S.undo(False),
                loading=S.undo_busy,
            ),
        ],
    )
