"""Columns of files other programs export map to the right fields: Zoho, QuickBooks, Xero, Wave, Invoice Ninja,
FreshBooks, HubSpot, Odoo, a German Excel list, and headers in English, German, French and Spanish."""

import pytest

from customer_app.transfer.import_mapping import COUNTRY, auto_map


def mapped(headers: list[str], custom: dict[str, str] | None = None) -> dict[str, str]:
    """Each mapped column's header and field (columns left unmapped are left out, and so is the country column, read
    for phone numbers: test_import_countries has it)."""
    pairs = zip(headers, auto_map(headers, custom), strict=True)
    return {header: field for header, field in pairs if field not in ("", COUNTRY)}


def test_zoho_books_contacts():
    headers = [
        "Created Time", "Last Modified Time", "Display Name", "Company Name", "Salutation", "First Name",
        "Last Name", "Phone", "Currency Code", "Notes", "Website", "Status", "Contact ID", "Contact Type",
        "Customer Sub Type", "Billing Address", "Billing City", "Billing Country", "EmailID", "MobilePhone",
        "Department", "Designation", "Tax ID",
    ]  # fmt: skip
    assert mapped(headers) == {
        "Display Name": "name",
        "Company Name": "company_name",
        "First Name": "first_name",
        "Last Name": "last_name",
        "Phone": "phone",
        "Notes": "footnotes",
        "Website": "website",
        "Contact ID": "id",  # kept only if its values are this workspace's ids (test_import_ids)
        "Customer Sub Type": "kind",
        "Billing Address": "billing_street",
        "Billing City": "billing_city",
        "Billing Country": "billing_country",
        "EmailID": "email",
        "MobilePhone": "mobile",
        "Designation": "position",
        "Tax ID": "vat_number",
    }


def test_quickbooks_customer_list_names_companies():
    headers = [
        "Customer", "Company name", "Street address", "City", "State", "Country", "Zip", "Phone", "Email",
        "Attachments", "Open balance", "Notes",
    ]  # fmt: skip
    assert mapped(headers) == {
        "Customer": "name",
        "Company name": "company_name",
        "Street address": "billing_street",
        "City": "billing_city",
        "State": "billing_region",
        "Zip": "billing_postal_code",
        "Phone": "phone",
        "Email": "email",
        "Notes": "footnotes",
    }


def test_xero_contacts():
    headers = [
        "*ContactName", "AccountNumber", "EmailAddress", "FirstName", "LastName", "POAttentionTo",
        "POAddressLine1", "POCity", "POPostalCode", "POCountry", "PhoneNumber", "FaxNumber", "MobileNumber",
        "DDINumber", "SkypeName", "TaxNumber", "Website",
    ]  # fmt: skip
    assert mapped(headers) == {
        "*ContactName": "name",
        "EmailAddress": "email",
        "FirstName": "first_name",
        "LastName": "last_name",
        "POAddressLine1": "billing_street",
        "POCity": "billing_city",
        "POPostalCode": "billing_postal_code",
        "POCountry": "billing_country",
        "PhoneNumber": "phone",
        "FaxNumber": "fax",
        "MobileNumber": "mobile",
        "DDINumber": "other_phone",
        "TaxNumber": "vat_number",
        "Website": "website",
    }


def test_wave_customers():
    headers = [
        "customer_name", "email", "contact_first_name", "contact_last_name", "phone", "fax", "mobile", "toll_free",
        "website", "country", "province/state", "address_line_1", "city", "postal_code/zip_code", "account_number",
        "currency",
    ]  # fmt: skip
    assert mapped(headers) == {
        "customer_name": "name",
        "email": "email",
        "contact_first_name": "person_first_name",
        "contact_last_name": "person_last_name",
        "phone": "phone",
        "fax": "fax",
        "mobile": "mobile",
        "toll_free": "other_phone",
        "website": "website",
        "province/state": "billing_region",
        "address_line_1": "billing_street",
        "city": "billing_city",
        "postal_code/zip_code": "billing_postal_code",
    }


