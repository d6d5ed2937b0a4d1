"""
Deep neural network for image classification
============================================

The course's week 4 application: the cat/non-cat pictures of the first exercise, now classified
by a 2-layer network and by a 4-layer deep network. We write the course's ``two_layer_model``
with nnxp's layer functions, train both models with :class:`nnxp.NeuralNetwork`, and check the
course's published cost every 100 iterations (to all the digits it prints) and its accuracies:
72% test accuracy for the 2-layer network, 80% for the deep one, against 70% for logistic
regression.
"""

import matplotlib.pyplot as plt
import numpy as np

import nnxp
import _course

# %%
# The data set
# ------------
#
# The same 209 training and 50 test pictures, flattened to columns of 12288 values in [0, 1]:
# ``train_x`` is ``(12288, 209)``.

train_x, train_y, test_x, test_y = _course.load_cat()
print("train_x's shape:", train_x.shape, " test_x's shape:", test_x.shape)

# %%
# The model
# ---------
#
# Each layer l computes a linear part and an activation,
#
# .. math::
#
#    Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}, \qquad A^{[l]} = g^{[l]}(Z^{[l]}), \qquad A^{[0]} = X,
#
# with :math:`g = \mathrm{ReLU}` in the hidden layers and the sigmoid in the output layer
# L, whose :math:`A^{[L]} = \hat{Y}` gives the cross-entropy cost
# :math:`J = -\frac{1}{m} \sum_i \left(y^{(i)} \log a^{[L](i)} + (1 - y^{(i)}) \log(1 - a^{[L](i)})\right)`.
# Backward propagation starts from
# :math:`dA^{[L]} = -\left(\frac{Y}{A^{[L]}} - \frac{1 - Y}{1 - A^{[L]}}\right)` and runs through
# the layers from L down to 1:
#
# .. math::
#
#    dZ^{[l]} = dA^{[l]} * g'^{[l]}(Z^{[l]}), \quad
#    dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{[l-1]T}, \quad
#    db^{[l]} = \frac{1}{m} \sum_{i=1}^m dZ^{[l](i)}, \quad
#    dA^{[l-1]} = W^{[l]T} dZ^{[l]}.
#
# :func:`nnxp.linear_activation_forward` and :func:`nnxp.linear_activation_backward` are one layer
# of each, with the course's caches ``((A_prev, W, b), Z)``.
#
# The 2-layer network
# -------------------
#
# *LINEAR -> RELU -> LINEAR -> SIGMOID* with 7 hidden units, ``layers_dims = (12288, 7, 1)``. The
# course's ``two_layer_model`` initializes with ``np.random.seed(1)`` and ``np.random.randn(...) *
# 0.01`` (nnxp's ``init="scaled"`` from a ``RandomState(1)``), then runs gradient descent at
# :math:`\alpha = 0.0075`. Here it is with nnxp's functions, for its first 101 iterations:

n_x, n_h, n_y = 12288, 7, 1
parameters = nnxp.initialize_parameters([n_x, n_h, n_y], init="scaled", seed=np.random.RandomState(1))
for i in range(101):
    A1, cache1 = nnxp.linear_activation_forward(train_x, parameters["W1"], parameters["b1"], "relu")
    A2, cache2 = nnxp.linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
    cost = float(nnxp.compute_cost(A2, train_y))
    if i % 100 == 0:
        print(f"Cost after iteration {i}: {cost!r}")
    dA2 = -(np.divide(train_y, A2) - np.divide(1 - train_y, 1 - A2))
    dA1, dW2, db2 = nnxp.linear_activation_backward(dA2, cache2, "sigmoid")
    dA0, dW1, db1 = nnxp.linear_activation_backward(dA1, cache1, "relu")
    grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    parameters = nnxp.update_parameters(parameters, grads, learning_rate=0.0075)
    if i == 0:
        np.testing.assert_allclose(cost, 0.6930497356599888, rtol=1e-12)  # published
    if i == 100:
        np.testing.assert_allclose(cost, 0.6464320953428849, rtol=1e-12)  # published

# %%
# These are the course's first two costs. :class:`nnxp.NeuralNetwork` trains the same network for
# the course's 2500 iterations; ``cost_every=1`` keeps the cost of every iteration, so that the
# page can also show the last one, 2499, which newer editions of the notebook print.

two_layer = nnxp.NeuralNetwork([n_x, n_h, n_y], init="scaled", seed=np.random.RandomState(1),
                               learning_rate=0.0075, num_iterations=2500, cost_every=1)
two_layer.fit(train_x, train_y)

