"""Users, roles and their links: who may sit at the desk and what they may do."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, String, Table, func, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from autoservice_desk.models.base import Base, TimestampMixin
from autoservice_desk.models.types import UTCDateTime

user_roles = Table(
    "user_roles",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role_code", ForeignKey("roles.code"), primary_key=True),
)


class Role(Base):
    """A role (admin, manager, advisor, warehouse, mechanic); the rows are seeded by the migration."""

    __tablename__ = "roles"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class User(TimestampMixin, Base):
    """A person who logs in; `password_hash` is empty only for the passwordless local admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), server_default=func.now())

    roles: Mapped[list[Role]] = relationship(secondary=user_roles, lazy="selectin", order_by=Role.code)
