"""Reading pytest-benchmark JSON files into flat records, one per benchmark."""

import json
from pathlib import Path


def load(raw_dir):
    """``(records, machines)`` from every ``*.json`` in ``raw_dir``.

    A record has ``suite`` ("dot", "logreg", "step", "fit", from the group's first word),
    ``impl``, ``median`` and ``min`` in seconds, ``rounds`` and the benchmark's extra_info
    (``dims``, ``m``, ``dtype``, ``flops``, ``threads``, ...). ``machines`` maps each file's
    implementation to its machine_info, with the run's date added.
    """
    records, machines = [], {}
    for path in sorted(Path(raw_dir).glob("*.json")):
        data = json.loads(path.read_text())
        machines[path.stem] = {**data.get("machine_info", {}), "datetime": data.get("datetime")}
        records += load_benchmarks(data.get("benchmarks", []))
    return records, machines


def load_benchmarks(benchmarks):
    """The records (see :func:`load`) of one JSON file's list of benchmarks."""
    return [{"suite": bench["group"].split()[0], "group": bench["group"], "median": bench["stats"]["median"],
             "min": bench["stats"]["min"], "rounds": bench["stats"]["rounds"], **bench.get("extra_info", {})}
            for bench in benchmarks]


def step_key(record):
    """``(dims, m, dtype)`` of a step record, hashable."""
    return tuple(record["dims"]), record["m"], record["dtype"]


def index(records, suite, key):
    """``{key(record): {impl: record}}`` for the records of ``suite``."""
    table = {}
    for r in records:
        if r["suite"] == suite:
            table.setdefault(key(r), {})[r["impl"]] = r
    return table


def fmt_time(seconds):
    """A duration with a unit people read at a glance: 812 ns, 45.3 µs, 1.25 ms, 3.1 s."""
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


# The machine may be shared (other jobs steal cores): the fastest round is the least
# disturbed, so comparisons use it; tables show the median beside it.
STAT = "min"


def ratio(a, b):
    """``a / b`` of two records' fastest rounds, or None when either is missing."""
    return a[STAT] / b[STAT] if a and b else None


def fmt_ratio(value, suffix="x"):
    return "—" if value is None else f"{value:.3g}{suffix}"


def dot_records(records):
    """The dot suite by name: each loop variant ("numpy-elements", "python-floats") and each
    vectorized implementation ("nnxp-numpy", ...)."""
    return {r["impl"] if r["variant"] == "vectorized" else r["variant"]: r for r in records if r["suite"] == "dot"}
