"""Exports: the chosen columns and scope, the customer ID first, and no cell a spreadsheet would run."""

import csv

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

from customer_app.core.permissions import Actor
from customer_app.customers import custom_field_values, custom_fields, customers
from customer_app.errors import PermissionDenied, ValidationError
from customer_app.transfer import export
from customer_app.transfer.columns import checked_columns, custom_columns
from customer_app.transfer.export import ExportScope, export_rows


@pytest.fixture
def book(session, add):
    """Three individuals (one in Trash, one with risky text) and an institution."""
    ann = add(first_name="Ann", last_name="Lee", email="ann@example.com", phone="+1 202-555-0143")
    risky = add(first_name='=HYPERLINK("http://evil.example")', last_name="@SUM(A1)", position="-2+3")
    gone = add(first_name="Gone", last_name="Away")
    add(kind="institution", name="Acme Labs", ownership_type="Corporation")
    customers.trash_customers([gone.id], actor=Actor(0, "a@x.example", "A", "admin"), session=session)
    session.commit()
    return {"ann": ann, "risky": risky, "gone": gone}


EVERYONE = ExportScope()


def rows(session, admin, scope=EVERYONE, keys=("first_name", "last_name", "email")):
    return list(export_rows(scope, checked_columns(keys), actor=admin, session=session))


def test_the_customer_id_comes_first_and_columns_follow_the_chosen_order(session, admin, book):
    columns = checked_columns(["email", "first_name", "id"])
    assert [c.header for c in columns] == ["Workspace customer ID", "Email", "First name"]


def test_unknown_columns_are_refused_with_their_names(session, admin):
    with pytest.raises(ValidationError, match="password_hash"):
        checked_columns(["email", "password_hash"])


def test_everything_means_every_customer_not_in_trash(session, admin, book):
    ids = [row[0] for row in rows(session, admin)]
    assert book["gone"].id not in ids
    assert len(ids) == 3
    assert ids == sorted(ids)


def test_scope_can_be_the_current_tab_and_search_or_the_selected_rows(session, admin, book):
    assert [r[0] for r in rows(session, admin, ExportScope(tab="individual", search="ann"))] == [book["ann"].id]
    assert [r[0] for r in rows(session, admin, ExportScope(tab="trash"))] == [book["gone"].id]
    assert [r[0] for r in rows(session, admin, ExportScope(ids=(book["risky"].id,)))] == [book["risky"].id]


def test_exports_read_in_chunks_cover_every_row(session, admin, add, monkeypatch):
    for n in range(7):
        add(first_name=f"Chunk{n}", last_name="Reader")
    monkeypatch.setattr(export, "CHUNK", 3)
    assert len(rows(session, admin, ExportScope(tab="individual", search="reader"))) == 7


def test_only_admins_may_export(session, admin, staff, reader, book):
    assert rows(session, admin)
    for caller in (staff, reader, None):
        with pytest.raises(PermissionDenied):
            rows(session, caller)


def test_csv_neutralises_formula_cells_and_keeps_the_rest(session, admin, book, tmp_path):
    columns = checked_columns(["first_name", "last_name", "phone", "position", "date_of_birth"])
    path = tmp_path / "out.csv"
    export.write_csv(path, columns, export_rows(ExportScope(), columns, actor=admin, session=session, for_csv=True))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheet programs read the accents right
    table = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert table[0] == ["Workspace customer ID", "First name", "Last name", "Phone", "Position", "Date of birth"]
    risky = next(r for r in table if r[0] == str(book["risky"].id))
    assert risky[1:3] == ['\'=HYPERLINK("http://evil.example")', "'@SUM(A1)"]
    assert risky[4] == "'-2+3"
    ann = next(r for r in table if r[0] == str(book["ann"].id))
    assert ann[1] == "Ann"
    assert ann[3] == "'+12025550143"


