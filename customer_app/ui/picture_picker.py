"""A picture with a drop area to replace it and a way to remove it (the customer pop-up, the portal's profile)."""

import reflex as rx

IMAGE_TYPES = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"], "image/gif": [".gif"]}


def picture_picker(
    preview: rx.Component,
    *,
    upload_id: str,
    on_drop: rx.EventHandler,
    has_picture: rx.Var,
    on_remove: rx.EventHandler,
    error: rx.Var,
    drag_label: str | rx.Var = "Drag a picture here, or",
    upload_label: str | rx.Var = "Upload",
    remove_label: str | rx.Var = "Remove picture",
    hint: rx.Component | None = None,
) -> rx.Component:
    """The preview beside a drop area with an Upload button, the error under it, and Remove when there is one."""
    return rx.hstack(
        preview,
        rx.vstack(
            rx.upload.root(
                rx.vstack(
                    rx.text(drag_label, size="2", class_name="muted"),
                    rx.button(rx.icon("upload", size=14), upload_label, type="button", variant="soft", size="1"),
                    align="center",
                    spacing="1",
                ),
                id=upload_id,
                accept=IMAGE_TYPES,
                max_files=1,
                on_drop=on_drop,
                class_name="dropzone",
            ),
            hint or rx.fragment(),
            rx.cond(error, rx.text(error, color_scheme="red", size="1", role="alert")),
            rx.cond(
                has_picture,
                rx.button(
                    rx.icon("x", size=14),
                    remove_label,
                    type="button",
                    variant="ghost",
                    color_scheme="red",
                    size="1",
                    on_click=on_remove,
                ),
            ),
            spacing="1",
            align="start",
        ),
        spacing="4",
        align="center",
    )
