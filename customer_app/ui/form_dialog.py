"""A pop-up holding one form: a title, the fields, and Cancel / Save."""

import reflex as rx


def form_dialog(
    title: rx.Var | str,
    *fields: rx.Component,
    on_submit: rx.EventHandler,
    form_key: rx.Var,
    open_: rx.Var,
    on_open_change: rx.EventHandler,
    submit_label: str = "Save",
) -> rx.Component:
    """Uncontrolled fields (typing costs no events), re-mounted through `form_key` each time the pop-up opens."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title),
            rx.form(
                rx.vstack(
                    *fields,
                    rx.flex(
                        rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray")),
                        rx.button(submit_label, type="submit"),
                        spacing="3",
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=on_submit,
                key=form_key,
                no_validate=True,
            ),
            max_width="560px",
        ),
        open=open_,
        on_open_change=on_open_change,
    )
