"""An import row brings its addresses, contact person, other e-mails and phones, tags, groups and a note; a matched
customer gets only what it lacks; bad cells refuse the row and say which; undo takes back what the import added."""

import pytest
from openpyxl import Workbook
from sqlmodel import col, select

from customer_app.core.models import AuditEvent
from customer_app.customers.models import Customer, CustomerGroup, CustomerGroupMember, CustomerTag
from customer_app.records import addresses
from customer_app.records.models import ContactPerson, CustomerAddress, CustomerContact, CustomerNote
from customer_app.transfer import import_related, import_undo, import_uploads, imports
from customer_app.transfer.import_rows import ERROR, NEW, UNCHANGED, UPDATE, Plan
from tests.unit.transfer.test_imports import commit, csv_bytes, previewed

HEADERS = [
    "Company Name", "Email", "Phone", "Contact Person", "Contact Phone", "Billing Street", "Billing City",
    "Billing Zip", "Billing State", "Billing Country", "Shipping Address 1", "Shipping City",
    "Shipping Postal Code", "Shipping Country", "Tags", "Customer Group", "Internal note",
]  # fmt: skip
ACME = [
    "Acme Ltd", "orders@acme.example", "+1 415 555 0100", "Wile Coyote", "(415) 555-0132", "1 Market St",
    "San Francisco", "94105", "CA", "USA", "Unter den Linden 1", "Berlin", "10117", "Deutschland",
    "wholesale; priority", "Partners", "Met at the 2026 fair.",
]  # fmt: skip


@pytest.fixture(autouse=True)
def private_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imports"))


def imported(session, engine, admin, rows, name="companies.csv"):
    job, preview = previewed(session, admin, csv_bytes(rows, HEADERS), name=name)
    done, _ = commit(session, engine, admin, job)
    return job, preview, done


def acme(session) -> Customer:
    return session.exec(select(Customer).where(col(Customer.email) == "orders@acme.example")).one()


def held(session, table, customer_id: int) -> list:
    return list(session.exec(select(table).where(col(table.customer_id) == customer_id)))


def test_a_company_row_brings_both_addresses_its_contact_person_tags_group_and_note(session, engine, admin):
    _job, preview, done = imported(session, engine, admin, [ACME])
    assert preview.counts[NEW] == 1, preview.rows[0].message
    assert "billing address, shipping address, contact person Wile Coyote" in preview.rows[0].message
    assert done.created_count == 1
    company = acme(session)
    assert (company.kind, company.name) == ("institution", "Acme Ltd")
    stored = {a.kind: a for a in held(session, CustomerAddress, company.id)}
    assert stored["billing"].is_default
    assert stored["shipping"].is_default
    assert addresses.formatted(stored["billing"]).splitlines() == [
        "1 Market St",
        "SAN FRANCISCO, CA 94105",
        "UNITED STATES",
    ]
    assert (stored["shipping"].street, stored["shipping"].postal_code, stored["shipping"].country_code) == (
        "Unter den Linden 1",
        "10117",
        "DE",
    )
    [person] = held(session, ContactPerson, company.id)
    assert (person.name, person.phone) == ("Wile Coyote", "+14155550132")  # read in the row's country
    assert sorted(t.tag for t in held(session, CustomerTag, company.id)) == ["priority", "wholesale"]
    group = session.exec(select(CustomerGroup).where(col(CustomerGroup.name) == "Partners")).one()
    made = session.exec(select(AuditEvent).where(col(AuditEvent.action) == "group_add")).one()  # added like by hand
    assert (made.entity_id, made.summary) == (group.id, "Partners")
    assert [m.group_id for m in held(session, CustomerGroupMember, company.id)] == [group.id]
    [note] = held(session, CustomerNote, company.id)
    assert (note.body, note.author_name) == ("Met at the 2026 fair.", admin.name)


