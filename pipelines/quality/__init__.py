"""Data-quality rules: the frames they look at and the Great Expectations suites that check them."""
