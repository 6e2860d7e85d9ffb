"""Labour-time norms: how long a service takes on a given car, the most specific norm winning, and their editing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from autoservice_desk.i18n import _
from autoservice_desk.models.catalog import LabourNorm, Service
from autoservice_desk.models.clients import Vehicle
from autoservice_desk.services import audit
from autoservice_desk.services.catalog import MAX_HOURS
from autoservice_desk.services.catalog_reference import require_catalog_editor
from autoservice_desk.services.errors import ConflictError, FieldErrors, NotFoundError
from autoservice_desk.services.form_values import clean_amount, clean_text, clean_year
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

DEFAULT_SOURCE = "default"
NormKey = tuple[int, str, str | None, int | None, int | None, str | None]  # service, make, model, years, engine


@dataclass(frozen=True)
class NormAnswer:
    """Hours for a job on a car; *source* says what matched (`make+model+years+engine` ... `make`) or `default`."""

    hours: Decimal
    source: str
    norm_id: int | None = None


@dataclass(frozen=True)
class NormInfo:
    id: int
    service_id: int
    make: str  # folded: upper case, ё as е
    model: str | None
    year_from: int | None
    year_to: int | None
    engine: str | None
    hours: Decimal
    source: str | None  # the file it was imported from


@dataclass(frozen=True)
class NormForm:
    """A norm as typed; years may be text or numbers, hours text (`1,4`) or Decimal."""

    make: str = ""
    model: str = ""
    year_from: str | int | None = ""
    year_to: str | int | None = ""
    engine: str = ""
    hours: str | Decimal = ""


@dataclass(frozen=True)
class CleanNorm:
    make: str
    model: str | None
    year_from: int | None
    year_to: int | None
    engine: str | None
    hours: Decimal

    def key(self, service_id: int) -> NormKey:
        return (service_id, self.make, self.model, self.year_from, self.year_to, self.engine)


def car_text_key(text: str | None) -> str:
    """Make, model or engine as norms store and match them: upper case, ё as е, single spaces (`1,6` as `1.6`)."""
    return " ".join((text or "").upper().replace("Ё", "Е").replace(",", ".").split())


def clean_norm_form(form: NormForm, *, last_year: int) -> CleanNorm:
    """Every field checked at once; FieldErrors names each bad one, keyed like NormForm's attributes."""
    problems: dict[str, str] = {}
    make = clean_text(form.make, 60, "make", problems, required=_("Enter the make."))
    model = clean_text(form.model, 100, "model", problems)
    engine = clean_text(form.engine, 60, "engine", problems)
    year_from = clean_year(form.year_from, "year_from", problems, last=last_year)
    year_to = clean_year(form.year_to, "year_to", problems, last=last_year)
    if year_from is not None and year_to is not None and year_from > year_to:
        problems["year_to"] = _("The last year cannot be before the first one.")
    hours = clean_amount(
        form.hours, "hours", problems, places=2, maximum=MAX_HOURS, positive=True,
        message=_("The hours are a number above zero with at most two decimal places, for example 1.4."),
    )  # fmt: skip
    if problems:
        raise FieldErrors(problems)
    return CleanNorm(
        car_text_key(make), car_text_key(model) or None, year_from, year_to, car_text_key(engine) or None, hours
    )


def _specificity(norm: LabourNorm) -> tuple[bool, bool, bool, int, int]:
    """Sort key, most specific last: a model beats a make, then a year range, then an engine; then narrower years."""
    has_years = norm.year_from is not None or norm.year_to is not None
    span = (norm.year_to or 9999) - (norm.year_from or 0)
    return (norm.model is not None, has_years, norm.engine is not None, -span, norm.id)


def _fits(norm: LabourNorm, model: str, year: int | None, engine: str) -> bool:
    if norm.model is not None and norm.model != model:
        return False
    if norm.year_from is not None or norm.year_to is not None:
        if year is None or not (norm.year_from or 0) <= year <= (norm.year_to or 9999):
            return False
    return norm.engine is None or norm.engine == engine


def _source(norm: LabourNorm) -> str:
    parts = ["make"]
    if norm.model is not None:
        parts.append("model")
    if norm.year_from is not None or norm.year_to is not None:
        parts.append("years")
    if norm.engine is not None:
        parts.append("engine")
    return "+".join(parts)


def norm_hours_many(
    uow: UnitOfWork,
    service_ids: Iterable[int],
    make: str | None,
    model: str | None,
    year: int | None,
    engine: str | None,
) -> dict[int, NormAnswer]:
    """Hours of each service on this car (two queries however many services: a package asks for all at once)."""
    ids = list(dict.fromkeys(service_ids))
    query = select(Service.id, Service.default_hours).where(Service.id.in_(ids))
    defaults = {service_id: hours for service_id, hours in uow.session.execute(query)}
    if any(service_id not in defaults for service_id in ids):
        raise NotFoundError(_("The service is no longer in the catalog."))
    answers = {service_id: NormAnswer(defaults[service_id], DEFAULT_SOURCE) for service_id in ids}
    make_key = car_text_key(make)
    if not make_key:
        return answers
    model_key, engine_key = car_text_key(model), car_text_key(engine)
    best: dict[int, LabourNorm] = {}
    norms = uow.session.scalars(select(LabourNorm).where(LabourNorm.service_id.in_(ids), LabourNorm.make == make_key))
    for norm in norms:
        if _fits(norm, model_key, year, engine_key):
            current = best.get(norm.service_id)
            if current is None or _specificity(norm) > _specificity(current):
                best[norm.service_id] = norm
    for service_id, norm in best.items():
        answers[service_id] = NormAnswer(norm.hours, _source(norm), norm.id)
    return answers


