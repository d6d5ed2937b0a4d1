"""
Gradient checking
=================

The second course's week 1 exercise: make sure that backpropagation computes the gradients it
claims to, by comparing them with two-sided finite differences of the cost. We rebuild the course's
3-layer test case, reproduce its published differences for a correct and for a buggy backward
pass, and show why :func:`nnxp.gradient_check` finds a difference a hundred times smaller than the
course's for the same, correct, gradients.
"""

import numpy as np

import nnxp

# %%
# How gradient checking works
# ---------------------------
#
# The derivative of the cost is the limit
# :math:`\frac{\partial J}{\partial \theta} = \lim_{\varepsilon \to 0} \frac{J(\theta + \varepsilon) - J(\theta - \varepsilon)}{2 \varepsilon}`.
# With a small :math:`\varepsilon` the two-sided difference ``gradapprox`` approximates it to
# :math:`O(\varepsilon^2)`, and backpropagation's ``grad`` should agree with it:
#
# .. math::
#
#    \mathrm{difference} = \frac{\| \mathrm{grad} - \mathrm{gradapprox} \|_2}{\| \mathrm{grad} \|_2 + \| \mathrm{gradapprox} \|_2}
#
# The course's one-dimensional example: :math:`J(\theta) = \theta x`, whose derivative is
# :math:`x`, at :math:`x = 2`, :math:`\theta = 4`, :math:`\varepsilon = 10^{-7}`:

x, theta, epsilon = 2, 4, 1e-7
gradapprox = ((theta + epsilon) * x - (theta - epsilon) * x) / (2 * epsilon)
grad = x
difference = abs(grad - gradapprox) / (abs(grad) + abs(gradapprox))
print(f"The gradient is correct! difference = {difference!r}")
np.testing.assert_allclose(difference, 2.919335883291695e-10, rtol=1e-9)  # published

# %%
# N-dimensional gradient checking
# -------------------------------
#
# The course's test case (``gradient_check_n_test_case``): three examples of four features and a
# 3-layer network *LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID* of sizes
# ``[4, 5, 3, 1]``, every parameter drawn from ``np.random.randn`` after ``np.random.seed(1)``.

np.random.seed(1)
X = np.random.randn(4, 3)
Y = np.array([[1.0, 1.0, 0.0]])
parameters = {}
for key, shape in [("W1", (5, 4)), ("b1", (5, 1)), ("W2", (3, 5)), ("b2", (3, 1)), ("W3", (1, 3)), ("b3", (1, 1))]:
    parameters[key] = np.random.randn(*shape)
activations = ["relu", "relu", "sigmoid"]

AL, caches = nnxp.model_forward(X, parameters, activations)
grads = nnxp.model_backward(AL, Y, caches, activations)
print("A3 =", AL)

# %%
# The course's ``gradient_check_n`` flattens the parameters into one vector
# :math:`\theta = (W^{[1]}, b^{[1]}, \ldots, b^{[3]})` and the gradients into ``grad``, then for
# each of the 47 components i computes ``gradapprox[i]`` from two forward passes, with
# :math:`\theta_i` nudged by :math:`\pm\varepsilon`. Here it is, with the cost ``J(parameters)``
# as an argument:

def gradient_check_n(parameters, grads, J, epsilon=1e-7):
    keys = list(parameters)
    theta = np.concatenate([parameters[key].ravel() for key in keys])
    grad = np.concatenate([grads["d" + key].ravel() for key in keys])

    def to_dictionary(vector):
        ends = np.cumsum([parameters[key].size for key in keys])
        pieces = np.split(vector, ends[:-1])
        return {key: piece.reshape(parameters[key].shape) for key, piece in zip(keys, pieces)}

    gradapprox = np.zeros_like(theta)
    for i in range(theta.size):
        theta_plus, theta_minus = theta.copy(), theta.copy()
        theta_plus[i] += epsilon
        theta_minus[i] -= epsilon
        gradapprox[i] = (J(to_dictionary(theta_plus)) - J(to_dictionary(theta_minus))) / (2 * epsilon)
    return float(np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))


# %%
# The course's cost, computed from the output :math:`A^{[3]}` as in its ``forward_propagation_n``:

def J_from_A3(parameters):
    A3, _ = nnxp.model_forward(X, parameters, activations)
    logprobs = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y)
    return 1.0 / 3 * np.sum(logprobs)


