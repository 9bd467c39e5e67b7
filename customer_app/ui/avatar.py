"""A customer's picture thumbnail, or their initials when there is none."""

import reflex as rx


def avatar(thumb: rx.Var, initials: rx.Var, size: str = "2") -> rx.Component:
    """Round picture from the upload folder with an initials fallback."""
    return rx.avatar(
        src=rx.cond(thumb, rx.get_upload_url(thumb), ""),
        fallback=initials,
        size=size,
        radius="full",
    )
