"""Files shaped like real exports (Zoho Books, QuickBooks Online, Xero, Wave, FreshBooks, Invoice Ninja, HubSpot, Odoo,
an Excel list under a merged title, a German Excel CSV), each imported as the import page does it, then imported again.

Each file has the mess real ones have: rows to refuse, an empty row, another system's record IDs, numbers stored as
numbers, balance and currency columns nobody imports. What is asserted is what a user sees: the columns mapped and left
out, the preview's counts and messages, the customers stored with their addresses, contact persons, tags and notes,
and a second import of the same file that changes nothing.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from sqlmodel import col, select

from customer_app.customers.models import Customer, CustomerGroup, CustomerGroupMember, CustomerInput, CustomerTag
from customer_app.records.models import ContactPerson, CustomerAddress, CustomerContact, CustomerNote
from customer_app.settings import settings
from customer_app.transfer import import_uploads, imports
from customer_app.transfer.import_mapping import SKIP, match_key
from customer_app.transfer.import_rows import DUPLICATE, ERROR, NEW, UNCHANGED, Plan

REGION_NEEDED = "Billing address: state or region: This country's addresses need this."
POSTCODE_NEEDED = "Billing address: postcode: This country's addresses need this."
BAD_EMAIL = "Email: Enter a valid e-mail address, like name@example.com."


def foreign_ids(header: str, instead: str = "matching on e-mail instead") -> str:
    """The page's notice that a column holds another system's record IDs, not this workspace's."""
    return f"The values in “{header}” are not this workspace's customer IDs; {instead}."


READ_IN_US = (
    "Phone: This phone number is not valid for its country. It was read as a number in United States; add its "
    "country code (like +49 30 9018200) or the row's country."
)


@pytest.fixture(autouse=True)
def private_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imports"))
    monkeypatch.setenv("EXPORT_DIR", str(tmp_path / "exports"))


def csv_file(headers: list[str], rows: list[list], *, delimiter=",", encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([headers, *rows])
    return out.getvalue().encode(encoding)


def xlsx_file(rows: list[list], *, merged: str = "") -> bytes:
    """A one-sheet workbook as Excel saves it; `merged` is a range of cells merged into one (a title over the table)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    if merged:
        sheet.merge_cells(merged)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class Imported:
    """What the import page showed for a file: the columns it mapped and those it left out, its notice, the preview."""

    mapped: dict[str, str]  # header → field
    left_out: list[str]
    notice: str
    counts: dict[str, int]  # the preview's counts that are not zero
    refused: dict[int, str]  # the file's line → the preview's message, for errors and duplicates


def mapped_upload(session, actor, data: bytes, name: str) -> tuple[int, import_uploads.SheetColumns]:
    """Upload a file and read its first sheet's columns with the mapping the page suggests (another system's IDs
    left out); the job's id and the columns."""
    job = import_uploads.store_upload([data], name, actor=actor, session=session)
    session.commit()
    sheets = import_uploads.sheet_names(job.id, actor=actor, session=session)
    columns = import_uploads.read_columns(job.id, sheets[0] if sheets else "", actor=actor, session=session)
    session.commit()
    return job.id, columns


def import_file(session, engine, actor, data: bytes, name: str) -> Imported:
    """Upload, map as the page suggests, match on the page's key, preview, import."""
    job_id, columns = mapped_upload(session, actor, data, name)
    plan = Plan(columns.mapping, "both", match_key(columns.mapping), settings.default_phone_region)
    preview = imports.preview_import(job_id, plan, actor=actor, session=session)
    session.commit()
    imports.start_import(job_id, actor=actor, session=session)
    session.commit()
    imports.run_import(job_id, actor=actor, engine=engine)
    session.expire_all()
    pairs = list(zip(columns.headers, columns.mapping, strict=True))
    return Imported(
        {header: field for header, field in pairs if field != SKIP},
        [header for header, field in pairs if field == SKIP],
        columns.notice,
        {status: count for status, count in preview.counts.items() if count},
        {row.line: row.message for row in preview.rows if row.status in (ERROR, DUPLICATE)},
    )


def stored(session) -> dict[str, dict]:
    """Every active customer by display name: its filled fields, and its addresses (kind, street, city, postcode,
    region, country), contact persons (name, position, e-mail, phone), other contacts, tags, groups and notes."""
    found: dict[str, dict] = {}
    for customer in session.exec(select(Customer).where(col(Customer.deleted_at).is_(None))):
        assert customer.display_name not in found, f"{customer.display_name} is stored twice"
        fields = {name: value for name in CustomerInput.model_fields if (value := getattr(customer, name))}
        found[customer.display_name] = fields | _related(session, customer.id)
    return found


def _related(session, customer_id: int) -> dict[str, list]:
    def rows(table):
        return session.exec(select(table).where(col(table.customer_id) == customer_id).order_by(col(table.id))).all()

    addresses = rows(CustomerAddress)
    assert all(address.is_default for address in addresses)  # each the default of its kind
    groups = select(CustomerGroup.name).join(CustomerGroupMember).where(CustomerGroupMember.customer_id == customer_id)
    tags = select(CustomerTag.tag).where(CustomerTag.customer_id == customer_id)
    related = {
        "addresses": [(a.kind, a.street, a.city, a.postal_code, a.region, a.country_code) for a in addresses],
        "people": [(p.name, p.position, p.email, p.phone) for p in rows(ContactPerson)],
        "contacts": [(c.channel, c.value) for c in rows(CustomerContact)],
        "tags": sorted(session.exec(tags).all()),
        "groups": sorted(session.exec(groups).all()),
        "notes": [note.body for note in rows(CustomerNote)],
    }
    return {name: values for name, values in related.items() if values}


