"""The markdown tables of the report, from the records of :mod:`benchmarks.results`."""

from .results import STAT, dot_records, fmt_ratio, fmt_time, index, ratio, step_key

TARGETS = [  # (description, network, numerator impl, denominator impl, bound)
    ("nnxp NumPy within 1.10x of the minimal NumPy step", (784, 256, 128, 1), "nnxp-numpy", "numpy-minimal", 1.10),
    ("nnxp NumPy within 1.10x of the minimal NumPy step", (4096, 1024, 1024, 1), "nnxp-numpy", "numpy-minimal", 1.10),
    ("nnxp NumPy at most 1.25x its matrix products alone", (4096, 1024, 1024, 1), "nnxp-numpy", "matmul-numpy", 1.25),
    ("tiny: nnxp NumPy within 1.2x of the minimal NumPy step", (64, 16, 8, 1), "nnxp-numpy", "numpy-minimal", 1.20),
    ("nnxp on torch CPU within 1.10x of PyTorch eager autograd", (784, 256, 128, 1), "nnxp-torch", "torch-eager", 1.10),
    ("nnxp on torch CPU within 1.10x of PyTorch eager autograd", (4096, 1024, 1024, 1), "nnxp-torch", "torch-eager", 1.10),
]
PEERS = ["numpy-minimal", "matmul-numpy", "torch-eager", "sklearn", "jax-jit"]
FIT_PAIRS = [("nnxp-fit-numpy", "numpy-minimal"), ("nnxp-fit-torch", "torch-eager"), ("nnxp-fit-jax", "jax-jit"),
             ("nnxp-fit-jax", "jax-fori-loop")]
"""``fit`` per iteration on a library, and that library's own hand-written step (:mod:`benchmarks.fit_vs_peers`)."""
FIT_TARGETS = [  # (description, networks, numerator impl, denominator impl, bound)
    ("`fit` on NumPy at most 1.0x the minimal NumPy step", [(784, 256, 128, 1), (4096, 1024, 1024, 1)],
     "nnxp-fit-numpy", "numpy-minimal", 1.0),
    ("`fit` on NumPy at most 1.1x the minimal NumPy step", [(64, 16, 8, 1)], "nnxp-fit-numpy", "numpy-minimal", 1.1),
    ("`fit` on torch at most 1.0x PyTorch eager autograd + SGD", [(784, 256, 128, 1), (4096, 1024, 1024, 1)],
     "nnxp-fit-torch", "torch-eager", 1.0),
    ("`fit` on JAX at most 1.05x a hand-written `jax.jit` step", [(64, 16, 8, 1), (784, 256, 128, 1),
                                                                  (4096, 1024, 1024, 1)], "nnxp-fit-jax", "jax-jit", 1.05),
]


def markdown(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(map(str, row)) + " |" for row in rows])


def dot_table(records):
    """Suite 1: each implementation's time and its speedup over the notes' loop."""
    rows = [r for r in records if r["suite"] == "dot"]
    loop = next((r for r in rows if r.get("variant") == "numpy-elements"), None)
    return markdown(
        ["implementation", "variant", "n", STAT, "median", "speedup over the notes' loop"],
        [[r["impl"], r["variant"], f"{r['n']:.0e}", fmt_time(r[STAT]), fmt_time(r["median"]), fmt_ratio(ratio(loop, r))]
         for r in sorted(rows, key=lambda r: -r[STAT])],
    )


def logreg_table(records):
    """Suite 2: time per (n_x, m) for each implementation, and vectorized NumPy's speedup over loops."""
    table = index(records, "logreg", lambda r: (r["n_x"], r["m"]))
    impls = sorted({impl for by_impl in table.values() for impl in by_impl})
    rows = [[n_x, m, *(fmt_time(by[i][STAT]) if i in by else "—" for i in impls),
             fmt_ratio(ratio(by.get("loops"), by.get("nnxp-numpy")))]
            for (n_x, m), by in sorted(table.items())]
    return markdown(["n_x", "m", *(f"{i} ({STAT})" for i in impls), "nnxp-numpy over loops"], rows)


def step_tables(records):
    """Suite 3, one table per (network, m, dtype): times, GFLOP/s, time relative to nnxp-numpy."""
    parts = []
    for (dims, m, dtype), by in sorted(index(records, "step", step_key).items()):
        flops, base = next(iter(by.values()))["flops"], by.get("nnxp-numpy")
        rows = [[impl, fmt_time(r[STAT]), fmt_time(r["median"]), f"{flops / r[STAT] / 1e9:.3g}",
                 fmt_ratio(ratio(r, base)), r["rounds"], r.get("threads", "?")]
                for impl, r in sorted(by.items(), key=lambda item: item[1][STAT])]
        parts.append(f"#### {list(dims)}, m = {m}, {dtype}: {flops / 1e9:.3g} GFLOP of matrix products\n\n"
                     + markdown(["implementation", STAT, "median", "GFLOP/s", "time / nnxp-numpy", "rounds", "threads"],
                                rows))
    return "\n\n".join(parts)


