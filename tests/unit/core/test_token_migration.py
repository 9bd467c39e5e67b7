"""Links sent before tokens named their subject still work after the upgrade, on both databases."""

from datetime import timedelta

from sqlalchemy import Engine, text
from sqlmodel import Session

from customer_app.core import tokens
from customer_app.core.columns import utcnow
from customer_app.core.db import make_engine
from customer_app.core.migrations import migrate
from tests.unit.databases import postgres_schema

BEFORE = "68ad5d002759"  # the last revision whose tokens pointed at staff_user


def _send_old_link(engine: Engine) -> tuple[str, int]:
    raw = tokens.new_token()
    with engine.begin() as connection:
        user_id = connection.execute(
            text(
                "INSERT INTO staff_user (email, email_key, name, role, active, created_at) "
                "VALUES ('ada@example.com', 'ada@example.com', 'Ada', 'admin', true, :now) RETURNING id"
            ),
            {"now": utcnow()},
        ).scalar_one()
        connection.execute(
            text(
                "INSERT INTO one_time_token (token_hash, purpose, user_id, created_at, expires_at) "
                "VALUES (:hash, 'invite', :user, :now, :later)"
            ),
            {"hash": tokens.token_hash(raw), "user": user_id, "now": utcnow(), "later": utcnow() + timedelta(days=7)},
        )
    return raw, user_id


def _check(engine: Engine) -> None:
    migrate(engine, BEFORE, down=True)
    raw, user_id = _send_old_link(engine)
    migrate(engine)
    with Session(engine) as session:
        assert tokens.consume_one_time(raw, "invite", "staff", session=session) == user_id


def test_an_invitation_sent_before_the_upgrade_still_works_on_sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        migrate(engine)
        _check(engine)
    finally:
        engine.dispose()


def test_an_invitation_sent_before_the_upgrade_still_works_on_postgresql():
    with postgres_schema() as engine:
        _check(engine)
