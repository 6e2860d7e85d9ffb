"""Parts quoting (проценка): own stock, analogs, price lists and online suppliers in one answer, streamed.

    for answer in iter_search(uow_factory, "OC 90", "Mahle", client_id=7):   # in a worker thread
        show(answer)              # own stock first, then analogs, price lists, each online supplier as it answers

Online suppliers are asked in threads started before the local look-ups, so the local part (a few index look-ups,
well under 100 ms with half a million parts) is shown while they work; each supplier has its own deadline (its
timeout, twice for the two-step brand search), and one that misses it, or fails, is reported with its reason
without holding the others. Their answers are cached in the database for the supplier's `cache_minutes`;
`refresh=True` asks them again. Sale prices come from part_prices (markup rules and the client's discount).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from autoservice_desk.credentials import SecretStore
from autoservice_desk.i18n import _
from autoservice_desk.integrations.suppliers import (
    BrandHit,
    FailureReason,
    SupplierAdapter,
    SupplierError,
    SupplierOffer,
)
from autoservice_desk.models.inventory import CrossReference, Part
from autoservice_desk.models.quoting import PriceListBatch, PriceListRow
from autoservice_desk.services.crosses import fast_article_key
from autoservice_desk.services.errors import DomainError, ValidationError
from autoservice_desk.services.online_suppliers import OnlineSupplierInfo, list_online_suppliers, make_adapter
from autoservice_desk.services.part_prices import load_markup_rules
from autoservice_desk.services.quote_sources import (
    Offer,
    OfferSource,
    Pricing,
    analog_pairs,
    cached_answer,
    client_discount,
    local_findings,
    online_offers,
    part_groups,
    store_answer,
)
from autoservice_desk.services.text_keys import brand_key as make_brand_key
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

__all__ = [
    "AnswerStatus", "BrandChoice", "Offer", "OfferSource", "QuoteResult", "SourceAnswer", "brands_for",
    "iter_search", "mark_best", "search",
]  # fmt: skip

log = logging.getLogger(__name__)
GRACE_SECONDS = 0.3  # beyond a supplier's own timeout before it is reported as late
MAX_BRANDS_ASKED = 5  # "all brands" at a two-step supplier asks this many brands at most
AdapterFactory = Callable[[OnlineSupplierInfo], SupplierAdapter]


class AnswerStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class SourceAnswer:
    """What one source said: its offers, or why it said nothing.

    kind: "own_stock", "analogs" (own stock and price-list offers of cross-referenced parts), "price_lists",
    "online" (one per supplier; *source_id* "online:<id>"). *reason* is translated, for FAILED and TIMEOUT.
    """

    source_id: str
    kind: str
    label: str
    status: AnswerStatus
    offers: tuple[Offer, ...] = ()
    reason: str = ""
    failure: str | None = None  # integrations.suppliers.FailureReason value
    from_cache: bool = False
    elapsed_ms: float = 0.0


@dataclass(frozen=True)
class BrandChoice:
    """A brand having a part under the number asked, and who knows it (the brand step)."""

    brand: str
    brand_key: str
    name: str
    sources: tuple[str, ...]  # "own_stock", "crosses", "price_lists", or a supplier's name


@dataclass(frozen=True)
class QuoteResult:
    """Every answer of one search, in the order they came."""

    article: str
    article_key: str
    brand: str | None
    client_id: int | None
    answers: tuple[SourceAnswer, ...]

    @property
    def offers(self) -> list[Offer]:
        """All offers, best price and fastest marked."""
        return mark_best([offer for answer in self.answers for offer in answer.offers])

    @property
    def problems(self) -> list[SourceAnswer]:
        return [answer for answer in self.answers if answer.status != AnswerStatus.OK]


def mark_best(offers: Sequence[Offer]) -> list[Offer]:
    """*offers* with the lowest sale price and the shortest delivery marked, among offers of the article asked
    (not its analogs) that can be had (quantity unknown or above zero)."""
    candidates = [offer for offer in offers if not offer.analog and (offer.quantity is None or offer.quantity > 0)]
    prices = [offer.sale_price for offer in candidates if offer.sale_price is not None]
    days = [offer.delivery_days for offer in candidates if offer.delivery_days is not None]
    best, soonest = min(prices, default=None), min(days, default=None)
    chosen = {id(offer) for offer in candidates}
    return [
        replace(offer, best_price=id(offer) in chosen and offer.sale_price is not None and offer.sale_price == best,
                fastest=id(offer) in chosen and offer.delivery_days is not None and offer.delivery_days == soonest)
        for offer in offers
    ]  # fmt: skip


def _article_key(article: str) -> str:
    key = fast_article_key(article.strip())
    if not key:
        raise ValidationError(_("Enter the article (letters and digits)."), "article")
    return key


def _default_factory(secrets: SecretStore | None) -> AdapterFactory:
    store = secrets or SecretStore()
    return lambda info: make_adapter(info, store)


# --- Running the online suppliers -------------------------------------------------------------------------------


@dataclass
class _Job:
    info: OnlineSupplierInfo
    future: Future[tuple[list[Any], bool]]
    started: float
    deadline: float


def _fetch(
    uow_factory: UnitOfWorkFactory, info: OnlineSupplierInfo, query_key: str, refresh: bool,
    ask: Callable[[], list[Any]],
) -> tuple[list[Any], bool]:  # fmt: skip
    """The supplier's answer as a JSON-safe payload, from the cache unless *refresh*; (payload, from cache)."""
    if not refresh:
        try:
            cached = run_in_transaction(
                uow_factory, lambda uow: cached_answer(uow, info.id, query_key, info.cache_minutes), read_only=True
            )
        except DomainError:
            cached = None
        if cached is not None:
            return cached, True
    payload = ask()
    if info.cache_minutes > 0:
        try:
            run_in_transaction(uow_factory, lambda uow: store_answer(uow, info.id, query_key, payload), attempts=2)
        except DomainError:  # another desk stored the same answer at the same moment: theirs will do
            log.info("answer cache of supplier %s not written", info.id)
    return payload, False


