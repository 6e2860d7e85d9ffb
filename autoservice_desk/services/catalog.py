"""The service catalog: services with their kind, duration, needs and price rule; how a job's price is made."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import delete, insert, select
from sqlalchemy.orm.attributes import flag_modified

from autoservice_desk.i18n import N_, _
from autoservice_desk.models.catalog import Equipment, Service, ServiceCategory, Skill, service_equipment
from autoservice_desk.services import audit
from autoservice_desk.services.catalog_reference import require_catalog_editor
from autoservice_desk.services.errors import ConflictError, FieldErrors, NotFoundError
from autoservice_desk.services.form_values import clean_amount, clean_text
from autoservice_desk.services.text_keys import fold_text
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

KINDS = {"paid": N_("Paid"), "warranty": N_("Warranty"), "extended": N_("Extended warranty")}
PRICE_RULES = {"hourly": N_("Hours × category rate"), "fixed": N_("Fixed price")}
MAX_HOURS = Decimal("9999.99")  # Numeric(6, 2)
MAX_MONEY = Decimal("999999999999.99")  # Numeric(14, 2)
KOPECK = Decimal("0.01")


@dataclass(frozen=True)
class ServiceInfo:
    """A catalog service as read, with its category's rate (what `price_of` needs)."""

    id: int
    category_id: int
    category_name: str
    code: str | None
    name: str
    kind: str  # paid | warranty | extended
    default_hours: Decimal
    equipment_ids: frozenset[int]
    skill_id: int | None
    price_rule: str  # hourly | fixed
    fixed_price: Decimal | None
    hourly_rate: Decimal
    active: bool
    version: int = 1


@dataclass(frozen=True)
class ServiceForm:
    """The service form as typed; hours and price may be text (`1,5`) or Decimal."""

    category_id: int | None = None
    code: str = ""
    name: str = ""
    kind: str = "paid"
    default_hours: str | Decimal = ""
    equipment_ids: frozenset[int] = frozenset()
    skill_id: int | None = None
    price_rule: str = "hourly"
    fixed_price: str | Decimal = ""
    active: bool = True


@dataclass(frozen=True)
class _CleanService:
    category_id: int
    code: str | None
    name: str
    kind: str
    default_hours: Decimal
    skill_id: int | None
    price_rule: str
    fixed_price: Decimal | None
    active: bool

    def columns(self) -> dict[str, object]:
        return dict(self.__dict__)


def price_of(service: ServiceInfo, hours: Decimal) -> Decimal:
    """What the job costs: its fixed price, or *hours* × the category's hourly rate, rounded half up to kopecks."""
    if service.price_rule == "fixed" and service.fixed_price is not None:
        return service.fixed_price.quantize(KOPECK)
    return (hours * service.hourly_rate).quantize(KOPECK, rounding=ROUND_HALF_UP)


def read_services(uow: UnitOfWork, ids: Iterable[int] | None = None) -> list[ServiceInfo]:
    """Services (all, or those with *ids*) in catalog order, inside the caller's unit of work: two queries."""
    statement = (
        select(Service, ServiceCategory.name, ServiceCategory.hourly_rate)
        .join(ServiceCategory, ServiceCategory.id == Service.category_id)
        .order_by(ServiceCategory.sort_order, ServiceCategory.name, Service.code, Service.name)
    )
    links = select(service_equipment.c.service_id, service_equipment.c.equipment_id)
    if ids is not None:
        wanted = list(set(ids))
        statement = statement.where(Service.id.in_(wanted))
        links = links.where(service_equipment.c.service_id.in_(wanted))
    equipment: dict[int, set[int]] = {}
    for service_id, equipment_id in uow.session.execute(links):
        equipment.setdefault(service_id, set()).add(equipment_id)
    return [
        ServiceInfo(
            row.id,
            row.category_id,
            category_name,
            row.code,
            row.name,
            row.kind,
            row.default_hours,
            frozenset(equipment.get(row.id, ())),
            row.skill_id,
            row.price_rule,
            row.fixed_price,
            rate,
            row.active,
            row.version,
        )  # fmt: skip
        for row, category_name, rate in uow.session.execute(statement)
    ]


