"""What every page shares: cached reads, safe tables, display texts, exports, chart basics."""
