"""Records produced by the ingestion: what was loaded, what was quarantined, and the file's log row.

Whatever a file wrote is quoted in these records at a bounded length (`limites_lecture` in
`qualite.yaml`): a quarantined value, and the « quoted » file contents of a reason or a message, are
cut with a visible « [tronqué, N caractères] » marker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
