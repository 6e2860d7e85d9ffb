"""Cross-references: groups of interchangeable (article, brand); pairs join groups, found from any member.

Pairs are joined in memory (union-find) and written in bulk, so a supplier's file of a million pairs loads in
one pass: `resolve()` decides every group, `apply()` writes it. A pair that links two groups already stored
merges them by giving the smaller group the larger one's id, so the fewest rows are rewritten.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple, cast

from sqlalchemy import Table, bindparam, func, select, update

from autoservice_desk.i18n import _
from autoservice_desk.models.inventory import CrossReference, Part
from autoservice_desk.services import audit
from autoservice_desk.services.bulk_insert import insert_driver_rows
from autoservice_desk.services.errors import FieldErrors
from autoservice_desk.services.parts import require_part_editor
from autoservice_desk.services.table_import import ImportCancelled, lookup_chunks
from autoservice_desk.services.text_keys import article_key, brand_key
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

CROSSES = cast(Table, CrossReference.__table__)
KEY_LENGTH = 60  # article, brand and their keys are String(60)
WRITE_CHUNK = 20_000
SEPARATOR = "\x1f"  # between article key and brand key in one dict key: one string is half a tuple's memory
# Reading every stored reference beats looking the file's ones up in chunks once the file is a sizeable part
# of the table (one sequential pass against thousands of index probes).
FULL_READ_SHARE = 4
INSERT_COLUMNS = ("group_id", "article_key", "brand_key", "article", "brand")

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class Analog(NamedTuple):
    """A member of a part's cross group: as printed, and the part the shop keeps under it (None: not stocked)."""

    article: str
    brand: str
    part_id: int | None


def fast_article_key(text: str) -> str:
    """article_key() with a shortcut for the common case of a plain ASCII article (`0986494104`, `OC90`)."""
    if text.isascii() and text.isalnum():
        return text.upper()
    return article_key(text)


@dataclass
class CrossPairs:
    """Pairs read so far: each distinct (article key, brand key) a node, each pair an edge between two nodes."""

    keys: dict[str, int] = field(default_factory=dict)
    labels: list[tuple[str, str]] = field(default_factory=list)  # node -> (article, brand) as first seen
    left: array[int] = field(default_factory=lambda: array("q"))
    right: array[int] = field(default_factory=lambda: array("q"))
    _brands: dict[str, str] = field(default_factory=dict)  # a file names a few hundred brands a million times

    def brand_key(self, brand: str) -> str:
        key = self._brands.get(brand)
        if key is None:
            key = self._brands[brand] = brand_key(brand)
        return key

    def node(self, article: str, article_key_: str, brand: str, brand_key_: str) -> int:
        key = article_key_ + SEPARATOR + brand_key_
        index = self.keys.get(key)
        if index is None:
            index = self.keys[key] = len(self.labels)
            self.labels.append((article, brand))
        return index

    def add(self, a: int, b: int) -> None:
        self.left.append(a)
        self.right.append(b)

    @property
    def pair_count(self) -> int:
        return len(self.left)


