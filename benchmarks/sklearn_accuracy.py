"""Test scores of nnxp's scikit-learn estimators next to scikit-learn's own networks: the README's table.

``python -m benchmarks.sklearn_accuracy`` fits ``NeuralNetClassifier`` and ``MLPClassifier`` (and the
regressors) with the same settings — one hidden layer of 64 ReLU units, Adam at 0.01, mini-batches of
``min(200, n)``, up to 200 epochs (500 for regression) with scikit-learn's stopping rule — each after a
``StandardScaler`` in a ``Pipeline``, on the same stratified 75/25 splits with seeds 0..4, and prints
a markdown table of the mean (min-max) test accuracy or R^2. Scores only: speed is the benchmark
suite's job, where each implementation runs in its own process.
"""

import argparse
import warnings

import numpy as np
from sklearn import datasets
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from nnxp.sklearn import NeuralNetClassifier, NeuralNetRegressor


def _cancer_frame():
    cancer = datasets.load_breast_cancer(as_frame=True)
    return cancer.data, np.where(cancer.target == 1, "benign", "malignant")


PROBLEMS = {
    "digits, 10 classes (1797 x 64)": (lambda: datasets.load_digits(return_X_y=True), "classifier", 200),
    "breast cancer, DataFrame, word labels (569 x 30)": (_cancer_frame, "classifier", 200),
    "iris, 3 classes (150 x 4)": (lambda: datasets.load_iris(return_X_y=True), "classifier", 200),
    "Friedman #1 regression (1000 x 10)": (lambda: datasets.make_friedman1(1000, random_state=0), "regressor", 500),
}
PAIRS = {"classifier": (NeuralNetClassifier, MLPClassifier), "regressor": (NeuralNetRegressor, MLPRegressor)}


def scores(make_data, kind, max_iter, seeds):
    """``{estimator name: [test score per seed]}`` for nnxp's and scikit-learn's estimator."""
    X, y = make_data()
    found = {}
    for seed in seeds:
        split = train_test_split(X, y, random_state=seed, stratify=y if kind == "classifier" else None)
        for estimator in PAIRS[kind]:
            model = make_pipeline(StandardScaler(), estimator(hidden_layer_sizes=(64,), learning_rate_init=0.01,
                                                              max_iter=max_iter, random_state=seed))
            model.fit(split[0], split[2])
            found.setdefault(estimator.__name__, []).append(model.score(split[1], split[3]))
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="splits and seeds 0..N-1 (default: 5)")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", ConvergenceWarning)
    print("| data | score | nnxp | scikit-learn |\n| --- | --- | --- | --- |")
    for name, (make_data, kind, max_iter) in PROBLEMS.items():
        ours, theirs = scores(make_data, kind, max_iter, range(args.seeds)).values()
        cells = [f"{np.mean(s):.3f} ({min(s):.3f}-{max(s):.3f})" for s in (ours, theirs)]
        print(f"| {name} | {'accuracy' if kind == 'classifier' else 'R^2'} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
