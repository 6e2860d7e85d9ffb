"""SQLAlchemy 2 declarative models, one module per bounded context; importing this loads them all."""

from autoservice_desk.models import (
    audit,
    catalog,
    clients,
    documents,
    inventory,
    messaging,
    numbering,
    quoting,
    scheduling,
    search,
    security,
    timeline,
    work_orders,
)  # fmt: skip
from autoservice_desk.models.base import Base

__all__ = [
    "Base", "audit", "catalog", "clients", "documents", "inventory", "messaging", "numbering", "quoting", "scheduling",
    "search", "security", "timeline", "work_orders",
]
