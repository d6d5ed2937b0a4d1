"""scikit-learn estimators around :class:`~nnxp.model.network.NeuralNetwork`: samples as rows.

``from nnxp.sklearn import NeuralNetClassifier, NeuralNetRegressor`` (the extra ``[sklearn]``).
"""

from .estimators import NeuralNetClassifier, NeuralNetRegressor

__all__ = ["NeuralNetClassifier", "NeuralNetRegressor"]