difference = gradient_check_n(parameters, grads, J_from_A3)
print(f"Your backward propagation works perfectly fine! difference = {difference!r}")
assert difference < 2e-7  # the course's threshold
# published; to 2%, as the rounding of J(theta +- epsilon) on another CPU can move it (see below)
np.testing.assert_allclose(difference, 1.1890913024229996e-07, rtol=2e-2)

# %%
# The course's exercise first gives a backward pass with two mistakes, ``dW2`` twice too large and
# ``db1`` four times too large. The check finds them:

wrong = {**grads, "dW2": 2 * grads["dW2"], "db1": 4 * grads["db1"]}
difference = gradient_check_n(parameters, wrong, J_from_A3)
print(f"There is a mistake in the backward propagation! difference = {difference!r}")
assert difference > 2e-7
np.testing.assert_allclose(difference, 0.2850931567761624, rtol=1e-7)  # published; rounding: below

# %%
# Both published differences, to 7 and 10 significant digits on this project's machines. A
# difference near :math:`10^{-7}` means the backward pass is right; one near 1, like 0.285, means it
# is wrong somewhere: here the largest components of ``grad - gradapprox`` would point to ``dW2``
# and ``db1``.
#
# The first of the two depends on the CPU. It is made of rounding (next section): the costs
# :math:`J(\theta \pm \varepsilon)`, about 2.4, are rounded to a unit in their last place,
# :math:`2.4 \cdot 2^{-52} \approx 5 \cdot 10^{-16}`, and a CPU whose BLAS kernels sum a matrix
# product in another order may round them a unit differently. Divided by
# :math:`2 \varepsilon`, that is :math:`3 \cdot 10^{-9}` in a component of ``gradapprox``, about
# :math:`2 \cdot 10^{-8}` over the 47 of them, and in the difference, divided by
# :math:`\|grad\| + \|gradapprox\| \approx 6.8`, :math:`3 \cdot 10^{-9}`: 2% of
# :math:`1.19 \cdot 10^{-7}`. OpenBLAS's SkylakeX and Haswell kernels give the published value to
# 10 digits, its Sandybridge kernels (no fused multiply-add) 1.18904e-07, 4e-5 from it; the page
# checks it to 2%, which still tells a right backward pass from a wrong one by six orders of
# magnitude. The second difference, 0.285, is the mistakes', not rounding's: the same
# :math:`2 \cdot 10^{-8}` moves it by less than :math:`10^{-8}` of its size, and the page checks it
# to :math:`10^{-7}`.
#
# Why nnxp's check gives a smaller difference
# -------------------------------------------
#
# For the correct gradients, :math:`10^{-7}` is not backpropagation's error but the finite
# differences' own: :math:`J(\theta \pm \varepsilon)` is known to about :math:`10^{-16}` of its size,
# and dividing by :math:`2 \varepsilon = 2 \cdot 10^{-7}` magnifies that rounding. Here it is
# magnified more: the third example has :math:`y = 0` and :math:`a^{[3]} = 0.99887`, so the
# course's :math:`\log(1 - a^{[3]})` takes the log of a number that lost three of its sixteen
# digits in the subtraction :math:`1 - a^{[3]}`. :func:`nnxp.gradient_check` computes the cost from
# the output layer's :math:`Z^{[3]}`, :math:`\frac{1}{m} \sum \max(z, 0) - z y + \log(1 + e^{-|z|})`,
# which loses nothing there:

difference = nnxp.gradient_check(parameters, X, Y, activations, epsilon=1e-7)
print(f"nnxp.gradient_check: difference = {difference!r}")
assert difference < 2e-7
assert difference < 1e-8  # a hundred times below the course's, for the same gradients

# %%
# The same gradients, a difference of about :math:`10^{-9}`: the finite differences of an
# accurately computed cost agree better with backpropagation. The check is written once against
# the array API, so it runs the same on every backend nnxp supports; it also covers the L2 penalty
# (``l2=``), whose gradient :math:`\frac{\lambda}{m} W` the regularization chapter adds:

difference = nnxp.gradient_check(parameters, X, Y, activations, l2=0.7)
print(f"with L2 (lambda = 0.7): difference = {difference!r}")
assert difference < 2e-7

# %%
# Gradient checking is slow (two forward passes per parameter), so use it to debug, not while
# training, and without dropout, whose random masks change J from one pass to the next.
