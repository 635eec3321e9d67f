"""Benchmark harness of faqlint: corpus generator, floor script and runner (see README.md)."""
