"""A confirmation dialog for destructive actions."""

import reflex as rx


def confirm_dialog(
    *,
    open_: rx.Var,
    title: str | rx.Var,
    body: rx.Component | str | rx.Var,
    on_open_change: rx.EventHandler,
    actions: list[rx.Component],
    cancel_label: str | rx.Var = "Cancel",
) -> rx.Component:
    """An alert dialog: a title, an explanation, a cancel button and the given action buttons.

    `on_open_change` receives False when the dialog is dismissed (button, Escape).
    """
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(body),
            rx.flex(
                rx.alert_dialog.cancel(rx.button(cancel_label, variant="soft", color_scheme="gray")),
                *actions,
                spacing="3",
                justify="end",
                margin_top="16px",
                wrap="wrap",
            ),
            max_width="520px",
        ),
        open=open_,
        on_open_change=on_open_change,
    )
