"""
Regularization
==============

The second course's regularization exercise trains a 3-layer network three times: without
regularization, with L2 regularization and with dropout, and shows that the last two overfit
less. Its data (the football field of ``data.mat``) is not available here, so this page has no
published numbers to reproduce: it runs the same experiment, with the course's settings, on noisy
moons that a large network overfits, and checks what the chapter teaches, that L2 and dropout
narrow the gap between the training and the test accuracy and improve the test accuracy.
"""

import matplotlib.pyplot as plt

import nnxp
import _course
from nnxp.data.datasets import moons, train_test_split

# %%
# The data set
# ------------
#
# 300 points of two moons with a lot of noise, half of them kept for the test set: few enough
# points for a network of 40 and 20 hidden units to learn the training set's noise by heart.

X, Y = moons(300, noise=0.35, seed=1)
data = train_test_split(X, Y, test_size=0.5, seed=1)
print("X_train:", data.X_train.shape, " X_test:", data.X_test.shape)

# %%
# Three models
# ------------
#
# *LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID* with ``layers_dims = [2, 40, 20, 1]``,
# He initialization, gradient descent at the course's :math:`\alpha = 0.3`, 20000 iterations.
# The course's two remedies, with its values:
#
# - **L2 regularization**, ``l2=0.7`` (the course's :math:`\lambda = 0.7`): the cost gains
#   :math:`\frac{\lambda}{2m} \sum_l \|W^{[l]}\|_F^2` and every :math:`dW^{[l]}` gains
#   :math:`\frac{\lambda}{m} W^{[l]}`, so the weights decay towards 0;
# - **inverted dropout**, ``keep_prob=0.86``: every iteration each hidden unit is kept with
#   probability 0.86, :math:`A^{[l]} = A^{[l]} \odot D^{[l]} / 0.86`, and the same masks
#   :math:`D^{[l]}` zero the same units of :math:`dA^{[l]}` in backpropagation. No dropout at
#   test time.

settings = dict(init="he", seed=3, learning_rate=0.3, num_iterations=20000, cost_every=1000)
models = {
    "no regularization": nnxp.NeuralNetwork([2, 40, 20, 1], **settings),
    "L2, lambda = 0.7": nnxp.NeuralNetwork([2, 40, 20, 1], l2=0.7, **settings),
    "dropout, keep_prob = 0.86": nnxp.NeuralNetwork([2, 40, 20, 1], keep_prob=0.86, **settings),
}
accuracy = {}
for name, model in models.items():
    model.fit(data.X_train, data.Y_train)
    accuracy[name] = model.score(data.X_train, data.Y_train), model.score(data.X_test, data.Y_test)
    print(f"{name:>26}: train accuracy {accuracy[name][0]:.3f}, test accuracy {accuracy[name][1]:.3f}")

# %%
# Without regularization the network gets every training point right and far fewer test points:
# it has fitted the noise. Both remedies give up some training accuracy for test accuracy.

train, test = accuracy["no regularization"]
for name in ("L2, lambda = 0.7", "dropout, keep_prob = 0.86"):
    assert accuracy[name][0] - accuracy[name][1] < train - test, f"{name} should overfit less"
    assert accuracy[name][1] > test, f"{name} should do better on the test set"

fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
for ax, (name, model) in zip(axes, models.items()):
    _course.plot_decision_boundary(model.predict, data.X_test, data.Y_test, ax=ax,
                                   title=f"{name}\ntest accuracy {accuracy[name][1]:.3f}")
plt.tight_layout()
plt.show()

# %%
# The boundary without regularization bends around single training points; L2's is the
# smoothest, and dropout's lies between. Dropout also makes the cost a different function at each
# iteration (each trains another thinned network), which is why the course checks gradients
# (next page) with dropout off, ``keep_prob=1``.