def imported_twice(session, engine, actor, data: bytes, name: str) -> tuple[Imported, dict[str, dict]]:
    """Import a file, then the same file again: the second import finds every imported row unchanged, refuses the
    same rows, and stores nothing more (no second address, tag, note, group or customer). Returns the first."""
    first = import_file(session, engine, actor, data, name)
    customers = stored(session)
    groups = session.exec(select(CustomerGroup.name).order_by(CustomerGroup.name)).all()
    again = import_file(session, engine, actor, data, f"again-{name}")
    refused = {status: count for status, count in first.counts.items() if status in (ERROR, DUPLICATE)}
    assert again.counts == {UNCHANGED: first.counts[NEW]} | refused, again.refused
    assert (again.mapped, again.refused) == (first.mapped, first.refused)
    assert stored(session) == customers
    assert session.exec(select(CustomerGroup.name).order_by(CustomerGroup.name)).all() == groups
    return first, customers


ZOHO_HEADERS = [
    "Created Time", "Last Modified Time", "Display Name", "Company Name", "Salutation", "First Name", "Last Name",
    "Phone", "Currency Code", "Notes", "Website", "Status", "Opening Balance", "Contact ID", "Contact Type",
    "Customer Sub Type", "Billing Attention", "Billing Address", "Billing Street2", "Billing City", "Billing State",
    "Billing Country", "Billing Code", "Billing Phone", "Shipping Attention", "Shipping Address", "Shipping Street2",
    "Shipping City", "Shipping State", "Shipping Country", "Shipping Code", "EmailID", "MobilePhone", "Department",
    "Designation", "Tax ID",
]  # fmt: skip


def test_zoho_books_contacts(session, engine, admin):
    t = "2025-03-14 09:12:44"
    rows = [
        [t, t, "Acme Corporation", "Acme Corporation", "Mr.", "John", "Smith", "+1 415 555 0100", "USD",
         "Net 30; invoices to AP", "www.acme.example", "Active", "1250.00", "460000000026049", "customer", "business",
         "Accounts Payable", "1 Market Street", "Suite 300", "San Francisco", "CA", "U.S.A", "94105", "+1 415 555 0101",
         "Receiving Dock", "500 Terry Francois Blvd", "", "San Francisco", "CA", "U.S.A", "94158", "ap@acme.example",
         "", "Finance", "Controller", ""],
        [t, t, "Jane Doe", "", "Ms.", "Jane", "Doe", "(212) 555-0147", "USD", "", "", "Active", "0.00",
         "460000000026051", "customer", "individual", "", "350 Fifth Avenue", "", "New York", "NY", "U.S.A", "10118",
         "", "", "", "", "", "", "", "", "jane.doe@example.com", "(917) 555-0199", "", "", ""],
        # A German number written as Germans write it, and no country to read it in
        [t, t, "Müller GmbH", "Müller GmbH", "Herr", "", "", "030 9018200", "EUR", "", "", "Active", "0.00",
         "460000000026053", "customer", "business", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "",
         "info@mueller.example", "", "", "", "DE136695976"],
        [t, t, "Bad Mail Ltd", "Bad Mail Ltd", "", "", "", "", "GBP", "", "", "Active", "0.00", "460000000026055",
         "customer", "business", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "",
         "accounts@@badmail.example", "", "", "", ""],
        [""] * len(ZOHO_HEADERS),
        [t, t, "Acme Corp (old record)", "Acme Corporation", "", "", "", "", "USD", "", "", "Inactive", "0.00",
         "460000000026057", "customer", "business", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "",
         "AP@acme.example", "", "", "", ""],
    ]  # fmt: skip
    first, customers = imported_twice(session, engine, admin, csv_file(ZOHO_HEADERS, rows), "Contacts.csv")
    assert first.mapped == {
        "Display Name": "name",
        "Company Name": "company_name",
        "First Name": "first_name",
        "Last Name": "last_name",
        "Phone": "phone",
        "Notes": "footnotes",
        "Website": "website",
        "Customer Sub Type": "kind",
        "Billing Address": "billing_street",
        "Billing Street2": "billing_street2",
        "Billing City": "billing_city",
        "Billing State": "billing_region",
        "Billing Country": "billing_country",
        "Billing Code": "billing_postal_code",
        "Shipping Address": "shipping_street",
        "Shipping Street2": "shipping_street2",
        "Shipping City": "shipping_city",
        "Shipping State": "shipping_region",
        "Shipping Country": "shipping_country",
        "Shipping Code": "shipping_postal_code",
        "EmailID": "email",
        "MobilePhone": "mobile",
        "Designation": "position",
        "Tax ID": "vat_number",
    }
    assert first.left_out == [
        "Created Time", "Last Modified Time", "Salutation", "Currency Code", "Status", "Opening Balance", "Contact ID",
        "Contact Type", "Billing Attention", "Billing Phone", "Shipping Attention", "Department",
    ]  # fmt: skip
    assert first.notice == foreign_ids("Contact ID")
    assert first.counts == {NEW: 2, ERROR: 2, DUPLICATE: 1}
    assert first.refused == {
        4: READ_IN_US,
        5: BAD_EMAIL,
        7: "Same Email as line 2; only the first is imported.",  # e-mails match whatever their case
    }
    assert customers == {
        "Acme Corporation": {
            "kind": "institution",
            "name": "Acme Corporation",
            "company_name": "Acme Corporation",
            "email": "ap@acme.example",
            "phone": "+14155550100",
            "website": "https://www.acme.example",
            "position": "Controller",
            "footnotes": "Net 30; invoices to AP",
            "people": [("John Smith", "Controller", "", "")],  # a company's person names its contact person
            "addresses": [
                ("billing", "1 Market Street\nSuite 300", "San Francisco", "94105", "CA", "US"),
                ("shipping", "500 Terry Francois Blvd", "San Francisco", "94158", "CA", "US"),
            ],
        },
        "Jane Doe": {
            "kind": "individual",
            "first_name": "Jane",
            "last_name": "Doe",
            "email": "jane.doe@example.com",
            "phone": "+12125550147",
            "mobile": "+19175550199",
            "addresses": [("billing", "350 Fifth Avenue", "New York", "10118", "NY", "US")],
        },
    }