def service_info(uow: UnitOfWork, service_id: int) -> ServiceInfo:
    found = read_services(uow, [service_id])
    if not found:
        raise NotFoundError(_("The service is no longer in the catalog."))
    return found[0]


def _matches(service: ServiceInfo, words: list[str]) -> bool:
    haystack = fold_text(" ".join((service.code or "", service.name, service.category_name)))
    return all(word in haystack for word in words)


def list_services(uow_factory: UnitOfWorkFactory, text: str = "", *, active_only: bool = False) -> list[ServiceInfo]:
    """The catalog in category order; *text* keeps the services whose code, name or category has every word of it.

    Filtered in Python: a catalog is a few hundred rows, and SQLite's lower() does not fold Cyrillic.
    """
    words = fold_text(text).split()

    def work(uow: UnitOfWork) -> list[ServiceInfo]:
        return [
            service for service in read_services(uow)
            if (service.active or not active_only) and _matches(service, words)
        ]  # fmt: skip

    return run_in_transaction(uow_factory, work, read_only=True)


def get_service(uow_factory: UnitOfWorkFactory, service_id: int) -> ServiceInfo:
    return run_in_transaction(uow_factory, lambda uow: service_info(uow, service_id), read_only=True)


def _clean(uow: UnitOfWork, form: ServiceForm, exclude_id: int | None) -> _CleanService:
    """Every field checked at once: FieldErrors names each bad one, keyed like ServiceForm's attributes."""
    problems: dict[str, str] = {}
    name = clean_text(form.name, 200, "name", problems, required=_("Enter the name of the service."))
    code = clean_text(form.code, 40, "code", problems)
    if form.category_id is None or uow.session.get(ServiceCategory, form.category_id) is None:
        problems["category_id"] = _("Choose the category.")
    if form.kind not in KINDS:
        problems["kind"] = _("Choose whether the service is paid, warranty or extended warranty.")
    hours = clean_amount(
        form.default_hours, "default_hours", problems, places=2, maximum=MAX_HOURS, positive=True,
        message=_("The hours are a number above zero with at most two decimal places, for example 1.5."),
    )  # fmt: skip
    fixed_price = None
    if form.price_rule not in PRICE_RULES:
        problems["price_rule"] = _("Choose how the price is made.")
    elif form.price_rule == "fixed" or str(form.fixed_price).strip():
        fixed_price = clean_amount(
            form.fixed_price, "fixed_price", problems, places=2, maximum=MAX_MONEY, positive=False,
            message=_("The price is an amount in roubles with at most two decimal places, for example 1500."),
        )  # fmt: skip
    if form.skill_id is not None and uow.session.get(Skill, form.skill_id) is None:
        problems["skill_id"] = _("The skill is no longer in the list.")
    if form.equipment_ids:
        known = set(uow.session.scalars(select(Equipment.id).where(Equipment.id.in_(list(form.equipment_ids)))))
        if known != set(form.equipment_ids):
            problems["equipment_ids"] = _("Some of the equipment is no longer in the list.")
    _check_unique(uow, name, code, exclude_id, problems)
    if problems:
        raise FieldErrors(problems)
    assert form.category_id is not None
    return _CleanService(
        form.category_id, code or None, name, form.kind, hours, form.skill_id, form.price_rule,
        fixed_price if form.price_rule == "fixed" else None, form.active,
    )  # fmt: skip