def test_importing_the_same_file_again_adds_nothing_twice(session, engine, admin):
    imported(session, engine, admin, [ACME])
    _job, preview, _done = imported(session, engine, admin, [ACME], name="again.csv")
    assert preview.counts[UNCHANGED] == 1, [row.message for row in preview.rows]
    company = acme(session)
    for table, count in ((CustomerAddress, 2), (ContactPerson, 1), (CustomerTag, 2), (CustomerNote, 1)):
        assert len(held(session, table, company.id)) == count, table


def test_a_new_address_becomes_the_default_keeps_the_old_one_and_undo_puts_it_back(session, engine, admin):
    imported(session, engine, admin, [ACME])
    company = acme(session)
    [old] = [a for a in held(session, CustomerAddress, company.id) if a.kind == "billing"]
    street, tags = HEADERS.index("Billing Street"), HEADERS.index("Tags")
    moved = [*ACME[:street], "500 Howard St", *ACME[street + 1 : tags], "wholesale, export", *ACME[tags + 1 :]]
    job, preview, done = imported(session, engine, admin, [moved], name="moved.csv")
    assert preview.counts[UPDATE] == 1
    assert done.updated_count == 1
    assert "billing address, tag export" in preview.rows[0].message
    billing = {a.street: a.is_default for a in held(session, CustomerAddress, company.id) if a.kind == "billing"}
    assert billing == {"1 Market St": False, "500 Howard St": True}
    assert sorted(t.tag for t in held(session, CustomerTag, company.id)) == ["export", "priority", "wholesale"]

    import_undo.undo_import(job.id, actor=admin, session=session)
    session.commit()
    session.expire_all()
    billing = {a.id: a.is_default for a in held(session, CustomerAddress, company.id) if a.kind == "billing"}
    assert billing == {old.id: True}
    assert sorted(t.tag for t in held(session, CustomerTag, company.id)) == ["priority", "wholesale"]
    assert len(held(session, CustomerNote, company.id)) == 1  # the first import's note stays


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Billing City", "", "Billing address: city: This country's addresses need this."),
        ("Billing Country", "Atlantis", 'Billing address: country: "Atlantis" is not a country the import knows'),
        ("Contact Phone", "555", "Contact person: phone:"),
        ("Tags", "x" * 51, "Tags (separated by commas): Use at most 30 tags of up to 50 characters."),
    ],
)
def test_a_bad_cell_refuses_the_row_names_the_column_and_writes_nothing(session, engine, admin, column, value, message):
    row = list(ACME)
    row[HEADERS.index(column)] = value
    _job, preview, done = imported(session, engine, admin, [row])
    assert preview.counts[ERROR] == 1
    assert message in preview.rows[0].message
    assert done.created_count == 0
    assert session.exec(select(CustomerAddress)).all() == []


def test_people_have_no_contact_persons(session, admin):
    _job, preview = previewed(
        session,
        admin,
        csv_bytes(
            [("Ada", "Lovelace", "ada@example.com", "Charles Babbage")],
            ["First name", "Last name", "Email", "Contact person"],
        ),
    )
    assert preview.counts[ERROR] == 1
    assert "Only institutions have contact persons" in preview.rows[0].message


def test_other_e_mails_and_phones_join_the_customers_contacts_once(session, engine, admin):
    headers = ["First name", "Last name", "Email", "Phone", "Secondary email", "Home phone", "Land"]
    row = ("Jürgen", "Müller", "j@example.de", "030 9018200", "juergen@example.com", "030 9018200", "Deutschland")
    job, _preview = previewed(session, admin, csv_bytes([row], headers))
    commit(session, engine, admin, job)
    customer = session.exec(select(Customer).where(col(Customer.email) == "j@example.de")).one()
    # The home phone is the customer's own phone already: only the other e-mail is added.
    assert [(c.channel, c.value) for c in held(session, CustomerContact, customer.id)] == [
        ("email", "juergen@example.com")
    ]