QUICKBOOKS_HEADERS = [
    "Customer", "Company name", "Street address", "City", "State", "Country", "Zip", "Phone", "Email", "Attachments",
    "Open balance", "Notes",
]  # fmt: skip


def test_quickbooks_online_customer_list_under_its_report_title(session, engine, admin):
    blank = [None] * len(QUICKBOOKS_HEADERS)
    rows = [
        ["Customer Contact List", *blank[1:]],
        blank,
        QUICKBOOKS_HEADERS,
        ["Amy's Bird Sanctuary", "Amy's Bird Sanctuary", "4581 Finch St.", "Bayshore", "CA", "USA", 94326,
         "(650) 555-3311", "Birds@Intuit.com", None, 239.0, "Pays by check"],
        # The phone typed into a number cell
        ["Bill's Windsurf Shop", "Bill's Windsurf Shop", "12 Ocean Dr.", "Half Moon Bay", "CA", "USA", 94213,
         4155553344, "Surf@Intuit.com", None, 85.0, None],
        ["Cool Cars", "Cool Cars", "65 Ocean Dr.", "Half Moon Bay", None, "USA", 94213, "(415) 555-9933",
         "Cool_Cars@intuit.com", None, 694.0, None],
        ["Diego Rodriguez", None, "321 Channing", "Palo Alto", "CA", "USA", 94303, "(650) 555-4477",
         "Diego@Rodriguez.com", None, 0.0, None],
        blank,
        ["Freeman Sporting Goods", "Freeman Sporting Goods", "370 Easy St.", "Middlefield", "CA", "USA", 94482,
         "(650) 555-0987", "Sporting_goods@intuit.com", None, 562.0, None],
    ]  # fmt: skip
    first, customers = imported_twice(session, engine, admin, xlsx_file(rows), "Customers.xlsx")
    assert first.mapped == {
        "Customer": "name",
        "Company name": "company_name",
        "Street address": "billing_street",
        "City": "billing_city",
        "State": "billing_region",
        "Country": "country",
        "Zip": "billing_postal_code",
        "Phone": "phone",
        "Email": "email",
        "Notes": "footnotes",
    }
    assert (first.left_out, first.notice) == (["Attachments", "Open balance"], "")
    assert first.counts == {NEW: 4, ERROR: 1}
    assert first.refused == {6: REGION_NEEDED}  # the header is on line 3, under the title and a blank line

    def company(name, street, city, postcode, phone, email, **more):
        address = ("billing", street, city, postcode, "CA", "US")
        fields = {"kind": "institution", "name": name, "email": email, "phone": phone, "addresses": [address]}
        return fields | more

    assert customers == {
        "Amy's Bird Sanctuary": company(
            "Amy's Bird Sanctuary", "4581 Finch St.", "Bayshore", "94326", "+16505553311", "Birds@intuit.com",
            company_name="Amy's Bird Sanctuary", footnotes="Pays by check",
        ),
        "Bill's Windsurf Shop": company(
            "Bill's Windsurf Shop", "12 Ocean Dr.", "Half Moon Bay", "94213", "+14155553344", "Surf@intuit.com",
            company_name="Bill's Windsurf Shop",
        ),
        # QuickBooks names a person in one column, like a company, but leaves the company name empty: a person
        "Diego Rodriguez": {
            "kind": "individual",
            "first_name": "Diego",
            "last_name": "Rodriguez",
            "email": "Diego@rodriguez.com",
            "phone": "+16505554477",
            "addresses": [("billing", "321 Channing", "Palo Alto", "94303", "CA", "US")],
        },
        "Freeman Sporting Goods": company(
            "Freeman Sporting Goods", "370 Easy St.", "Middlefield", "94482", "+16505550987",
            "Sporting_goods@intuit.com", company_name="Freeman Sporting Goods",
        ),
    }  # fmt: skip


XERO_HEADERS = [
    "*ContactName", "AccountNumber", "EmailAddress", "FirstName", "LastName", "POAttentionTo", "POAddressLine1",
    "POAddressLine2", "POAddressLine3", "POAddressLine4", "POCity", "PORegion", "POPostalCode", "POCountry",
    "SAAttentionTo", "SAAddressLine1", "SAAddressLine2", "SAAddressLine3", "SAAddressLine4", "SACity", "SARegion",
    "SAPostalCode", "SACountry", "PhoneNumber", "FaxNumber", "MobileNumber", "DDINumber", "SkypeName", "TaxNumber",
    "Website", "LegalName", "Discount",
]  # fmt: skip


def xero_row(name: str, account: str, email: str, **cells: str) -> list[str]:
    """A row of Xero's contacts export: the cells not given are blank, as Xero leaves them."""
    return [name, account, email, *(cells.get(header, "") for header in XERO_HEADERS[3:])]


