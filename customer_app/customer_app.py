"""The Reflex app and its table of pages."""

import reflex as rx

from customer_app import routes
from customer_app.pages.customers import customers_page
from customer_app.state.customer_list import CustomerListState

app = rx.App(stylesheets=["/styles.css"])

PAGES = (
    (routes.HOME, "Customers", customers_page, CustomerListState.on_load),
    (routes.CUSTOMERS, "Customers", customers_page, CustomerListState.on_load),
)
for route, title, component, on_load in PAGES:
    app.add_page(component, route=route, title=f"{title} · Customer workspace", on_load=on_load)