def test_undo_of_an_import_that_created_a_customer_with_addresses_moves_it_to_trash(session, engine, admin):
    job, _preview, _done = imported(session, engine, admin, [ACME])
    assert import_undo.undo_conflicts(job.id, actor=admin, session=session) == []  # its own rows are no later work
    result = import_undo.undo_import(job.id, actor=admin, session=session)
    session.commit()
    assert result.removed == 1
    session.expire_all()
    company = session.exec(select(Customer).where(col(Customer.name) == "Acme Ltd")).one()
    assert company.deleted_at is not None
    assert len(held(session, CustomerAddress, company.id)) == 2  # kept with it in Trash


def test_a_second_sheet_joined_by_e_mail_adds_several_contact_persons_and_addresses(session, engine, admin, tmp_path):
    book = Workbook()
    companies = book.active
    companies.title = "Companies"
    companies.append(["Company", "Email", "VAT number"])
    companies.append(["Acme Ltd", "orders@acme.example", ""])
    companies.append(["Globex SA", "hello@globex.example", ""])
    people = book.create_sheet("Contacts")
    people.append(["Company email", "Contact person", "Contact person job title", "Contact person email"])
    people.append(["orders@acme.example", "Wile Coyote", "Buyer", "wile@acme.example"])
    people.append(["orders@acme.example", "Road Runner", "Courier", "road@acme.example"])
    people.append(["hello@globex.example", "Hank Scorpio", "CEO", ""])
    people.append(["nobody@example.com", "Nemo", "", ""])
    sites = book.create_sheet("Sites")
    sites.append(["Email", "Shipping street", "Shipping city", "Shipping state", "Shipping zip", "Shipping country"])
    sites.append(["orders@acme.example", "1 Dock Rd", "Oakland", "CA", 94607, "US"])
    sites.append(["orders@acme.example", "2 Pier Ave", "Oakland", "CA", 94607, "US"])
    path = tmp_path / "crm.xlsx"
    book.save(path)
    data = path.read_bytes()

    def sheet(name: str):
        job = import_uploads.store_upload([data], "crm.xlsx", actor=admin, session=session)
        columns = import_uploads.read_columns(job.id, name, actor=admin, session=session)
        preview = imports.preview_import(job.id, Plan(columns.mapping), actor=admin, session=session)
        session.commit()
        done, _ = commit(session, engine, admin, job)
        return columns.mapping, preview, done

    sheet("Companies")
    mapping, preview, done = sheet("Contacts")
    assert mapping == ["email", "person_name", "person_position", "person_email"]
    assert (preview.counts[UPDATE], preview.counts[ERROR]) == (3, 1)
    assert "No customer has this Email; these rows add to customers that exist" in preview.rows[-1].message
    assert done.updated_count == 3
    company = acme(session)
    assert company.version == 1  # the customer row itself was left as it was
    assert [(p.name, p.position, p.email) for p in held(session, ContactPerson, company.id)] == [
        ("Wile Coyote", "Buyer", "wile@acme.example"),
        ("Road Runner", "Courier", "road@acme.example"),
    ]
    _mapping, _preview, done = sheet("Sites")
    assert done.updated_count == 2
    shipping = {a.street: a.is_default for a in held(session, CustomerAddress, company.id)}
    assert shipping == {"1 Dock Rd": False, "2 Pier Ave": True}  # one default of its kind: the last row's

    _mapping, again, _done = sheet("Contacts")
    assert (again.counts[UNCHANGED], again.counts[ERROR]) == (3, 1)