def test_xero_contacts_with_postal_and_street_addresses(session, engine, admin):
    rows = [
        xero_row(
            "City Limousines", "CL001", "accounts@citylimousines.example", FirstName="Sarah", LastName="Cole",
            POAttentionTo="Accounts", POAddressLine1="Unit 7", POAddressLine2="Kingsway Business Park",
            POCity="London", POPostalCode="WC2B 6XF", POCountry="United Kingdom", SAAttentionTo="Dispatch",
            SAAddressLine1="1 Regent Street", SACity="London", SAPostalCode="SW1Y 4NR", SACountry="United Kingdom",
            PhoneNumber="020 7946 0321", MobileNumber="07911 123456", DDINumber="020 7946 0322", SkypeName="citylimo",
            Website="www.citylimousines.example", LegalName="City Limousines Ltd", Discount="10",
        ),
        xero_row(
            "Ridgeway University", "RU002", "finance@ridgeway.example", POAddressLine1="Ridgeway Campus",
            POCity="Oxford", PORegion="Oxfordshire", POPostalCode="OX1 2JD", POCountry="UK", PhoneNumber="01865 270000",
        ),
        xero_row(
            "Marine Systems", "MS003", "info@marinesystems.example", POAddressLine1="14 Harbour Rd",
            POCity="Portsmouth", POCountry="United Kingdom",
        ),
        xero_row("Basket Case", "BC004", "orders@basketcase.example", PhoneNumber="020 7946 0555"),
        xero_row("Bayside Club", "BAY006", "secretary@baysideclub"),
    ]  # fmt: skip
    first, customers = imported_twice(session, engine, admin, csv_file(XERO_HEADERS, rows), "Contacts.csv")
    assert first.mapped == {
        "*ContactName": "name",
        "EmailAddress": "email",
        "FirstName": "first_name",
        "LastName": "last_name",
        "POAddressLine1": "billing_street",
        "POAddressLine2": "billing_street2",
        "POCity": "billing_city",
        "PORegion": "billing_region",
        "POPostalCode": "billing_postal_code",
        "POCountry": "billing_country",
        "SAAddressLine1": "shipping_street",
        "SAAddressLine2": "shipping_street2",
        "SACity": "shipping_city",
        "SARegion": "shipping_region",
        "SAPostalCode": "shipping_postal_code",
        "SACountry": "shipping_country",
        "PhoneNumber": "phone",
        "FaxNumber": "fax",
        "MobileNumber": "mobile",
        "DDINumber": "other_phone",
        "TaxNumber": "vat_number",
        "Website": "website",
    }
    assert first.left_out == [
        "AccountNumber", "POAttentionTo", "POAddressLine3", "POAddressLine4", "SAAttentionTo", "SAAddressLine3",
        "SAAddressLine4", "SkypeName", "LegalName", "Discount",
    ]  # fmt: skip
    assert first.counts == {NEW: 2, ERROR: 3}
    assert first.refused == {4: POSTCODE_NEEDED, 5: READ_IN_US, 6: BAD_EMAIL}
    assert customers == {
        # The contact is the company, its person in FirstName and LastName: the company stays as her employer
        "Sarah Cole": {
            "kind": "individual",
            "first_name": "Sarah",
            "last_name": "Cole",
            "company_name": "City Limousines",
            "email": "accounts@citylimousines.example",
            "phone": "+442079460321",  # national numbers read in the postal address's country
            "mobile": "+447911123456",
            "website": "https://www.citylimousines.example",
            "addresses": [
                ("billing", "Unit 7\nKingsway Business Park", "London", "WC2B 6XF", "", "GB"),
                ("shipping", "1 Regent Street", "London", "SW1Y 4NR", "", "GB"),
            ],
            "contacts": [("phone", "+442079460322")],
        },
        "Ridgeway University": {
            "kind": "institution",
            "name": "Ridgeway University",
            "email": "finance@ridgeway.example",
            "phone": "+441865270000",
            "addresses": [("billing", "Ridgeway Campus", "Oxford", "OX1 2JD", "Oxfordshire", "GB")],
        },
    }


WAVE_HEADERS = [
    "customer_name", "email", "contact_first_name", "contact_last_name", "phone", "fax", "mobile", "toll_free",
    "website", "country", "province/state", "address_line_1", "address_line_2", "city", "postal_code/zip_code",
    "ship_to_contact", "shipping_country", "shipping_province/state", "shipping_address_line_1",
    "shipping_address_line_2", "shipping_city", "shipping_postal_code/zip_code", "shipping_phone",
    "delivery_instructions", "account_number", "currency",
]  # fmt: skip


def test_wave_customers_with_a_contact_and_a_ship_to_address(session, engine, admin):
    rows = [
        ["Maple Leaf Bakery", "orders@mapleleafbakery.example", "Chloé", "Tremblay", "416-555-0134", "",
         "647-555-0188", "1-800-555-0199", "mapleleafbakery.example", "Canada", "Ontario", "220 King St W", "Unit 4",
         "Toronto", "M5H 1K4", "Receiving", "Canada", "Ontario", "85 Industrial Rd", "", "Toronto", "M4C 1A1",
         "416-555-0177", "Back door before 7am", "C-0001", "CAD"],
        ["Prairie Print Co", "hello@prairieprint.example", "Marc", "Olsen", "306 555 0160", "", "", "", "", "Canada",
         "Saskatchewan", "1870 Albert St", "", "Regina", "S4P 4B7", "", "", "", "", "", "", "", "", "", "C-0002",
         "CAD"],
        ["Harbour Kayaks", "paddle@harbourkayaks.example", "", "", "902-555-0111", "", "", "", "", "Canada", "",
         "1751 Lower Water St", "", "Halifax", "B3J 1S5", "", "", "", "", "", "", "", "", "", "C-0003", "CAD"],
        ["Northern Lights Tours", "tours@northernlights.example", "", "", "867 555 0123", "", "", "", "", "", "", "",
         "", "", "", "", "", "", "", "", "", "", "", "", "C-0004", "CAD"],
        [""] * len(WAVE_HEADERS),
        ["Maple Leaf Bakery (old)", "ORDERS@mapleleafbakery.example", "", "", "", "", "", "", "", "", "", "", "", "",
         "", "", "", "", "", "", "", "", "", "", "C-0005", "CAD"],
    ]  # fmt: skip
    first, customers = imported_twice(session, engine, admin, csv_file(WAVE_HEADERS, rows), "customers.csv")
    assert first.mapped == {
        "customer_name": "name",
        "email": "email",
        "contact_first_name": "person_first_name",  # a company's file: its contact person
        "contact_last_name": "person_last_name",
        "phone": "phone",
        "fax": "fax",
        "mobile": "mobile",
        "toll_free": "other_phone",
        "website": "website",
        "country": "country",
        "province/state": "billing_region",
        "address_line_1": "billing_street",
        "address_line_2": "billing_street2",
        "city": "billing_city",
        "postal_code/zip_code": "billing_postal_code",
        "shipping_country": "shipping_country",
        "shipping_province/state": "shipping_region",
        "shipping_address_line_1": "shipping_street",
        "shipping_address_line_2": "shipping_street2",
        "shipping_city": "shipping_city",
        "shipping_postal_code/zip_code": "shipping_postal_code",
    }
    assert first.left_out == [
        "ship_to_contact",
        "shipping_phone",
        "delivery_instructions",
        "account_number",
        "currency",
    ]
    assert first.counts == {NEW: 3, ERROR: 1, DUPLICATE: 1}
    assert first.refused == {4: REGION_NEEDED, 7: "Same Email as line 2; only the first is imported."}
    assert customers == {
        "Maple Leaf Bakery": {
            "kind": "institution",
            "name": "Maple Leaf Bakery",
            "email": "orders@mapleleafbakery.example",
            "phone": "+14165550134",
            "mobile": "+16475550188",
            "website": "https://mapleleafbakery.example",
            "addresses": [
                ("billing", "220 King St W\nUnit 4", "Toronto", "M5H 1K4", "Ontario", "CA"),
                ("shipping", "85 Industrial Rd", "Toronto", "M4C 1A1", "Ontario", "CA"),
            ],
            "people": [("Chloé Tremblay", "", "", "")],
            "contacts": [("phone", "+18005550199")],
        },
        "Prairie Print Co": {
            "kind": "institution",
            "name": "Prairie Print Co",
            "email": "hello@prairieprint.example",
            "phone": "+13065550160",
            "addresses": [("billing", "1870 Albert St", "Regina", "S4P 4B7", "Saskatchewan", "CA")],
            "people": [("Marc Olsen", "", "", "")],
        },
        "Northern Lights Tours": {
            "kind": "institution",
            "name": "Northern Lights Tours",
            "email": "tours@northernlights.example",
            "phone": "+18675550123",  # no country: read in the workspace's region, which shares Canada's numbering
        },
    }


