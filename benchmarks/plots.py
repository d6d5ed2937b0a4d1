"""The report's two PNG plots: vectorized-over-loops speedup against problem size, and CPU vs GPU."""

from .results import STAT, dot_records, index, ratio, step_key

NNXP_BACKENDS = ["nnxp-numpy", "nnxp-torch", "nnxp-jax", "nnxp-jax-jit", "nnxp-cupy", "nnxp-torch-cuda"]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def speedup_points(records):
    """``{series: [(multiply-adds, speedup of nnxp-numpy over the loops)]}`` for the three suites."""
    dot = dot_records(records)
    series = {"dot (loop over NumPy elements)": [], "logistic regression": [], "training step": []}
    if "numpy-elements" in dot and "nnxp-numpy" in dot:
        series["dot (loop over NumPy elements)"].append((dot["nnxp-numpy"]["n"],
                                                         ratio(dot["numpy-elements"], dot["nnxp-numpy"])))
    for (n_x, m), by in sorted(index(records, "logreg", lambda r: (r["n_x"], r["m"])).items()):
        if "loops" in by and "nnxp-numpy" in by:
            series["logistic regression"].append((2 * n_x * m, ratio(by["loops"], by["nnxp-numpy"])))
    for key, by in sorted(index(records, "step", step_key).items(), key=lambda item: next(iter(item[1].values()))["flops"]):
        if "loops" in by and "nnxp-numpy" in by:
            series["training step"].append((by["loops"]["flops"] // 2, ratio(by["loops"], by["nnxp-numpy"])))
    return {name: points for name, points in series.items() if points}


def plot_speedup(records, path):
    """Log-log: speedup of vectorized NumPy over Python loops against multiply-adds per call."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, points in speedup_points(records).items():
        ax.plot(*zip(*sorted(points)), marker="o", label=name)
    ax.axhline(300, color="grey", linestyle="--", linewidth=1, label="300x (the notes' dot)")
    ax.set(xscale="log", yscale="log", xlabel="multiply-adds per call", ylabel="speedup (loops time / vectorized time)",
           title="Vectorized NumPy over Python loops")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_backends(records, path):
    """Achieved GFLOP/s of a training step against its size, one line per nnxp backend and dtype."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.5))
    steps = [r for r in records if r["suite"] == "step"]
    for impl in NNXP_BACKENDS + ["matmul-numpy", "matmul-cupy"]:
        for dtype, marker in (("float32", "o"), ("float64", "s")):
            points = sorted((r["flops"], r["flops"] / r[STAT] / 1e9) for r in steps
                            if r["impl"] == impl and r["dtype"] == dtype)
            if points:
                ax.plot(*zip(*points), marker=marker, linestyle=":" if impl.startswith("matmul") else "-",
                        label=f"{impl} {dtype}")
    gpu = any(r["impl"] in ("nnxp-cupy", "nnxp-torch-cuda") for r in steps)
    ax.set(xscale="log", yscale="log", xlabel="FLOP of matrix products per step", ylabel="achieved GFLOP/s",
           title="Training step: CPU vs GPU" + ("" if gpu else " (no GPU on this machine: CPU backends only)"))
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