def comparison_table(records):
    """Per size: nnxp's speedups (over loops, GPU over CPU) and its time over each peer's."""
    rows = []
    for (dims, m, dtype), by in sorted(index(records, "step", step_key).items()):
        nnxp, gpu = by.get("nnxp-numpy"), by.get("nnxp-cupy") or by.get("nnxp-torch-cuda")
        matmul_share = ratio(by.get("matmul-numpy"), nnxp)
        rows.append([list(dims), m, dtype, fmt_ratio(ratio(by.get("loops"), nnxp)), fmt_ratio(ratio(nnxp, gpu)),
                     *(fmt_ratio(ratio(nnxp, by.get(peer))) for peer in PEERS),
                     fmt_ratio(ratio(by.get("nnxp-torch"), by.get("torch-eager"))),
                     fmt_ratio(ratio(by.get("nnxp-jax-jit"), by.get("jax-jit"))),
                     fmt_ratio(None if matmul_share is None else 100 * matmul_share, " %")])
    return markdown(["network", "m", "dtype", "vectorized over loops", "GPU over CPU",
                     *(f"nnxp-numpy / {p}" for p in PEERS), "nnxp-torch / torch-eager",
                     "nnxp-jax-jit / jax-jit", "matrix products' share (NumPy)"], rows)


def target_rows(records):
    """Each target of the issue at every measured (m, dtype): ``(description, size, value, bound, holds)``."""
    steps, rows = index(records, "step", step_key), []
    for description, dims, numerator, denominator, bound in TARGETS:
        for (d, m, dtype), by in sorted(steps.items()):
            value = ratio(by.get(numerator), by.get(denominator)) if d == dims else None
            if value is not None:
                rows.append((description, f"{list(dims)} m={m} {dtype}", value, bound, value <= bound))
    rows += fit_target_rows(records)
    dots = dot_records(records)
    for variant in ("numpy-elements", "python-floats"):
        speedup = ratio(dots.get(variant), dots.get("nnxp-numpy"))
        if speedup is not None:
            rows.append((f"10^6 dot: vectorized NumPy at least 300x faster than the loop ({variant})",
                         f"n={dots[variant]['n']:.0e}", speedup, 300, speedup >= 300))
    return rows


def targets_table(records):
    return markdown(["target", "measured at", "value", "bound", "holds"],
                    [[d, size, f"{v:.3g}x", f"{b}x", "yes" if ok else "**no**"]
                     for d, size, v, b, ok in target_rows(records)])


def _fit_key(record):
    return tuple(record["dims"]), record["m"]


def fit_target_rows(records):
    """The ``fit`` targets (:data:`FIT_TARGETS`, and peak memory at most 1.2x the minimal NumPy step's)."""
    rows = []
    for (dims, m), by in sorted(index(records, "fit", _fit_key).items()):
        for description, networks, numerator, denominator, bound in FIT_TARGETS:
            value = ratio(by.get(numerator), by.get(denominator)) if dims in networks else None
            if value is not None:
                rows.append((description, f"{list(dims)} m={m} float32", value, bound, value <= bound))
        ours, theirs = by.get("nnxp-fit-numpy", {}).get("peak"), by.get("numpy-minimal", {}).get("peak")
        if ours and theirs:
            rows.append(("peak memory of a NumPy `fit` step at most 1.2x the minimal step's",
                         f"{list(dims)} m={m} float32", ours / theirs, 1.2, ours / theirs <= 1.2))
    return rows


def fit_table(records):
    """``fit`` per iteration against each library's own step: both times (fastest round) and their ratio."""
    rows = []
    for (dims, m), by in sorted(index(records, "fit", _fit_key).items()):
        for ours, theirs in FIT_PAIRS:
            a, b = by.get(ours), by.get(theirs)
            if a and b:
                memory = (f"{a['peak'] / 2**20:.1f} / {b['peak'] / 2**20:.1f} MiB"
                          if a.get("peak") and b.get("peak") else "")
                rows.append([f"{list(dims)}, {m}", ours, fmt_time(a[STAT]), theirs, fmt_time(b[STAT]),
                             fmt_ratio(ratio(a, b)), memory])
    return markdown(["network, m", "nnxp", STAT, "peer", STAT, "nnxp / peer", "peak memory"], rows)