FRESHBOOKS_HEADERS = [
    "Organization", "First Name", "Last Name", "Email", "Phone", "Business Phone", "Mobile Phone", "Fax",
    "Address Line 1", "Address Line 2", "City", "Province/State", "Country", "Postal/Zip Code", "Notes", "Language",
    "Currency Code",
]  # fmt: skip


def test_freshbooks_clients_are_people_with_their_organisation(session, engine, admin):
    rows = [
        ["Gordon & Co Design", "Alison", "Gordon", "alison@gordonco.example", "(512) 555-0142", "(512) 555-0100",
         "(512) 555-0190", "", "901 Congress Ave", "Suite 200", "Austin", "Texas", "United States", "78701",
         "Prefers e-mail\nInvoices monthly", "en", "USD"],
        ["", "Raj", "Patel", "raj.patel@example.com", "", "", "", "", "", "", "", "", "", "", "", "en", "USD"],
        ["Lumen Studio", "Mia", "Chen", "mia@lumenstudio.example", "604 555 0155", "", "", "", "1128 W Hastings St",
         "", "Vancouver", "BC", "Canada", "V6E 4R5", "", "en", "CAD"],
        ["Oak & Iron", "Tom", "Baker", "tom@oakandiron.example", "020 7946 0958", "", "", "", "", "", "", "", "", "",
         "", "en", "GBP"],
        [""] * len(FRESHBOOKS_HEADERS),
        ["Atelier Roux", "Claire", "Roux", "claire@atelierroux.example", "", "", "", "", "12 Rue de Rivoli", "",
         "Paris", "", "France", "", "", "fr", "EUR"],
    ]  # fmt: skip
    first, customers = imported_twice(session, engine, admin, csv_file(FRESHBOOKS_HEADERS, rows), "clients.csv")
    assert first.mapped == {
        "Organization": "company_name",
        "First Name": "first_name",
        "Last Name": "last_name",
        "Email": "email",
        "Phone": "phone",
        "Mobile Phone": "mobile",
        "Fax": "fax",
        "Address Line 1": "billing_street",
        "Address Line 2": "billing_street2",
        "City": "billing_city",
        "Province/State": "billing_region",
        "Country": "country",
        "Postal/Zip Code": "billing_postal_code",
        "Notes": "footnotes",
    }
    assert first.left_out == ["Business Phone", "Language", "Currency Code"]  # a second phone of the same kind
    assert first.counts == {NEW: 3, ERROR: 2}
    assert first.refused == {5: READ_IN_US, 7: POSTCODE_NEEDED}
    assert customers == {
        "Alison Gordon": {
            "kind": "individual",
            "first_name": "Alison",
            "last_name": "Gordon",
            "company_name": "Gordon & Co Design",
            "email": "alison@gordonco.example",
            "phone": "+15125550142",
            "mobile": "+15125550190",
            "footnotes": "Prefers e-mail\nInvoices monthly",  # its line break kept
            "addresses": [("billing", "901 Congress Ave\nSuite 200", "Austin", "78701", "Texas", "US")],
        },
        "Raj Patel": {
            "kind": "individual",
            "first_name": "Raj",
            "last_name": "Patel",
            "email": "raj.patel@example.com",
        },
        "Mia Chen": {
            "kind": "individual",
            "first_name": "Mia",
            "last_name": "Chen",
            "company_name": "Lumen Studio",
            "email": "mia@lumenstudio.example",
            "phone": "+16045550155",
            "addresses": [("billing", "1128 W Hastings St", "Vancouver", "V6E 4R5", "BC", "CA")],
        },
    }


INVOICE_NINJA_HEADERS = [
    "Client Name", "Contact First Name", "Contact Last Name", "Contact Email", "Contact Phone", "ID Number",
    "VAT Number", "Website", "Phone", "Address 1", "Address 2", "City", "State", "Postal Code", "Country",
    "Private Notes", "Public Notes", "Balance", "Paid to Date", "Currency",
]  # fmt: skip


