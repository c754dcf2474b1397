"""Exact, deterministic ranked-ballot counting: ballots in, a round-by-round result out.

Pure library: standard library only, no I/O, no logging (``tests/counting/test_purity.py``).
"""