def norm_hours(
    uow: UnitOfWork, service_id: int, make: str | None, model: str | None, year: int | None, engine: str | None
) -> NormAnswer:
    """Hours of *service_id* on this car: the most specific matching norm, else the service's default hours."""
    return norm_hours_many(uow, [service_id], make, model, year, engine)[service_id]


def norm_hours_for_vehicle(uow_factory: UnitOfWorkFactory, service_id: int, vehicle_id: int) -> NormAnswer:
    """Hours of *service_id* on the car *vehicle_id* (its make, model, year and engine)."""

    def work(uow: UnitOfWork) -> NormAnswer:
        car = uow.session.get(Vehicle, vehicle_id)
        if car is None:
            raise NotFoundError(_("The car no longer exists."))
        return norm_hours(uow, service_id, car.make, car.model, car.year, car.engine)

    return run_in_transaction(uow_factory, work, read_only=True)


# --- Editing ----------------------------------------------------------------------------------------------------


def _info(norm: LabourNorm) -> NormInfo:
    return NormInfo(
        norm.id, norm.service_id, norm.make, norm.model, norm.year_from, norm.year_to, norm.engine, norm.hours,
        norm.source,
    )  # fmt: skip


def _state(norm: LabourNorm | CleanNorm) -> dict[str, object]:
    names = ("make", "model", "year_from", "year_to", "engine", "hours")
    return {name: getattr(norm, name) for name in names}


def list_norms(uow_factory: UnitOfWorkFactory, service_id: int) -> list[NormInfo]:
    """The norms of one service by make, model and years."""

    def work(uow: UnitOfWork) -> list[NormInfo]:
        rows = uow.session.scalars(select(LabourNorm).where(LabourNorm.service_id == service_id))
        return sorted(
            (_info(row) for row in rows),
            key=lambda n: (n.make, n.model or "", n.year_from or 0, n.year_to or 0, n.engine or "", n.id),
        )

    return run_in_transaction(uow_factory, work, read_only=True)


def _refuse_duplicate(uow: UnitOfWork, service_id: int, clean: CleanNorm, exclude_id: int | None) -> None:
    rows = uow.session.scalars(
        select(LabourNorm).where(LabourNorm.service_id == service_id, LabourNorm.make == clean.make)
    )
    for row in rows:
        same = (row.model, row.year_from, row.year_to, row.engine) == (
            clean.model,
            clean.year_from,
            clean.year_to,
            clean.engine,
        )
        if same and row.id != exclude_id:
            raise ConflictError(_("This service already has a norm for these cars; change its hours instead."))


def add_norm(uow_factory: UnitOfWorkFactory, service_id: int, form: NormForm) -> int:
    """Add a norm to *service_id*; returns its id."""

    def work(uow: UnitOfWork) -> int:
        require_catalog_editor(uow)
        clean = clean_norm_form(form, last_year=uow.clock().year + 1)
        if uow.session.get(Service, service_id) is None:
            raise NotFoundError(_("The service is no longer in the catalog."))
        _refuse_duplicate(uow, service_id, clean, None)
        norm = LabourNorm(service_id=service_id, **_state(clean))
        uow.session.add(norm)
        uow.session.flush()
        audit.record(uow, "labour_norm", norm.id, "create", None, {"service_id": service_id, **_state(clean)})
        uow.mark_changed("catalog", service_id)
        uow.commit()
        return norm.id

    return run_in_transaction(uow_factory, work)


def update_norm(uow_factory: UnitOfWorkFactory, norm_id: int, form: NormForm) -> None:
    def work(uow: UnitOfWork) -> None:
        require_catalog_editor(uow)
        clean = clean_norm_form(form, last_year=uow.clock().year + 1)
        norm = uow.session.get(LabourNorm, norm_id, with_for_update=True)
        if norm is None:
            raise NotFoundError(_("The norm no longer exists."))
        _refuse_duplicate(uow, norm.service_id, clean, norm_id)
        before, after = _state(norm), _state(clean)
        changed = {key: value for key, value in after.items() if before[key] != value}
        if not changed:
            return
        for key, value in changed.items():
            setattr(norm, key, value)
        audit.record(uow, "labour_norm", norm_id, "update", {key: before[key] for key in changed}, changed)
        uow.mark_changed("catalog", norm.service_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def delete_norm(uow_factory: UnitOfWorkFactory, norm_id: int) -> None:
    def work(uow: UnitOfWork) -> None:
        require_catalog_editor(uow)
        norm = uow.session.get(LabourNorm, norm_id)
        if norm is None:
            raise NotFoundError(_("The norm no longer exists."))
        audit.record(uow, "labour_norm", norm_id, "delete", {"service_id": norm.service_id, **_state(norm)}, None)
        uow.session.delete(norm)
        uow.mark_changed("catalog", norm.service_id)
        uow.commit()

    run_in_transaction(uow_factory, work)