def test_invoice_ninja_clients_with_their_contact(session, engine, admin):
    rows = [
        ["Brightside Dental", "Laura", "Kim", "billing@brightside.example", "+1 303 555 0142", "CL-1001", "",
         "brightside.example", "(303) 555-0100", "1600 Glenarm Pl", "Floor 3", "Denver", "CO", "80202",
         "United States", "Slow payer", "Thank you for your business!", "420.00", "1200.00", "USD"],
        ["Van Dijk Logistiek", "Pieter", "van Dijk", "pieter@vandijk.example", "06 12345678", "CL-1002",
         "NL004495445B01", "", "020 555 0101", "Damrak 1", "", "Amsterdam", "", "1012 LG", "Netherlands", "", "",
         "0.00", "0.00", "EUR"],
        ["Sunrise Yoga", "", "", "namaste@sunrise.example", "", "CL-1003", "", "", "", "", "", "Boulder", "CO", "",
         "United States", "", "", "0.00", "0.00", "USD"],
        ["Brightside Dental (copy)", "", "", "billing@brightside.example", "", "CL-1004", "", "", "", "", "", "", "",
         "", "", "", "", "0.00", "0.00", "USD"],
    ]  # fmt: skip
    first, customers = imported_twice(session, engine, admin, csv_file(INVOICE_NINJA_HEADERS, rows), "clients.csv")
    assert first.mapped == {
        "Client Name": "name",
        "Contact First Name": "person_first_name",
        "Contact Last Name": "person_last_name",
        "Contact Email": "email",  # the file's only e-mail: the client's own
        "Contact Phone": "person_phone",
        "VAT Number": "vat_number",
        "Website": "website",
        "Phone": "phone",
        "Address 1": "billing_street",
        "Address 2": "billing_street2",
        "City": "billing_city",
        "State": "billing_region",
        "Postal Code": "billing_postal_code",
        "Country": "country",
        "Private Notes": "footnotes",
    }
    assert first.left_out == ["ID Number", "Public Notes", "Balance", "Paid to Date", "Currency"]
    assert first.counts == {NEW: 2, ERROR: 1, DUPLICATE: 1}
    assert first.refused == {
        4: "Billing address: street: Enter the street and number.",
        5: "Same Email as line 2; only the first is imported.",
    }
    assert customers == {
        "Brightside Dental": {
            "kind": "institution",
            "name": "Brightside Dental",
            "email": "billing@brightside.example",
            "phone": "+13035550100",
            "website": "https://brightside.example",
            "footnotes": "Slow payer",
            "addresses": [("billing", "1600 Glenarm Pl\nFloor 3", "Denver", "80202", "CO", "US")],
            "people": [("Laura Kim", "", "", "+13035550142")],
        },
        "Van Dijk Logistiek": {
            "kind": "institution",
            "name": "Van Dijk Logistiek",
            "email": "pieter@vandijk.example",
            "phone": "+31205550101",
            "vat_number": "NL004495445B01",
            "addresses": [("billing", "Damrak 1", "Amsterdam", "1012 LG", "", "NL")],
            "people": [("Pieter van Dijk", "", "", "+31612345678")],  # his mobile read in the client's country
        },
    }


HUBSPOT_HEADERS = [
    "Record ID", "Company name", "Company Domain Name", "Phone Number", "Street Address", "Street Address 2", "City",
    "State/Region", "Postal Code", "Country/Region", "Industry", "Number of Employees", "Annual Revenue",
    "Create Date", "Company owner", "Lifecycle Stage",
]  # fmt: skip
HUBSPOT_ROWS = [
    ["5823104711", "Globex", "globex.example", "+1 617 555 0100", "25 First St", "", "Cambridge", "MA", "02141",
     "United States", "COMPUTER_SOFTWARE", "250", "25000000", "2024-02-01 10:00", "Dana Lee", "customer"],
    ["5823104712", "Initech", "initech.example", "512-555-0133", "4120 Freidrich Ln", "Bldg 2", "Austin", "TX",
     "78744", "United States", "", "80", "", "2024-02-02 11:30", "Dana Lee", "lead"],
    ["5823104713", "Umbrella Corp", "umbrella.example", "", "", "", "Raccoon City", "", "", "", "", "", "", "", "", ""],
]  # fmt: skip


def test_hubspot_companies_map_each_row_to_an_institution_and_leave_out_the_record_id(session, admin):
    _job_id, columns = mapped_upload(session, admin, csv_file(HUBSPOT_HEADERS, HUBSPOT_ROWS), "companies.csv")
    pairs = list(zip(columns.headers, columns.mapping, strict=True))
    assert {header: field for header, field in pairs if field} == {
        "Company name": "name",
        "Company Domain Name": "website",
        "Phone Number": "phone",
        "Street Address": "billing_street",
        "Street Address 2": "billing_street2",
        "City": "billing_city",
        "State/Region": "billing_region",
        "Postal Code": "billing_postal_code",
        "Country/Region": "country",
    }
    assert [header for header, field in pairs if not field] == [
        "Record ID", "Industry", "Number of Employees", "Annual Revenue", "Create Date", "Company owner",
        "Lifecycle Stage",
    ]  # fmt: skip
    assert columns.notice == foreign_ids("Record ID", "that column is not imported")


def test_hubspot_companies_import(session, engine, admin):
    first, customers = imported_twice(session, engine, admin, csv_file(HUBSPOT_HEADERS, HUBSPOT_ROWS), "companies.csv")
    assert first.counts == {NEW: 2, ERROR: 1}
    assert customers.keys() == {"Globex", "Initech"}


ODOO_HEADERS = [
    "ID", "Display Name", "Is a Company", "Company Name", "Job Position", "Email", "Phone", "Mobile", "Street",
    "Street2", "City", "State", "Zip", "Country", "Tax ID", "Website", "Tags", "Salesperson", "Reference",
    "Total Receivable",
]  # fmt: skip


