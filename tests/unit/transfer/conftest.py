"""Fixtures shared by the import tests."""

import pytest

from customer_app.transfer import imports


@pytest.fixture
def classified(monkeypatch) -> list[int]:
    """How many rows the import classifies (reading them from the file) rather than taking from its preview."""
    counted: list[int] = []
    real = imports.classify

    def counting(rows, *args, **kwargs):
        counted.append(len(rows))
        return real(rows, *args, **kwargs)

    monkeypatch.setattr(imports, "classify", counting)
    return counted
