"""Document totals: rounding once per rate or per line, prices with and without tax, and the sums always adding up."""

import random
from decimal import Decimal

import pytest

from customer_app.commerce.calculation import DocumentTotals, LineInput, LineTotal, calculate


def line(quantity: str, price: str, rate: str = "0", discount: str = "0") -> LineInput:
    return LineInput(Decimal(quantity), Decimal(price), Decimal(discount), Decimal(rate))


QUEBEC = [line("1", "100.00", "9.975")] * 3


def test_tax_rounded_once_per_document():
    totals = calculate(QUEBEC, currency="CAD")
    assert (totals.net_minor, totals.tax_minor, totals.gross_minor) == (30000, 2993, 32993)  # 29.925 → 29.93
    assert totals.tax_by_rate == ((Decimal("9.975"), 30000, 2993),)
    assert totals.lines == (LineTotal(net_minor=10000, tax_minor=998, gross_minor=10998),) * 3


def test_tax_rounded_per_line_when_the_setting_says_so():
    totals = calculate(QUEBEC, currency="CAD", round_per_line=True)
    assert (totals.net_minor, totals.tax_minor, totals.gross_minor) == (30000, 2994, 32994)  # 3 × 9.98
    assert totals.tax_by_rate == ((Decimal("9.975"), 30000, 2994),)


def test_prices_including_tax_keep_the_gross_exact():
    totals = calculate([line("1", "340.00", "19"), line("1", "13.90", "19")], currency="EUR", prices_include_tax=True)
    assert (totals.net_minor, totals.tax_minor, totals.gross_minor) == (29739, 5651, 35390)
    assert totals.tax_by_rate == ((Decimal("19"), 29739, 5651),)
    assert [t.gross_minor for t in totals.lines] == [34000, 1390]
    assert totals.lines[0] == LineTotal(net_minor=28571, tax_minor=5429, gross_minor=34000)  # 54.2857… → 54.29


def test_prices_including_tax_rounded_per_line():
    # 1.00 gross at 19 % holds 0.1597 tax → 0.16 per line, 0.48 for three; once per document 3.00 holds 0.479 → 0.48.
    lines = [line("1", "1.00", "19")] * 3
    per_line = calculate(lines, currency="EUR", prices_include_tax=True, round_per_line=True)
    assert (per_line.net_minor, per_line.tax_minor, per_line.gross_minor) == (252, 48, 300)
    # 0.05 gross at 7 % holds 0.00327 tax: nothing on each line, 0.01 once the ten lines are added up.
    lines = [line("1", "0.05", "7")] * 10
    assert calculate(lines, currency="EUR", prices_include_tax=True, round_per_line=True).tax_minor == 0
    assert calculate(lines, currency="EUR", prices_include_tax=True).tax_minor == 3  # 0.50 × 7/107 = 0.0327


def test_a_line_amount_rounds_half_up_once():
    totals = calculate([line("1", "2.345")], currency="EUR")  # half-even would give 2.34
    assert totals.net_minor == 235
    totals = calculate([line("3", "0.333")], currency="EUR")  # 0.999
    assert totals.net_minor == 100


def test_discount_reduces_the_line_before_tax():
    totals = calculate([line("2", "49.99", "19", discount="15")], currency="EUR")
    assert totals.lines[0].net_minor == 8498  # 99.98 × 0.85 = 84.983
    assert totals.tax_minor == 1615  # 84.98 × 0.19 = 16.1462
    assert totals.gross_minor == 10113
    assert calculate([line("2", "49.99", "19", discount="100")], currency="EUR").gross_minor == 0


def test_mixed_rates_are_taxed_separately_and_listed_by_rate():
    lines = [line("1", "10.00", "19"), line("2", "5.55", "7"), line("1", "3.00", "0"), line("1", "0.10", "19")]
    totals = calculate(lines, currency="EUR")
    assert totals.tax_by_rate == (
        (Decimal("0"), 300, 0),
        (Decimal("7"), 1110, 78),  # 0.777
        (Decimal("19"), 1010, 192),  # 1.919
    )
    assert (totals.net_minor, totals.tax_minor, totals.gross_minor) == (2420, 270, 2690)


