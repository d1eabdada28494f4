"""Shared domain knowledge of the Observatoire PTCE.

Both sides import this package: `pipelines` (ingestion, warehouse build) and `dashboards` (read-only
views). It holds the pole reference, the indicator catalogue, text matching, French formatting and the
warehouse paths — never pipeline internals or Streamlit code.
"""
