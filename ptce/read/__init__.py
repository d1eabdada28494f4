"""The read layer: plain functions from the published warehouse to DataFrames, one module per domain.

Used by the dashboards (which add their cache), the yearly report and analysts. Every read takes the
viewer (`base.Viewer`) so that filtering by role happens in the reads, not in the page layout.
"""
