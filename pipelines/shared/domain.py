"""What a domain declares, and the discovery of every domain folder under `pipelines/`.

A domain (indicators, applications, ...) is a folder `pipelines/<name>/` whose `domain.py` exposes
`DOMAIN`, a `Domain`: the raw kinds it reads, its staging asset and the staging tables the shared
parts collect (its `ingest_log` rows, its quarantined rows, the values behind completeness), the
published tables it owns, its Great Expectations suites and the frames they validate, its demo
writer (and its writer at scale) and the blank templates of its kinds. The shared parts
(`ingest_log`, `quarantine`, `completeness`, publication, the GX checks, `ptce sample`, `ptce
template`) build themselves from these declarations, so adding a domain is adding a folder.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pipelines

if TYPE_CHECKING:  # only types: the shared modules never import a domain at load time
    import duckdb
    import pandas as pd

    from pipelines.shared.gx_suites import RuleContext, Suite
    from pipelines.shared.scale import PoleWriter, ScaleSink, ScaleSpec
    from ptce.paths import DataLayout
    from ptce.reference import PoleSet

# A demo file to write: (temporary file written, final path under raw/, sending date for its mtime).
PlannedFile = tuple[Path, Path, "datetime | None"]
DemoWriter = Callable[[Path, "DataLayout"], list[PlannedFile]]
# Opens the domain's writer of synthetic files at scale, fed pole by pole (`ptce sample --scale`).
ScaleWriter = Callable[["ScaleSpec", "ScaleSink"], "PoleWriter"]
# Writes a kind's blank XLSX template to the path given, its lists offering the poles given (the
# members in force; the twelve shipped poles when None), and returns it (`ptce template --kind`).
TemplateWriter = Callable[[Path, "PoleSet | None"], Path]
# Whether a row's cells are a header of one of the domain's kinds (kind detection of `ptce preview`).
HeaderRecogniser = Callable[[list[object]], bool]
FrameBuilder = Callable[["duckdb.DuckDBPyConnection", "RuleContext"], "pd.DataFrame"]


@dataclass(frozen=True)
class Domain:
    """One domain's declaration (see the module docstring)."""

    name: str
    raw_kinds: tuple[str, ...]
    staging_asset: str
    staging_log: str  # staging table of its ingest_log rows (contract columns of `ingest_log`)
    staging_quarantine: str  # staging table of its quarantined rows (columns of `quarantine`)
    tables: tuple[str, ...]  # published contract tables it builds
    # Completeness: SQL giving (kind, pole_id, annee, source_file) of every loaded submission, the
    # SQL of the values in force per kind (pole_id, annee, code), and the assets they read.
    submissions_sql: str | None = None
    current_sql: Mapping[str, str] = field(default_factory=dict)
    completeness_deps: tuple[str, ...] = ()
    catalogue_kinds: tuple[str, ...] = ()  # kinds that owe a value for every catalogue indicator
    parquet_tables: tuple[str, ...] = ()  # published tables also copied to Parquet for analysts
    table_suites: tuple[Suite, ...] = ()  # run after the curated tables (check `gx_tables`)
    mart_suites: tuple[Suite, ...] = ()  # run after the marts (check `gx_marts`)
    frames: Mapping[str, FrameBuilder] = field(default_factory=dict)  # other frames: the table itself
    write_demo: DemoWriter | None = None  # plans its demo files in a staging folder (`ptce sample`)
    # `ptce sample --scale N`: its synthetic files for N poles, or (`demo_at_scale`, for a domain
    # with nothing to generate at scale) its demo files of the twelve poles as they are; neither:
    # no file of the domain at scale.
    write_scale: ScaleWriter | None = None
    demo_at_scale: bool = False
    templates: Mapping[str, TemplateWriter] = field(default_factory=dict)  # kind -> blank XLSX writer
    # A kind with no XLSX template -> the French sentence `ptce template` says instead (what to use).
    template_notes: Mapping[str, str] = field(default_factory=dict)
    # Raw kind -> recogniser of its header rows, with the parser's own header rules; a kind left
    # out is never guessed from a file's columns (the person chooses it).
    header_recognisers: Mapping[str, HeaderRecogniser] = field(default_factory=dict)


@cache
def domains() -> tuple[Domain, ...]:
    """Every `pipelines/<pkg>/domain.py` exposing `DOMAIN`, in package name order."""
    found = []
    for module in sorted(pkgutil.iter_modules(pipelines.__path__, "pipelines."), key=lambda m: m.name):
        if not module.ispkg:
            continue
        try:
            declared = importlib.import_module(f"{module.name}.domain")
        except ModuleNotFoundError as exc:
            if exc.name != f"{module.name}.domain":
                raise
            continue
        if isinstance(getattr(declared, "DOMAIN", None), Domain):
            found.append(declared.DOMAIN)
    return tuple(found)


def template_writers() -> dict[str, TemplateWriter]:
    """Every declared blank template, by raw kind, in domain order."""
    return {kind: writer for domain in domains() for kind, writer in domain.templates.items()}


def template_notes() -> dict[str, str]:
    """Why a kind has no XLSX template, for the kinds that say so."""
    return {kind: note for domain in domains() for kind, note in domain.template_notes.items()}
