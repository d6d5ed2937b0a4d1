"""What users would pick instead of nnxp, doing the same iteration on the same data.

Each builder takes a :class:`~benchmarks.problems.Problem` and returns ``(run, sync)``
like those in :mod:`benchmarks.steps`: ReLU hidden layers, a sigmoid output,
the mean cross-entropy, one full-batch gradient-descent update with the same
learning rate.
"""

import functools

import numpy as np

from .backends import get_backend, import_torch, require
from .config import LEARNING_RATE
from .steps import on_device, stepper


def numpy_minimal_step(problem):
    """The floor for NumPy code: the notes' equations by hand, in place wherever NumPy allows.

    Each A{l} overwrites its Z{l} (ReLU' is read from A > 0), dA is masked in place by a
    bool multiply, parameters are updated in place: the fewest passes and temporaries.
    """
    X, Y, m, L = problem.X, problem.Y, problem.m, len(problem.dims) - 1
    params = [(problem.params[f"W{l}"].copy(), problem.params[f"b{l}"].copy()) for l in range(1, L + 1)]

    def run():
        As = [X]
        for W, b in params:
            Z = W @ As[-1]
            Z += b
            As.append(np.maximum(Z, 0, out=Z) if len(As) < L else Z)
        ZL = As[-1]
        cost = np.mean(np.maximum(ZL, 0) - ZL * Y + np.log1p(np.exp(-np.abs(ZL))))
        dZ = (0.5 * np.tanh(0.5 * ZL) + 0.5) - Y  # sigmoid(ZL) - Y
        for l in range(L, 0, -1):
            W, b = params[l - 1]
            dW, db = dZ @ As[l - 1].T, dZ.sum(axis=1, keepdims=True)
            if l > 1:
                dZ = W.T @ dZ
                dZ *= As[l - 1] > 0  # relu'
            W -= (LEARNING_RATE / m) * dW
            b -= (LEARNING_RATE / m) * db
        return cost

    return run, None


def torch_eager_step(device, problem):
    """PyTorch eager autograd as its users write it: nn.Sequential of Linear/ReLU, BCEWithLogitsLoss, SGD.

    Samples are rows here (PyTorch's layout); nn.Linear's weight is ``(n[l], n[l-1])`` like W{l}.
    """
    torch, backend = import_torch(), get_backend("torch-cuda" if device == "cuda" else "torch")
    dtype = getattr(torch, problem.dtype)
    layers = []
    for l in range(1, len(problem.dims)):
        linear = torch.nn.Linear(problem.dims[l - 1], problem.dims[l], dtype=dtype, device=backend.device)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(problem.params[f"W{l}"]))
            linear.bias.copy_(torch.from_numpy(problem.params[f"b{l}"][:, 0]))
        layers += [linear, torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    X = torch.from_numpy(np.ascontiguousarray(problem.X.T)).to(backend.device)
    Y = torch.from_numpy(np.ascontiguousarray(problem.Y.T)).to(backend.device)
    loss_fn, optimizer = torch.nn.BCEWithLogitsLoss(), torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)

    def run():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(X), Y)
        loss.backward()
        optimizer.step()
        return loss

    return run, backend.sync


def sklearn_step(problem):
    """scikit-learn's MLPClassifier, same layers, full-batch SGD without momentum: one epoch a call."""
    require("sklearn")
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(hidden_layer_sizes=problem.dims[1:-1], activation="relu", solver="sgd",
                        batch_size=problem.m, learning_rate_init=LEARNING_RATE, momentum=0.0,
                        nesterovs_momentum=False, alpha=0.0, shuffle=False)
    X, y = np.ascontiguousarray(problem.X.T), problem.Y[0]
    clf.partial_fit(X, y, classes=np.array([0.0, 1.0]))  # the first call also initializes

    def run():
        return clf.partial_fit(X, y)

    return run, None


def _jax_update(problem):
    """``(jax, update)``: ``update(params, X, Y) -> (params, J)``, the cost written with jax.numpy and
    jax.value_and_grad, then one gradient-descent update; not yet jitted."""
    jax = require("jax")
    jnp, L = jax.numpy, len(problem.dims) - 1

    def cost(params, X, Y):
        A = X
        for l in range(1, L):
            A = jax.nn.relu(params[f"W{l}"] @ A + params[f"b{l}"])
        Z = params[f"W{L}"] @ A + params[f"b{L}"]
        return jnp.mean(jnp.maximum(Z, 0) - Z * Y + jnp.log1p(jnp.exp(-jnp.abs(Z))))

    def update(params, X, Y):
        J, grads = jax.value_and_grad(cost)(params, X, Y)
        return jax.tree.map(lambda p, g: p - LEARNING_RATE * g, params, grads), J

    return jax, update


def jax_jit_step(problem):
    """JAX: the cost written with jax.numpy, jax.value_and_grad, the whole step under jax.jit."""
    jax, update = _jax_update(problem)
    step = jax.jit(update, donate_argnums=0)
    backend = get_backend("jax")
    return stepper(step, *on_device(backend, problem)), backend.sync


def jax_fori_loop_steps(problem, iterations):
    """:func:`jax_jit_step`'s update ``iterations`` times per call, in a ``lax.fori_loop`` under jax.jit:
    how a JAX user skips the per-call dispatch between cost reads."""
    jax, update = _jax_update(problem)

    @functools.partial(jax.jit, donate_argnums=0)
    def steps(params, X, Y):
        return jax.lax.fori_loop(0, iterations, lambda i, p: update(p, X, Y)[0], params), None

    backend = get_backend("jax")
    return stepper(steps, *on_device(backend, problem)), backend.sync
