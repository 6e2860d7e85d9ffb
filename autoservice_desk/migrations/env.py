"""Alembic environment: always runs on a connection handed in by services.schema (never from an ini URL)."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext

from autoservice_desk.models import Base
from autoservice_desk.models.types import ScaledDecimal, UTCDateTime


def render_item(kind: str, item: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render our column types portably, so revisions do not depend on application classes changing."""
    if kind == "type" and isinstance(item, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if kind == "type" and isinstance(item, ScaledDecimal):
        autogen_context.imports.add("import autoservice_desk.models.types")
        return f"autoservice_desk.models.types.ScaledDecimal({item.precision}, {item.scale})"
    return False


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `autoservice-desk db upgrade`, which supplies the connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
    compare_server_default=False,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
