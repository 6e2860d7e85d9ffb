"""Users and logging in: the first admin, the login check, accounts and roles."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from sqlalchemy import func, select

from autoservice_desk.i18n import N_, _
from autoservice_desk.models.security import Role, User
from autoservice_desk.services import audit
from autoservice_desk.services.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from autoservice_desk.services.passwords import hash_password, verify_password
from autoservice_desk.services.unit_of_work import Actor, UnitOfWork, UnitOfWorkFactory, run_in_transaction

ROLE_NAMES = {
    "admin": N_("Administrator"),
    "manager": N_("Manager"),
    "advisor": N_("Service advisor"),
    "warehouse": N_("Warehouse keeper"),
    "mechanic": N_("Mechanic"),
}
MIN_PASSWORD_LENGTH = 6


@dataclass(frozen=True)
class UserInfo:
    id: int
    login: str
    full_name: str
    roles: frozenset[str]
    is_active: bool
    has_password: bool

    def as_actor(self) -> Actor:
        return Actor(self.id, self.login, self.full_name, self.roles)


class StartMode(Enum):
    """What the desk must do at start: create the first admin, log straight in, or ask for a login."""

    FIRST_RUN = "first_run"
    AUTO_LOGIN = "auto_login"
    LOGIN = "login"


@dataclass(frozen=True)
class StartDecision:
    mode: StartMode
    actor: Actor | None = None


def _info(user: User) -> UserInfo:
    return UserInfo(
        user.id, user.login, user.full_name, frozenset(r.code for r in user.roles), user.is_active,
        bool(user.password_hash),
    )  # fmt: skip


def _check_login(login: str) -> str:
    login = login.strip().lower()
    if not login or len(login) > 64 or any(ch.isspace() for ch in login):
        raise ValidationError(_("A login is 1 to 64 characters without spaces."), "login")
    return login


def _check_password(password: str | None) -> None:
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            _("A password needs at least {count} characters.").format(count=MIN_PASSWORD_LENGTH), "password"
        )


def _active_admins(uow: UnitOfWork) -> int:
    query = select(func.count(User.id)).where(User.is_active, User.roles.any(Role.code == "admin"))
    return int(uow.session.scalar(query) or 0)


def decide_start(uow_factory: UnitOfWorkFactory) -> StartDecision:
    """First run while no administrator exists (a new or demo-filled database); auto-login when the only user
    is a passwordless admin; otherwise the login dialog."""

    def work(uow: UnitOfWork) -> StartDecision:
        if not _active_admins(uow):
            return StartDecision(StartMode.FIRST_RUN)
        users = list(uow.session.scalars(select(User).where(User.is_active).limit(2)))
        if len(users) == 1 and not users[0].password_hash:
            return StartDecision(StartMode.AUTO_LOGIN, _info(users[0]).as_actor())
        return StartDecision(StartMode.LOGIN)

    return run_in_transaction(uow_factory, work, read_only=True)


def create_first_admin(
    uow_factory: UnitOfWorkFactory, login: str, full_name: str, password: str | None
) -> UserInfo:
    """Create the first administrator (allowed while none is active); *password* None makes it passwordless."""
    login = _check_login(login)
    _check_password(password)

    def work(uow: UnitOfWork) -> UserInfo:
        if _active_admins(uow):
            raise ConflictError(_("The first administrator has already been created on this database."))
        if uow.session.scalar(select(User.id).where(User.login == login)):
            raise ConflictError(_("The login {login} is already taken.").format(login=login))
        admin_role = uow.session.get(Role, "admin")
        user = User(
            login=login,
            full_name=full_name.strip() or login,
            password_hash=hash_password(password) if password else None,
            roles=[admin_role] if admin_role else [],
        )
        uow.session.add(user)
        uow.session.flush()
        audit.record(uow, "user", user.id, "create", None, {"login": login, "roles": ["admin"]})
        uow.mark_changed("user", user.id)
        info = _info(user)
        uow.commit()
        return info

    return run_in_transaction(uow_factory, work)


def authenticate(uow_factory: UnitOfWorkFactory, login: str, password: str) -> Actor:
    """The actor for *login* if *password* is right; otherwise AuthenticationError (same text either way)."""
    login = login.strip().lower()

    def work(uow: UnitOfWork) -> Actor:
        user = uow.session.scalar(select(User).where(User.login == login))
        wrong = AuthenticationError(_("Wrong login or password."))
        if user is None or not user.is_active:
            verify_password(password, "scrypt$2$1$1$AAAA$AAAA")  # keep timing similar for unknown logins
            raise wrong
        if user.password_hash and not verify_password(password, user.password_hash):
            raise wrong
        user.last_login_at = uow.clock()
        actor = _info(user).as_actor()
        uow.actor = actor
        audit.record(uow, "user", user.id, "login")
        uow.commit()
        return actor

    return run_in_transaction(uow_factory, work)


def list_users(uow_factory: UnitOfWorkFactory) -> list[UserInfo]:
    """All accounts, active first, by login."""

    def work(uow: UnitOfWork) -> list[UserInfo]:
        users = uow.session.scalars(select(User).order_by(User.is_active.desc(), User.login))
        return [_info(user) for user in users]

    return run_in_transaction(uow_factory, work, read_only=True)


def create_user(
    uow_factory: UnitOfWorkFactory, login: str, full_name: str, password: str, roles: set[str]
) -> UserInfo:
    """A new account with *roles* (administrators only)."""
    login = _check_login(login)
    _check_password(password)
    if not password:
        raise ValidationError(_("A new user needs a password."), "password")
    unknown = roles - ROLE_NAMES.keys()
    if unknown or not roles:
        raise ValidationError(_("Choose at least one known role."), "roles")

    def work(uow: UnitOfWork) -> UserInfo:
        if not uow.actor.has_role("admin"):
            raise PermissionDeniedError(_("Only an administrator can add users."))
        if uow.session.scalar(select(User.id).where(User.login == login)):
            raise ConflictError(_("The login {login} is already taken.").format(login=login))
        user = User(
            login=login,
            full_name=full_name.strip() or login,
            password_hash=hash_password(password),
            roles=list(uow.session.scalars(select(Role).where(Role.code.in_(roles)))),
        )
        uow.session.add(user)
        uow.session.flush()
        audit.record(uow, "user", user.id, "create", None, {"login": login, "roles": sorted(roles)})
        uow.mark_changed("user", user.id)
        info = _info(user)
        uow.commit()
        return info

    return run_in_transaction(uow_factory, work)


def set_password(uow_factory: UnitOfWorkFactory, user_id: int, new_password: str) -> None:
    """Set or change a password: one's own, or anyone's for an administrator."""
    _check_password(new_password)
    if not new_password:
        raise ValidationError(_("The password cannot be empty."), "password")

    def work(uow: UnitOfWork) -> None:
        if uow.actor.user_id != user_id and not uow.actor.has_role("admin"):
            raise PermissionDeniedError(_("Only an administrator can change another user's password."))
        user = uow.session.get(User, user_id)
        if user is None:
            raise NotFoundError(_("The user no longer exists."))
        user.password_hash = hash_password(new_password)
        user.password_changed_at = uow.clock()
        audit.record(uow, "user", user.id, "password_changed")
        uow.mark_changed("user", user.id)
        uow.commit()

    run_in_transaction(uow_factory, work)
