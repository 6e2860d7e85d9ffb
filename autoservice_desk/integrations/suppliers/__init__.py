"""Online parts suppliers: the ABCP platform's API and a generic JSON-over-HTTP API, behind one small interface."""

from autoservice_desk.integrations.suppliers.abcp import AbcpAdapter, password_hash
from autoservice_desk.integrations.suppliers.base import (
    BrandHit,
    FailureReason,
    SupplierAdapter,
    SupplierError,
    SupplierOffer,
)
from autoservice_desk.integrations.suppliers.json_api import JsonAdapter

__all__ = [
    "AbcpAdapter", "BrandHit", "FailureReason", "JsonAdapter", "SupplierAdapter", "SupplierError", "SupplierOffer",
    "password_hash",
]
