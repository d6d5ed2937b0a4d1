"""Where a model computes: engines, each one class behind one protocol, found by the data they take.

An engine answers for a fitted or fitting :class:`~nnxp.NeuralNetwork` on arrays it accepts:

- ``runner(model, config, X, Y, validation_data, resume, compile)``: the runner of ``fit``, whose
  ``epoch``, ``fused_epochs``, ``evaluate`` and ``guard_cost`` :func:`nnxp.training.loop.train` drives;
- ``output(model, X, finish)``: the output ``AL`` (``finish="proba"``) or the loss's predictions
  (``"predict"``);
- ``evaluation(model, X, Y)``: ``(cost, score)`` as Python floats.

:class:`LocalEngine` runs on the arrays' own library and device (NumPy, CuPy, torch, JAX,
array-api-strict). Other engines are registered with :func:`register_engine` by the module that
wires the package together (``nnxp/__init__.py`` registers the Dask engine of
:mod:`nnxp.dask.runner`, loaded when Dask arrays first arrive), so the model never imports them:
a new engine is one class and one registration.
"""

from .inputs import fitted_parameters, prepare_validation, prepare_X, prepare_XY
from ..core.step import compiled, inference
from ..training.loop import LocalRunner
from ..core.checks import warn_if_unscaled

_ENGINES = []
"""``(accepts, load)`` pairs, first match wins: ``accepts(X)`` says whether the engine takes ``X``,
``load()`` returns the engine (importing its module only then)."""


def register_engine(accepts, load):
    """Let the engine that ``load()`` returns answer for every ``X`` for which ``accepts(X)`` is True."""
    _ENGINES.append((accepts, load))


def engine_for(X):
    """The engine of ``X``: the first registered one that accepts it, else :data:`LOCAL`."""
    for accepts, load in _ENGINES:
        if accepts(X):
            return load()
    return LOCAL


class LocalEngine:
    """The arrays' own library and device, one process: a :class:`~nnxp.training.loop.LocalRunner`."""

    def runner(self, model, config, X, Y, validation_data, resume, compile=None):
        """The runner of ``fit``: ``X``, ``Y`` moved, checked and cast once (:mod:`nnxp.model.inputs`), the
        validation pair too, the step compiled where that helps."""
        xp, X, Y = prepare_XY(model, X, Y, fitted=resume)
        unscaled = warn_if_unscaled(xp, X)
        validation = None if validation_data is None else prepare_validation(model, xp, validation_data, X.dtype)
        return LocalRunner(xp, X, Y, compiled(xp, config, config.loss, compile), validation, unscaled=unscaled)

    def output(self, model, X, finish):
        """The output ``AL (n[L], m)`` of the fitted ``model`` for ``X``, or the loss's predictions, from one
        forward pass (:func:`nnxp.core.step.inference`: one compiled program per shape on JAX)."""
        xp, X = prepare_X(model, X, fitted=True)
        AL, predictions = inference(xp, model.activations, model.loss_object).prediction(X, model.parameters_)
        return AL if finish == "proba" else predictions

    def evaluation(self, model, X, Y):
        """``(cost, score)`` of the fitted ``model`` on ``X``, ``Y`` (the cost without the L2 term)."""
        xp, X, Y = prepare_XY(model, X, Y, fitted=True)
        cost, score = inference(xp, model.activations, model.loss_object).evaluation(X, Y, fitted_parameters(model))
        return float(cost), float(score)


LOCAL = LocalEngine()