def test_xlsx_stores_risky_text_as_text_never_as_a_formula(session, admin, book, tmp_path):
    columns = checked_columns(["first_name", "last_name", "position", "created_at"])
    path = tmp_path / "out.xlsx"
    count = export.write_xlsx(path, columns, export_rows(ExportScope(), columns, actor=admin, session=session))
    assert count == 3
    sheet = load_workbook(path)["Customers"]
    table = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    first, last, position = table[book["risky"].id][1:4]
    assert first.value == '=HYPERLINK("http://evil.example")'  # the exact text: re-imports unchanged
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in (first, last, position))
    assert table[book["ann"].id][1].value == "Ann"
    born = table[book["ann"].id][4]
    assert isinstance(born, Cell)  # not a merged cell
    assert born.is_date


def test_custom_fields_can_be_exported_as_columns_headed_by_their_labels(session, admin, book):
    define = custom_fields.FieldDefinition
    tier = custom_fields.add_field(define("Tier", "choice", options="Gold\nSilver"), actor=admin, session=session)
    email = custom_fields.add_field(define("Email", "text", "individual"), actor=admin, session=session)
    seats = custom_fields.add_field(define("Seats", "number", "individual"), actor=admin, session=session)
    custom_fields.add_field(define("Seats", "number", "institution"), actor=admin, session=session)
    custom_field_values.save_values(book["ann"].id, {tier.id: "Gold", seats.id: "-3"}, actor=admin, session=session)
    session.commit()
    custom = custom_columns(actor=admin, session=session)
    keys = ["first_name", f"custom_{tier.id}", f"custom_{email.id}", f"custom_{seats.id}"]
    columns = checked_columns(keys, custom)
    assert [c.header for c in columns] == [
        "Workspace customer ID",
        "First name",
        "Tier",
        "Email (custom field)",
        "Seats (individuals)",
    ]
    found = {row[0]: row[1:] for row in export_rows(EVERYONE, columns, actor=admin, session=session)}
    assert found[book["ann"].id] == ("Ann", "Gold", None, "-3")
    as_csv = {row[0]: row[1:] for row in export_rows(EVERYONE, columns, actor=admin, session=session, for_csv=True)}
    assert as_csv[book["ann"].id][3] == "'-3"  # a leading minus is a formula start in CSV; re-import drops the quote
    with pytest.raises(ValidationError, match="custom_"):
        checked_columns(keys)  # without the custom columns on offer


@pytest.mark.parametrize("start", ["=", "＝", "＋", "－", "＠"])
def test_fullwidth_formula_signs_are_neutralised_like_ascii_ones(session, admin, add, tmp_path, start):
    sneaky = add(first_name=f"{start}HYPERLINK(1)", last_name="Wide")
    session.commit()
    columns = checked_columns(["first_name"])
    path = tmp_path / "out.csv"
    export.write_csv(path, columns, export_rows(ExportScope(), columns, actor=admin, session=session, for_csv=True))
    table = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert [r[1] for r in table if r[0] == str(sneaky.id)] == [f"'{start}HYPERLINK(1)"]


def test_a_custom_field_labelled_like_a_formula_heads_its_column_as_text(session, admin, book, tmp_path):
    label = '=HYPERLINK("http://evil.example","Tier")'
    custom_fields.add_field(custom_fields.FieldDefinition(label), actor=admin, session=session)
    session.commit()
    columns = checked_columns(
        ["first_name", *custom_columns(actor=admin, session=session)], custom_columns(actor=admin, session=session)
    )
    csv_path, xlsx_path = tmp_path / "out.csv", tmp_path / "out.xlsx"
    export.write_csv(csv_path, columns, [])
    export.write_xlsx(xlsx_path, columns, [])
    assert next(csv.reader(csv_path.read_text(encoding="utf-8-sig").splitlines()))[-1] == "'" + label
    header = next(load_workbook(xlsx_path)["Customers"].iter_rows(max_row=1))[-1]
    assert header.value == label
    assert header.data_type == "s"
    assert header.quotePrefix