def _start(
    uow_factory: UnitOfWorkFactory, infos: Sequence[OnlineSupplierInfo], work: Callable[[OnlineSupplierInfo],
    tuple[list[Any], bool]], steps: int,
) -> tuple[ThreadPoolExecutor | None, list[_Job]]:  # fmt: skip
    if not infos:
        return None, []
    executor = ThreadPoolExecutor(max_workers=len(infos), thread_name_prefix="supplier")
    started = time.monotonic()
    jobs = [_Job(info, executor.submit(work, info), started, started + steps * info.timeout_ms / 1000 + GRACE_SECONDS)
            for info in infos]  # fmt: skip
    return executor, jobs


def _collect(
    executor: ThreadPoolExecutor | None, jobs: list[_Job], cancelled: Callable[[], bool] | None
) -> Iterator[tuple[OnlineSupplierInfo, tuple[list[Any], bool] | SupplierError | None, float]]:
    """(supplier, its (payload, from cache) or its error or None when late, ms) as each finishes or runs late."""
    pending = list(jobs)
    try:
        while pending and not (cancelled is not None and cancelled()):
            timeout = max(min(job.deadline for job in pending) - time.monotonic(), 0)
            wait([job.future for job in pending], timeout=timeout, return_when=FIRST_COMPLETED)
            now = time.monotonic()
            for job in list(pending):
                if job.future.done():
                    pending.remove(job)
                    yield job.info, _outcome(job), (now - job.started) * 1000
                elif job.deadline <= now:
                    pending.remove(job)
                    yield job.info, None, (now - job.started) * 1000
    finally:
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)  # a late supplier's thread ends on its own timeout


def _outcome(job: _Job) -> tuple[list[Any], bool] | SupplierError:
    try:
        return job.future.result()
    except SupplierError as error:
        return error
    except Exception as error:  # an adapter's bug must not end the search: the supplier is shown as failed
        log.exception("supplier %s failed", job.info.id)
        return SupplierError(FailureReason.MALFORMED, _("The supplier's answer could not be handled: {error}").format(
            error=type(error).__name__))  # fmt: skip


