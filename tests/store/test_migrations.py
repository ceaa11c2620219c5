"""Alembic migrations: one schema for SQLite and PostgreSQL, data kept across upgrades."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel

from smsbot.store import engine as db, migrations as migrate

from ..conftest import smsbot_here

pytestmark = pytest.mark.backends


def fresh(db_url):
    return create_engine(db_url)


def test_replaying_every_migration_builds_the_models_schema(db_url):
    engine = fresh(db_url)
    migrate.upgrade(engine)  # from nothing, revision by revision
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == [], f"models and migrations differ: add a revision ({diff[:3]})"
    assert migrate.current(engine) == migrate.head()


def test_upgrade_from_the_first_revision_keeps_the_data(db_url):
    engine = fresh(db_url)
    migrate.upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO shop (code, code_key, name, phone, address, kelurahan, hours, "
            "payment_info, active) VALUES ('RDG1', 'RDG1', 'Rendang Uni Emi', '+6281266104512', "
            "'Jl. Tan Malaka', 'Sungai Durian', '08:00-21:00', '', TRUE)"))
        connection.execute(text(
            "INSERT INTO contact (phone, name, role, language, promo_opt_in, pin_hash, "
            "kelurahan, created_at) VALUES ('+6281200000001', 'Admin', 'admin', 'id', FALSE, '', '', "
            "'2026-11-27 03:00:00+00')"))
    assert migrate.prepare(db.make_engine(db_url, create=False)) in (
        "current", f"upgraded 0001 -> {migrate.head()}")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM shop")).scalar() == "Rendang Uni Emi"
        assert connection.execute(text("SELECT role FROM contact")).scalar() == "admin"
    assert migrate.current(engine) == migrate.head()


def test_tables_made_before_migrations_are_adopted(db_url):
    # smsbot before migrations made the first revision's tables with create_all
    engine = fresh(db_url)
    migrate.upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
    assert "alembic_version" not in inspect(engine).get_table_names()
    migrate.prepare(engine)
    assert migrate.current(engine) == migrate.head()


def test_a_database_from_a_newer_smsbot_is_refused(cli_env):
    engine = db.make_engine(cli_env["SMSBOT_DB"])
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(migrate.SchemaAheadError):
        db.make_engine(cli_env["SMSBOT_DB"])
    done = smsbot_here(cli_env, "db", "upgrade")
    assert done.returncode == 1
    assert "revision 9999_future, which this smsbot" in done.stderr and "Traceback" not in done.stderr


def test_db_upgrade_command(cli_env):
    done = smsbot_here(cli_env, "db", "upgrade")
    assert done.returncode == 0 and f"created (schema {migrate.head()})" in done.stdout
    done = smsbot_here(cli_env, "db", "upgrade")
    assert f"current (schema {migrate.head()})" in done.stdout