def test_odoo_contacts_with_states_tags_and_numbers_stored_as_numbers(session, engine, admin):
    rows = [
        ODOO_HEADERS,
        ["__export__.res_partner_14_5f2c1a9b", "Deco Addict", True, None, None, "deco.addict82@example.com",
         "(603)-996-3829", None, "77 Santa Barbara Rd", None, "Pleasant Hill", "California (US)", 94523,
         "United States", None, "http://www.deco-addict.com", "Services,Consulting", "Mitchell Admin", "DA-14",
         1250.5],
        ["__export__.res_partner_27_0b9e8d7c", "Deco Addict, Addison Olson", False, "Deco Addict", "Purchase Manager",
         "addison.olson28@example.com", "(223)-399-7637", 6035550101, "77 Santa Barbara Rd", None, "Pleasant Hill",
         "California (US)", 94523, "United States", None, None, "Consulting", None, None, 0],
        ["base.res_partner_12", "Azure Interior", True, None, None, "azure.Interior24@example.com", "(870)-931-0505",
         None, "4557 De Silva St", "Suite 2", "Fremont", "California (US)", 94538, "United States", None,
         "http://www.azure-interior.com", "Office Supplies", "Mitchell Admin", None, 0],
        [None] * len(ODOO_HEADERS),
        ["base.res_partner_address_15", "Azure Interior, Brandon Freeman", False, "Azure Interior", "Creative Director",
         "azure.interior24@example.com", None, None, None, None, None, None, None, "United States", None, None, None,
         None, None, 0],
        ["__export__.res_partner_40_77aa01bc", "Gemini Furniture", True, None, None, "gemini.furniture39@example",
         "(941)-284-4875", None, None, None, None, None, None, "United States", None, None, None, None, None, 0],
    ]  # fmt: skip
    first, customers = imported_twice(session, engine, admin, xlsx_file(rows), "Contact (res.partner).xlsx")
    assert first.mapped == {
        "Display Name": "name",
        "Is a Company": "kind",
        "Company Name": "company_name",
        "Job Position": "position",
        "Email": "email",
        "Phone": "phone",
        "Mobile": "mobile",
        "Street": "billing_street",
        "Street2": "billing_street2",
        "City": "billing_city",
        "State": "billing_region",
        "Zip": "billing_postal_code",
        "Country": "country",
        "Tax ID": "vat_number",
        "Website": "website",
        "Tags": "tags",
    }
    assert first.left_out == ["ID", "Salesperson", "Reference", "Total Receivable"]
    assert first.notice == foreign_ids("ID")
    assert first.counts == {NEW: 3, ERROR: 1, DUPLICATE: 1}
    assert first.refused == {6: "Same Email as line 4; only the first is imported.", 7: BAD_EMAIL}
    assert customers == {
        "Deco Addict": {
            "kind": "institution",
            "name": "Deco Addict",
            "email": "deco.addict82@example.com",
            "phone": "+16039963829",
            "website": "http://www.deco-addict.com",
            "addresses": [("billing", "77 Santa Barbara Rd", "Pleasant Hill", "94523", "California", "US")],
            "tags": ["Consulting", "Services"],
        },
        # Not a company: Odoo's "Company, Person" display name is the person, who works at the company
        "Addison Olson": {
            "kind": "individual",
            "first_name": "Addison",
            "last_name": "Olson",
            "company_name": "Deco Addict",
            "position": "Purchase Manager",
            "email": "addison.olson28@example.com",
            "phone": "+12233997637",
            "mobile": "+16035550101",  # a number cell: read as the row's country's number
            "addresses": [("billing", "77 Santa Barbara Rd", "Pleasant Hill", "94523", "California", "US")],
            "tags": ["Consulting"],
        },
        "Azure Interior": {
            "kind": "institution",
            "name": "Azure Interior",
            "email": "azure.Interior24@example.com",
            "phone": "+18709310505",
            "website": "http://www.azure-interior.com",
            "addresses": [("billing", "4557 De Silva St\nSuite 2", "Fremont", "94538", "California", "US")],
            "tags": ["Office Supplies"],
        },
    }


WORKBOOK_HEADERS = [
    "Customer no.", "Company", "Contact person", "Email", "Secondary email", "Phone", "Billing street", "Billing city",
    "Billing postcode", "Billing country", "Shipping street", "Shipping city", "Shipping postcode", "Shipping country",
    "Tags", "Customer group", "Internal note", "Balance (EUR)",
]  # fmt: skip


