"""Service packages: canned jobs ("ТО-1 Kia Rio 1.6") of several services and the parts they usually take."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, select

from autoservice_desk.i18n import _
from autoservice_desk.models.catalog import PackagePart, PackageService, Service, ServicePackage
from autoservice_desk.models.clients import Vehicle
from autoservice_desk.services import audit
from autoservice_desk.services.catalog import price_of, read_services
from autoservice_desk.services.catalog_reference import require_catalog_editor
from autoservice_desk.services.errors import FieldErrors, NotFoundError
from autoservice_desk.services.form_values import clean_amount, clean_text
from autoservice_desk.services.labour_norms import car_text_key, norm_hours_many
from autoservice_desk.services.text_keys import fold_text
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

MAX_QUANTITY = Decimal("99999999999.999")  # Numeric(14, 3)


@dataclass(frozen=True)
class PartLine:
    """A typical part by part number; *quantity* may be text (`4,5`) in a form and is a Decimal when read."""

    article: str
    brand: str
    name: str
    quantity: str | Decimal


@dataclass(frozen=True)
class PackageForm:
    name: str = ""
    make: str = ""
    model: str = ""
    notes: str = ""
    active: bool = True
    service_ids: tuple[int, ...] = ()  # in the order the jobs are done
    parts: tuple[PartLine, ...] = ()


@dataclass(frozen=True)
class PackageInfo:
    id: int
    name: str
    make: str | None
    model: str | None
    notes: str | None
    active: bool
    service_ids: tuple[int, ...]
    parts: tuple[PartLine, ...]  # quantities are Decimal


@dataclass(frozen=True)
class PackageJob:
    """One service of a package on a given car: hours from the norms (or the default) and the price they make."""

    service_id: int
    code: str | None
    name: str
    hours: Decimal
    source: str  # as NormAnswer.source
    price: Decimal


@dataclass(frozen=True)
class PackageContents:
    package: PackageInfo
    jobs: tuple[PackageJob, ...]
    total_hours: Decimal
    total_price: Decimal  # the jobs only; parts are priced by the warehouse


def _read(uow: UnitOfWork, package_ids: list[int] | None = None) -> list[PackageInfo]:
    """Packages (all or *package_ids*) by name with their lines: three queries."""
    # Lines are read as plain columns, not entities: saving replaces them under the same keys in this session.
    packages = select(ServicePackage)
    services = select(PackageService.package_id, PackageService.service_id).order_by(PackageService.position)
    parts = select(
        PackagePart.package_id, PackagePart.article, PackagePart.brand, PackagePart.name, PackagePart.quantity
    ).order_by(PackagePart.position)
    if package_ids is not None:
        packages = packages.where(ServicePackage.id.in_(package_ids))
        services = services.where(PackageService.package_id.in_(package_ids))
        parts = parts.where(PackagePart.package_id.in_(package_ids))
    jobs: dict[int, list[int]] = {}
    for package_id, service_id in uow.session.execute(services):
        jobs.setdefault(package_id, []).append(service_id)
    typical: dict[int, list[PartLine]] = {}
    for package_id, article, brand, name, quantity in uow.session.execute(parts):
        typical.setdefault(package_id, []).append(PartLine(article, brand or "", name, quantity))
    return sorted(
        (PackageInfo(row.id, row.name, row.make, row.model, row.notes, row.active, tuple(jobs.get(row.id, ())),
                     tuple(typical.get(row.id, ()))) for row in uow.session.scalars(packages)),
        key=lambda package: package.name.casefold(),
    )  # fmt: skip


def _fits_car(package: PackageInfo, make: str, model: str) -> bool:
    if package.make and make and car_text_key(package.make) != car_text_key(make):
        return False
    return not (package.model and model and car_text_key(package.model) != car_text_key(model))


def list_packages(
    uow_factory: UnitOfWorkFactory, text: str = "", *, make: str = "", model: str = "", active_only: bool = False
) -> list[PackageInfo]:
    """Packages by name; *text* filters by name; *make* and *model* keep that car's packages and the universal ones."""
    words = fold_text(text).split()

    def work(uow: UnitOfWork) -> list[PackageInfo]:
        return [
            package for package in _read(uow)
            if (package.active or not active_only) and all(word in fold_text(package.name) for word in words)
            and _fits_car(package, make, model)
        ]  # fmt: skip

    return run_in_transaction(uow_factory, work, read_only=True)


def _load(uow: UnitOfWork, package_id: int) -> PackageInfo:
    found = _read(uow, [package_id])
    if not found:
        raise NotFoundError(_("The package no longer exists."))
    return found[0]


def get_package(uow_factory: UnitOfWorkFactory, package_id: int) -> PackageInfo:
    return run_in_transaction(uow_factory, lambda uow: _load(uow, package_id), read_only=True)