def check_pair(article_a: str, brand_a: str, article_b: str, brand_b: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """(problems keyed article_a/brand_a/article_b/brand_b, the four keys) of one typed pair."""
    problems: dict[str, str] = {}
    keys: list[str] = []
    for side, article, brand in (("a", article_a, brand_a), ("b", article_b, brand_b)):
        key = fast_article_key(article)
        if not key:
            problems[f"article_{side}"] = _("Enter the article (letters and digits).")
        elif len(article) > KEY_LENGTH:
            problems[f"article_{side}"] = _("No more than {count} characters.").format(count=KEY_LENGTH)
        if len(brand) > KEY_LENGTH:
            problems[f"brand_{side}"] = _("No more than {count} characters.").format(count=KEY_LENGTH)
        keys += [key, brand_key(brand)]
    if not problems and keys[:2] == keys[2:]:
        problems["article_b"] = _("An article cannot be an analog of itself.")
    return problems, tuple(keys)


# --- Deciding the groups ----------------------------------------------------------------------------------------


@dataclass
class Resolution:
    """What writing *pairs* does: the group of every new node, the stored groups renumbered, the counts."""

    node_group: array[int]  # node -> its group id; -1: the node is stored already (in the right group after merging)
    rewrites: list[tuple[int, int]]  # (old group id, new group id)
    groups_created: int
    known_nodes: int

    @property
    def added(self) -> int:
        return sum(1 for group in self.node_group if group >= 0)


def _find(parent: array[int], node: int) -> int:
    while parent[node] != node:
        parent[node] = parent[parent[node]]  # path halving keeps the trees flat
        node = parent[node]
    return node


def _stored_groups(uow: UnitOfWork, pairs: CrossPairs) -> dict[int, int]:
    """node -> stored group id, for the nodes already in some group."""
    connection = uow.session.connection()
    stored = int(connection.scalar(select(func.count()).select_from(CROSSES)) or 0)
    found: dict[int, int] = {}
    if not stored:
        return found
    keys = pairs.keys
    if len(keys) * FULL_READ_SHARE >= stored:
        everything = select(CROSSES.c.article_key, CROSSES.c.brand_key, CROSSES.c.group_id)
        rows = connection.execute(everything.execution_options(stream_results=True, yield_per=50_000))
        for akey, bkey, group in rows:
            node = keys.get(akey + SEPARATOR + bkey)
            if node is not None:
                found[node] = group
        return found
    articles = sorted({key.partition(SEPARATOR)[0] for key in keys})
    for chunk in lookup_chunks(articles):
        statement = select(CROSSES.c.article_key, CROSSES.c.brand_key, CROSSES.c.group_id).where(
            CROSSES.c.article_key.in_(chunk)
        )
        for akey, bkey, group in connection.execute(statement):
            node = keys.get(akey + SEPARATOR + bkey)
            if node is not None:
                found[node] = group
    return found


def _group_sizes(uow: UnitOfWork, groups: list[int]) -> dict[int, int]:
    sizes: dict[int, int] = {}
    for chunk in lookup_chunks(groups):
        statement = (
            select(CROSSES.c.group_id, func.count()).where(CROSSES.c.group_id.in_(chunk)).group_by(CROSSES.c.group_id)
        )
        sizes.update((group, count) for group, count in uow.session.connection().execute(statement))
    return sizes


def lock_crosses(uow: UnitOfWork) -> None:
    """Keep other desks' cross writes out until commit (SQLite: BEGIN IMMEDIATE has done it already)."""
    if uow.session.bind is not None and uow.session.connection().dialect.name == "postgresql":
        uow.session.connection().exec_driver_sql("LOCK TABLE cross_references IN SHARE ROW EXCLUSIVE MODE")


def resolve(uow: UnitOfWork, pairs: CrossPairs) -> Resolution:
    """Join *pairs* with the stored groups in memory: which group every node ends in, which groups merge."""
    nodes = len(pairs.labels)
    stored = _stored_groups(uow, pairs)
    group_nodes: dict[int, int] = {}  # a stored group is one more node of the union-find
    for group in stored.values():
        group_nodes.setdefault(group, nodes + len(group_nodes))
    parent = array("q", range(nodes + len(group_nodes)))
    for node, group in stored.items():
        root_a, root_b = _find(parent, node), _find(parent, group_nodes[group])
        if root_a != root_b:
            parent[root_a] = root_b
    for a, b in zip(pairs.left, pairs.right, strict=True):
        root_a, root_b = _find(parent, a), _find(parent, b)
        if root_a != root_b:
            parent[root_a] = root_b
    groups_of_root: dict[int, list[int]] = {}
    for group, node in group_nodes.items():
        groups_of_root.setdefault(_find(parent, node), []).append(group)
    merging = [group for groups in groups_of_root.values() if len(groups) > 1 for group in groups]
    sizes = _group_sizes(uow, merging) if merging else {}
    target_of_root: dict[int, int] = {}
    rewrites: list[tuple[int, int]] = []
    for root, groups in groups_of_root.items():
        target = max(groups, key=lambda group: (sizes.get(group, 0), -group))  # the largest keeps its id
        target_of_root[root] = target
        rewrites += [(group, target) for group in groups if group != target]
    next_group = int(uow.session.scalar(select(func.max(CrossReference.group_id))) or 0) + 1
    created = 0
    node_group = array("q", [-1]) * nodes
    for node in range(nodes):
        if node in stored:
            continue
        root = _find(parent, node)
        found = target_of_root.get(root)
        if found is None:
            found = target_of_root[root] = next_group + created
            created += 1
        node_group[node] = found
    return Resolution(node_group, sorted(rewrites), created, len(stored))


def _insert_rows(pairs: CrossPairs, resolution: Resolution) -> Iterator[tuple[int, str, str, str, str]]:
    for key, node in sorted(pairs.keys.items()):  # in key order: the unique index is filled front to back
        group = resolution.node_group[node]
        if group >= 0:
            akey, _separator, bkey = key.partition(SEPARATOR)
            article, brand = pairs.labels[node]
            yield group, akey, bkey, article, brand


def apply(
    uow: UnitOfWork, pairs: CrossPairs, resolution: Resolution,
    progress: Progress | None = None, cancelled: Cancelled | None = None,
) -> None:  # fmt: skip
    """Write *resolution*: renumber the merged groups, then insert the new references in bulk."""
    connection = uow.session.connection()
    if resolution.rewrites:
        statement = update(CROSSES).where(CROSSES.c.group_id == bindparam("old")).values(group_id=bindparam("new"))
        connection.execute(statement, [{"old": old, "new": new} for old, new in resolution.rewrites])
    total, done = resolution.added, 0
    rows = _insert_rows(pairs, resolution)
    while True:
        if cancelled is not None and cancelled():
            raise ImportCancelled
        chunk = [row for _index, row in zip(range(WRITE_CHUNK), rows, strict=False)]
        if not chunk:
            break
        insert_driver_rows(connection, CROSSES, INSERT_COLUMNS, chunk)
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    uow.mark_changed("crosses")


# --- One pair at a time -----------------------------------------------------------------------------------------


def add_cross(uow_factory: UnitOfWorkFactory, a_article: str, a_brand: str, b_article: str, b_brand: str) -> int:
    """Make (a_article, a_brand) and (b_article, b_brand) interchangeable; returns their group's id.

    Either may be in a group already: the other joins it, and two groups become one.
    """
    a_article, a_brand, b_article, b_brand = (" ".join(text.split()) for text in (a_article, a_brand, b_article,
                                                                                   b_brand))  # fmt: skip
    problems, keys = check_pair(a_article, a_brand, b_article, b_brand)
    if problems:
        raise FieldErrors(problems)

    def work(uow: UnitOfWork) -> int:
        require_part_editor(uow)
        lock_crosses(uow)
        pairs = CrossPairs()
        pairs.add(pairs.node(a_article, keys[0], a_brand, keys[1]), pairs.node(b_article, keys[2], b_brand, keys[3]))
        resolution = resolve(uow, pairs)
        apply(uow, pairs, resolution)
        audit.record(
            uow, "cross", f"{keys[0]} {keys[1]}", "link", None,
            {"a": [a_article, a_brand], "b": [b_article, b_brand], "merged": resolution.rewrites},
        )  # fmt: skip
        group = uow.session.scalar(
            select(CrossReference.group_id).where(
                CrossReference.article_key == keys[0], CrossReference.brand_key == keys[1]
            )
        )
        uow.commit()
        assert group is not None
        return group

    return run_in_transaction(uow_factory, work)


def remove_cross(uow_factory: UnitOfWorkFactory, article: str, brand: str) -> bool:
    """Take (article, brand) out of its group (a wrong cross); a group left with one member goes too."""
    akey, bkey = article_key(article), brand_key(brand)

    def work(uow: UnitOfWork) -> bool:
        require_part_editor(uow)
        lock_crosses(uow)
        row = uow.session.scalar(
            select(CrossReference).where(CrossReference.article_key == akey, CrossReference.brand_key == bkey)
        )
        if row is None:
            return False
        group = row.group_id
        uow.session.delete(row)
        uow.session.flush()
        rest = list(uow.session.scalars(select(CrossReference).where(CrossReference.group_id == group).limit(2)))
        if len(rest) == 1:
            uow.session.delete(rest[0])
        audit.record(uow, "cross", f"{akey} {bkey}", "unlink", {"group_id": group, "article": row.article,
                                                                  "brand": row.brand}, None)  # fmt: skip
        uow.mark_changed("crosses")
        uow.commit()
        return True

    return run_in_transaction(uow_factory, work)


# --- Reading ----------------------------------------------------------------------------------------------------


def analogs_of(uow: UnitOfWork, article_key_: str, brand_key_: str) -> list[Analog]:
    """The other members of the cross group of (article_key_, brand_key_), by brand and article, with the part
    the shop keeps under each; empty when it is in no group. Two index look-ups and one join per member."""
    own = select(CrossReference.id, CrossReference.group_id).where(
        CrossReference.article_key == article_key_, CrossReference.brand_key == brand_key_
    )
    found = uow.session.execute(own).first()
    if found is None:
        return []
    member = CROSSES.alias("member")
    statement = (
        select(member.c.article, member.c.brand, Part.id)
        .outerjoin(Part, (Part.article_key == member.c.article_key) & (Part.brand_key == member.c.brand_key))
        .where(member.c.group_id == found.group_id, member.c.id != found.id)
        .order_by(member.c.brand_key, member.c.article_key)
    )
    return [Analog(article, brand, part_id) for article, brand, part_id in uow.session.execute(statement)]


def list_analogs(uow_factory: UnitOfWorkFactory, article: str, brand: str) -> list[Analog]:
    """analogs_of() for an article and brand as typed."""
    akey, bkey = article_key(article), brand_key(brand)
    return run_in_transaction(uow_factory, lambda uow: analogs_of(uow, akey, bkey), read_only=True)
