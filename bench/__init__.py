"""Benchmarks (DESIGN.md §7): run with ``make bench``; never part of the test suite."""
