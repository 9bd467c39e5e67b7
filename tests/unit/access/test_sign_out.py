"""Signing out leaves nothing of the last person in the tab: the next one at this browser starts from a blank page."""

from customer_app.access.state.auth import AuthState
from customer_app.customers.state.customer_list import CustomerListState
from customer_app.transfer.state.exporter import ExportState
from customer_app.transfer.state.importer import ImportState
from tests.unit.reflex_helpers import redirect_target, run


def part(root, cls):
    return root.get_substate(cls._get_substate_path())


def test_signing_out_forgets_import_rows_download_links_and_selections(new_tab, admin_user):
    root = new_tab(admin_user)
    importer, exporter, listing = part(root, ImportState), part(root, ExportState), part(root, CustomerListState)
    importer.job_id, importer.file_name = 7, "payroll.xlsx"
    exporter.download_url = "/api/download/secret-token"
    listing.rows, listing.selected = [{"id": "1", "name": "Ann"}], ["1"]
    result = run(part(root, AuthState).sign_out())
    assert redirect_target(result) == "/login"
    assert (importer.job_id, importer.file_name) == (0, "")
    assert exporter.download_url == ""
    assert (listing.rows, listing.selected) == ([], [])
    assert part(root, AuthState).auth_token == ""
