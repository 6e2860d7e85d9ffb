"""Parts quoting: supplier price lists, markup rules, online suppliers, cached answers and saved quotes.

A supplier's price list is a batch of rows; an import writes a new batch beside the current one and then flips
`current` in one short transaction, so a search sees either the old list or the new one, never half of either.
Markup rules by supplier extend `inventory.MarkupRule` (one place computes a sale price: services/part_prices.py).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from autoservice_desk.models.audit import JSONDocument
from autoservice_desk.models.base import Base, TimestampMixin
from autoservice_desk.models.inventory import SearchKey
from autoservice_desk.models.types import Money, Quantity, UTCDateTime


class PriceListBatch(Base):
    """One import of one supplier's price list; only the supplier's `current` batch is searched."""

    __tablename__ = "price_list_batches"
    __table_args__ = (Index("ix_price_list_batches_supplier", "supplier_id", "current"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(String(255))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    imported_by: Mapped[str] = mapped_column(String(64))
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    current: Mapped[bool] = mapped_column(Boolean, default=False)


class PriceListRow(Base):
    """An offer of a price list: found by article key (a few rows per key across every supplier's list)."""

    __tablename__ = "price_list_rows"
    __table_args__ = (
        Index("ix_price_list_rows_article_key", "article_key"),
        Index("ix_price_list_rows_batch", "batch_id"),
    )

    # Half a million rows per import: ids outgrow a 32-bit integer after a few thousand imports.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("price_list_batches.id", ondelete="CASCADE"))
    article_key: Mapped[str] = mapped_column(SearchKey(60))
    brand_key: Mapped[str] = mapped_column(SearchKey(60))
    article: Mapped[str] = mapped_column(String(60))
    brand: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[Decimal | None] = mapped_column(Quantity())  # None: the list does not say
    price: Mapped[Decimal] = mapped_column(Money())
    delivery_days: Mapped[int | None] = mapped_column(Integer)  # None: the supplier card's delivery days
    multiplicity: Mapped[int] = mapped_column(Integer, default=1)  # sold in packs of this many


class PriceListMapping(Base):
    """Which column of a supplier's file holds which field, by header name, remembered for the next import."""

    __tablename__ = "price_list_mappings"

    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), primary_key=True)
    columns: Mapped[dict[str, Any]] = mapped_column(JSONDocument)  # field -> header name
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OnlineSupplier(TimestampMixin, Base):
    """A supplier answering over HTTP: an ABCP-platform shop or a JSON API; its password lives in the keyring."""

    __tablename__ = "online_suppliers"
    __table_args__ = (
        CheckConstraint("kind IN ('abcp', 'json')", name="kind"),
        CheckConstraint("timeout_ms > 0", name="timeout_positive"),
        CheckConstraint("cache_minutes >= 0", name="cache_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    base_url: Mapped[str] = mapped_column(String(500))
    login: Mapped[str] = mapped_column(String(200), default="")
    url_template: Mapped[str] = mapped_column(String(1000), default="")  # json: offers of {article} {brand}
    brands_url_template: Mapped[str] = mapped_column(String(1000), default="")  # json: brands of {article}
    field_mapping: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)  # json: field -> path in the answer
    timeout_ms: Mapped[int] = mapped_column(Integer, default=5000)
    cache_minutes: Mapped[int] = mapped_column(Integer, default=30)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class SupplierAnswer(Base):
    """An online supplier's last answer to one question, kept for `cache_minutes` (shared by every desk)."""

    __tablename__ = "supplier_answers"
    __table_args__ = (UniqueConstraint("online_supplier_id", "query_key", name="uq_supplier_answers_query"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    online_supplier_id: Mapped[int] = mapped_column(ForeignKey("online_suppliers.id", ondelete="CASCADE"))
    query_key: Mapped[str] = mapped_column(String(200))  # "offers:OC90:MAHLE", "brands:OC90"
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime())
    payload: Mapped[list[Any]] = mapped_column(JSONDocument)


class Quote(Base):
    """A saved search (проценка) for a client, a work order, a booking, a deal, or nobody in particular."""

    __tablename__ = "quotes"
    __table_args__ = (
        UniqueConstraint("year", "number", name="uq_quotes_number"),
        Index("ix_quotes_client", "client_id", "created_at"),
        Index("ix_quotes_work_order", "work_order_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
    work_order_id: Mapped[int | None] = mapped_column(Integer)  # the work-order module links it
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"))
    deal_id: Mapped[int | None] = mapped_column(Integer)  # the deals module links it
    article: Mapped[str] = mapped_column(String(60))  # what was searched
    brand: Mapped[str] = mapped_column(String(60), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class QuoteOffer(Base):
    """An offer as it was when the quote was saved (prices change; the quote does not)."""

    __tablename__ = "quote_offers"
    __table_args__ = (
        CheckConstraint("source IN ('stock', 'price_list', 'online')", name="source"),
        UniqueConstraint("quote_id", "position", name="uq_quote_offers_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))
    source_name: Mapped[str] = mapped_column(String(200))  # the warehouse or the supplier
    analog: Mapped[bool] = mapped_column(Boolean, default=False)
    part_id: Mapped[int | None] = mapped_column(ForeignKey("parts.id", ondelete="SET NULL"))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("stock_locations.id", ondelete="SET NULL"))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id", ondelete="SET NULL"))
    brand: Mapped[str] = mapped_column(String(60))
    article: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[Decimal | None] = mapped_column(Quantity())  # available at the source
    delivery_days: Mapped[int | None] = mapped_column(Integer)
    purchase_price: Mapped[Decimal | None] = mapped_column(Money())
    sale_price: Mapped[Decimal | None] = mapped_column(Money())
    multiplicity: Mapped[int] = mapped_column(Integer, default=1)
    chosen: Mapped[bool] = mapped_column(Boolean, default=False)
