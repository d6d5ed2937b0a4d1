"""Epochs and seconds to a test accuracy, per optimizer: the README's optimizer comparison.

``python -m benchmarks.optimizer_race`` trains the ten-digit ``[64, 64, 10]`` ReLU network
with mini-batches of 64 under gradient descent, momentum and Adam, each in its own process
with its threads pinned, and prints a markdown table: the first epoch whose test accuracy
reaches the target, the training seconds until then (evaluations excluded), and the best
accuracy seen. ``--target``, ``--epochs``, ``--threads`` change the defaults.
"""

import argparse
import json
import subprocess
import sys
import time

RACERS = [("gd", 0.01), ("gd", 0.1), ("momentum", 0.1), ("adam", 0.001), ("adam", 0.01)]
"""(optimizer, learning rate) pairs: the rates commonly used (0.001: scikit-learn's Adam default)."""


def race(name, learning_rate, target, epochs):
    """Train one epoch at a time; stop at the first epoch whose test accuracy reaches ``target``."""
    import nnxp
    from nnxp.data.datasets import get_dataset

    digits = get_dataset("digits", classes=10)
    model = nnxp.NeuralNetwork([64, 64, 10], optimizer=name, learning_rate=learning_rate, batch_size=64,
                               num_iterations=1)
    seconds, best, reached = 0.0, 0.0, None
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        model.fit(digits.X_train, digits.Y_train, resume=epoch > 1)
        seconds += time.perf_counter() - start
        best = max(best, model.score(digits.X_test, digits.Y_test))
        if best >= target:
            reached = epoch
            break
    return {"optimizer": name, "learning_rate": learning_rate, "epochs": reached, "seconds": round(seconds, 3),
            "best": best}


def _one(args):
    from threadpoolctl import threadpool_limits

    with threadpool_limits(args.threads):
        print(json.dumps(race(args.one, args.learning_rate, args.target, args.epochs)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", type=float, default=0.97)
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--learning-rate", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        return _one(args)
    print(f"| optimizer | learning rate | epochs to {args.target:.0%} | seconds | best test accuracy |")
    print("| --- | --- | --- | --- | --- |")
    for name, learning_rate in RACERS:
        command = [sys.executable, "-m", "benchmarks.optimizer_race", "--one", name, "--learning-rate",
                   str(learning_rate), "--target", str(args.target), "--epochs", str(args.epochs),
                   "--threads", str(args.threads)]
        row = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
        epochs = row["epochs"] if row["epochs"] is not None else f"not within {args.epochs}"
        print(f"| {name} | {row['learning_rate']} | {epochs} | {row['seconds']} | {row['best']:.1%} |")


if __name__ == "__main__":
    main()
