"""What several benchmarks share (not a benchmark: `tests/test_bench_scripts.py` imports only bench/*.py)."""
