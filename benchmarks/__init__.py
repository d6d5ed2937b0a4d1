"""nnxp's benchmark suites (pytest-benchmark) and the report that turns their JSON into tables and plots.

``pytest benchmarks --benchmark-disable`` runs every benchmark once at small sizes (CI);
``python -m benchmarks.report --run`` runs the full sizes, one process per implementation.
"""
