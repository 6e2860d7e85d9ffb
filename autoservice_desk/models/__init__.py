"""SQLAlchemy 2 declarative models, one module per bounded context; importing this loads them all."""

from autoservice_desk.models import audit, clients, numbering, search, security, timeline
from autoservice_desk.models.base import Base

__all__ = ["Base", "audit", "clients", "numbering", "search", "security", "timeline"]