def test_currencies_without_cents_and_with_three_places():
    yen = calculate([line("3", "333.5", "10")], currency="JPY")  # 1000.5 → 1001, tax 100.1 → 100
    assert (yen.net_minor, yen.tax_minor, yen.gross_minor) == (1001, 100, 1101)
    dinar = calculate([line("1", "1.2345", "10")], currency="BHD")  # 1.2345 → 1.235 (1235 fils), tax 123.5 → 124
    assert (dinar.net_minor, dinar.tax_minor, dinar.gross_minor) == (1235, 124, 1359)


def test_a_document_without_lines_is_zero():
    assert calculate([], currency="EUR") == DocumentTotals(
        lines=(), tax_by_rate=(), net_minor=0, tax_minor=0, gross_minor=0
    )


def test_a_negative_quantity_takes_back_and_mirrors_exactly():
    invoice = [line("3", "100.00", "9.975"), line("1", "0.125", "19")]
    credit = [line("-3", "100.00", "9.975"), line("-1", "0.125", "19")]
    for prices_include_tax in (False, True):
        for round_per_line in (False, True):
            options = {"prices_include_tax": prices_include_tax, "round_per_line": round_per_line}
            sold, returned = calculate(invoice, currency="EUR", **options), calculate(credit, currency="EUR", **options)
            assert (returned.net_minor, returned.tax_minor, returned.gross_minor) == (
                -sold.net_minor,
                -sold.tax_minor,
                -sold.gross_minor,
            )


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (line("1", "-1.00"), "Line 2: the unit price must not be negative"),
        (line("1", "1.00", discount="-1"), "Line 2: the discount must be between 0 and 100"),
        (line("1", "1.00", discount="100.01"), "Line 2: the discount must be between 0 and 100"),
        (line("1", "1.00", rate="-7"), "Line 2: the tax rate must not be negative"),
        (line("NaN", "1.00"), "Line 2: the quantity must be a finite number"),
        (line("1", "Infinity"), "Line 2: the unit price must be a finite number"),
        (line("1000000000", "10000000000.00"), "Line 2: the amount is too large"),
        (LineInput(1.5, Decimal("1"), Decimal("0"), Decimal("0")), "Line 2: the quantity must be a Decimal"),  # type: ignore[arg-type]
    ],
)
def test_bad_lines_are_refused_naming_the_line(bad, message):
    with pytest.raises(ValueError, match=message):
        calculate([line("1", "1.00"), bad], currency="EUR")


def test_an_unknown_currency_is_refused_even_without_lines():
    with pytest.raises(ValueError, match="Unknown currency code"):
        calculate([], currency="XYZ")


def random_document(rng: random.Random) -> list[LineInput]:
    rates = ["0", "5", "7", "9.975", "19", "20", "21", "8.1"]
    return [
        LineInput(
            quantity=Decimal(rng.randint(-5, 40)) / rng.choice([1, 2, 4, 1000]),
            unit_price=Decimal(rng.randint(0, 10**7)) / rng.choice([100, 1000, 10000]),
            discount_percent=Decimal(rng.choice([0, 0, 5, 12.5, 33, 100])),
            tax_rate=Decimal(rng.choice(rates)),
        )
        for _ in range(rng.randint(1, 12))
    ]


@pytest.mark.parametrize("currency", ["EUR", "JPY", "BHD"])
def test_every_document_adds_up(currency):
    rng = random.Random(20261204)
    for _ in range(300):
        lines = random_document(rng)
        for prices_include_tax in (False, True):
            for round_per_line in (False, True):
                totals = calculate(
                    lines, currency=currency, prices_include_tax=prices_include_tax, round_per_line=round_per_line
                )
                assert totals.net_minor + totals.tax_minor == totals.gross_minor
                assert sum(tax for _, _, tax in totals.tax_by_rate) == totals.tax_minor
                assert sum(net for _, net, _ in totals.tax_by_rate) == totals.net_minor
                assert [rate for rate, _, _ in totals.tax_by_rate] == sorted({ln.tax_rate for ln in lines})
                assert all(t.net_minor + t.tax_minor == t.gross_minor for t in totals.lines)
                # The lines shown add up to the document: the gross when prices include tax, else the net.
                if prices_include_tax:
                    assert sum(t.gross_minor for t in totals.lines) == totals.gross_minor
                else:
                    assert sum(t.net_minor for t in totals.lines) == totals.net_minor
                if round_per_line:
                    assert sum(t.tax_minor for t in totals.lines) == totals.tax_minor
