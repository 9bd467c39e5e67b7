"""The totals of a commercial document: line amounts, tax per rate and the document's net, tax and gross.

Pure arithmetic on exact decimals, no database. The rules:
- A line's amount is quantity × unit price × (1 − discount/100), rounded half-up once to the currency's minor unit.
  That rounded amount is what the line shows, and the document's amounts are sums of what the lines show, so a
  reader adding up the lines gets the document's total (as EN 16931 requires of an e-invoice).
- Prices exclude tax (the default): the line amount is the net. Per-document rounding (the default) sums the lines'
  nets per rate and computes that rate's tax once, net × rate/100 rounded half-up. Per-line rounding rounds each
  line's tax and sums them. gross = net + tax.
- Prices include tax: the line amount is the gross, and the gross stays exactly what the lines say. The tax is
  gross × rate/(100 + rate), rounded half-up once per rate (or once per line), and net = gross − tax.
- Half-up rounds away from zero at exactly half, so a document with every quantity negated (a credit note for an
  invoice) has exactly the negated totals.
- Every document satisfies net + tax == gross, and its tax is the sum of its rates' tax.

Quantities may be negative: a line can take something back (returned goods, a deposit refunded) and a credit
note is calculated from the negated lines of its invoice. Unit prices may not be negative, so that a negative
amount has one way to be written (the quantity); discounts lie within 0..100 and tax rates are not negative.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from customer_app.core.money import PRECISION, exponent, from_minor, to_minor

HUNDRED = Decimal(100)  # percent


@dataclass(frozen=True)
class LineInput:
    """One line as typed: exact decimals in the document's currency."""

    quantity: Decimal
    unit_price: Decimal  # in the document's currency, net or gross per prices_include_tax
    discount_percent: Decimal  # 0..100
    tax_rate: Decimal  # percent, e.g. Decimal("19"), Decimal("9.975")


@dataclass(frozen=True)
class LineTotal:
    """One line's amounts in minor units (net + tax == gross)."""

    net_minor: int  # line amount after discount, excluding tax
    tax_minor: int  # the line's tax (per-line rounding), or its unrounded share shown rounded (per-document)
    gross_minor: int


@dataclass(frozen=True)
class DocumentTotals:
    """The document's amounts in minor units; the lines' tax adds up to `tax_minor` only with per-line rounding."""

    lines: tuple[LineTotal, ...]
    # (rate, net_minor of that rate, tax_minor of that rate), by rate ascending
    tax_by_rate: tuple[tuple[Decimal, int, int], ...]
    net_minor: int
    tax_minor: int
    gross_minor: int


def calculate(
    lines: Sequence[LineInput], *, currency: str, prices_include_tax: bool = False, round_per_line: bool = False
) -> DocumentTotals:
    """The totals of a document's lines in `currency` (see the module's docstring for the rules).

    Raises ValueError for an unknown currency, a value that is not a finite Decimal, a negative unit price, a
    discount outside 0..100 or a negative tax rate (the message names the line, counting from 1).
    """
    exponent(currency)  # an unknown currency fails here even for a document without lines
    with localcontext(prec=PRECISION):
        amounts = [_line_amount(line, number, currency) for number, line in enumerate(lines, start=1)]
        totals = [
            _line_total(amount, _tax(amount, line.tax_rate, currency, prices_include_tax), prices_include_tax)
            for amount, line in zip(amounts, lines, strict=True)
        ]
        by_rate: dict[Decimal, list[tuple[int, int]]] = {}
        for line, amount, total in zip(lines, amounts, totals, strict=True):
            by_rate.setdefault(line.tax_rate, []).append((amount, total.tax_minor))
        rates = []
        for rate in sorted(by_rate):
            amount_minor = sum(amount for amount, _ in by_rate[rate])
            if round_per_line:
                tax_minor = sum(tax for _, tax in by_rate[rate])
            else:
                tax_minor = _tax(amount_minor, rate, currency, prices_include_tax)
            rates.append((rate, amount_minor - tax_minor if prices_include_tax else amount_minor, tax_minor))
    net = sum(net for _, net, _ in rates)
    tax = sum(tax for _, _, tax in rates)
    return DocumentTotals(
        lines=tuple(totals), tax_by_rate=tuple(rates), net_minor=net, tax_minor=tax, gross_minor=net + tax
    )


def _line_amount(line: LineInput, number: int, currency: str) -> int:
    """The line's amount (net or gross, as its prices are) in minor units, rounded half-up once."""
    quantity = _finite(line.quantity, number, "quantity")
    unit_price = _finite(line.unit_price, number, "unit price")
    discount = _finite(line.discount_percent, number, "discount")
    rate = _finite(line.tax_rate, number, "tax rate")
    if unit_price < 0:
        raise ValueError(f"Line {number}: the unit price must not be negative (take back with a negative quantity).")
    if not 0 <= discount <= HUNDRED:
        raise ValueError(f"Line {number}: the discount must be between 0 and 100 %.")
    if rate < 0:
        raise ValueError(f"Line {number}: the tax rate must not be negative.")
    try:
        return to_minor(quantity * unit_price * (HUNDRED - discount) / HUNDRED, currency)
    except ValueError as error:
        raise ValueError(f"Line {number}: {str(error)[0].lower()}{str(error)[1:]}") from error


def _tax(amount_minor: int, rate: Decimal, currency: str, prices_include_tax: bool) -> int:
    """The tax of one line amount, rounded half-up."""
    return to_minor(_exact_tax(from_minor(amount_minor, currency), rate, prices_include_tax), currency)


def _exact_tax(amount: Decimal, rate: Decimal, prices_include_tax: bool) -> Decimal:
    """The unrounded tax in an amount: net × rate/100, or gross × rate/(100 + rate) when the amount includes it."""
    # One division, last, so the only inexact step is at the context's 80th digit, far below any minor unit.
    return amount * rate / (HUNDRED + rate) if prices_include_tax else amount * rate / HUNDRED


def _line_total(amount_minor: int, tax_minor: int, prices_include_tax: bool) -> LineTotal:
    """A line's net, tax and gross from its amount and its rounded tax."""
    if prices_include_tax:
        return LineTotal(net_minor=amount_minor - tax_minor, tax_minor=tax_minor, gross_minor=amount_minor)
    return LineTotal(net_minor=amount_minor, tax_minor=tax_minor, gross_minor=amount_minor + tax_minor)


def _finite(value: object, number: int, name: str) -> Decimal:
    """A line's field as a finite Decimal; floats are refused (they are not exact)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueError(f"Line {number}: the {name} must be a Decimal, not {type(value).__name__}.")
    if not Decimal(value).is_finite():
        raise ValueError(f"Line {number}: the {name} must be a finite number.")
    return Decimal(value)