def _online_answer(
    info: OnlineSupplierInfo, outcome: tuple[list[Any], bool] | SupplierError | None, elapsed: float,
    offers: Callable[[list[Any]], list[Offer]],
) -> SourceAnswer:  # fmt: skip
    source_id = f"online:{info.id}"
    if outcome is None:
        seconds = f"{info.timeout_ms / 1000:g}"
        return SourceAnswer(source_id, "online", info.supplier_name, AnswerStatus.TIMEOUT,
                            reason=_("The supplier did not answer within {seconds} s.").format(seconds=seconds),
                            failure="timeout", elapsed_ms=elapsed)  # fmt: skip
    if isinstance(outcome, SupplierError):
        status = AnswerStatus.TIMEOUT if outcome.reason == "timeout" else AnswerStatus.FAILED
        return SourceAnswer(source_id, "online", info.supplier_name, status, reason=outcome.message,
                            failure=outcome.reason.value, elapsed_ms=elapsed)  # fmt: skip
    payload, from_cache = outcome
    try:
        made = offers(payload)
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return SourceAnswer(source_id, "online", info.supplier_name, AnswerStatus.FAILED,
                            reason=_("The cached answer could not be read; refresh to ask again."),
                            failure="malformed", elapsed_ms=elapsed)  # fmt: skip
    return SourceAnswer(source_id, "online", info.supplier_name, AnswerStatus.OK, tuple(made),
                        from_cache=from_cache, elapsed_ms=elapsed)  # fmt: skip


def _online_infos(uow_factory: UnitOfWorkFactory, include_online: bool) -> list[OnlineSupplierInfo]:
    return list_online_suppliers(uow_factory, active_only=True) if include_online else []


# --- The search -------------------------------------------------------------------------------------------------


def iter_search(
    uow_factory: UnitOfWorkFactory, article: str, brand: str | None = None, *, client_id: int | None = None,
    refresh: bool = False, include_online: bool = True, secrets: SecretStore | None = None,
    adapter_factory: AdapterFactory | None = None, cancelled: Callable[[], bool] | None = None,
) -> Iterator[SourceAnswer]:  # fmt: skip
    """The answers of every source for *article* (of *brand*; None: every brand), one by one as they come.

    Call it from a worker thread: the local answers come at once, online ones as suppliers answer (each within
    its deadline). *client_id* applies the client's discount. Stopping the iteration (or *cancelled* returning
    True) abandons the suppliers still working.
    """
    akey = _article_key(article)
    bkey = make_brand_key(brand) if brand and brand.strip() else None
    factory = adapter_factory or _default_factory(secrets)
    infos = _online_infos(uow_factory, include_online)
    query_key = f"offers:{akey}:{bkey or '*'}"

    def ask(info: OnlineSupplierInfo) -> list[Any]:
        adapter = factory(info)
        if bkey is not None or info.kind == "json":
            return [offer.as_json() for offer in adapter.offers(article.strip(), (brand or "").strip())]
        found: list[SupplierOffer] = []
        for hit in _unique_brands(adapter.brands(article.strip()))[:MAX_BRANDS_ASKED]:
            found += adapter.offers(hit.article or article.strip(), hit.brand)
        return [offer.as_json() for offer in found]

    steps = 1 if bkey is not None else 2  # without a brand a two-step supplier asks twice in a row
    executor, jobs = _start(uow_factory, infos, lambda info: _fetch(uow_factory, info, query_key, refresh,
                                                                    lambda: ask(info)), steps)  # fmt: skip
    try:
        pricing = yield from _local_answers(uow_factory, akey, bkey, client_id)
        for info, outcome, elapsed in _collect(executor, jobs, cancelled):
            yield _online_answer(info, outcome, elapsed, lambda payload, info=info: online_offers(  # type: ignore[misc]
                [SupplierOffer.from_json(item) for item in payload], info.supplier_name, info.supplier_id, info.id,
                akey, bkey, pricing))  # fmt: skip
    finally:
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


def _local_answers(
    uow_factory: UnitOfWorkFactory, akey: str, bkey: str | None, client_id: int | None
) -> Generator[SourceAnswer, None, Pricing]:
    """Own stock, analogs and price lists in one read-only transaction; returns the pricing for the online part."""
    started = time.monotonic()
    with uow_factory(read_only=True) as uow:
        pricing = Pricing(load_markup_rules(uow), client_discount(uow, client_id))
        analogs = analog_pairs(uow, akey, bkey)
        pricing = replace(pricing, groups=part_groups(uow, [akey, *(pair[0] for pair in analogs)]))
        found = local_findings(uow, akey, bkey, pricing, analogs)
    elapsed = (time.monotonic() - started) * 1000
    yield SourceAnswer("own_stock", "own_stock", _("Own stock"), AnswerStatus.OK, tuple(found.own),
                       elapsed_ms=elapsed)  # fmt: skip
    yield SourceAnswer("analogs", "analogs", _("Analogs"), AnswerStatus.OK,
                       tuple(found.analog_stock + found.analog_lists), elapsed_ms=elapsed)  # fmt: skip
    yield SourceAnswer("price_lists", "price_lists", _("Price lists"), AnswerStatus.OK, tuple(found.lists),
                       elapsed_ms=elapsed)  # fmt: skip
    return pricing


