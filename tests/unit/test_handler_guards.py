"""Never trust the client: every public method of a state is an event handler, and every handler checks who asks.

Reflex turns every public method of a state into a handler any browser can call, so helpers must be private, and
each handler must call one of the helpers that check the signed-in person's role (GUARDS), itself or through a
method of its state that does. The few handlers that need no check are listed below with the reason.
"""

import ast
import inspect
import textwrap
from collections.abc import Callable

import reflex as rx
from reflex_base.event import EventHandler

import customer_app.customer_app  # noqa: F401  (defines every state of the app)
from customer_app.access.state.auth import act_as, actor_for, actor_or_refusal, live_viewer
from customer_app.admin.state.settings_change import apply_change
from customer_app.portal.state.portal import portal_act, portal_scope, portal_scope_or_refusal

# The helpers that check who is asking; each ends in actor_for (staff) or portal_scope (the portal's people), as a
# test below makes sure.
BASE_GUARDS: tuple[Callable, ...] = (actor_for, portal_scope)
PORTAL_GUARDS: tuple[Callable, ...] = (portal_scope, portal_act, portal_scope_or_refusal)
GUARDS: tuple[Callable, ...] = (actor_for, act_as, actor_or_refusal, live_viewer, apply_change, *PORTAL_GUARDS)

# Handlers that may skip the check, grouped by why.
UNCHECKED = {
    # People who are not signed in use them: they sign in, set up the first account or use an e-mailed link,
    # and the services check the password, that no account exists yet, or the link's token.
    "signed-out pages": {
        "SignInState.on_login_load",
        "SignInState.sign_in",
        "SignInState.on_setup_load",
        "SignInState.create_admin",
        "SignInState.request_reset",
        "SignInState.on_link_load",
        "SignInState.set_password",
        "PortalSignInState.on_login_load",
        "PortalSignInState.sign_in",
        "PortalSignInState.request_reset",
        "PortalSignInState.on_link_load",
        "PortalSignInState.renew_link",
        "PortalSignInState.use_link",
        "PortalProfileState.confirm_email",
    },
    # Ends this browser's own session: the token it holds is all it can act on.
    "own session": {"AuthState.sign_out", "PortalState.sign_out"},
    # The language the tab speaks; a signed-in portal account keeps it (its own token is all it can act on).
    "own language": {"PortalState.set_language"},
    # Open or close a pop-up or confirmation, or change a field of the form, on what the page already shows;
    # whatever is then saved goes through a checked handler.
    "pop-ups and form fields": {
        "CustomFieldsAdminState.open_new",
        "CustomFieldsAdminState.open_edit",
        "CustomFieldsAdminState.set_form_open",
        "CustomFieldsAdminState.set_field_type",
        "CustomFieldsAdminState.ask_remove",
        "CustomFieldsAdminState.set_confirm_open",
        "GroupsAdminState.open_rename",
        "GroupsAdminState.set_rename_open",
        "GroupsAdminState.ask_remove",
        "GroupsAdminState.set_confirm_open",
        "SalesListsState.open_account",
        "SalesListsState.set_account_open",
        "SalesListsState.open_method",
        "SalesListsState.set_method_open",
        "StaffAdminState.set_confirm_open",
        "CustomerListState.ask_delete",
        "CustomerListState.cancel_confirm",
        "CustomerListState.set_confirm_open",
        "CustomerListState.open_bulk",
        "CustomerListState.ask_purge_selected",
        "CustomerListState.ask_restore_removal",
        "CustomerListState.set_restore_open",
        "CustomerFormState.set_kind",
        "CustomerFormState.set_open",
        "CustomerFormState.cancel",
        "CustomerFormState.remove_picture",
        "CustomerDetailState.set_delete_open",
        "CustomerNotesState.ask_delete",
        "CustomerPortalState.ask_revoke",
        "CustomerSalesState.set_editor_open",
        "CustomerSalesState.set_confirm_void",
        "CustomerInvoicesState.open_payment",
        "CustomerInvoicesState.set_pay_open",
        "CustomerInvoicesState.open_refund",
        "CustomerInvoicesState.set_refund_open",
        "CustomerSalesTaxState.set_confirm_currency_open",
        "CustomerPortalState.set_confirm_open",
        "CustomerNotesState.set_confirm_open",
        *(
            f"{tab}.{handler}"
            for tab in ("CustomerActivitiesState", "CustomerAddressesState", "CustomerTicketsState")
            for handler in ("ask_delete", "open_edit", "open_new", "set_confirm_open", "set_form_open")
        ),
        "ExportState.set_open",
        "ExportState.set_format",
        "ExportState.set_scope",
        "ExportState.set_config_name",
        "ExportState.toggle_column",
        "ExportState.move_column",
        "ImportHistoryState.set_undo_open",
        "ImportState.set_mode",
        "ImportState.set_match_on",
        "ImportState.set_field",
        "ImportState.back_to_mapping",
        "ImportState.reset_flow",
    },
    # Select rows of the page shown; the selection is checked again by the handler that acts on it.
    "selection": {"CustomerListState.toggle_selected", "CustomerListState.toggle_page_selected"},
}


