"""Seconds to fit, and test accuracy, of ``NeuralNetClassifier`` against ``MLPClassifier``, same settings.

``python -m benchmarks.sklearn_speed`` fits each estimator in its own process (``--threads`` BLAS
threads, OPENBLAS_CORETYPE unset there only) on digits (10 classes) and breast cancer, standardized,
75/25 stratified split: one hidden layer of 100 ReLU units (both defaults), Adam at 0.001, batches
of 200, exactly ``--epochs`` epochs (``tol=0`` and ``n_iter_no_change`` past them, so neither stops
early), float64. It prints the median fit seconds of ``--rounds`` fits, seeded 0, 1, ..., and their mean
test accuracy with its spread: one seed's accuracy moves by a test image or two with the initial weights.
"""

import argparse
import statistics
import time

from .runner import measure_in_child

DATA = ("digits", "breast_cancer")


def measure(estimator, data, epochs, rounds):
    """``{"seconds", "accuracy", "spread"}`` of one estimator on one data set, in this process: the median
    seconds of ``rounds`` fits seeded 0, 1, ..., the mean and standard deviation of their test accuracy."""
    import warnings

    from sklearn import datasets
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler

    from nnxp.sklearn import NeuralNetClassifier

    warnings.simplefilter("ignore", ConvergenceWarning)
    X, y = getattr(datasets, f"load_{data}")(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    kind = {"nnxp": NeuralNetClassifier, "sklearn": MLPClassifier}[estimator]
    settings = dict(hidden_layer_sizes=(100,), learning_rate_init=0.001, batch_size=200, max_iter=epochs, tol=0.0,
                    n_iter_no_change=epochs + 1)
    seconds, accuracies = [], []
    for seed in range(rounds):
        model = kind(**settings, random_state=seed)
        start = time.perf_counter()
        model.fit(X_train, y_train)
        seconds.append(time.perf_counter() - start)
        assert model.n_iter_ == epochs, (estimator, model.n_iter_)
        accuracies.append(model.score(X_test, y_test))
    return {"seconds": statistics.median(seconds), "accuracy": statistics.mean(accuracies),
            "spread": statistics.stdev(accuracies) if rounds > 1 else 0.0}


def _child(estimator, data, args):
    return measure_in_child("sklearn_speed", (estimator, data, args.epochs, args.rounds), args.threads)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    print("| data | nnxp `NeuralNetClassifier` | scikit-learn `MLPClassifier` | time ratio |")
    print("| --- | --- | --- | --- |")
    for data in DATA:
        ours, theirs = _child("nnxp", data, args), _child("sklearn", data, args)
        cells = [f"{r['seconds']:.2f} s, accuracy {r['accuracy']:.3f} ± {r['spread']:.3f}" for r in (ours, theirs)]
        print(f"| {data} | {cells[0]} | {cells[1]} | {ours['seconds'] / theirs['seconds']:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