def search(
    uow_factory: UnitOfWorkFactory, article: str, brand: str | None = None, *, client_id: int | None = None,
    refresh: bool = False, include_online: bool = True, on_answer: Callable[[SourceAnswer], None] | None = None,
    secrets: SecretStore | None = None, adapter_factory: AdapterFactory | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> QuoteResult:  # fmt: skip
    """iter_search() to the end; *on_answer* is called (in the calling thread) with each answer as it comes."""
    answers = []
    for answer in iter_search(uow_factory, article, brand, client_id=client_id, refresh=refresh,
                              include_online=include_online, secrets=secrets, adapter_factory=adapter_factory,
                              cancelled=cancelled):  # fmt: skip
        answers.append(answer)
        if on_answer is not None:
            on_answer(answer)
    return QuoteResult(article.strip(), _article_key(article), brand, client_id, tuple(answers))


# --- The brand step ---------------------------------------------------------------------------------------------


def _unique_brands(hits: Sequence[BrandHit]) -> list[BrandHit]:
    seen: dict[str, BrandHit] = {}
    for hit in hits:
        seen.setdefault(make_brand_key(hit.brand), hit)
    return list(seen.values())


def _local_brands(uow: UnitOfWork, akey: str) -> dict[str, BrandChoice]:
    found: dict[str, BrandChoice] = {}

    def add(brand: str, name: str, source: str) -> None:
        key = make_brand_key(brand)
        known = found.get(key)
        if known is None:
            found[key] = BrandChoice(brand, key, name, (source,))
        elif source not in known.sources:
            found[key] = replace(known, name=known.name or name, sources=(*known.sources, source))

    for brand, name in uow.session.execute(select(Part.brand, Part.name).where(Part.article_key == akey)):
        add(brand, name, "own_stock")
    for (brand,) in uow.session.execute(select(CrossReference.brand).where(CrossReference.article_key == akey)):
        add(brand, "", "crosses")
    for brand, name in uow.session.execute(
        select(PriceListRow.brand, PriceListRow.name)
        .distinct()
        .join(PriceListBatch, PriceListBatch.id == PriceListRow.batch_id)
        .where(PriceListRow.article_key == akey, PriceListBatch.current)
    ):
        add(brand, name, "price_lists")
    return found


def brands_for(
    uow_factory: UnitOfWorkFactory, article: str, *, include_online: bool = True, refresh: bool = False,
    secrets: SecretStore | None = None, adapter_factory: AdapterFactory | None = None,
) -> list[BrandChoice]:  # fmt: skip
    """The brands having a part numbered *article*: our parts, the crosses, the price lists and (within their
    timeouts, cached) the online suppliers' brand step; by brand name. A supplier that fails is left out."""
    akey = _article_key(article)
    factory = adapter_factory or _default_factory(secrets)

    def ask(info: OnlineSupplierInfo) -> list[Any]:
        return [{"brand": hit.brand, "article": hit.article, "name": hit.name}
                for hit in factory(info).brands(article.strip())]  # fmt: skip

    executor, jobs = _start(uow_factory, _online_infos(uow_factory, include_online),
                            lambda info: _fetch(uow_factory, info, f"brands:{akey}", refresh, lambda: ask(info)), 1)
    found = run_in_transaction(uow_factory, lambda uow: _local_brands(uow, akey), read_only=True)
    for info, outcome, _elapsed in _collect(executor, jobs, None):
        if outcome is None or isinstance(outcome, SupplierError):
            continue
        for item in outcome[0]:
            key = make_brand_key(str(item.get("brand") or ""))
            if not key:
                continue
            known = found.get(key)
            if known is None:
                found[key] = BrandChoice(str(item["brand"]), key, str(item.get("name") or ""), (info.supplier_name,))
            elif info.supplier_name not in known.sources:
                found[key] = replace(known, name=known.name or str(item.get("name") or ""),
                                     sources=(*known.sources, info.supplier_name))  # fmt: skip
    return sorted(found.values(), key=lambda choice: choice.brand.casefold())