def own_classes(state: type, prefix: str) -> list[type]:
    """The state and the bases it has from the app (mixins, parent states), not those from reflex."""
    return [cls for cls in state.__mro__ if cls.__module__.startswith(prefix)]


def function_of(attribute: object) -> Callable | None:
    """The function behind a class attribute that can be called; None for vars, computed vars and other data."""
    if isinstance(attribute, EventHandler):
        return attribute.fn
    if isinstance(attribute, staticmethod | classmethod):
        return attribute.__func__
    return attribute if inspect.isfunction(attribute) else None


def syntax(function: Callable) -> ast.FunctionDef | ast.AsyncFunctionDef:
    node = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    return node


def is_event(state: type, name: str) -> bool:
    """Whether reflex serves it as a handler and it says it is one (`@rx.event`), rather than a helper left public."""
    attribute = inspect.getattr_static(state, name)
    served = isinstance(attribute, EventHandler) or (state._mixin and inspect.isfunction(attribute))
    marked = any(
        (isinstance(d, ast.Attribute | ast.Name) and ast.unparse(d) in ("rx.event", "event"))
        or (isinstance(d, ast.Call) and ast.unparse(d.func) in ("rx.event", "event"))
        for d in syntax(function_of(attribute)).decorator_list
    )
    return served and marked


def checks_actor(state: type, function: Callable, seen: frozenset[str] = frozenset()) -> bool:
    """Whether the function calls a guard, itself or through a method of the state (followed to any depth)."""
    guards = {guard.__name__ for guard in GUARDS}
    for node in ast.walk(syntax(function)):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id in guards:
            return True
        if isinstance(node.func, ast.Attribute) and ast.unparse(node.func.value) == "self":
            name = node.func.attr
            method = function_of(inspect.getattr_static(state, name, None))
            if name not in seen and method is not None and checks_actor(state, method, seen | {name}):
                return True
    return False


def handler_problems(state: type, prefix: str = "customer_app") -> list[str]:
    """Public callables of the state (its own and its mixins') that are not handlers, and handlers not checking."""
    names = {name for cls in own_classes(state, prefix) for name in vars(cls) if not name.startswith("_")}
    problems = []
    for name in sorted(names):
        function = function_of(inspect.getattr_static(state, name))
        if function is None or not function.__module__.startswith(prefix):  # data, or added by reflex (setvar)
            continue
        if not is_event(state, name):
            problems.append(f"{state.__name__}.{name} is public but not an event handler")
        elif not checks_actor(state, function):
            problems.append(f"{state.__name__}.{name} does not check who is asking")
    return problems


def app_states() -> list[type]:
    """Every state class of the app that reflex serves (mixins are checked in the states that use them)."""
    found, todo = set(), [rx.State]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()  # a state using a mixin is found twice, through rx.State and the mixin
        if cls.__module__.startswith("customer_app") and not cls._mixin:
            found.add(cls)
    return sorted(found, key=lambda cls: cls.__name__)


def unchecked(problem: str) -> bool:
    """Whether a problem is about a handler allowed to skip the check."""
    handler, _, complaint = problem.partition(" ")
    allowed = set().union(*UNCHECKED.values())
    return complaint.startswith("does not check") and handler in allowed


def test_every_state_method_clients_can_call_is_a_handler_that_checks_who_is_asking():
    states = app_states()
    assert {"AuthState", "CustomerListState", "StaffAdminState", "OutboxState"} <= {s.__name__ for s in states}
    problems = [p for state in states for p in handler_problems(state) if not unchecked(p)]
    assert sorted(problems) == []


def test_every_allowed_entry_names_a_real_handler_that_needs_it():
    problems = {p.split(" ")[0]: p for state in app_states() for p in handler_problems(state)}
    for handler in set().union(*UNCHECKED.values()):
        assert problems.get(handler, "").endswith("does not check who is asking"), f"{handler}: remove it"


def test_every_guard_ends_in_an_actor_check():
    for guard in GUARDS:
        calls = {ast.unparse(n.func) for n in ast.walk(syntax(guard)) if isinstance(n, ast.Call)}
        assert guard in BASE_GUARDS or calls & {g.__name__ for g in GUARDS}, guard.__name__


class Unguarded(rx.State, mixin=True):
    """A state breaking the rule twice: a public helper, and a handler that asks nobody before deleting."""

    count: int = 0

    @rx.var
    def doubled(self) -> int:
        return self.count * 2

    def helper(self) -> int:
        return self.count

    @rx.event
    def delete_everything(self):
        self.count = 0

    @rx.event
    async def guarded(self):
        return await self._reload()

    @rx.event(background=True)
    async def guarded_too(self):
        await actor_for(self, "customer.view")

    async def _reload(self):
        return await act_as(self, "customer.edit", lambda actor, session: None)

    def _private(self) -> None:
        self.count += 1


def test_the_rule_reports_a_public_helper_and_a_handler_that_does_not_check():
    assert handler_problems(Unguarded, prefix=__name__) == [
        "Unguarded.delete_everything does not check who is asking",
        "Unguarded.helper is public but not an event handler",
    ]