def test_invoice_ninja_clients():
    headers = [
        "Client Name", "Contact First Name", "Contact Last Name", "Contact Email", "Contact Phone", "ID Number",
        "VAT Number", "Website", "Phone", "Address 1", "City", "Postal Code", "Country", "Private Notes",
        "Public Notes",
    ]  # fmt: skip
    assert mapped(headers) == {
        "Client Name": "name",
        "Contact First Name": "person_first_name",
        "Contact Last Name": "person_last_name",
        "Contact Email": "email",
        "Contact Phone": "person_phone",
        "VAT Number": "vat_number",
        "Website": "website",
        "Phone": "phone",
        "Address 1": "billing_street",
        "City": "billing_city",
        "Postal Code": "billing_postal_code",
        "Private Notes": "footnotes",
    }


def test_freshbooks_clients():
    headers = [
        "Organization", "First Name", "Last Name", "Email", "Phone", "Business Phone", "Mobile Phone", "Fax",
        "Address Line 1", "Address Line 2", "City", "Province/State", "Country", "Postal/Zip Code", "Notes",
        "Language", "Currency Code",
    ]  # fmt: skip
    assert mapped(headers) == {
        "Organization": "company_name",  # people with their employer
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
        "Postal/Zip Code": "billing_postal_code",
        "Notes": "footnotes",
    }


def test_hubspot_companies():
    headers = [
        "Record ID", "Company name", "Company Domain Name", "Phone Number", "Street Address", "Street Address 2",
        "City", "State/Region", "Postal Code", "Country/Region", "Industry", "Number of Employees", "Create Date",
        "Company owner",
    ]  # fmt: skip
    assert mapped(headers) == {
        "Record ID": "id",  # kept only if its values are this workspace's ids (test_import_ids)
        "Company name": "name",  # a list of companies: each row is an institution
        "Company Domain Name": "website",
        "Phone Number": "phone",
        "Street Address": "billing_street",
        "Street Address 2": "billing_street2",
        "City": "billing_city",
        "State/Region": "billing_region",
        "Postal Code": "billing_postal_code",
    }


def test_odoo_contacts():
    headers = [
        "ID", "Display Name", "Is a Company", "Company Name", "Job Position", "Email", "Phone", "Mobile", "Street",
        "City", "Zip", "Country", "Tax ID", "Website", "Tags", "Salesperson", "Reference",
    ]  # fmt: skip
    assert mapped(headers) == {
        "ID": "id",  # Odoo's external ids are not ours: the import leaves them out (test_import_ids)
        "Display Name": "name",
        "Is a Company": "kind",
        "Company Name": "company_name",
        "Job Position": "position",
        "Email": "email",
        "Phone": "phone",
        "Mobile": "mobile",
        "Street": "billing_street",
        "City": "billing_city",
        "Zip": "billing_postal_code",
        "Tax ID": "vat_number",
        "Website": "website",
        "Tags": "tags",
    }


def test_a_german_excel_list_of_people_keeps_the_firm_as_their_employer():
    headers = ["Firma", "Anrede", "Vorname", "Nachname", "E-Mail", "Telefon", "Straße", "PLZ", "Ort", "Land"]
    assert mapped(headers) == {
        "Firma": "company_name",
        "Vorname": "first_name",
        "Nachname": "last_name",
        "E-Mail": "email",
        "Telefon": "phone",
        "Straße": "billing_street",
        "PLZ": "billing_postal_code",
        "Ort": "billing_city",
    }


