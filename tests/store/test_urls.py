"""Database URLs: supported backends, in-memory detection, passwords never shown."""

from __future__ import annotations

import pytest

from clearance.errors import StoreError, UsageError
from clearance.store import open_store
from clearance.store.urls import display_url, is_in_memory, mask_passwords, parse_db_url


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("postgresql://admin:S3cret@db:5432/c", "postgresql://admin:***@db:5432/c"),
        ("at postgresql+psycopg://a:p%40ss@h/d", "at postgresql+psycopg://a:***@h/d"),
        ("host=h user=u password=S3cret dbname=c", "host=h user=u password=*** dbname=c"),
        ("sqlite:////tmp/a.sqlite", "sqlite:////tmp/a.sqlite"),
    ],
)  # fmt: skip
def test_mask_passwords(text: str, shown: str) -> None:
    assert mask_passwords(text) == shown


def test_display_url_hides_the_password_even_of_an_unparseable_url() -> None:
    assert display_url("postgresql://admin:S3cretPass@h/db") == "postgresql://admin:***@h/db"
    assert "S3cretPass" not in display_url("postgresql://admin:S3cretPass@h:notaport/db")


def test_parse_db_url_refuses_what_cannot_work() -> None:
    with pytest.raises(UsageError, match="SQLite"):
        parse_db_url("mysql://admin:S3cretPass@h/db")
    with pytest.raises(UsageError, match="not a database URL"):
        parse_db_url("clearance.sqlite")
    with pytest.raises(UsageError) as caught:
        parse_db_url("postgresql://admin:S3cretPass@h:notaport/db")
    assert "S3cretPass" not in str(caught.value)
    assert parse_db_url("postgresql://u@h/d").drivername == "postgresql+psycopg"


@pytest.mark.parametrize(
    ("url", "memory"),
    [
        ("sqlite://", True),
        ("sqlite:///", True),
        ("sqlite:///:memory:", True),
        ("sqlite:///file:x?mode=memory&uri=true", True),
        ("sqlite:///data/clearance.sqlite", False),
        ("postgresql://u@h/d", False),
    ],
)
def test_is_in_memory(url: str, memory: bool) -> None:
    assert is_in_memory(url) is memory


def test_open_store_error_hides_the_password() -> None:
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://admin:S3cretPass@127.0.0.1:1/c")
    assert "S3cretPass" not in str(caught.value)
    assert "admin:***@127.0.0.1:1" in str(caught.value)
