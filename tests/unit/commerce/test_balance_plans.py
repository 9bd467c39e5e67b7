"""The Invoices tab reads an invoice's credit notes through an index, not by scanning every document."""

from sqlmodel import Session

from customer_app.commerce import balances
from tests.unit.commerce.test_documents import clean_rules, standard_rate  # noqa: F401  (clean_rules is autouse)
from tests.unit.commerce.test_payments import credit_part, issued_invoice
from tests.unit.databases import statements_sent


def plan(session: Session, statement: str, parameters: object) -> str:
    """The database's plan for the statement (PostgreSQL told to avoid whole-table scans where it can: on tables this
    small a scan would win even with an index)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return "\n".join(row[3] for row in rows)
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    return "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters))


def test_the_invoices_tab_finds_credit_notes_by_their_invoice_without_reading_every_document(session, staff, add):
    standard_rate(session, "19")
    ada = add(first_name="Ada", email="ada@example.com")
    invoice = issued_invoice(session, staff, ada.id)
    credit_part(session, staff, invoice, "30")
    sent = statements_sent(session, lambda: balances.invoices(ada.id, "open", actor=staff, session=session))
    by_source = [(statement, parameters) for statement, parameters in sent if "source_id =" in statement
                 or "source_id IN" in statement]  # fmt: skip
    assert len(by_source) == 2  # the open filter's subquery, then the credit notes of the invoices shown
    plans = [plan(session, statement, parameters) for statement, parameters in by_source]
    assert all("ix_sales_document_source" in found for found in plans), plans
