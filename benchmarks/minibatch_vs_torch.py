"""Seconds per epoch of ``NeuralNetwork.fit`` on mini-batches against a PyTorch eager loop over a
``DataLoader``, at m = 200,000.

``python -m benchmarks.minibatch_vs_torch`` runs each (implementation, batch size) in its own process
with ``--threads`` BLAS/torch threads (OPENBLAS_CORETYPE unset there only): the network
``[100, 64, 32, 1]`` (ReLU, a sigmoid output, binary cross-entropy), Adam at 0.001, float32, on
``X (200000, 100)`` standard normal with labels ``x0 + x1 x2 > 0``; full batch and batches of 64, 256
and 1024, shuffled every epoch. The implementations:

- ``nnxp-numpy``: ``NeuralNetwork.fit`` on the NumPy array ``X.T`` (the course's layout, the view a
  row-major table gives);
- ``nnxp-torch``: the same on the torch tensor;
- ``torch``: ``nn.Sequential`` of ``nn.Linear`` and ``nn.ReLU``, ``BCEWithLogitsLoss``,
  ``torch.optim.Adam``, and a ``DataLoader`` over a ``TensorDataset`` with ``shuffle=True``: the
  loop PyTorch's tutorials write.

Each process times ``--epochs`` epochs after one warm-up epoch, ``--rounds`` times; the table gives
the median seconds per epoch and nnxp's ratio to torch (below 1: nnxp is faster).
"""

import argparse
import os
import statistics
import time

from .runner import measure_in_child

M, DIMS, BATCHES = 200_000, (100, 64, 32, 1), (None, 64, 256, 1024)
IMPLEMENTATIONS = ("nnxp-numpy", "nnxp-torch", "torch")


def _data():
    import numpy as np

    rng = np.random.default_rng(0)
    X = rng.standard_normal((M, DIMS[0]), dtype=np.float32)
    y = (X[:, 0] + X[:, 1] * X[:, 2] > 0).astype(np.float32)
    return X, y


def _nnxp_epochs(backend, batch):
    """A function running ``n`` epochs of ``NeuralNetwork.fit`` on ``backend``'s arrays (the first fit
    is the warm-up)."""
    import nnxp

    X, y = _data()
    X, Y = X.T, y[None, :]
    if backend == "torch":
        import torch

        X, Y = torch.from_numpy(X), torch.from_numpy(Y)
    model = nnxp.NeuralNetwork(list(DIMS), optimizer="adam", learning_rate=0.001, batch_size=batch,
                               num_iterations=1, cost_every=10**6, seed=0)
    model.fit(X, Y)

    def run(n):
        model.num_iterations = n
        model.fit(X, Y, resume=True)

    return run


def _torch_epochs(batch):
    """A function running ``n`` epochs of the PyTorch tutorials' loop."""
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    torch.manual_seed(0)
    X, y = _data()
    loader = DataLoader(TensorDataset(torch.from_numpy(X), torch.from_numpy(y[:, None])), batch_size=batch or M,
                        shuffle=True)
    layers = [torch.nn.Linear(DIMS[0], DIMS[1])]
    for n_prev, n in zip(DIMS[1:-1], DIMS[2:]):
        layers += [torch.nn.ReLU(), torch.nn.Linear(n_prev, n)]
    model, loss = torch.nn.Sequential(*layers), torch.nn.BCEWithLogitsLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)

    def run(n):
        for _ in range(n):
            for X_b, y_b in loader:
                optimizer.zero_grad()
                loss(model(X_b), y_b).backward()
                optimizer.step()

    run(1)
    return run


def measure(implementation, batch, epochs, rounds):
    """``{"seconds": median seconds per epoch}`` of one implementation and batch size, in this process."""
    if implementation != "nnxp-numpy":
        import torch

        torch.set_num_threads(int(os.environ.get("NNXP_BENCH_THREADS", "2")))
    run = _torch_epochs(batch) if implementation == "torch" else _nnxp_epochs(implementation[5:], batch)
    seconds = []
    for _ in range(rounds):
        start = time.perf_counter()
        run(epochs)
        seconds.append((time.perf_counter() - start) / epochs)
    return {"seconds": statistics.median(seconds)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    print("| batch | nnxp on NumPy | nnxp on torch | torch + DataLoader | NumPy / torch | torch / torch |")
    print("| --- | --- | --- | --- | --- | --- |")
    for batch in BATCHES:
        seconds = {impl: measure_in_child("minibatch_vs_torch", (impl, batch, args.epochs, args.rounds),
                                          args.threads)["seconds"] for impl in IMPLEMENTATIONS}
        numpy_, on_torch, torch_ = (seconds[impl] for impl in IMPLEMENTATIONS)
        print(f"| {batch or 'full'} | {numpy_:.3f} s | {on_torch:.3f} s | {torch_:.3f} s | {numpy_ / torch_:.2f}x | "
              f"{on_torch / torch_:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
