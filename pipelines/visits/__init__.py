"""Visits domain: learning visits, seminars and exchanges of the community, practices shared."""