iterations = [*range(0, 2500, 100), 2499]
published = [0.6930497356599888, 0.6464320953428849, 0.6325140647912678, 0.6015024920354665, 0.5601966311605747,
             0.515830477276473, 0.4754901313943325, 0.4339163151225749, 0.400797753620389, 0.3580705011323798,
             0.3394281538366412, 0.3052753636196263, 0.27491377282130175, 0.2468176821061483, 0.19850735037466116,
             0.17448318112556632, 0.17080762978096647, 0.1130652456216472, 0.09629426845937152, 0.08342617959726863,
             0.07439078704319081, 0.06630748132267934, 0.05919329501038171, 0.053361403485605544, 0.04855478562877018,
             0.04421498215868956]
_course.check_costs(two_layer, iterations, published, rtol=1e-10)

# %%
# The costs agree to about 14 significant digits: the editions of the notebook found online
# differ among themselves in the last two or three digits (the order of the floating-point sums
# differs from one BLAS to another), and nnxp's differ from each of them by as little.

print("train accuracy:", two_layer.score(train_x, train_y), " test accuracy:", two_layer.score(test_x, test_y))
np.testing.assert_allclose(two_layer.score(train_x, train_y), 0.9999999999999998, rtol=1e-12)  # published
np.testing.assert_allclose(two_layer.score(test_x, test_y), 0.72, rtol=1e-12)  # published

# %%
# The course prints a training accuracy of 0.9999999999999998 (a sum of 209 terms of 1/209);
# nnxp's mean gives 1.0. On the test set the 2-layer network gets 72%, better than the 70% of
# logistic regression.
#
# The L-layer network
# -------------------
#
# *[LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID* with ``layers_dims = [12288, 20, 7, 5, 1]``: a
# 4-layer model. The course's ``initialize_parameters_deep`` here draws
# ``np.random.randn(n[l], n[l-1]) / np.sqrt(n[l-1])`` after ``np.random.seed(1)``: nnxp's
# ``init="xavier"`` (the course's name for that scale) from a ``RandomState(1)``.

deep = nnxp.NeuralNetwork([12288, 20, 7, 5, 1], init="xavier", seed=np.random.RandomState(1),
                          learning_rate=0.0075, num_iterations=2500, cost_every=1)
deep.fit(train_x, train_y)

published = [0.7717493284237686, 0.6720534400822914, 0.6482632048575212, 0.6115068816101354, 0.5670473268366111,
             0.54013766345478, 0.5279299569455267, 0.4654773771766851, 0.3691258524959279, 0.39174697434805344,
             0.3151869888600617, 0.2726998441789385, 0.23741853400268137, 0.19960120532208647, 0.18926300388463305,
             0.1611885466582775, 0.14821389662363316, 0.13777487812972944, 0.1297401754919012, 0.12122535068005211,
             0.1138206066863371, 0.10783928526254133, 0.10285466069352679, 0.10089745445261787, 0.09287821526472397,
             0.088439943441702]
_course.check_costs(deep, iterations, published, rtol=1e-10)

print("train accuracy:", deep.score(train_x, train_y), " test accuracy:", deep.score(test_x, test_y))
np.testing.assert_allclose(deep.score(train_x, train_y), 0.9856459330143539, rtol=1e-12)  # published
np.testing.assert_allclose(deep.score(test_x, test_y), 0.8, rtol=1e-12)  # published

# %%
# 80% on the test set, the best of the three models on the same pictures. The learning curves:

plt.figure()
plt.plot(np.arange(2500), two_layer.costs_, label="2-layer [12288, 7, 1]")
plt.plot(np.arange(2500), deep.costs_, label="4-layer [12288, 20, 7, 5, 1]")
plt.xlabel("iterations")
plt.ylabel("cost")
plt.title("Learning rate = 0.0075")
plt.legend()
plt.show()

# %%
# Results analysis
# ----------------
#
# The test pictures the deep network labels wrongly. The course notes what they tend to have in
# common: the cat's body in an unusual position, a cat against a background of a similar colour,
# unusual cat colours and species, the camera angle, the brightness of the picture, the scale
# (a cat very large or very small in the picture).

predicted = deep.predict(test_x)
wrong = np.flatnonzero(predicted != test_y)
print(f"{wrong.size} of {test_y.shape[1]} test pictures mislabeled: indices {wrong.tolist()}")
_course.show_images(test_x, wrong, [f"predicted {'cat' if predicted[0, i] else 'non-cat'}\n"
                                    f"label {'cat' if test_y[0, i] else 'non-cat'}" for i in wrong])
plt.show()
