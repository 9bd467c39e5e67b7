"""The portal's frame: the customer's name, the sections it may open, the language and customer switchers."""

import reflex as rx

from customer_app import routes
from customer_app.portal.state.portal import PortalState as P
from customer_app.portal.state.portal import tr
from customer_app.ui.keyboard import keyboard_support

SECTION_ROUTES = {
    "profile": routes.PORTAL_PROFILE,
    "tickets": routes.PORTAL_TICKETS,
    "documents": routes.PORTAL_DOCUMENTS,
    "invoices": routes.PORTAL_INVOICES,
    "estimates": routes.PORTAL_ESTIMATES,
    "sales_orders": routes.PORTAL_ORDERS,
    "payments": routes.PORTAL_PAYMENTS,
}


def language_switcher() -> rx.Component:
    """A drop-down of the languages the portal speaks."""
    return rx.el.select(
        rx.foreach(P.languages, lambda pair: rx.el.option(pair[1], value=pair[0])),
        value=P.language,
        on_change=P.set_language,
        aria_label=tr("Language"),
        class_name="native-select",
    )


def _customer_switcher() -> rx.Component:
    """The customer this browser works for; a drop-down when the account may work for several."""
    return rx.cond(
        P.customers.length() > 1,
        rx.el.select(
            rx.foreach(P.customers, lambda c: rx.el.option(c.name, value=c.id)),
            value=P.customer_id,
            on_change=P.switch_customer,
            aria_label=tr("Customer"),
            class_name="native-select",
        ),
        rx.text(P.customer_name, weight="bold", class_name="truncate"),
    )


def _nav_link(pair: rx.Var) -> rx.Component:
    href = rx.match(pair[0], *SECTION_ROUTES.items(), routes.PORTAL)
    return rx.link(pair[1], href=href, class_name="portal-nav-link")


def portal_frame(*content: rx.Component) -> rx.Component:
    """A signed-in portal page: header with navigation, then the content."""
    return rx.box(
        rx.el.header(
            rx.flex(
                rx.hstack(rx.icon("building-2", size=20), _customer_switcher(), align="center", spacing="2"),
                rx.el.nav(
                    rx.link(tr("Dashboard"), href=routes.PORTAL, class_name="portal-nav-link"),
                    rx.foreach(P.nav, _nav_link),
                    class_name="portal-nav",
                    aria_label=tr("Portal"),
                ),
                rx.hstack(
                    language_switcher(),
                    rx.cond(~P.previewing, rx.button(tr("Sign out"), variant="soft", size="2", on_click=P.sign_out)),
                    align="center",
                    spacing="2",
                ),
                wrap="wrap",
                gap="12px",
                justify="between",
                align="center",
            ),
            class_name="portal-header",
        ),
        rx.cond(
            P.previewing,
            rx.callout.root(
                rx.callout.text(
                    "Preview: the portal as the people of ",
                    rx.text.strong(P.customer_name),
                    " see it. Nothing can be changed here.",
                ),
                rx.button("Leave preview", size="1", variant="soft", on_click=P.end_preview),
                color_scheme="amber",
                role="status",
                class_name="portal-preview",
            ),
        ),
        rx.el.main(*content, class_name="portal-main", data_hydrated=rx.State.is_hydrated.to_string()),
        keyboard_support(),  # focus comes back to what opened a pop-up
        lang=P.language,
    )
