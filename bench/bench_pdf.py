"""A 20-line invoice's PDF through `pdf_bytes`, against a bare WeasyPrint render of the same HTML in the same run.

What `pdf_bytes` adds to WeasyPrint's own work is the template, the labels' catalog and the data-only fetcher; the
ratio of the medians shows it (target: <= 1.2). Usage: .venv/bin/python bench/bench_pdf.py [runs]
"""

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from weasyprint import HTML  # noqa: E402

from customer_app.commerce.pdf import PdfLine, PdfView, html_of, pdf_bytes  # noqa: E402

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 30
VIEW = PdfView(
    language="de",
    kind="invoice",
    title="Rechnung",
    number="INV-2026-00042",
    draft=False,
    issuer="Customer workspace",
    customer_name="Müller & Söhne GmbH",
    billing_address="Unter den Linden 1\n10117 Berlin\nDeutschland",
    shipping_address="Hafenstraße 5\n20457 Hamburg\nDeutschland",
    issue_date="4. Dez. 2026",
    due_date="18. Dez. 2026",
    lines=tuple(PdfLine(f"Wartung Modul {n}", "2", "125,00 €", "", "19 %", "250,00 €") for n in range(1, 21)),
    net="5.000,00 €",
    tax="950,00 €",
    gross="5.950,00 €",
)


def times(work: Callable[[], object]) -> list[float]:
    """Seconds per run, after one warm-up run (fonts and the catalog are read once per process)."""
    work()
    found = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        found.append(time.perf_counter() - start)
    return found


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    html = html_of(VIEW)
    bare = times(lambda: HTML(string=html).write_pdf())
    ours = times(lambda: pdf_bytes(VIEW))
    for name, values in (("bare WeasyPrint", bare), ("pdf_bytes", ours)):
        print(f"{name:16} median {statistics.median(values) * 1000:7.1f} ms   p95 {p95(values) * 1000:7.1f} ms")
    ratio = statistics.median(ours) / statistics.median(bare)
    print(f"ratio (median pdf_bytes / bare): {ratio:.2f}  ({RUNS} runs each, {len(pdf_bytes(VIEW)):,} bytes)")


if __name__ == "__main__":
    main()
