"""The read layer (`ptce.read`) as the pages use it: cached, and for the current viewer.

Each read is cached with `st.cache_data` on its arguments: the `Warehouse` value (path and
modification time, so a new publication gets new entries at the next rerun), the viewer, and the
read's own parameters. The pages never write SQL and never pass the viewer themselves.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from dashboards.shared import access
from ptce.read import angles as angle_reads
from ptce.read import applications as application_reads
from ptce.read import comparison as comparison_reads
from ptce.read import indicators, quality
from ptce.read import pathways as pathway_reads
from ptce.read import visits as visit_reads
from ptce.read.base import Viewer, Warehouse

# Not cached: the file's modification time is what makes every read's cache key.
from ptce.read.base import current_warehouse as current_warehouse

T = TypeVar("T")
# Per read: enough for every pole of a few publications; old publications' entries age out.
CACHE_ENTRIES = 64


def current_viewer() -> Viewer:
    """Who is looking at the app (`access.current_viewer`): the key of every cached read."""
    return access.current_viewer()


def _cached(read: Callable[..., T]) -> Callable[..., T]:
    cached = st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)(read)

    @functools.wraps(read)
    def for_viewer(wh: Warehouse, *args: Any) -> T:
        return cached(wh, current_viewer(), *args)

    return for_viewer


publication = _cached(indicators.publication)
years = _cached(indicators.years)
poles = _cached(indicators.poles)
pole = _cached(indicators.pole)
catalog = _cached(indicators.catalog)
key_figures = _cached(indicators.key_figures)
network_trends = _cached(indicators.network_trends)
poles_year_table = _cached(indicators.poles_year_table)
pole_series = _cached(indicators.pole_series)

quality_run = _cached(quality.quality_run)
check_results = _cached(quality.check_results)
ingest_log = _cached(quality.ingest_log)
quarantine = _cached(quality.quarantine)
completeness = _cached(quality.completeness)
reporting_rates = _cached(quality.reporting_rates)
indicator_changes = _cached(quality.indicator_changes)

applications = _cached(application_reads.applications)
application_answers = _cached(application_reads.application_answers)
angle_counts = _cached(application_reads.angle_counts)
application_tags = _cached(application_reads.application_tags)
application_fields = _cached(application_reads.application_fields)

angle_indicators = _cached(angle_reads.angle_indicators)
angle_poles = _cached(angle_reads.angle_poles)
angle_network = _cached(angle_reads.angle_network)

pathway_years = _cached(pathway_reads.years)
pathway_poles = _cached(pathway_reads.poles)
pathway_flows = _cached(pathway_reads.flows)
pathway_cohort_size = _cached(pathway_reads.cohort_size)
exit_categories = _cached(pathway_reads.exit_categories)
exit_categories_by_pole = _cached(pathway_reads.exit_categories_by_pole)
dynamic_exit_rates = _cached(pathway_reads.dynamic_exit_rates)
duration_distribution = _cached(pathway_reads.duration_distribution)
pathway_breakdowns = _cached(pathway_reads.breakdowns)
breakdown_by_pole = _cached(pathway_reads.breakdown_by_pole)
rqth = _cached(pathway_reads.rqth)
derived_vs_declared = _cached(pathway_reads.derived_vs_declared)

visit_events = _cached(visit_reads.events)
visit_documents = _cached(visit_reads.event_documents)
pole_participation = _cached(visit_reads.pole_participation)
visit_matrix = _cached(visit_reads.visit_matrix)
visit_rhythm = _cached(visit_reads.rhythm)
visit_offers = _cached(visit_reads.offers)
practices = _cached(visit_reads.practices)
community_indicators = _cached(visit_reads.community_indicators)

comparison_years = _cached(comparison_reads.years)
comparison_choices = _cached(comparison_reads.indicator_choices)
comparison_values = _cached(comparison_reads.pole_values)
comparison_series = _cached(comparison_reads.series)
peer_groups = _cached(comparison_reads.peer_groups)
angle_profile = _cached(comparison_reads.angle_profile)
targets = _cached(comparison_reads.targets)
target_years = _cached(comparison_reads.target_years)

# The adjusted comparison (issue #13) arrives with its own read and warehouse table: until both
# are there, `adjusted_comparison` returns None and the page says it is not available yet.
_adjusted_read = getattr(pathway_reads, "adjusted_comparison", None)
_adjusted = _cached(_adjusted_read) if _adjusted_read is not None else None


def adjusted_comparison(wh: Warehouse, year: int, indicator: str) -> pd.DataFrame | None:
    """The adjusted comparison of `indicator` for `year`, or None while it is not published."""
    if _adjusted is None:
        return None
    try:
        return _adjusted(wh, year, indicator)
    except duckdb.CatalogException:  # a warehouse published before the table existed
        return None
