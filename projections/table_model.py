"""表的声明方式 — how a read-model table is declared (``projections.tables`` declares them): a NamedTuple
row whose fields are annotated with their SQL types, and a ``Table`` giving its key, indexes, partitions
and statistics. Its columns are read from the row's annotations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints
from uuid import UUID

Text = Annotated[str, "text"]
Json = Annotated[str, "jsonb"]
"""JSON text, as the projection dumps it (read back as Python values)."""
Uuid = Annotated[UUID, "uuid"]
Int = Annotated[int, "integer"]
BigInt = Annotated[int, "bigint"]
Bool = Annotated[bool, "boolean"]
Moment = Annotated[datetime, "timestamptz"]


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool


@dataclass(frozen=True)
class Index:
    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Partition:
    """One partition of a table: its rows are those whose ``column`` is in [``low``, ``high``) (``None``:
    unbounded)."""

    name: str
    parent: str
    column: str
    low: UUID | None
    high: UUID | None

    @property
    def staging(self) -> str:
        """The table a rebuild loads it as (never a view table's name)."""
        return f"rebuild_{self.name}"

    def bounds(self) -> str:
        low, high = (f"'{b}'" if b else edge for b, edge in ((self.low, "MINVALUE"), (self.high, "MAXVALUE")))
        return f"FROM ({low}) TO ({high})"

    def check(self) -> str:
        parts = [
            f"{self.column} >= '{self.low}'" if self.low else "",
            f"{self.column} < '{self.high}'" if self.high else "",
        ]
        return " AND ".join(p for p in parts if p) or "true"


Bounds = tuple[tuple[UUID | None, UUID | None], ...]


@dataclass(frozen=True)
class Table:
    """One read-model table: its rows are ``row``'s; ``key`` its primary key; ``append_only`` a table rows are
    only added to (written with COPY, not upserted)."""

    name: str
    row: type[tuple[Any, ...]]
    key: tuple[str, ...]
    indexes: tuple[Index, ...] = ()
    append_only: bool = False
    partitioned_by: tuple[str, Bounds] | None = None
    sampled: int | None = None
    """The statistics target of every column (``None``: PostgreSQL's default)."""
    unsampled: tuple[str, ...] = ()
    """Columns of free text no query filters on: no statistics (target 0)."""

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        """The row's fields with their SQL types, in table order."""
        return tuple(
            _column(name, hint) for name, hint in get_type_hints(self.row, include_extras=True).items()
        )

    @property
    def field(self) -> str:
        """The name of its rows in a batch (``projections.batch.Batch``)."""
        return self.name.removesuffix("_view")

    @property
    def names(self) -> tuple[str, ...]:
        return self.row._fields  # type: ignore[attr-defined, no-any-return]

    @property
    def types(self) -> list[str]:
        return [c.type for c in self.columns]

    @property
    def partitions(self) -> tuple[Partition, ...]:
        if self.partitioned_by is None:
            return ()
        column, bounds = self.partitioned_by
        return tuple(Partition(f"{self.name}_{i}", self.name, column, *b) for i, b in enumerate(bounds))

    def select(self, columns: str) -> str:
        """A SELECT list of these columns, named apart by spaces (each must be one of the table's)."""
        names = columns.split()
        if unknown := set(names) - set(self.names):
            raise ValueError(f"{self.name} has no column {sorted(unknown)}")
        return ", ".join(names)

    def statistics(self) -> list[tuple[str, int]]:
        """The statistics target of each column, where one is set."""
        if self.sampled is None:
            return []
        return [(name, 0 if name in self.unsampled else self.sampled) for name in self.names]


def _column(name: str, hint: Any) -> Column:
    nullable = get_origin(hint) is Union or isinstance(hint, UnionType)
    if nullable:
        hint = next(h for h in get_args(hint) if h is not type(None))
    return Column(name, get_args(hint)[1], nullable)
