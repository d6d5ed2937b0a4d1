"""``nnxp demo``: train the notes' flower network and print its costs and accuracy."""

import time

from .._version import __version__
from ..core.backend import backend_info, get_namespace, to_backend
from ..data.datasets import get_dataset
from ..model.network import NeuralNetwork


def demo(args):
    """Train the notes' [2, 4, 1] tanh network on the flower data and print costs and accuracy."""
    X_train, Y_train, X_test, Y_test = get_dataset("flower", m=400, seed=1)
    xp = get_namespace(args.backend)
    X_train, Y_train, X_test, Y_test = (to_backend(a, xp) for a in (X_train, Y_train, X_test, Y_test))
    print(f"nnxp {__version__}: [2, 4, 1] tanh network on the flower data, backend {args.backend!r} "
          f"-> {xp.__name__.removeprefix('array_api_compat.')} ({backend_info().reason})")
    model = NeuralNetwork([2, 4, 1], hidden_activation="tanh", learning_rate=1.2, init="scaled",
                          num_iterations=args.iterations, cost_every=1000, print_cost=True)
    start = time.perf_counter()
    model.fit(X_train, Y_train)
    seconds = time.perf_counter() - start
    print(f"train accuracy {model.score(X_train, Y_train):.1%}, test accuracy "
          f"{model.score(X_test, Y_test):.1%}, {args.iterations} iterations in {seconds:.2f} s")
    return 0


def add_demo(commands):
    """The ``demo`` subcommand's options."""
    run = commands.add_parser("demo", help="train the course's flower network (the default)")
    run.add_argument("--backend", default="auto", help="numpy, cupy or auto (default: auto)")
    run.add_argument("--iterations", type=int, default=10000)
