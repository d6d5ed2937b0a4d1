"""The training contract: what one ``fit`` trains with, frozen, built once per fit.

:class:`TrainingConfig` is all that training (:mod:`nnxp.training.loop`), the step (:mod:`nnxp.core.step`)
and the runners (local, Dask) read: the layers and their activations, the loss object, the
optimizer, the schedule, regularization, batching and stopping. The model builds it from its
settings with :meth:`nnxp.NeuralNetwork.training_config`, which checks them again, so a setting
changed after construction (as the scikit-learn estimators do between fits) is checked too.
"""

from dataclasses import dataclass

from ..core.optimizers import schedule_lr_decay, update_lr


@dataclass(frozen=True)
class TrainingConfig:
    """One fit's settings: ``layer_dims [n[0], ..., n[L]]``, one activation per layer (the last the
    loss's output), ``loss`` (a :class:`~nnxp.core.losses.Loss`), ``optimizer`` (an
    :class:`~nnxp.core.optimizers.Optimizer`), ``learning_rate`` decayed by ``decay_rate`` (every
    ``decay_interval`` epochs when given), ``l2`` lambda, ``keep_probs`` (one per hidden layer),
    ``batch_size`` (None: full batch), ``num_iterations`` epochs, a cost logged every ``cost_every``
    (printed with ``print_cost``), ``early_stopping`` patience and ``tol``.

    >>> from nnxp.training.config import TrainingConfig
    >>> config = nnxp.NeuralNetwork([2, 4, 1], learning_rate=0.1, decay_rate=1.0).training_config()
    >>> config.activations, config.learning_rate_at(0), config.learning_rate_at(4)
    (('relu', 'sigmoid'), 0.1, 0.02)
    """

    layer_dims: tuple
    activations: tuple
    loss: object
    optimizer: object
    learning_rate: float
    decay_rate: float = 0.0
    decay_interval: int | None = None
    penalties: tuple = ()
    keep_probs: tuple = ()
    batch_size: int | None = None
    num_iterations: int = 0
    cost_every: int = 1
    print_cost: bool = False
    early_stopping: int | None = None
    tol: float = 0.0

    def learning_rate_at(self, epoch):
        """The learning rate of epoch ``epoch`` (from 0): ``update_lr``, or ``schedule_lr_decay`` every
        ``decay_interval`` epochs; ``learning_rate`` itself when ``decay_rate`` is 0."""
        if self.decay_interval is None:
            return update_lr(self.learning_rate, epoch, self.decay_rate)
        return schedule_lr_decay(self.learning_rate, epoch, self.decay_rate, self.decay_interval)

    @property
    def dropout(self):
        """Whether any hidden layer drops units (a keep probability below 1)."""
        return any(keep != 1 for keep in self.keep_probs)
