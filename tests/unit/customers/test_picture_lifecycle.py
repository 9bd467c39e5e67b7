"""A picture's files go only after the change that stops using them is committed; unused ones are swept."""

import io
import os
from datetime import timedelta

import pytest
from PIL import Image

from customer_app.core.columns import utcnow
from customer_app.core.db import after_commit
from customer_app.customers import customers, pictures
from customer_app.customers.validation import validate_customer
from customer_app.settings import settings


def stored_picture() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(buffer, "PNG")
    return pictures.store_picture(buffer.getvalue(), directory=settings.picture_dir, max_bytes=10**7, max_pixels=10**7)


def on_disk(key: str) -> bool:
    return (settings.picture_dir / pictures.picture_filename(key, pictures.LARGE)).exists()


def age(key: str, days: float) -> None:
    when = (utcnow() - timedelta(days=days)).timestamp()
    for size in pictures.SIZES:
        os.utime(settings.picture_dir / pictures.picture_filename(key, size), (when, when))


def test_a_replaced_picture_stays_when_the_save_does_not_commit(session, admin):
    old, new = stored_picture(), stored_picture()
    ada = customers.create_customer(
        validate_customer({"first_name": "Ada"}, phone_region="US"), actor=admin, session=session, picture=old
    )
    session.commit()
    data = validate_customer({"first_name": "Ada", "last_name": "King"}, phone_region="US")
    customers.update_customer(ada.id, data, actor=admin, session=session, expected_version=1, picture=new)
    session.rollback()  # e.g. the database went away before the commit
    assert on_disk(old)
    assert session.get(type(ada), ada.id).picture == old


def test_a_replaced_picture_goes_once_the_save_commits(session, admin):
    old, new = stored_picture(), stored_picture()
    ada = customers.create_customer(
        validate_customer({"first_name": "Ada"}, phone_region="US"), actor=admin, session=session, picture=old
    )
    session.commit()
    data = validate_customer({"first_name": "Ada", "last_name": "King"}, phone_region="US")
    customers.update_customer(ada.id, data, actor=admin, session=session, expected_version=1, picture=new)
    assert on_disk(old)  # not before the commit
    session.commit()
    assert not on_disk(old)
    assert on_disk(new)


def test_work_after_a_rolled_back_transaction_does_not_run_on_the_next_commit(session):
    done = []
    session.connection()  # a transaction is under way
    after_commit(session, lambda: done.append("first"))
    session.rollback()
    session.commit()
    assert done == []


def test_the_sweep_deletes_day_old_pictures_no_customer_uses(session, admin):
    used, abandoned, fresh = stored_picture(), stored_picture(), stored_picture()
    customers.create_customer(
        validate_customer({"first_name": "Ada"}, phone_region="US"), actor=admin, session=session, picture=used
    )
    session.commit()
    for key in (used, abandoned):
        age(key, 2)
    assert customers.sweep_pictures(session=session) >= 1
    assert on_disk(used)
    assert not on_disk(abandoned)
    assert on_disk(fresh)  # someone may still be about to save it


@pytest.fixture(autouse=True)
def picture_folder():
    settings.picture_dir.mkdir(parents=True, exist_ok=True)
