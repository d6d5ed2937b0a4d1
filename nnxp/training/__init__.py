"""The training ring: a frozen config built once per fit, the state it fills, mini-batches and the loop.

Imports only :mod:`nnxp.core`. (In nnxp 0.1 ``nnxp.training`` was the module now at
:mod:`nnxp.training.loop`; its names are still served here, with a DeprecationWarning.)
"""

from .._moved import forward

__getattr__ = forward(__name__, "nnxp.training.loop")
