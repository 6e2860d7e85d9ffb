"""Online suppliers' settings (ABCP or JSON API, address, login, timeout, cache time) and their adapters.

Passwords and API keys are kept in the OS keyring under `supplier:<id>`, never in the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from autoservice_desk.credentials import SecretStore
from autoservice_desk.i18n import _
from autoservice_desk.integrations.suppliers import AbcpAdapter, JsonAdapter, SupplierAdapter
from autoservice_desk.models.inventory import Supplier
from autoservice_desk.models.quoting import OnlineSupplier
from autoservice_desk.services import audit
from autoservice_desk.services.errors import FieldErrors, NotFoundError
from autoservice_desk.services.price_lists import require_price_list_editor
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

KINDS = ("abcp", "json")
TIMEOUT_RANGE = (100, 60_000)  # ms
MAX_CACHE_MINUTES = 24 * 60


@dataclass(frozen=True)
class OnlineSupplierForm:
    supplier_id: int
    kind: str  # abcp | json
    base_url: str
    login: str = ""
    url_template: str = ""  # json only (see integrations/suppliers/json_api.py)
    brands_url_template: str = ""
    field_mapping: Mapping[str, str] = field(default_factory=dict)
    timeout_ms: int = 5000
    cache_minutes: int = 30
    active: bool = True


@dataclass(frozen=True)
class OnlineSupplierInfo:
    id: int
    supplier_id: int
    supplier_name: str
    kind: str
    base_url: str
    login: str
    url_template: str
    brands_url_template: str
    field_mapping: Mapping[str, str]
    timeout_ms: int
    cache_minutes: int
    active: bool

    @property
    def secret_name(self) -> str:
        return secret_name(self.id)


def secret_name(online_supplier_id: int) -> str:
    """The keyring entry of an online supplier's password or API key."""
    return f"supplier:{online_supplier_id}"


def _info(row: OnlineSupplier, supplier_name: str) -> OnlineSupplierInfo:
    return OnlineSupplierInfo(
        row.id, row.supplier_id, supplier_name, row.kind, row.base_url, row.login, row.url_template,
        row.brands_url_template, dict(row.field_mapping or {}), row.timeout_ms, row.cache_minutes, row.active,
    )  # fmt: skip


def _clean(uow: UnitOfWork, form: OnlineSupplierForm, exclude_id: int | None) -> dict[str, Any]:
    problems: dict[str, str] = {}
    if uow.session.get(Supplier, form.supplier_id) is None:
        problems["supplier_id"] = _("The supplier no longer exists.")
    elif uow.session.scalar(select(OnlineSupplier.id).where(
            OnlineSupplier.supplier_id == form.supplier_id, OnlineSupplier.id != (exclude_id or 0))) is not None:
        problems["supplier_id"] = _("This supplier is connected already.")  # fmt: skip
    if form.kind not in KINDS:
        problems["kind"] = _("Choose ABCP or JSON API.")
    base_url = form.base_url.strip()
    if not base_url.startswith(("http://", "https://")) or len(base_url) > 500:
        problems["base_url"] = _("Enter the address starting with http:// or https://.")
    if form.kind == "abcp" and not form.login.strip():
        problems["login"] = _("Enter the login the supplier gave you.")
    if form.kind == "json" and "{article}" not in form.url_template:
        problems["url_template"] = _("The URL template must contain {article}.")
    low, high = TIMEOUT_RANGE
    if not low <= form.timeout_ms <= high:
        problems["timeout_ms"] = _("The timeout is from {low} to {high} ms.").format(low=low, high=high)
    if not 0 <= form.cache_minutes <= MAX_CACHE_MINUTES:
        problems["cache_minutes"] = _("Keep answers from 0 to {limit} minutes.").format(limit=MAX_CACHE_MINUTES)
    if problems:
        raise FieldErrors(problems)
    return {
        "supplier_id": form.supplier_id, "kind": form.kind, "base_url": base_url, "login": form.login.strip(),
        "url_template": form.url_template.strip(), "brands_url_template": form.brands_url_template.strip(),
        "field_mapping": dict(form.field_mapping) or None, "timeout_ms": form.timeout_ms,
        "cache_minutes": form.cache_minutes, "active": form.active,
    }  # fmt: skip


def save_online_supplier(
    uow_factory: UnitOfWorkFactory, form: OnlineSupplierForm, *, online_supplier_id: int | None = None,
    secret: str | None = None, secrets: SecretStore | None = None,
) -> int:  # fmt: skip
    """Connect a supplier (or change its settings); *secret* (password or API key) goes to the keyring."""

    def work(uow: UnitOfWork) -> int:
        require_price_list_editor(uow)
        values = _clean(uow, form, online_supplier_id)
        if online_supplier_id is None:
            row = OnlineSupplier(**values)
            uow.session.add(row)
            uow.session.flush()
            audit.record(uow, "online_supplier", row.id, "create", None, values)
        else:
            found = uow.session.get(OnlineSupplier, online_supplier_id)
            if found is None:
                raise NotFoundError(_("The online supplier no longer exists."))
            row = found
            before = {name: getattr(row, name) for name in values}
            for name, value in values.items():
                setattr(row, name, value)
            audit.record(uow, "online_supplier", row.id, "update", before, values)
        uow.mark_changed("online_suppliers", row.id)
        uow.commit()
        return row.id

    saved = run_in_transaction(uow_factory, work)
    if secret is not None:
        (secrets or SecretStore()).set(secret_name(saved), secret)
    return saved


def list_online_suppliers(uow_factory: UnitOfWorkFactory, *, active_only: bool = False) -> list[OnlineSupplierInfo]:
    def work(uow: UnitOfWork) -> list[OnlineSupplierInfo]:
        query = (select(OnlineSupplier, Supplier.name).join(Supplier, Supplier.id == OnlineSupplier.supplier_id)
                 .order_by(Supplier.name))  # fmt: skip
        if active_only:
            query = query.where(OnlineSupplier.active, Supplier.active)
        return [_info(row, name) for row, name in uow.session.execute(query)]

    return run_in_transaction(uow_factory, work, read_only=True)


def remove_online_supplier(
    uow_factory: UnitOfWorkFactory, online_supplier_id: int, *, secrets: SecretStore | None = None
) -> None:
    """Disconnect a supplier: its settings, cached answers and keyring entry go."""

    def work(uow: UnitOfWork) -> None:
        require_price_list_editor(uow)
        row = uow.session.get(OnlineSupplier, online_supplier_id)
        if row is None:
            return
        audit.record(uow, "online_supplier", row.id, "delete", {"supplier_id": row.supplier_id,
                                                                 "base_url": row.base_url}, None)  # fmt: skip
        uow.session.delete(row)
        uow.mark_changed("online_suppliers", online_supplier_id)
        uow.commit()

    run_in_transaction(uow_factory, work)
    (secrets or SecretStore()).delete(secret_name(online_supplier_id))


def make_adapter(info: OnlineSupplierInfo, secrets: SecretStore) -> SupplierAdapter:
    """The adapter speaking *info*'s protocol with its secret from the keyring (raises SupplierError when it
    cannot be made, e.g. no login)."""
    secret = secrets.get(info.secret_name) or ""
    timeout = info.timeout_ms / 1000
    if info.kind == "abcp":
        return AbcpAdapter(info.base_url, info.login, secret, timeout=timeout)
    return JsonAdapter(info.base_url, info.url_template, info.field_mapping,
                       brands_url_template=info.brands_url_template, api_key=secret or None,
                       timeout=timeout)  # fmt: skip
