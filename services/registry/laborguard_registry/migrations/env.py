"""Alembic environment: runs on the connection `database.migrate` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from laborguard_registry.tables import metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    _run(given)
else:  # the alembic command line: `alembic -x url=... upgrade head`
    url = context.get_x_argument(as_dictionary=True)["url"]
    with create_engine(url).connect() as own:
        _run(own)
        own.commit()
