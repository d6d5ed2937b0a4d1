"""
Helpers shared by the course pages
==================================

The pages of this tutorial import these few helpers (``import _course``): where the course's
cat/non-cat files are, a side-by-side table of the published numbers and nnxp's, and two plots in
the course's style. To run a page yourself, download it together with this file.

The cat/non-cat images are the course's own files ``train_catvnoncat.h5`` and
``test_catvnoncat.h5``; they are not shipped with nnxp. The pages look for them in the folder named
by the environment variable ``NNXP_CATVNONCAT``, else in ``../shared/data/catvnoncat`` beside the
repository (where this project keeps them).
"""

import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from nnxp.data.datasets import load_catvnoncat

CAT_FILES = ("train_catvnoncat.h5", "test_catvnoncat.h5")


def cat_data_dir():
    """The folder holding the course's two cat/non-cat files: ``$NNXP_CATVNONCAT``, else the shared
    data folder beside the repository. A missing file raises FileNotFoundError saying where to put it."""
    if os.environ.get("NNXP_CATVNONCAT"):
        folder, source = Path(os.environ["NNXP_CATVNONCAT"]), "the folder named by NNXP_CATVNONCAT"
    else:  # this file is docs/tutorial/_course.py: the repository is two folders up
        repository = Path(__file__).resolve().parents[2]
        folder, source = repository.parent / "shared" / "data" / "catvnoncat", "the default folder"
    missing = [name for name in CAT_FILES if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"the course's cat/non-cat file(s) {', '.join(missing)} were not found in {folder} "
            f"({source}): put {' and '.join(CAT_FILES)} there, or set the environment variable "
            f"NNXP_CATVNONCAT to the folder that holds them"
        )
    return folder


def load_cat():
    """The course's cat/non-cat images as ``Split(X_train (12288, 209), Y_train (1, 209), X_test
    (12288, 50), Y_test (1, 50))``, flattened and divided by 255 as the course does."""
    return load_catvnoncat(cat_data_dir())


def side_by_side(labels, published, ours, *, title=("", "published", "nnxp"), fmt="{:.6f}"):
    """Print the published numbers next to nnxp's, one row per label."""
    rows = [(str(label), fmt.format(p), fmt.format(o)) for label, p, o in zip(labels, published, ours)]
    widths = [max(len(row[k]) for row in [title, *rows]) for k in range(3)]
    for row in [title, *rows]:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths)))


def check_costs(model, iterations, published, rtol):
    """Print ``model.costs_`` at ``iterations`` next to the ``published`` costs, and assert they agree."""
    costs = [model.costs_[i] for i in iterations]
    side_by_side([f"cost after iteration {i}" for i in iterations], published, costs, fmt="{!r}")
    np.testing.assert_allclose(costs, published, rtol=rtol)


def plot_decision_boundary(predict, X, Y, ax=None, *, title=None, steps=400):
    """The course's ``plot_decision_boundary``: the regions where ``predict`` (a function of
    ``X (2, k)`` returning ``(1, k)`` labels) says 0 or 1, and the points ``X (2, m)`` coloured by
    their labels ``Y (1, m)``."""
    ax = ax or plt.figure().add_subplot()
    x1 = np.linspace(X[0].min() - 1, X[0].max() + 1, steps)
    x2 = np.linspace(X[1].min() - 1, X[1].max() + 1, steps)
    xx, yy = np.meshgrid(x1, x2)
    regions = np.asarray(predict(np.stack([xx.ravel(), yy.ravel()])), dtype=float).reshape(xx.shape)
    colours = {"cmap": plt.cm.Spectral, "vmin": 0, "vmax": 1}  # 0 red, 1 blue, for regions and points alike
    ax.contourf(xx, yy, regions, levels=[-0.5, 0.5, 1.5], alpha=0.75, **colours)
    ax.scatter(X[0], X[1], c=Y.ravel(), s=12, edgecolors="k", linewidths=0.3, **colours)
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title=title)
    return ax


def show_images(X, indices, titles, *, columns=5):
    """Pictures ``X[:, i]`` (flattened 64 x 64 x 3 images in [0, 1]) for each index, one title each."""
    rows = -(-len(indices) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(2.2 * columns, 2.7 * rows), squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for ax, index, title in zip(axes.ravel(), indices, titles):
        ax.imshow(X[:, index].reshape(64, 64, 3))
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return fig
