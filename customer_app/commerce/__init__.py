"""Commercial documents on the customer: estimates, orders, receipts, invoices, credit notes, payments, tax."""
