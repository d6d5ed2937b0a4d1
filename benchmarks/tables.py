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
