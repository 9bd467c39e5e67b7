"""Custom fields in imports: mapped from their labels, checked by type and kind, written, re-imported, undone."""

import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from sqlmodel import select

from customer_app.customers import custom_fields
from customer_app.customers.custom_field_values import customer_values, save_values
from customer_app.customers.custom_fields import FieldDefinition, add_field
from customer_app.customers.models import Customer
from customer_app.transfer import export, import_files, import_undo, imports
from customer_app.transfer.import_mapping import auto_map, suggested_mapping, targets
from customer_app.transfer.import_rows import Plan
from tests.unit.transfer.test_imports import commit, csv_bytes, upload


@pytest.fixture(autouse=True)
def private_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imports"))
    monkeypatch.setenv("EXPORT_DIR", str(tmp_path / "exports"))


@pytest.fixture
def fields(session, admin):
    """Tier (choice, for everyone), Seats (number, institutions only), Renewal (date)."""
    made = {
        "tier": add_field(FieldDefinition("Tier", "choice", options="Gold\nSilver"), actor=admin, session=session),
        "seats": add_field(FieldDefinition("Seats", "number", "institution"), actor=admin, session=session),
        "renewal": add_field(FieldDefinition("Renewal", "date"), actor=admin, session=session),
    }
    session.commit()
    return made


def previewed(session, admin, data: bytes, name="people.csv", **plan):
    """Upload and preview with the mapping the import page suggests (custom fields matched by label)."""
    job = upload(session, admin, data, name)
    mapping, _ = suggested_mapping(imports.read_job_table(job).headers, actor=admin, session=session)
    preview = imports.preview_import(job.id, Plan(mapping, **plan), actor=admin, session=session)
    session.commit()
    return job, preview


def values_of(session, admin, name: str) -> dict[str, str]:
    customer = session.exec(select(Customer).where(Customer.display_name == name)).one()
    return {f.label: v for f, v in customer_values(customer.id, actor=admin, session=session) if v}


def test_columns_headed_with_a_custom_fields_label_fill_it(session, admin, fields):
    custom = {key: label for key, label in targets(actor=admin, session=session).items() if key.startswith("custom_")}
    assert auto_map(["E-mail", "tier ", "SEATS", "Favourite colour"], custom) == [
        "email",
        f"custom_{fields['tier'].id}",
        f"custom_{fields['seats'].id}",
        "",
    ]
    mapping, _ = suggested_mapping(["Email", "Renewal"], actor=admin, session=session)
    assert mapping == ["email", f"custom_{fields['renewal'].id}"]


def test_custom_values_are_checked_by_type_and_kind_and_written_with_new_customers(session, engine, admin, fields):
    headers = ["Kind", "First name", "Name", "E-mail", "Tier", "Seats", "Renewal"]
    data = csv_bytes(
        [
            ("Individual", "Ada", "", "ada@example.com", "gold", "", "31.03.2027"),
            ("Institution", "", "Acme", "acme@example.com", "Silver", "1,200", ""),
            ("Individual", "Bob", "", "bob@example.com", "Bronze", "3", "someday"),
        ],
        headers,
    )
    job, preview = previewed(session, admin, data)
    assert {k: v for k, v in preview.counts.items() if v} == {"new": 2, "error": 1}
    [bad] = [o for o in preview.rows if o.status == "error"]
    assert "Tier: Choose one of the listed options." in bad.message
    assert "Seats: This field is for institutions only." in bad.message
    assert "Renewal: Enter a date like 2026-04-23." in bad.message
    commit(session, engine, admin, job)
    assert values_of(session, admin, "Ada") == {"Tier": "Gold", "Renewal": "2027-03-31"}
    assert values_of(session, admin, "Acme") == {"Tier": "Silver", "Seats": "1200"}