def test_without_a_country_column_the_addresss_country_reads_the_phone_numbers(session, engine, admin):
    headers = ["Company", "Email", "Telefon", "Rechnungsadresse Straße", "Rechnungsadresse PLZ", "Rechnungsadresse Ort",
               "Rechnungsadresse Land"]  # fmt: skip
    row = ("Müller GmbH", "info@mueller.example", "030 9018200", "Alexanderplatz 1", "10178", "Berlin", "Deutschland")
    job, preview = previewed(session, admin, csv_bytes([row], headers))
    assert preview.counts[NEW] == 1, preview.rows[0].message
    commit(session, engine, admin, job)
    company = session.exec(select(Customer).where(col(Customer.email) == "info@mueller.example")).one()
    assert company.phone == "+49309018200"
    [address] = held(session, CustomerAddress, company.id)
    assert (address.kind, address.city, address.country_code) == ("billing", "Berlin", "DE")


ODOO_ROW = {"billing_street": "77 Santa Barbara Rd", "billing_city": "Pleasant Hill", "billing_postal_code": "94523"}


def test_a_state_followed_by_its_countrys_code_as_odoo_exports_it_is_the_state():
    row = ODOO_ROW | {"billing_region": "California (US)"}
    related, errors = import_related.read(row, kind="institution", country="United States", region="US")
    assert errors == {}
    assert [(a["region"], a["country_code"]) for a in related.addresses] == [("California", "US")]


def test_a_state_followed_by_another_countrys_code_is_still_refused():
    row = ODOO_ROW | {"billing_region": "California (MX)"}
    related, errors = import_related.read(row, kind="institution", country="United States", region="US")
    assert related.addresses == []
    assert errors == {"billing_region": "This is not valid for the country."}


def test_a_note_column_writes_the_note_with_its_time_and_author(session, add, admin):
    ada = add(first_name="Ada", last_name="Lovelace")
    related = import_related.Related(note="Met at the Hamburg fair.")
    import_related.write([(ada.id, related)], existing=set(), actor=admin, session=session)
    note = session.exec(select(CustomerNote)).one()
    assert (note.customer_id, note.body, note.author_name) == (ada.id, "Met at the Hamburg fair.", admin.name)
    assert note.created_at is not None


@pytest.mark.parametrize(
    ("country", "city", "region", "cell", "stored"),
    [
        ("US", "Cambridge", "MA", "2141", "02141"),  # a zip code Excel kept as the number 2141
        ("FR", "Bourg-en-Bresse", "", "1000", "01000"),
        ("AT", "Wien", "", "1010", "1010"),  # four digits are right as they are in Austria
    ],
)
def test_a_postcode_kept_as_a_number_gets_back_its_leading_zeros(country, city, region, cell, stored):
    row = {"billing_street": "1 Main St", "billing_city": city, "billing_region": region, "billing_postal_code": cell}
    related, errors = import_related.read(row, kind="institution", country=country, region=country)
    assert errors == {}
    assert [a["postal_code"] for a in related.addresses] == [stored]


def test_undo_leaves_alone_an_address_the_import_added_that_someone_changed_since(session, engine, admin, staff):
    imported(session, engine, admin, [ACME])
    company = acme(session)
    street = HEADERS.index("Billing Street")
    job, _preview, _done = imported(session, engine, admin, [[*ACME[:street], "500 Howard St", *ACME[street + 1 :]]])
    added = next(a for a in held(session, CustomerAddress, company.id) if a.street == "500 Howard St")
    fields = {"kind": "billing", "street": "500 Howard St, Floor 3", "city": "San Francisco", "postal_code": "94105",
              "region": "CA", "country_code": "US", "is_default": True}  # fmt: skip
    addresses.save_address(company.id, fields, actor=staff, session=session, address_id=added.id)
    session.commit()
    [conflict] = import_undo.undo_conflicts(job.id, actor=admin, session=session)
    assert conflict.fields == ["an address it added (changed since)"]

    result = import_undo.undo_import(job.id, actor=admin, session=session)
    session.commit()
    assert result.left_alone == 1
    session.expire_all()
    assert session.get(CustomerAddress, added.id).street == "500 Howard St, Floor 3"  # the change is kept
