"""Keyboard shortcuts of the staff pages, their help pop-up, and focus that comes back when a pop-up closes."""

import reflex as rx

SEARCH = "/"  # focuses the page's search box (the first input of type search)
NEW_CUSTOMER = "n"  # clicks what is marked with it: the New Customer button, present only for who may create
HELP = "?"  # opens the list of shortcuts

# Each shortcut clicks (or focuses) the element marked data-shortcut="<key>", so a page offers a shortcut only when
# it shows that element, and a person who may not create customers never has one to press.
# Radix gives focus back to a pop-up's trigger, but a pop-up opened from state (New Customer) has none: the script
# remembers the last element focused outside any pop-up and returns there when the last pop-up goes and focus was
# left on the page's body. Its timer runs after Radix's own, which may already have placed focus.
KEYS_SCRIPT = """
if (!window.__workspaceKeys) {
  window.__workspaceKeys = true;
  const POPUP = '[role="dialog"], [role="alertdialog"], [role="menu"], [role="listbox"]';
  const OPEN = ':is(' + POPUP + '):not([data-state="closed"])';  // one fading out no longer holds the keys
  const typing = (el) => el.isContentEditable || el.closest('input, textarea, select');
  let lastOutside = null;
  let opener = null;
  document.addEventListener('focusin', (event) => {
    if (!event.target.closest(POPUP)) lastOutside = event.target;
  });
  new MutationObserver(() => {
    const open = document.querySelector(POPUP) !== null;
    if (open && !opener) opener = lastOutside;
    if (!open && opener) {
      const back = opener;
      opener = null;
      setTimeout(() => {
        const lost = !document.activeElement || document.activeElement === document.body;
        if (lost && back.isConnected) back.focus();
      }, 0);
    }
  }).observe(document.body, {childList: true, subtree: true});
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (!(event.target instanceof Element) || typing(event.target)) return;
    if (document.querySelector(OPEN)) return;
    const marked = document.querySelector('[data-shortcut="' + CSS.escape(event.key) + '"]');
    const target = marked || (event.key === '/' ? document.querySelector('input[type="search"]') : null);
    if (!target) return;
    event.preventDefault();
    if (target.matches('input')) { target.focus(); target.select(); } else { target.click(); }
  });
}
"""

SHORTCUTS = (
    (SEARCH, "Search customers"),
    (NEW_CUSTOMER, "New customer"),
    ("j / k", "Next / previous customer, on a customer's page"),
    ("Esc", "Close the pop-up"),
    (HELP, "Show these shortcuts"),
)


def shortcut(key: str) -> dict:
    """Props that mark an element as the target of a key (pass as **shortcut("n"))."""
    return {"custom_attrs": {"data-shortcut": key, "aria-keyshortcuts": key}}


def keyboard_support() -> rx.Component:
    """The script behind the shortcuts and the focus return; once per page."""
    return rx.script(KEYS_SCRIPT)


def _row(key: str, what: str) -> rx.Component:
    return rx.el.tr(rx.el.td(rx.el.kbd(key, class_name="kbd")), rx.el.td(what))


def shortcuts_help() -> rx.Component:
    """A "?" button in the header that lists the shortcuts; the "?" key opens it too."""
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.icon_button(
                rx.icon("keyboard", size=16),
                variant="ghost",
                color_scheme="gray",
                size="2",
                aria_label="Keyboard shortcuts",
                title="Keyboard shortcuts (?)",
                **shortcut(HELP),
            )
        ),
        rx.dialog.content(
            rx.dialog.title("Keyboard shortcuts"),
            rx.dialog.description("They work when you are not typing in a field.", size="2", class_name="muted"),
            rx.el.table(rx.el.tbody(*[_row(key, what) for key, what in SHORTCUTS]), class_name="shortcut-table"),
            rx.flex(rx.dialog.close(rx.button("Close", variant="soft")), justify="end", margin_top="16px"),
            max_width="440px",
        ),
    )