def _check_unique(uow: UnitOfWork, name: str, code: str, exclude_id: int | None, problems: dict[str, str]) -> None:
    # Names are unique too: the norms import finds a service by its name when the file has no codes.
    for other_id, other_code, other_name in uow.session.execute(select(Service.id, Service.code, Service.name)):
        if other_id == exclude_id:
            continue
        if code and other_code and other_code.casefold() == code.casefold():
            problems["code"] = _("The code {code} is taken by “{name}”.").format(code=other_code, name=other_name)
        if name and fold_text(other_name) == fold_text(name):
            problems["name"] = _("A service with this name is already in the catalog.")


def _set_equipment(uow: UnitOfWork, service_id: int, equipment_ids: frozenset[int]) -> None:
    uow.session.execute(delete(service_equipment).where(service_equipment.c.service_id == service_id))
    if equipment_ids:
        uow.session.execute(
            insert(service_equipment), [{"service_id": service_id, "equipment_id": item} for item in equipment_ids]
        )


def _state(info: ServiceInfo) -> dict[str, object]:
    return {
        "category_id": info.category_id, "code": info.code, "name": info.name, "kind": info.kind,
        "default_hours": info.default_hours, "equipment_ids": sorted(info.equipment_ids), "skill_id": info.skill_id,
        "price_rule": info.price_rule, "fixed_price": info.fixed_price, "active": info.active,
    }  # fmt: skip


def create_service(uow_factory: UnitOfWorkFactory, form: ServiceForm) -> int:
    """Add a service to the catalog; returns its id."""

    def work(uow: UnitOfWork) -> int:
        require_catalog_editor(uow)
        clean = _clean(uow, form, None)
        service = Service(**clean.columns())
        uow.session.add(service)
        uow.session.flush()
        _set_equipment(uow, service.id, form.equipment_ids)
        audit.record(uow, "service", service.id, "create", None, _state(service_info(uow, service.id)))
        uow.mark_changed("catalog", service.id)
        uow.commit()
        return service.id

    return run_in_transaction(uow_factory, work)


def update_service(uow_factory: UnitOfWorkFactory, service_id: int, version: int, form: ServiceForm) -> None:
    """Save *form* over the service read at *version*; bookings already made keep their hours."""

    def work(uow: UnitOfWork) -> None:
        require_catalog_editor(uow)
        service = uow.session.scalar(select(Service).where(Service.id == service_id).with_for_update())
        if service is None:
            raise NotFoundError(_("The service is no longer in the catalog."))
        if service.version != version:
            raise ConflictError(
                _("Someone else has changed this service in the meantime; reopen it and make your change again.")
            )
        old = service_info(uow, service_id)
        before = _state(old)
        clean = _clean(uow, form, service_id)
        columns = {name: value for name, value in clean.columns().items() if getattr(service, name) != value}
        equipment_changed = old.equipment_ids != frozenset(form.equipment_ids)
        if not columns and not equipment_changed:
            return
        for name, value in columns.items():
            setattr(service, name, value)
        if equipment_changed:
            _set_equipment(uow, service_id, form.equipment_ids)
            if not columns:  # only the links changed: the row is still updated, so its version moves on
                flag_modified(service, "name")
        uow.session.flush()
        after = _state(service_info(uow, service_id))
        changed = {key: value for key, value in after.items() if before[key] != value}
        audit.record(uow, "service", service_id, "update", {key: before[key] for key in changed}, changed)
        uow.mark_changed("catalog", service_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def set_service_active(uow_factory: UnitOfWorkFactory, service_id: int, active: bool) -> None:
    """Withdraw a service from sale (or bring it back); norms, packages and past bookings keep it."""

    def work(uow: UnitOfWork) -> None:
        require_catalog_editor(uow)
        service = uow.session.get(Service, service_id)
        if service is None:
            raise NotFoundError(_("The service is no longer in the catalog."))
        if service.active == active:
            return
        service.active = active
        audit.record(uow, "service", service_id, "update", {"active": not active}, {"active": active})
        uow.mark_changed("catalog", service_id)
        uow.commit()

    run_in_transaction(uow_factory, work)
