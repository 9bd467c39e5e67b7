"""Where an import row's national phone numbers are read: the row's country when it names one, else the default."""

from collections.abc import Sequence
from dataclasses import dataclass

from customer_app.core import countries
from customer_app.transfer.import_cells import PHONES, cell_text
from customer_app.transfer.import_mapping import COUNTRY

EXAMPLE = "+49 30 9018200"


@dataclass(frozen=True)
class RowRegion:
    """The region a row's national phone numbers are read in, and the country the row gave, if any."""

    region: str
    country: str = ""  # the row's country as written, when one is given
    known: bool = True  # False: the country was not recognised and the default region was used


_WHERE = (COUNTRY, "billing_country", "shipping_country")  # the row's country, else its addresses'


def row_region(cells: list, mapping: Sequence[str], default: str) -> RowRegion:
    """The row's country's phone region when its Country column (or else an address's) names one, else `default`."""
    text = None
    for name in _WHERE:
        if name in mapping and text is None:
            index = list(mapping).index(name)
            text = cell_text(name, cells[index]) if index < len(cells) else None
    if text is None:
        return RowRegion(default)
    region = countries.phone_region(text)
    return RowRegion(region, text) if region else RowRegion(default, text, known=False)


def explained(errors: dict[str, str], raw: dict, where: RowRegion) -> dict[str, str]:
    """Phone errors saying which country a national number was read in, and why, so the row can be fixed."""
    if not errors:  # most rows: no need to name their country
        return errors
    country = countries.country_name(where.region)
    if where.known and where.country:
        note = f"It was read as a number in {country}, the row's country."
    elif where.country:
        note = (
            f'The country "{where.country}" is not one the import recognises, so it was read as a number in '
            f"{country}; write the country's name or code, or the number with its country code (like {EXAMPLE})."
        )
    else:
        note = f"It was read as a number in {country}; add its country code (like {EXAMPLE}) or the row's country."
    return {
        name: f"{text} {note}" if name in PHONES and not str(raw.get(name, "")).startswith("+") else text
        for name, text in errors.items()
    }