def test_an_excel_workbook_under_a_merged_title_with_billing_and_shipping_addresses(session, engine, admin):
    rows = [
        ["Customer list — exported 2026", *[None] * (len(WORKBOOK_HEADERS) - 1)],
        WORKBOOK_HEADERS,
        ["K-1001", "Nordwind Handels GmbH", "Petra Schulz", "einkauf@nordwind.example", "buchhaltung@nordwind.example",
         "+49 40 30380", "Ballindamm 1", "Hamburg", 20095, "Germany", "Am Sandtorkai 50", "Hamburg", 20457, "Germany",
         "Wholesale; Key account", "Partners", "Met at the Hamburg fair.\nWants samples.", 1520.75],
        ["K-1002", "Bodega Luna S.L.", "Javier Ortega", "compras@bodegaluna.example", None, "+34 915 550 123",
         "Calle Mayor 10", "Madrid", 28013, "Spain", None, None, None, None, "Retail", None, None, 0],
        ["K-1003", "Fjord Fisk AS", None, "post@fjordfisk.example", None, None, "Bryggen 15", "Bergen", 5003, "Norway",
         None, None, None, None, None, "Partners", None, 300],
        [None] * len(WORKBOOK_HEADERS),
        ["K-1004", "Nordwind Handels GmbH", "Petra Schulz", "Einkauf@Nordwind.example", None, None, None, None, None,
         None, None, None, None, None, "Wholesale", None, None, 1520.75],
    ]  # fmt: skip
    merged_title = f"A1:{get_column_letter(len(WORKBOOK_HEADERS))}1"
    data = xlsx_file(rows, merged=merged_title)
    first, customers = imported_twice(session, engine, admin, data, "Customer list 2026.xlsx")
    assert first.mapped == {
        "Company": "name",
        "Contact person": "person_name",
        "Email": "email",
        "Secondary email": "other_email",
        "Phone": "phone",
        "Billing street": "billing_street",
        "Billing city": "billing_city",
        "Billing postcode": "billing_postal_code",
        "Billing country": "billing_country",
        "Shipping street": "shipping_street",
        "Shipping city": "shipping_city",
        "Shipping postcode": "shipping_postal_code",
        "Shipping country": "shipping_country",
        "Tags": "tags",
        "Customer group": "groups",
        "Internal note": "note",
    }
    assert first.left_out == ["Customer no.", "Balance (EUR)"]
    assert first.notice == foreign_ids("Customer no.")
    assert first.counts == {NEW: 2, ERROR: 1, DUPLICATE: 1}
    assert first.refused == {
        4: REGION_NEEDED,  # a Spanish address names its province
        7: "Same Email as line 3; only the first is imported.",
    }
    assert customers == {
        "Nordwind Handels GmbH": {
            "kind": "institution",
            "name": "Nordwind Handels GmbH",
            "email": "einkauf@nordwind.example",
            "phone": "+494030380",
            "addresses": [
                ("billing", "Ballindamm 1", "Hamburg", "20095", "", "DE"),  # the postcode typed as a number
                ("shipping", "Am Sandtorkai 50", "Hamburg", "20457", "", "DE"),
            ],
            "people": [("Petra Schulz", "", "", "")],
            "contacts": [("email", "buchhaltung@nordwind.example")],
            "tags": ["Key account", "Wholesale"],
            "groups": ["Partners"],
            "notes": ["Met at the Hamburg fair.\nWants samples."],
        },
        "Fjord Fisk AS": {
            "kind": "institution",
            "name": "Fjord Fisk AS",
            "email": "post@fjordfisk.example",
            "addresses": [("billing", "Bryggen 15", "Bergen", "5003", "", "NO")],
            "groups": ["Partners"],
        },
    }


GERMAN_HEADERS = [
    "Kundennummer", "Firma", "Anrede", "Vorname", "Nachname", "Straße", "PLZ", "Ort", "Land", "Telefon", "E-Mail",
    "Geburtsdatum", "Umsatz",
]  # fmt: skip


def test_a_german_excel_csv_with_semicolons_windows_1252_and_german_dates(session, engine, admin):
    rows = [
        ["1000017", "", "Herr", "Jürgen", "Müller", "Straße des 17. Juni 135", "10623", "Berlin", "Deutschland",
         "030 9018200", "juergen@example.de", "23.04.1971", "1.234,50"],
        ["1000018", "Weiß & Söhne KG", "Frau", "Françoise", "Weiß", "Ringstraße 1", "1010", "Wien", "Österreich",
         "01 5875555", "f.weiss@example.at", "01.12.1980", "0,00"],
        ["1000019", "", "Herr", "Björn", "Groß", "Bahnhofstraße 5", "", "Zürich", "Schweiz", "044 668 18 00",
         "bjoern@example.ch", "31.02.1975", "0,00"],
        [""] * len(GERMAN_HEADERS),  # Excel writes ";;;;" for a row left empty
        ["1000021", "", "Frau", "Änne", "Köhler", "Hauptstraße 3", "80331", "München", "Deutschland", "089 123456",
         "aenne.koehler@example", "05.06.1990", "12,00"],
    ]  # fmt: skip
    data = csv_file(GERMAN_HEADERS, rows, delimiter=";", encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really Windows-1252, as Excel writes "CSV (Trennzeichen-getrennt)"
    first, customers = imported_twice(session, engine, admin, data, "Kunden.csv")
    assert first.mapped == {
        "Firma": "company_name",
        "Vorname": "first_name",
        "Nachname": "last_name",
        "Straße": "billing_street",
        "PLZ": "billing_postal_code",
        "Ort": "billing_city",
        "Land": "country",
        "Telefon": "phone",
        "E-Mail": "email",
        "Geburtsdatum": "date_of_birth",
    }
    assert first.left_out == ["Kundennummer", "Anrede", "Umsatz"]
    assert first.notice == foreign_ids("Kundennummer")
    assert first.counts == {NEW: 2, ERROR: 2}
    assert first.refused == {
        4: "Date of birth: Enter a date like 1990-04-23.; " + POSTCODE_NEEDED,  # 31 February, and no PLZ
        6: BAD_EMAIL,
    }
    assert customers == {
        "Jürgen Müller": {
            "kind": "individual",
            "first_name": "Jürgen",
            "last_name": "Müller",
            "email": "juergen@example.de",
            "phone": "+49309018200",
            "date_of_birth": date(1971, 4, 23),
            "addresses": [("billing", "Straße des 17. Juni 135", "Berlin", "10623", "", "DE")],
        },
        "Françoise Weiß": {
            "kind": "individual",
            "first_name": "Françoise",
            "last_name": "Weiß",
            "company_name": "Weiß & Söhne KG",
            "email": "f.weiss@example.at",
            "phone": "+4315875555",
            "date_of_birth": date(1980, 12, 1),
            "addresses": [("billing", "Ringstraße 1", "Wien", "1010", "", "AT")],
        },
    }


def test_a_contact_without_an_email_is_not_created_again_by_a_second_import(session, engine, admin):
    rows = [
        xero_row("Ridgeway University", "RU002", "finance@ridgeway.example"),
        xero_row("Hamilton Smith Ltd", "HS005", ""),  # Xero requires no e-mail: many contacts have none
    ]
    first, customers = imported_twice(session, engine, admin, csv_file(XERO_HEADERS, rows), "Contacts.csv")
    assert first.counts == {NEW: 2}
    assert customers.keys() == {"Ridgeway University", "Hamilton Smith Ltd"}
