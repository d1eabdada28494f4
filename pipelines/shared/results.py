"""Records produced by the ingestion: what was loaded, what was quarantined, and the file's log row.

Whatever a file wrote is quoted in these records at a bounded length (`limites_lecture` in
`qualite.yaml`): a quarantined value, and the « quoted » file contents of a reason or a message, are
cut with a visible « [tronqué, N caractères] » marker.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, overload

from pipelines.shared.values import shorten_quotes, truncate_text
from ptce.reference import read_limits


class IngestionError(Exception):
    """A whole file cannot be read. The message is French and tells the sender what to do.

    `detail`: technical cause (exception text) for the Dagster log only, never shown to users.
    """

    def __init__(self, message: str, detail: str | None = None) -> None:
        message = shorten_quotes(message, read_limits().quoted_chars)
        super().__init__(message)
        self.message = message
        self.detail = detail


@dataclass(frozen=True)
class QuarantineRecord:
    """One rejected field of one row, with the reason a pole can act on."""

    source_file: str
    row_number: int | None
    field: str
    value: str | None
    reason: str
    pole_id: str | None = None
    sheet: str | None = None
    # The row's period and indicator when they could be read, so staff can say to a pole which
    # figure to send again without opening the file.
    annee: int | None = None
    trimestre: int | None = None
    indicateur: str | None = None

    def __post_init__(self) -> None:
        limit = read_limits().quoted_chars
        if self.value is not None and len(self.value) > limit:
            object.__setattr__(self, "value", truncate_text(self.value, limit))
        if len(self.reason) > limit:
            object.__setattr__(self, "reason", shorten_quotes(self.reason, limit))


class Records(Sequence[dict[str, Any]]):
    """A file's loaded records held column by column, read back as dicts.

    The parsers of large files (indicators, pathways) keep a million values at scale: one dict per
    value took gigabytes, while a list per column holds references to values the parsers share
    (one pole id, one year, one date object for every row that wrote the same cell). Reading it
    gives the same dicts as a list of records would (`result.records[0]["pole_id"]`, iteration,
    equality with a list), so callers and tests need not know.
    """

    __slots__ = ("_lists", "columns", "data")

    def __init__(self, columns: Iterable[str]) -> None:
        self.columns = tuple(columns)
        self.data: dict[str, list[Any]] = {c: [] for c in self.columns}
        self._lists = tuple(self.data[c] for c in self.columns)

    def append(self, record: dict[str, Any]) -> None:
        for column, values in zip(self.columns, self._lists, strict=True):
            values.append(record[column])

    def add(self, *values: Any) -> None:
        """One record given in column order (the parsers' fast path)."""
        for column, value in zip(self._lists, values, strict=True):
            column.append(value)

    def extend_rows(self, rows: Sequence[tuple]) -> None:
        """Records given as tuples in column order."""
        if not rows:
            return
        for values, column in zip(self._lists, zip(*rows, strict=True), strict=True):
            values.extend(column)

    def keep(self, positions: Sequence[int]) -> None:
        """Keep only the records at `positions` (in that order)."""
        for values in self._lists:
            values[:] = [values[i] for i in positions]

    def clear(self) -> None:
        for values in self._lists:
            values.clear()

    def __len__(self) -> int:
        return len(self._lists[0]) if self._lists else 0

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return {column: values[index] for column, values in zip(self.columns, self._lists, strict=True)}

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for row in zip(*self._lists, strict=True):
            yield dict(zip(self.columns, row, strict=True))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Records | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def __repr__(self) -> str:
        return repr(list(self))


def record_columns(
    records_of: Iterable[Sequence[dict[str, Any]]], columns: Sequence[str]
) -> dict[str, list] | None:
    """Every record of several files, column by column (`Records` are read by column, lists by row);
    None when there is none, so that `pd.DataFrame(None, columns=…)` gives the usual empty frame."""
    blocks = list(records_of)
    out: dict[str, list] = {}
    for column in columns:
        out[column] = list(
            chain.from_iterable(
                block.data[column] if isinstance(block, Records) else [r[column] for r in block]
                for block in blocks
            )
        )
    return out if columns and out[columns[0]] else None


@dataclass
class FileResult:
    """Outcome of reading one raw file."""

    source_file: str
    kind: str
    file_format: str
    # A list of dicts, or `Records` (by column) for the parsers of large files.
    records: list[dict[str, Any]] | Records = field(default_factory=list)
    quarantine: list[QuarantineRecord] = field(default_factory=list)
    rows_read: int = 0
    rows_loaded: int = 0
    notes: list[str] = field(default_factory=list)
    # Remarks for the sender that do not mean data was left out (a file to rename, say): unlike
    # `notes`, they leave the status "ok".
    infos: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def rows_quarantined(self) -> int:
        """Distinct rows with at least one quarantine entry (a row may have several bad fields)."""
        return len({(q.sheet, q.row_number) for q in self.quarantine if q.row_number is not None})

    @property
    def status(self) -> str:
        if self.error is not None:
            return "error"
        if self.rows_quarantined or self.notes:
            return "partial"
        return "ok"

    def quarantine_row(
        self,
        row_number: int,
        field: str,
        value: str | None,
        reason: str,
        *,
        quoted: str | None = None,
        after: str = "",
        **where: Any,
    ) -> None:
        """Quarantine one field of one row, its reason prefixed « file, ligne N, champ F : ».

        `quoted`, when given and not already quoted in `reason`, is shown after the field name;
        `after` ends the reason; `where` fills the record's pole, sheet, year and indicator.
        """
        shown = f" « {quoted} »" if quoted and f"« {quoted} »" not in reason else ""
        self.quarantine.append(
            QuarantineRecord(
                source_file=self.source_file,
                row_number=row_number,
                field=field,
                value=value,
                reason=f"{self.source_file}, ligne {row_number}, champ {field}{shown} : {reason}{after}",
                **where,
            )
        )

    def message(self) -> str:
        """French summary for `ingest_log.message`."""
        if self.error is not None:
            return self.error
        parts = [f"{self.rows_read} ligne(s) lue(s), {self.rows_loaded} chargée(s)"]
        if self.rows_quarantined:
            parts.append(f"{self.rows_quarantined} en quarantaine (voir la page « Qualité des données »)")
        text = ", ".join(parts) + "."
        for remark in (*self.notes, *self.infos):
            text += " " + remark
        return shorten_quotes(text, read_limits().quoted_chars)
