"""The model ring: :class:`~nnxp.model.network.NeuralNetwork`, its engines and inputs, the
preprocessing that travels with it, checkpoints and their loading, and the grid search over models.

Imports the core and training rings, never the edges (data, Dask, scikit-learn, the command line).
(In nnxp 0.1 ``nnxp.model`` was the module now at :mod:`nnxp.model.network`; its names are still
served here, with a DeprecationWarning.)
"""

from .._moved import forward

__getattr__ = forward(__name__, "nnxp.model.network")