@pytest.mark.parametrize("company", ["Firma", "Société", "Empresa", "Company Name", "Organisation"])
def test_a_list_of_companies_without_people_fills_the_institution_name(company):
    assert auto_map([company, "E-Mail", "USt-IdNr."]) == ["name", "email", "vat_number"]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("EmailID", "email"),
        ("Email Address", "email"),
        ("E-Mail-Adresse", "email"),
        ("Courriel", "email"),
        ("Correo electrónico", "email"),
        ("Vorname", "first_name"),
        ("Nachname", "last_name"),
        ("Prénom", "first_name"),
        ("Nom", "last_name"),
        ("Nombre", "first_name"),
        ("Apellidos", "last_name"),
        ("contact_first_name", "first_name"),
        ("Designation", "position"),
        ("Job title", "position"),
        ("Funktion", "position"),
        ("Poste", "position"),
        ("Cargo", "position"),
        ("Mobile Phone", "mobile"),
        ("Handy", "mobile"),
        ("Móvil", "mobile"),
        ("Telefon", "phone"),
        ("Téléphone", "phone"),
        ("Teléfono", "phone"),
        ("Webseite", "website"),
        ("Site web", "website"),
        ("Sitio web", "website"),
        ("USt-IdNr.", "vat_number"),
        ("TVA", "vat_number"),
        ("NIF", "vat_number"),
        ("Bemerkungen", "footnotes"),
        ("Remarques", "footnotes"),
        ("Notas", "footnotes"),
        ("Workspace customer ID", "id"),
        ("WORKSPACE_CUSTOMER_ID", "id"),
        # No such field: left for the admin to choose
        ("Salutation", ""),
        ("Anrede", ""),
        ("Abteilung", ""),
        ("Contact Type", ""),
    ],
)
def test_synonyms_in_four_languages_ignoring_case_accents_and_punctuation(header, field):
    assert auto_map([header]) == [field]


def test_a_custom_field_for_a_common_column_takes_its_synonyms():
    custom = {"custom_7": "Anrede", "custom_8": "Department"}
    headers = ["Salutation", "Civilité", "Abteilung", "Vorname"]
    assert auto_map(headers, custom) == ["custom_7", "", "custom_8", "first_name"]


@pytest.mark.parametrize(
    ("headers", "fields"),
    [
        (["Billing City", "Billing Code", "Shipping City"], ["billing_city", "billing_postal_code", "shipping_city"]),
        (["ship-to_city", "ship-to_zip", "bill-to_street"], [
            "shipping_city", "shipping_postal_code", "billing_street"
        ]),
        (["Straße", "PLZ", "Ort", "Land"], ["billing_street", "billing_postal_code", "billing_city", COUNTRY]),
        (["Lieferadresse Straße", "Rechnungsadresse Ort"], ["shipping_street", "billing_city"]),
        (["Adresse", "Code postal", "Ville", "Pays"], [
            "billing_street", "billing_postal_code", "billing_city", COUNTRY
        ]),
        (["Dirección", "Código postal", "Ciudad", "Provincia"], [
            "billing_street", "billing_postal_code", "billing_city", "billing_region"
        ]),
        (["POAddressLine1", "POCity", "SAAddressLine1", "SACity"], [
            "billing_street", "billing_city", "shipping_street", "shipping_city"
        ]),
    ],
)  # fmt: skip
def test_address_columns_in_every_naming_style(headers, fields):
    assert auto_map(headers) == fields


def test_contact_columns_name_the_companys_contact_person_and_the_companys_own_columns_stay_its_own():
    headers = [
        "Company",
        "Company email",
        "Phone",
        "Contact person",
        "Contact email",
        "Contact phone",
        "Tags",
        "Groups",
    ]
    assert auto_map(headers) == [
        "name", "email", "phone", "person_name", "person_email", "person_phone", "tags", "groups"
    ]  # fmt: skip
    # A company's only e-mail column is its own, even when headed as its contact's (Invoice Ninja's clients).
    assert auto_map(["Client", "Contact first name", "Contact email"]) == ["name", "person_first_name", "email"]
    # Without a column naming the customer, "Contact …" columns are the people themselves.
    assert auto_map(["Contact first name", "Contact last name", "Contact email"]) == [
        "first_name",
        "last_name",
        "email",
    ]
