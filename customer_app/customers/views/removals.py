"""Trash's recent removals, each with Restore all, and the confirmation before restoring one."""

import reflex as rx

from customer_app.access.state.auth import AuthState
from customer_app.customers.state.customer_list import CustomerListState as S
from customer_app.ui.confirm_dialog import confirm_dialog


def _details(removal: rx.Var) -> rx.Var:
    """What else people should know: why (an import's undo) and how many are left, e.g. "1,150 still in Trash"."""
    both = (removal["label"] != "") & (removal["left"] != "")
    return removal["label"] + rx.cond(both, " · ", "") + removal["left"]


def _removal(removal: rx.Var) -> rx.Component:
    details = _details(removal)
    return rx.hstack(
        rx.icon("history", size=18, opacity="0.6", flex_shrink="0"),
        rx.box(
            # Who did it matters most: the summary wraps (to two lines at most) where the details are cut.
            rx.text(removal["summary"], weight="medium", size="2", class_name="clamp-2", title=removal["summary"]),
            rx.cond(details != "", rx.text(details, class_name="muted truncate", title=details)),
            min_width="0",
            flex="1",
        ),
        rx.cond(
            AuthState.can_edit,
            rx.button(
                rx.icon("undo-2", size=16),
                "Restore all",
                variant="soft",
                size="2",
                flex_shrink="0",
                on_click=S.ask_restore_removal(removal["id"]),
            ),
        ),
        align="center",
        spacing="3",
        width="100%",
        padding_y="6px",
        class_name="removal",
        data_testid="removal",
    )


def recent_removals() -> rx.Component:
    """In Trash: the newest Trash actions of several customers, so a mistaken one comes back in one action."""
    return rx.cond(
        (S.tab == "trash") & (S.removals.length() > 0),
        rx.box(
            rx.text("Recent removals", weight="bold", size="2", as_="div"),
            rx.foreach(S.removals, _removal),
            class_name="removals",
            role="region",
            aria_label="Recent removals",
            width="100%",
        ),
    )


def restore_removal_dialog() -> rx.Component:
    """Restore every customer of one removal still in Trash."""
    removal = S.restore_removal
    return confirm_dialog(
        open_=S.restore_id != "",
        title="Restore all?",
        body=rx.text(
            "Bring back the ",
            rx.text.strong(removal["count"]),
            " customer(s) still in Trash from this removal: ",
            removal["summary"],
            ". Customers someone already restored or deleted permanently are skipped.",
        ),
        on_open_change=S.set_restore_open,
        actions=[rx.button("Restore all", on_click=S.restore_removal_confirmed)],
    )
