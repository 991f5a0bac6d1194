"""Issue 12, finding 3: the audit log cannot be rewritten below the API unnoticed. Each
tampering through SQL is refused, or named by `verify-audit` at the first row it broke."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from laborguard_registry.app import Registry, build
from laborguard_registry.audit import verify_audit
from laborguard_registry.main import verify_audit_command
from laborguard_registry.orders import Revoke
from laborguard_registry.settings import RegistrySettings
from laborguard_registry.tokens import Principal, Role

pytestmark = pytest.mark.integration

OFFICER = Principal("officer-test", Role.OFFICER)
ORDER = "wro-2019-hetian-taida-apparel"


@pytest.fixture
def audited(registry: Registry) -> Registry:
    registry.seed()
    revoke = Revoke(expected_version=1, effective=datetime(2024, 3, 1).date())
    registry.service.store(registry.service.change(OFFICER, ORDER, revoke, "CBP lifted it"))
    return registry


def is_postgresql(registry: Registry) -> bool:
    return registry.engine.dialect.name == "postgresql"


def refused(registry: Registry, statement: str) -> None:
    with pytest.raises(DBAPIError), registry.engine.begin() as connection:
        connection.execute(text(statement))


def test_an_untouched_chain_verifies(audited: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    assert verify_audit(audited.engine) == (95, None)
    assert verify_audit_command(audited.settings) == 0
    assert "intact: 95 rows" in capsys.readouterr().out


def test_truncate_delete_update_and_replace_are_refused(audited: Registry) -> None:
    refused(audited, "UPDATE audit_log SET reason = 'forged' WHERE audit_id = 2")
    refused(audited, "DELETE FROM audit_log WHERE audit_id = 2")
    refused(audited, "UPDATE order_versions SET document = document WHERE version = 1")
    refused(audited, "DELETE FROM order_versions")
    if is_postgresql(audited):
        refused(audited, "TRUNCATE audit_log")
        refused(audited, "TRUNCATE order_versions")
        # A row carrying its own hash (or position) is refused: the database computes both.
        refused(audited, "INSERT INTO audit_log (audit_id, at, actor, action, reason, detail, "
                "row_hash) VALUES (2, now(), 'x', 'x', 'x', '{}', 'forged')")  # fmt: skip
    else:
        refused(audited, "INSERT OR REPLACE INTO audit_log (audit_id, at, actor, action, reason, "
                "detail) VALUES (2, '2020-01-01 00:00:00', 'x', 'x', 'x', '{}')")  # fmt: skip
        refused(audited, "INSERT OR REPLACE INTO order_versions SELECT * FROM order_versions "
                "LIMIT 1")  # fmt: skip
    assert verify_audit(audited.engine) == (95, None)


def test_a_row_rewritten_past_the_triggers_is_named_by_verify(
    audited: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    with audited.engine.begin() as connection:  # the owner, lifting its own protections
        if is_postgresql(audited):
            connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
            connection.execute(text("UPDATE audit_log SET reason = 'forged' WHERE audit_id = 7"))
            connection.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
        else:
            connection.execute(text("DROP TRIGGER audit_log_no_update"))
            connection.execute(text("UPDATE audit_log SET reason = 'forged' WHERE audit_id = 7"))
    checked, broken = verify_audit(audited.engine)
    assert checked == 6 and broken is not None and broken.audit_id == 7
    assert verify_audit_command(audited.settings) == 1
    assert "BROKEN at audit row 7" in capsys.readouterr().out


def test_a_deleted_row_is_named_at_the_row_after_it(audited: Registry) -> None:
    with audited.engine.begin() as connection:
        if is_postgresql(audited):
            connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
            connection.execute(text("DELETE FROM audit_log WHERE audit_id = 40"))
            connection.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
        else:
            connection.execute(text("DROP TRIGGER audit_log_no_delete"))
            connection.execute(text("DELETE FROM audit_log WHERE audit_id = 40"))
    _, broken = verify_audit(audited.engine)
    assert broken is not None and broken.audit_id == 41


def test_a_forged_row_inserted_through_sql_is_named_by_verify(audited: Registry) -> None:
    if is_postgresql(audited):
        pytest.skip("on PostgreSQL the trigger chains every insert (see the refusal above)")
    with audited.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO audit_log (audit_id, at, actor, action, reason, detail, row_hash) "
            "VALUES (96, '2026-01-01 00:00:00', 'officer-1', 'order_revoked', 'forged', '{}', "
            "'0000000000000000000000000000000000000000000000000000000000000000')"
        ))  # fmt: skip
    _, broken = verify_audit(audited.engine)
    assert broken is not None and broken.audit_id == 96


# --- PostgreSQL: the application's role is not the owner -----------------------------------


@pytest.fixture
def app_role(postgres_url: str, unique_name: str) -> Iterator[tuple[str, str]]:
    """(owner URL, application URL): a LOGIN role of this test's own (roles are cluster-wide)."""
    role = f"lg_app_{unique_name}"
    owner = make_url(postgres_url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(owner, autocommit=True) as connection:
        connection.execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        yield postgres_url, make_url(postgres_url).set(username=role).render_as_string(False)
    finally:
        with psycopg.connect(owner, autocommit=True) as connection:
            connection.execute(f'DROP OWNED BY "{role}"')
            connection.execute(f'DROP ROLE "{role}"')


def test_the_application_role_may_only_append_to_the_history(
    app_role: tuple[str, str], unique_name: str
) -> None:
    owner_url, app_url = app_role
    settings = RegistrySettings(
        database_url=app_url,
        migration_database_url=owner_url,
        kafka_bootstrap="127.0.0.1:1",
        orders_topic=unique_name,
    )
    registry = build(settings)
    try:
        registry.seed()  # the application writes as before...
        revoke = Revoke(expected_version=1, effective=datetime.now(UTC).date())
        registry.service.store(registry.service.change(OFFICER, ORDER, revoke, "lifted"))
        for statement in (  # ...but cannot rewrite, even by lifting the triggers
            "TRUNCATE audit_log",
            "ALTER TABLE audit_log DISABLE TRIGGER USER",
            "DROP TRIGGER audit_log_append_only ON audit_log",
            "UPDATE audit_log SET reason = 'forged'",
            "DELETE FROM order_versions",
            "TRUNCATE order_versions",
            "ALTER TABLE order_versions DISABLE TRIGGER USER",
        ):
            refused(registry, statement)
        assert verify_audit(registry.engine) == (95, None)
    finally:
        registry.close()