def _clean(uow: UnitOfWork, form: PackageForm, exclude_id: int | None) -> PackageInfo:
    """The checked form as the package it will be (id 0); FieldErrors keys: name, make, model, services, parts.N.x."""
    problems: dict[str, str] = {}
    name = clean_text(form.name, 200, "name", problems, required=_("Enter the name of the package."))
    make = clean_text(form.make, 60, "make", problems)
    model = clean_text(form.model, 100, "model", problems)
    if model and not make:
        problems["make"] = _("Enter the make of the model.")
    others = uow.session.execute(select(ServicePackage.id, ServicePackage.name))
    if name and any(fold_text(other) == fold_text(name) for other_id, other in others if other_id != exclude_id):
        problems["name"] = _("A package with this name already exists.")
    if not form.service_ids:
        problems["services"] = _("Add at least one service.")
    else:
        known = set(uow.session.scalars(select(Service.id).where(Service.id.in_(list(form.service_ids)))))
        if not set(form.service_ids) <= known:
            problems["services"] = _("Some of the services are no longer in the catalog.")
    parts = []
    for index, part in enumerate(form.parts):
        prefix = f"parts.{index}"
        article = clean_text(part.article, 60, f"{prefix}.article", problems, required=_("Enter the part number."))
        brand = clean_text(part.brand, 60, f"{prefix}.brand", problems)
        part_name = clean_text(part.name, 200, f"{prefix}.name", problems, required=_("Enter the part's name."))
        quantity = clean_amount(
            part.quantity, f"{prefix}.quantity", problems, places=3, maximum=MAX_QUANTITY, positive=True,
            message=_("The quantity is a number above zero with at most three decimal places."),
        )  # fmt: skip
        parts.append(PartLine(article, brand, part_name, quantity))
    if problems:
        raise FieldErrors(problems)
    return PackageInfo(
        0, name, make or None, model or None, form.notes.strip() or None, form.active, form.service_ids, tuple(parts)
    )


def _state(package: PackageInfo) -> dict[str, object]:
    return {
        "name": package.name, "make": package.make, "model": package.model, "notes": package.notes,
        "active": package.active, "service_ids": list(package.service_ids),
        "parts": [[part.article, part.brand, part.name, part.quantity] for part in package.parts],
    }  # fmt: skip


def _write_lines(uow: UnitOfWork, package_id: int, clean: PackageInfo) -> None:
    uow.session.execute(delete(PackageService).where(PackageService.package_id == package_id))
    uow.session.execute(delete(PackagePart).where(PackagePart.package_id == package_id))
    for position, service_id in enumerate(clean.service_ids):
        uow.session.add(PackageService(package_id=package_id, position=position, service_id=service_id))
    for position, part in enumerate(clean.parts):
        uow.session.add(
            PackagePart(
                package_id=package_id, position=position, article=part.article, brand=part.brand or None,
                name=part.name, quantity=part.quantity,
            )
        )  # fmt: skip


def create_package(uow_factory: UnitOfWorkFactory, form: PackageForm) -> int:
    def work(uow: UnitOfWork) -> int:
        require_catalog_editor(uow)
        clean = _clean(uow, form, None)
        package = ServicePackage(
            name=clean.name, make=clean.make, model=clean.model, notes=clean.notes, active=clean.active
        )
        uow.session.add(package)
        uow.session.flush()
        _write_lines(uow, package.id, clean)
        audit.record(uow, "service_package", package.id, "create", None, _state(clean))
        uow.mark_changed("catalog")
        uow.commit()
        return package.id

    return run_in_transaction(uow_factory, work)


def update_package(uow_factory: UnitOfWorkFactory, package_id: int, form: PackageForm) -> None:
    """Save *form* over the package, its services and parts replaced in the form's order."""

    def work(uow: UnitOfWork) -> None:
        require_catalog_editor(uow)
        package = uow.session.get(ServicePackage, package_id, with_for_update=True)
        if package is None:
            raise NotFoundError(_("The package no longer exists."))
        before = _state(_load(uow, package_id))
        clean = _clean(uow, form, package_id)
        after = _state(clean)
        changed = {key: value for key, value in after.items() if before[key] != value}
        if not changed:
            return
        package.name, package.make, package.model = clean.name, clean.make, clean.model
        package.notes, package.active = clean.notes, clean.active
        uow.session.flush()
        _write_lines(uow, package_id, clean)
        audit.record(uow, "service_package", package_id, "update", {key: before[key] for key in changed}, changed)
        uow.mark_changed("catalog")
        uow.commit()

    run_in_transaction(uow_factory, work)


def delete_package(uow_factory: UnitOfWorkFactory, package_id: int) -> None:
    """Remove a package; bookings made from it keep their jobs."""

    def work(uow: UnitOfWork) -> None:
        require_catalog_editor(uow)
        package = uow.session.get(ServicePackage, package_id)
        if package is None:
            raise NotFoundError(_("The package no longer exists."))
        audit.record(uow, "service_package", package_id, "delete", _state(_load(uow, package_id)), None)
        uow.session.delete(package)
        uow.mark_changed("catalog")
        uow.commit()

    run_in_transaction(uow_factory, work)


def contents_for_car(
    uow: UnitOfWork, package_id: int, make: str | None, model: str | None, year: int | None, engine: str | None
) -> PackageContents:
    """The package's jobs with hours from the norms for this car, inside the caller's unit of work."""
    package = _load(uow, package_id)
    answers = norm_hours_many(uow, package.service_ids, make, model, year, engine)
    services = {service.id: service for service in read_services(uow, package.service_ids)}
    jobs = []
    for service_id in package.service_ids:
        service, answer = services[service_id], answers[service_id]
        jobs.append(
            PackageJob(service_id, service.code, service.name, answer.hours, answer.source,
                       price_of(service, answer.hours))
        )  # fmt: skip
    return PackageContents(
        package, tuple(jobs), sum((job.hours for job in jobs), Decimal("0.00")),
        sum((job.price for job in jobs), Decimal("0.00")),
    )  # fmt: skip


def package_contents(uow_factory: UnitOfWorkFactory, package_id: int, vehicle_id: int | None = None) -> PackageContents:
    """The package's jobs with hours for the car *vehicle_id* (the services' default hours without a car)."""

    def work(uow: UnitOfWork) -> PackageContents:
        if vehicle_id is None:
            return contents_for_car(uow, package_id, None, None, None, None)
        car = uow.session.get(Vehicle, vehicle_id)
        if car is None:
            raise NotFoundError(_("The car no longer exists."))
        return contents_for_car(uow, package_id, car.make, car.model, car.year, car.engine)

    return run_in_transaction(uow_factory, work, read_only=True)
