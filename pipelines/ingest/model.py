"""Records produced by the ingestion: what was loaded, what was quarantined, and the file's log row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class IngestionError(Exception):
    """A whole file cannot be read. The message is French and tells the sender what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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


@dataclass
class FileResult:
    """Outcome of reading one raw file."""

    source_file: str
    kind: str
    file_format: str
    records: list[dict[str, Any]] = field(default_factory=list)
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
        return text
