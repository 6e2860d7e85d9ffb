"""The warehouse: parts and their barcodes, cross-references, places, suppliers, stock documents and the ledger.

The ledger's rules live in the schema as well as in the services: a balance per (part, place) that can never be
negative nor reserve more than it holds (CHECKs), immutable moves (triggers refuse UPDATE and DELETE), and one
human number per document kind and year from `document_sequences`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from autoservice_desk.models.base import Base, TimestampMixin
from autoservice_desk.models.types import Money, Quantity, ScaledDecimal, UTCDateTime


def SearchKey(length: int) -> String:  # noqa: N802 - reads like a type in column declarations
    """A folded key searched by prefix ranges: byte order on PostgreSQL whatever the database's collation."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


def UnitCost() -> ScaledDecimal:  # noqa: N802 - reads like a type in column declarations
    """A cost per unit with four places, so a moving average does not drift by kopecks."""
    return ScaledDecimal(18, 4)


class PartGroup(Base):
    """A group of goods (brake parts, oils, consumables, tools, coffee ...)."""

    __tablename__ = "part_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("part_groups.id", ondelete="SET NULL"))


class Part(TimestampMixin, Base):
    """Anything the shop stocks, car part or not; found by article ignoring spaces, dashes, dots and case."""

    __tablename__ = "parts"
    __table_args__ = (
        UniqueConstraint("article_key", "brand_key", name="uq_parts_article_brand"),
        Index("ix_parts_article_key", "article_key"),
        Index("ix_parts_name_key", "name_key"),
        CheckConstraint("min_stock >= 0", name="min_stock_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article: Mapped[str] = mapped_column(String(60))  # as the supplier prints it
    article_key: Mapped[str] = mapped_column(SearchKey(60))  # upper case, only letters and digits
    brand: Mapped[str] = mapped_column(String(60), default="")
    brand_key: Mapped[str] = mapped_column(SearchKey(60), default="")
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(SearchKey(300), default="")  # folded (case, ё) for search
    unit: Mapped[str] = mapped_column(String(16), default="pcs")  # pcs, l, m, kg, set ...
    fractional: Mapped[bool] = mapped_column(Boolean, default=False)  # litres of oil: yes; filters: no
    group_id: Mapped[int | None] = mapped_column(ForeignKey("part_groups.id", ondelete="SET NULL"), index=True)
    min_stock: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal(0))
    purchase_price: Mapped[Decimal | None] = mapped_column(Money())  # the last purchase price
    sale_price: Mapped[Decimal | None] = mapped_column(Money())  # set by hand; None: from the markup rules
    average_cost: Mapped[Decimal] = mapped_column(UnitCost(), default=Decimal(0))  # moving average of stock
    default_location_id: Mapped[int | None] = mapped_column(ForeignKey("stock_locations.id", ondelete="SET NULL"))
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class PartBarcode(Base):
    __tablename__ = "part_barcodes"

    barcode: Mapped[str] = mapped_column(String(64), primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id", ondelete="CASCADE"), index=True)


class MarkupRule(Base):
    """Sale price = cost × (1 + percent/100) for parts matching group, brand, supplier and purchase-price band."""

    __tablename__ = "markup_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("part_groups.id", ondelete="CASCADE"))
    brand_key: Mapped[str | None] = mapped_column(String(60))
    price_from: Mapped[Decimal | None] = mapped_column(Money())
    price_to: Mapped[Decimal | None] = mapped_column(Money())
    markup_percent: Mapped[Decimal] = mapped_column(ScaledDecimal(7, 2))
    # Offers of this supplier only (its price list and online answers); added by the quoting revision (0009).
    # No ON DELETE: SQLite adds the column in place only with a bare reference (suppliers are deactivated anyway).
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"))


class CrossReference(Base):
    """One (article, brand) in a group of interchangeable ones; a group is found from any of its members."""

    __tablename__ = "cross_references"
    __table_args__ = (
        UniqueConstraint("article_key", "brand_key", name="uq_cross_references_article_brand"),
        Index("ix_cross_references_group", "group_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(Integer)
    article_key: Mapped[str] = mapped_column(SearchKey(60))
    brand_key: Mapped[str] = mapped_column(SearchKey(60))
    article: Mapped[str] = mapped_column(String(60))
    brand: Mapped[str] = mapped_column(String(60))


class StockLocation(Base):
    """A place in the tree warehouse → rack → shelf → bin; stock is kept on any place below a warehouse."""

    __tablename__ = "stock_locations"
    __table_args__ = (
        CheckConstraint("kind IN ('warehouse', 'rack', 'shelf', 'bin')", name="kind"),
        UniqueConstraint("parent_id", "name", name="uq_stock_locations_parent_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("stock_locations.id", ondelete="RESTRICT"), index=True)
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("stock_locations.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(60))
    code: Mapped[str] = mapped_column(String(60), default="")  # the label's barcode: "A-03-2"
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StockBalance(Base):
    """What is on one place now; updated in the same transaction as the moves that change it."""

    __tablename__ = "stock_balances"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("reserved >= 0 AND reserved <= quantity", name="reserved_within_quantity"),
        Index("ix_stock_balances_location", "location_id"),
    )

    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"), primary_key=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal(0))
    reserved: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal(0))


class Supplier(TimestampMixin, Base):
    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    inn: Mapped[str | None] = mapped_column(String(12))
    kpp: Mapped[str | None] = mapped_column(String(9))
    contact_person: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    payment_days: Mapped[int | None] = mapped_column(Integer)  # deferred payment terms
    delivery_days: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StockDocument(TimestampMixin, Base):
    """A receipt, issue, transfer, return to supplier, count or write-off: a draft until posted, then frozen."""

    __tablename__ = "stock_documents"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('receipt', 'issue', 'transfer', 'supplier_return', 'count', 'write_off')", name="kind"
        ),
        CheckConstraint("status IN ('draft', 'posted')", name="status"),
        UniqueConstraint("kind", "year", "number", name="uq_stock_documents_number"),
        Index("ix_stock_documents_kind_date", "kind", "document_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int | None] = mapped_column(Integer)  # given when posted, from document_sequences
    status: Mapped[str] = mapped_column(String(16), default="draft")
    document_date: Mapped[date] = mapped_column(Date)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"))
    supplier_invoice: Mapped[str | None] = mapped_column(String(60))
    supplier_invoice_date: Mapped[date | None] = mapped_column(Date)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    work_order_id: Mapped[int | None] = mapped_column(Integer)  # the work-order issue links it later
    location_id: Mapped[int | None] = mapped_column(ForeignKey("stock_locations.id"))  # a count's shelf
    against_id: Mapped[int | None] = mapped_column(ForeignKey("stock_documents.id"))  # a return's receipt
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("stock_documents.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    posted_by: Mapped[str | None] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class StockDocumentLine(Base):
    """One part on a document: from and/or to a place, a quantity and a price (purchase price on a receipt)."""

    __tablename__ = "stock_document_lines"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        UniqueConstraint("document_id", "position", name="uq_stock_document_lines_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("stock_documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity())  # a count: the counted quantity
    price: Mapped[Decimal | None] = mapped_column(Money())
    from_location_id: Mapped[int | None] = mapped_column(ForeignKey("stock_locations.id"))
    to_location_id: Mapped[int | None] = mapped_column(ForeignKey("stock_locations.id"))
    reservation_id: Mapped[int | None] = mapped_column(ForeignKey("stock_reservations.id", ondelete="SET NULL"))


class StockMove(Base):
    """One immutable change of one balance; the balances are always the sum of these."""

    __tablename__ = "stock_moves"
    __table_args__ = (
        CheckConstraint("quantity <> 0", name="quantity_not_zero"),
        Index("ix_stock_moves_part_location", "part_id", "location_id", "moved_at"),
        Index("ix_stock_moves_document", "document_id"),
        Index("ix_stock_moves_moved_at", "moved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("stock_documents.id"))
    line_id: Mapped[int | None] = mapped_column(ForeignKey("stock_document_lines.id"))
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity())  # signed: + in, − out
    unit_cost: Mapped[Decimal] = mapped_column(UnitCost())
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StockReservation(TimestampMixin, Base):
    """Stock held on a place for a work order or a client; issuing to them consumes it."""

    __tablename__ = "stock_reservations"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("status IN ('active', 'consumed', 'released')", name="status"),
        Index("ix_stock_reservations_part", "part_id", "location_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    work_order_id: Mapped[int | None] = mapped_column(Integer)
    special_order_id: Mapped[int | None] = mapped_column(ForeignKey("special_orders.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="active")
    note: Mapped[str] = mapped_column(Text, default="")


class PurchaseOrder(TimestampMixin, Base):
    __tablename__ = "purchase_orders"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'sent', 'partial', 'received', 'cancelled')", name="status"),
        UniqueConstraint("year", "number", name="uq_purchase_orders_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    order_date: Mapped[date] = mapped_column(Date)
    expected_date: Mapped[date | None] = mapped_column(Date)
    comment: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("received >= 0", name="received_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id", ondelete="CASCADE"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    price: Mapped[Decimal | None] = mapped_column(Money())
    received: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal(0))
    special_order_id: Mapped[int | None] = mapped_column(ForeignKey("special_orders.id", ondelete="SET NULL"))


class SpecialOrder(TimestampMixin, Base):
    """A part ordered for a client or a work order (под заказ): needed → ordered → arrived → issued."""

    __tablename__ = "special_orders"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("status IN ('needed', 'ordered', 'arrived', 'issued', 'cancelled')", name="status"),
        Index("ix_special_orders_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    work_order_id: Mapped[int | None] = mapped_column(Integer)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"))
    status: Mapped[str] = mapped_column(String(16), default="needed")
    comment: Mapped[str] = mapped_column(Text, default="")
