"""Realistic demo customers, inserted in bulk so a million rows load in minutes."""

import random
from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from sqlalchemy import Connection, func, insert, select

from customer_app.core.columns import utcnow
from customer_app.core.normalize import fold
from customer_app.customers import search_index
from customer_app.customers.customers import derived_fields
from customer_app.customers.models import GENDERS, OWNERSHIP_TYPES, Customer, CustomerInput, CustomerKind

FIRST = [
    "Zoë",
    "José",
    "Åsa",
    "François",
    "Łukasz",
    "Siobhán",
    "Müller",
    "Nguyễn",
    "Ana",
    "Björn",
    "Chloé",
    "Dmitri",
    "Émile",
    "Fatima",
    "Grace",
    "Hiroshi",
    "Ines",
    "Jürgen",
    "Kwame",
    "Leila",
    "Mateo",
    "Noor",
    "Olga",
    "Priya",
    "Quentin",
    "Rosa",
    "Søren",
    "Tomás",
    "Uma",
    "Víctor",
    "Wei",
    "Yara",
]
LAST = [
    "García",
    "Østergaard",
    "Dubois",
    "Kowalski",
    "O'Brien",
    "Schäfer",
    "Tanaka",
    "Smith",
    "Novák",
    "Andersson",
    "Rossi",
    "Fernández",
    "Ivanova",
    "Okafor",
    "Haddad",
    "Lefèvre",
    "Johansson",
    "Müller",
    "Papadopoulos",
    "Silva",
    "Wójcik",
    "Yılmaz",
    "Zhang",
    "Brown",
    "Costa",
    "Nakamura",
    "Jensen",
]
ORG_WORDS = [
    "Nordic",
    "Atlântico",
    "Société",
    "Globex",
    "Initech",
    "Umbrella",
    "Café",
    "Ökotech",
    "Alpine",
    "Harbor",
    "Meridian",
    "Pioneer",
    "Sunrise",
    "Vértice",
    "Zenith",
    "Crown",
    "Delta",
    "Evergreen",
]
ORG_SUFFIX = ["Holdings", "Trading", "Labs", "Foundation", "Partners", "Group", "Services", "Ministry", "GmbH"]
AREAS = ["212", "415", "617", "312", "206", "303", "512", "646", "718", "919"]
BULK_FROM = 10_000
LONG_NAME = "Maximiliane-Alexandrina von Hohenzollern-Sigmaringen-Wittelsbach"


def demo_inputs(count: int, *, start: int = 0, seed: int = 7) -> Iterator[CustomerInput]:
    """Yield `count` varied customers numbered from `start`; two in three are individuals."""
    rng = random.Random(seed + start)
    for n in range(start, start + count):
        phone = f"+1{rng.choice(AREAS)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
        company = f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_SUFFIX)}"
        if n % 3 == 2:
            name = f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_WORDS)} {rng.choice(ORG_SUFFIX)}"
            if n % 97 == 2:
                name = f"{name} — International Consolidated Research and Development Cooperative"
            yield CustomerInput(
                kind=CustomerKind.INSTITUTION,
                name=name,
                email=f"contact{n}@{_slug(name)}.example",
                phone=phone,
                ownership_type=OWNERSHIP_TYPES[n % len(OWNERSHIP_TYPES)],
                website=f"https://{_slug(name)}.example",
                company_name=name,
            )
            continue
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if n % 101 == 0:
            first = LONG_NAME
        yield CustomerInput(
            kind=CustomerKind.INDIVIDUAL,
            first_name=first,
            last_name=last,
            email=f"{_slug(first)}.{_slug(last)}.{n}@example.com",
            phone=phone,
            company_name=company,
            gender=GENDERS[n % len(GENDERS)],
            date_of_birth=date(1950, 1, 1) + timedelta(days=rng.randint(0, 20000)),
            position=rng.choice(["Buyer", "CEO", "Accountant", "Engineer", None]),
        )


def insert_demo(connection: Connection, count: int, *, chunk: int = 5000, pictures: Sequence[str] = ()) -> int:
    """Insert demo customers in chunks on one connection; the first ones get the given pictures."""
    bulk = connection.dialect.name == "sqlite" and count >= BULK_FROM
    if bulk:
        # Filling the search index row by row (its insert trigger) is ~40% of a big load: rebuild it once instead.
        create_trigger = connection.exec_driver_sql(search_index.INSERT_TRIGGER).scalar_one()
        connection.exec_driver_sql("DROP TRIGGER customer_fts_insert")
    now = utcnow()
    start = connection.execute(select(func.coalesce(func.max(Customer.id), 0))).scalar_one()
    batch: list[dict] = []
    for n, data in enumerate(demo_inputs(count, start=start)):
        row = data.model_dump() | derived_fields(data)
        created = now - timedelta(minutes=count - n)
        row |= {
            "created_at": created,
            "updated_at": created,
            "version": 1,
            "picture": pictures[n] if n < len(pictures) else None,
        }
        batch.append(row)
        if len(batch) >= chunk:
            connection.execute(insert(Customer), batch)
            batch.clear()
    if batch:
        connection.execute(insert(Customer), batch)
    if bulk:
        connection.exec_driver_sql("INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')")
        connection.exec_driver_sql(create_trigger)
        connection.exec_driver_sql("ANALYZE")  # the planner's statistics, so list queries use the right indexes
    return count


def _slug(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isascii() and ch.isalnum())[:30] or "x"