def test_an_export_with_custom_columns_imports_back_unchanged_and_a_change_is_undone(
    session, engine, admin, add, fields, tmp_path
):
    ada = add(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    save_values(ada.id, {fields["tier"].id: "Gold", fields["renewal"].id: "2027-03-31"}, actor=admin, session=session)
    session.commit()
    keys = ["first_name", "email", f"custom_{fields['tier'].id}", f"custom_{fields['renewal'].id}"]
    path, _ = export.write_export(export.ExportScope(), keys, "xlsx", actor=admin, session=session)
    data = path.read_bytes()
    _, preview = previewed(session, admin, data, name="export.xlsx", match_on="id")
    assert {k: v for k, v in preview.counts.items() if v} == {"unchanged": 1}

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Customer ID", "Tier", "Renewal"])
    sheet.append([ada.id, "Silver", date(2028, 1, 15)])  # a real date cell
    changed = tmp_path / "changed.xlsx"
    workbook.save(changed)
    job, preview = previewed(session, admin, changed.read_bytes(), name="changed.xlsx", match_on="id")
    assert {k: v for k, v in preview.counts.items() if v} == {"update": 1}
    commit(session, engine, admin, job)
    assert values_of(session, admin, "Ada Lovelace") == {"Tier": "Silver", "Renewal": "2028-01-15"}

    save_values(ada.id, {fields["tier"].id: "Gold"}, actor=admin, session=session)  # someone edits it afterwards
    session.commit()
    [conflict] = import_undo.undo_conflicts(job.id, actor=admin, session=session)
    assert conflict.fields == ["Tier"]
    import_undo.undo_import(job.id, actor=admin, session=session, overwrite=True)
    session.commit()
    assert values_of(session, admin, "Ada Lovelace") == {"Tier": "Gold", "Renewal": "2027-03-31"}


def test_a_required_custom_field_must_come_with_every_new_customer(session, engine, admin, add, fields):
    definition = FieldDefinition("Region", "text", "individual", required=True)
    add_field(definition, actor=admin, session=session)
    add(first_name="Old", last_name="Timer", email="old@example.com")  # existing customers are only updated
    session.commit()
    data = csv_bytes([("New", "Comer", "new@example.com", ""), ("Old", "Timer", "old@example.com", "")])
    _, preview = previewed(session, admin, data)
    assert {k: v for k, v in preview.counts.items() if v} == {"error": 1, "unchanged": 1}
    assert preview.rows[0].message == "Region: Fill in Region."
    assert custom_fields.value_counts(actor=admin, session=session) == {}


def test_the_sample_files_carry_a_column_per_custom_field_with_its_rules(session, admin, fields):
    custom = custom_fields.list_fields(actor=admin, session=session)
    workbook = load_workbook(io.BytesIO(import_files.sample_xlsx(custom)))
    headers = [cell.value for cell in workbook["Customers"][1]]
    assert headers[-3:] == ["Tier", "Seats", "Renewal"]
    instructions = {row[0]: row[1:3] for row in workbook["Instructions"].iter_rows(values_only=True) if row}
    assert str(instructions["Tier"][1]).startswith("Custom field for individuals and institutions: one of Gold, Silver")
    assert "a number like 1234.56" in str(instructions["Seats"][1])
    tier_letter = get_column_letter(len(headers) - 2)
    lists = [v for v in workbook["Customers"].data_validations.dataValidation if tier_letter in str(v.sqref)]
    assert lists
    assert lists[0].formula1 == '"Gold,Silver"'
    assert import_files.sample_csv(custom).decode("utf-8-sig").splitlines()[0].endswith(",Tier,Seats,Renewal")


def test_the_sample_workbook_with_custom_fields_imports_as_it_says(session, admin, fields):
    _, preview = previewed(
        session, admin, import_files.sample_xlsx(custom_fields.list_fields(actor=admin, session=session)), "s.xlsx"
    )
    assert {k: v for k, v in preview.counts.items() if v} == {"new": 2}


def test_sample_files_keep_formula_like_labels_and_choices_as_text(session, admin):
    label = '=HYPERLINK("http://evil.example","Tier")'
    choices = "+1 cmd\n@SUM(A1)\nplain, with a comma"  # the comma sends the choices to the hidden Lists sheet
    add_field(FieldDefinition(label, "choice", options=choices), actor=admin, session=session)
    session.commit()
    custom = custom_fields.list_fields(actor=admin, session=session)
    workbook = load_workbook(io.BytesIO(import_files.sample_xlsx(custom)))
    risky = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value[:1] in "=+@"
    ]
    assert {str(cell.value) for cell in risky} >= {label, "+1 cmd", "@SUM(A1)"}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in risky)
    header = next(csv.reader(import_files.sample_csv(custom).decode("utf-8-sig").splitlines()))
    assert header[-1] == "'" + label
