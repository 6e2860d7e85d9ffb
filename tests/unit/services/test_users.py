"""First admin, passwordless local admin, login and user management, each audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from autoservice_desk.models.audit import AuditRecord
from autoservice_desk.services import users
from autoservice_desk.services.errors import (
    AuthenticationError,
    ConflictError,
    PermissionDeniedError,
    ValidationError,
)
from autoservice_desk.services.unit_of_work import Actor, UnitOfWorkFactory, run_in_transaction


def _audit_actions(uow_factory: UnitOfWorkFactory) -> list[tuple[str, str]]:
    return run_in_transaction(
        uow_factory,
        lambda uow: [
            (r.user_login, r.action) for r in uow.session.scalars(select(AuditRecord).order_by(AuditRecord.id))
        ],
    )


def test_an_empty_database_asks_for_the_first_admin(uow_factory: UnitOfWorkFactory) -> None:
    assert users.decide_start(uow_factory).mode is users.StartMode.FIRST_RUN


def test_the_first_admin_with_a_password_must_log_in(uow_factory: UnitOfWorkFactory) -> None:
    admin = users.create_first_admin(uow_factory, " Admin ", "Анна Смирнова", "secret1")
    assert admin.login == "admin" and admin.roles == {"admin"} and admin.has_password
    assert users.decide_start(uow_factory).mode is users.StartMode.LOGIN
    with pytest.raises(AuthenticationError):
        users.authenticate(uow_factory, "admin", "wrong")
    with pytest.raises(AuthenticationError):
        users.authenticate(uow_factory, "nobody", "secret1")
    actor = users.authenticate(uow_factory, "ADMIN", "secret1")
    assert actor.login == "admin" and actor.has_role("manager")
    assert ("admin", "login") in _audit_actions(uow_factory)


def test_a_passwordless_local_admin_logs_in_by_itself(uow_factory: UnitOfWorkFactory) -> None:
    users.create_first_admin(uow_factory, "shop", "", None)
    decision = users.decide_start(uow_factory)
    assert decision.mode is users.StartMode.AUTO_LOGIN
    assert decision.actor is not None and decision.actor.login == "shop"


def test_the_first_admin_can_be_created_only_once(uow_factory: UnitOfWorkFactory) -> None:
    users.create_first_admin(uow_factory, "admin", "", "secret1")
    with pytest.raises(ConflictError):
        users.create_first_admin(uow_factory, "other", "", "secret2")


def test_short_passwords_and_bad_logins_are_refused(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(ValidationError):
        users.create_first_admin(uow_factory, "admin", "", "123")
    with pytest.raises(ValidationError):
        users.create_first_admin(uow_factory, "two words", "", "secret1")
    assert users.decide_start(uow_factory).mode is users.StartMode.FIRST_RUN


def test_only_admins_add_users_and_logins_are_unique(uow_factory: UnitOfWorkFactory) -> None:
    admin = users.create_first_admin(uow_factory, "admin", "", "secret1").as_actor()
    as_admin = uow_factory.acting_as(admin)
    advisor = users.create_user(as_admin, "ivanova", "Мария Иванова", "secret2", {"advisor"})
    assert advisor.roles == {"advisor"}
    with pytest.raises(ConflictError):
        users.create_user(as_admin, "IVANOVA", "", "secret3", {"advisor"})
    as_advisor = uow_factory.acting_as(Actor(advisor.id, advisor.login, roles=advisor.roles))
    with pytest.raises(PermissionDeniedError):
        users.create_user(as_advisor, "petrov", "", "secret4", {"mechanic"})
    assert ("admin", "create") in _audit_actions(uow_factory)
    assert [user.login for user in users.list_users(uow_factory)] == ["admin", "ivanova"]


def test_passwords_change_for_oneself_or_by_an_admin(uow_factory: UnitOfWorkFactory) -> None:
    admin = users.create_first_admin(uow_factory, "admin", "", "secret1").as_actor()
    mechanic = users.create_user(uow_factory.acting_as(admin), "kozlov", "", "secret2", {"mechanic"})
    as_mechanic = uow_factory.acting_as(mechanic.as_actor())
    with pytest.raises(PermissionDeniedError):
        users.set_password(as_mechanic, admin.user_id or 0, "hijacked")
    users.set_password(as_mechanic, mechanic.id, "newpass1")
    assert users.authenticate(uow_factory, "kozlov", "newpass1").login == "kozlov"


def test_a_database_with_staff_but_no_administrator_asks_for_one(uow_factory: UnitOfWorkFactory) -> None:
    from autoservice_desk.services.demo_data import DemoSize, generate_demo_data

    generate_demo_data(uow_factory, DemoSize(clients=5))  # demo staff accounts, deliberately no admin
    assert users.decide_start(uow_factory).mode is users.StartMode.FIRST_RUN
    taken = users.list_users(uow_factory)[0].login
    with pytest.raises(ConflictError, match="already taken"):
        users.create_first_admin(uow_factory, taken, "", "secret1")
    users.create_first_admin(uow_factory, "boss", "", "secret1")
    assert users.decide_start(uow_factory).mode is users.StartMode.LOGIN
