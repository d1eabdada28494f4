"""Domain « poles »: the staff's reference files of `raw/poles/` adding or amending member poles over
the twelve shipped ones, the staged and published `poles` table, its quality rules and its template.
The reading itself is shared (`pipelines/shared/pole_reference.py`): every domain's parsers, the
completeness, the checks and the templates need the poles in force.
"""
