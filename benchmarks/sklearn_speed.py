"""Seconds to fit, and test accuracy or R², of nnxp's estimators against scikit-learn's, same settings.

``python -m benchmarks.sklearn_speed`` fits each estimator on each data set of :data:`DATA`,
standardized (the regression targets too), 75/25 split (stratified for classes): one hidden layer of
100 ReLU units (both defaults), Adam at 0.001, batches of 200, exactly the row's epochs (``tol=0`` and
``n_iter_no_change`` past them, so neither stops early), float64. Each fit runs in a process of its
own (``--threads`` BLAS threads, OPENBLAS_CORETYPE unset there only), seeded 0, 1, ... up to
``--rounds``, the two libraries' fits alternating, so that a slow spell of a shared machine falls on
both. It prints a Markdown table: the median fit seconds, the mean test accuracy (R² for the
regression) with its spread, and the time ratio nnxp / scikit-learn.
"""

import argparse
import statistics
import time

from .runner import measure_in_child

DATA = {
    "digits": ("digits (1347 × 64, 10 classes)", 100),
    "breast_cancer": ("breast cancer (426 × 30, 2 classes)", 100),
    "classes_20000x100": ("make_classification 20000 × 100, 5 classes", 30),
    "binary_200000x200": ("make_classification 200000 × 200, 2 classes", 5),
    "regression_100000x50": ("make_regression 100000 × 50", 10),
}
"""Name -> (what the table calls it, epochs). The rows are the training sets' sizes (75% of the data):
the generated sets have 4/3 of the rows named. Epochs: fewer for the larger sets, the same for both."""


def _data(name):
    """``(X, y, regression)``: the data set ``name`` of :data:`DATA`, on the host."""
    from sklearn import datasets

    if name in ("digits", "breast_cancer"):
        return (*getattr(datasets, f"load_{name}")(return_X_y=True), False)
    if name == "regression_100000x50":
        X, y = datasets.make_regression(n_samples=133_334, n_features=50, n_informative=30, noise=10.0,
                                        random_state=0)
        return X, y, True
    rows, features, classes = {"classes_20000x100": (26_667, 100, 5), "binary_200000x200": (266_667, 200, 2)}[name]
    X, y = datasets.make_classification(n_samples=rows, n_features=features, n_classes=classes,
                                        n_informative=20, random_state=0)
    return X, y, False


def measure(estimator, data, epochs, seed):
    """``{"seconds", "score"}`` of one fit of one estimator on one data set, seeded ``seed``, in this process."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.preprocessing import StandardScaler

    from nnxp.sklearn import NeuralNetClassifier, NeuralNetRegressor

    warnings.simplefilter("ignore", ConvergenceWarning)
    X, y, regression = _data(data)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=None if regression else y)
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    if regression:
        mean, std = y_train.mean(), y_train.std()
        y_train, y_test = (y_train - mean) / std, (y_test - mean) / std
    kinds = {"nnxp": (NeuralNetClassifier, NeuralNetRegressor), "sklearn": (MLPClassifier, MLPRegressor)}
    model = kinds[estimator][regression](hidden_layer_sizes=(100,), learning_rate_init=0.001, batch_size=200,
                                         max_iter=epochs, tol=0.0, n_iter_no_change=epochs + 1, random_state=seed)
    start = time.perf_counter()
    model.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    assert model.n_iter_ == epochs, (estimator, model.n_iter_)
    return {"seconds": seconds, "score": model.score(X_test, y_test)}


def _summary(fits):
    """The median seconds and the mean and spread of the scores of one estimator's ``fits``."""
    scores = [fit["score"] for fit in fits]
    return {"seconds": statistics.median(fit["seconds"] for fit in fits), "score": statistics.mean(scores),
            "spread": statistics.stdev(scores) if len(scores) > 1 else 0.0}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", nargs="+", choices=list(DATA), default=list(DATA))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    print("| data | epochs | nnxp | scikit-learn | time ratio |")
    print("| --- | --- | --- | --- | --- |")
    for data in args.data:
        label, epochs = DATA[data]
        fits = {"nnxp": [], "sklearn": []}
        for seed in range(args.rounds):
            for estimator, done in fits.items():
                done.append(measure_in_child("sklearn_speed", (estimator, data, epochs, seed), args.threads))
        ours, theirs = _summary(fits["nnxp"]), _summary(fits["sklearn"])
        score = "R²" if data.startswith("regression") else "accuracy"
        cells = [f"{r['seconds']:.2f} s, {score} {r['score']:.3f} ± {r['spread']:.3f}" for r in (ours, theirs)]
        print(f"| {label} | {epochs} | {cells[0]} | {cells[1]} | {ours['seconds'] / theirs['seconds']:.2f}x |",
              flush=True)


if __name__ == "__main__":
    main()
