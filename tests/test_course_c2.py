"""nnxp.course's course-2 modules against the course's published outputs (the current notebooks, 2023+):
values at the published precision, and the return types, key sets, tuple lengths and shapes its public
tests check; each module once on array-api-strict's ``device1`` (no silent host copies) against NumPy.

The models' published costs need the notebooks' data: scikit-learn's ``make_circles`` and ``make_moons``
after the course's ``np.random.seed`` (skipped without scikit-learn); the Regularization data
(``data.mat``) is not available here, so its model is checked on strict arrays only.
"""

import re

import array_api_strict
import numpy as np
import pytest

import nnxp
from nnxp.course import c2w1_gradient_checking as gc
from nnxp.course import c2w1_initialization as init
from nnxp.course import c2w1_regularization as reg
from nnxp.course import c2w2_optimization as opt
from nnxp.data.datasets import flower

DEVICE1 = array_api_strict.Device("device1")
NETWORK = ("W1", "b1", "W2", "b2", "W3", "b3")
GRADIENTS = ("dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1")


def strict(x):
    """``x`` as an array-api-strict array on ``device1``."""
    return array_api_strict.asarray(x, device=DEVICE1)


def seeded(*shapes):
    """``np.random.randn`` draws of ``shapes``, in order, after ``np.random.seed(1)`` (the course's test cases)."""
    np.random.seed(1)
    return [np.random.randn(*shape) for shape in shapes]


def assert_dict(actual, expected, atol):
    """A dict with exactly ``expected``'s keys, each an exact ``np.ndarray`` of its shape and values."""
    assert type(actual) is dict and set(actual) == set(expected) and len(actual) == len(expected)
    for key, value in expected.items():
        assert type(actual[key]) is np.ndarray, key
        assert actual[key].shape == np.shape(value), key
        np.testing.assert_allclose(actual[key], value, rtol=0, atol=atol, err_msg=key)


def assert_same(device_arrays, host_arrays):
    """Dicts of the same keys: ``device_arrays`` on ``device1`` with ``host_arrays``' numbers."""
    assert set(device_arrays) == set(host_arrays)
    for key, value in device_arrays.items():
        assert value.device == DEVICE1, key
        np.testing.assert_allclose(nnxp.to_numpy(value), host_arrays[key], rtol=1e-12, atol=1e-15, err_msg=key)


def printed_costs(text):
    """The numbers after ``Cost after ...: `` in printed ``text``."""
    return [float(value) for value in re.findall(r"Cost after \w+ \d+: (\S+)", text)]


@pytest.mark.parametrize("module", [init, reg, gc, opt])
def test_every_exported_name_exists(module):
    assert all(callable(getattr(module, name)) for name in module.__all__)


# ---------------------------------------------------------------- Initialization


INITIALIZERS = [  # the public tests' layer_dims and expected dicts, and the notebook's He example
    (init.initialize_parameters_zeros, [3, 2, 1], {"W1": np.zeros((2, 3)), "b1": np.zeros((2, 1)),
                                                   "W2": np.zeros((1, 2)), "b2": np.zeros((1, 1))}),
    (init.initialize_parameters_random, [3, 2, 1], {
        "W1": [[17.88628473, 4.36509851, 0.96497468], [-18.63492703, -2.77388203, -3.54758979]],
        "b1": [[0.0], [0.0]], "W2": [[-0.82741481, -6.27000677]], "b2": [[0.0]]}),
    (init.initialize_parameters_he, [3, 1, 2], {"W1": [[1.46040903, 0.3564088, 0.07878985]], "b1": [[0.0]],
                                                "W2": [[-2.63537665], [-0.39228616]], "b2": [[0.0], [0.0]]}),
    (init.initialize_parameters_he, [2, 4, 1], {
        "W1": [[1.78862847, 0.43650985], [0.09649747, -1.8634927], [-0.2773882, -0.35475898],
               [-0.08274148, -0.62700068]], "b1": np.zeros((4, 1)),
        "W2": [[-0.03098412, -0.33744411, -0.92904268, 0.62552248]], "b2": [[0.0]]}),
]


@pytest.mark.parametrize("initialize, layers_dims, expected", INITIALIZERS,
                         ids=["zeros", "random", "he", "he-notebook"])
def test_initializations(initialize, layers_dims, expected):
    np.random.seed(0)  # each seeds itself
    assert_dict(initialize(layers_dims), expected, atol=1e-8)


def test_init_backward_propagation_folds_1_over_m_into_dz3():
    """``init_utils``' gradients: the published L2 gradients less ``(lambd/m) W`` for ``dW``; ``dz``, ``da``
    the published ``dZ``, ``dA`` divided by m = 5, under lower-case names, in the course's order."""
    X, Y, parameters = regularization_test_case()
    _, cache = init.forward_propagation(X, parameters)
    grads = init.backward_propagation(X, Y, cache)
    assert list(grads) == ["dz3", "dW3", "db3", "da2", "dz2", "dW2", "db2", "da1", "dz1", "dW1", "db1"]
    for key, value in L2_GRADIENTS.items():
        if key[1] in "ZA":
            key, value = key.lower(), np.asarray(value) / 5
        elif key.startswith("dW"):
            value = np.asarray(value) - 0.7 / 5 * parameters[key[1:]]
        np.testing.assert_allclose(grads[key], value, rtol=0, atol=1e-7, err_msg=key)


def test_compute_loss_is_the_courses_unclipped_nansum():
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = init.compute_loss(np.array([[1.0, 0.5]]), np.array([[1, 0]]))  # -log(0) * 0 is nan: left out
        assert type(cost) is np.float64 and cost == pytest.approx(np.log(2) / 2, rel=1e-15)
        assert init.compute_loss(np.array([[1.0, 0.5]]), np.array([[0, 0]])) == np.inf  # the notebook's "inf"


@pytest.fixture(scope="module")
def circles():
    """The Initialization notebook's data: ``make_circles`` after ``np.random.seed(1)`` (train) and 2 (test)."""
    datasets = pytest.importorskip("sklearn.datasets")
    np.random.seed(1)
    train = datasets.make_circles(n_samples=300, noise=.05)
    np.random.seed(2)
    test = datasets.make_circles(n_samples=100, noise=.05)
    return [(X.T, Y.reshape((1, -1))) for X, Y in (train, test)]


def test_init_model_published_costs(circles, capsys):
    (X, Y), _ = circles
    init.model(X, Y, num_iterations=1001)
    init.model(X, Y, num_iterations=1, initialization="zeros")
    costs = printed_costs(capsys.readouterr().out)
    np.testing.assert_allclose(costs, [0.8830537463419761, 0.6879825919728063, 0.6931471805599453], rtol=1e-12)
    with pytest.raises(ValueError, match="initialization"):
        init.model(X, Y, initialization="xavier")


INITIALIZATION_RUNS = [  # the last two printed costs (None: only the accuracies are stable), train and test accuracy
    ("he", [0.08457055954024273, 0.07357895962677362], "0.9933333333333333", "0.96"),
    ("random", None, "0.83", "0.86"),  # log(0) at the start (the notebook's "inf"), then rounding decides the costs
    ("zeros", [0.6931471805599453, 0.6931471805599453], "0.5", "0.5"),
]


@pytest.mark.slow
@pytest.mark.parametrize("initialization, costs, train, test", INITIALIZATION_RUNS, ids=["he", "random", "zeros"])
def test_init_model_published_run(circles, capsys, initialization, costs, train, test):
    (X, Y), (X_test, Y_test) = circles
    with np.errstate(all="ignore"):
        parameters = init.model(X, Y, initialization=initialization)
    p = init.predict(X, Y, parameters)
    init.predict(X_test, Y_test, parameters)
    out = capsys.readouterr().out
    if costs:
        np.testing.assert_allclose(printed_costs(out)[-2:], costs, rtol=1e-9)
    assert out.endswith(f"Accuracy: {train}\nAccuracy: {test}\n")
    assert type(p) is np.ndarray and p.dtype == np.int64 and p.shape == (1, 300)


def test_initialization_on_strict_arrays_matches_numpy(capsys):
    X, Y = flower(40)
    host = init.model(X, Y, num_iterations=3, print_cost=False)
    device = init.model(strict(X), strict(Y), num_iterations=3, print_cost=False)
    assert_same(device, host)
    assert_same({"p": init.predict(strict(X), strict(Y), device)}, {"p": init.predict(X, Y, host)})
    first, second = capsys.readouterr().out.splitlines()
    assert first == second and first.startswith("Accuracy: ")


# ---------------------------------------------------------------- Regularization


def regularization_test_case():
    """``(X (3, 5), Y (1, 5), parameters)`` of the course's Regularization test cases (seed 1)."""
    X, *drawn = seeded((3, 5), (2, 3), (2, 1), (3, 2), (3, 1), (1, 3), (1, 1))
    return X, np.array([[1, 1, 0, 1, 0]]), dict(zip(NETWORK, drawn))


Z1 = [[-1.52855314, 3.32524635, 2.13994541, 2.60700654, -0.75942115],
      [-1.98043538, 4.1600994, 0.79051021, 1.46493512, -0.45506242]]

L2_GRADIENTS = {
    "dZ3": [[-0.59317598, -0.98370716, 0.16722898, -0.89881889, 0.40682402]],
    "dW3": [[-1.77691347, -0.11832879, -0.09397446]], "db3": [[-0.38032981]],
    "dA2": [[0.40761434, 0.67597671, -0.11491519, 0.6176438, -0.27955836],
            [0.50135568, 0.83143484, -0.14134288, 0.7596868, -0.34384996],
            [0.39816708, 0.66030962, -0.11225181, 0.6033287, -0.27307905]],
    "dZ2": [[0.40761434, 0.67597671, -0.11491519, 0.6176438, -0.27955836], [0.0] * 5, [0.0] * 5],
    "dW2": [[0.79276486, 0.85133918], [-0.0957219, -0.01720463], [-0.13100772, -0.03750433]],
    "db2": [[0.26135226], [0.0], [0.0]],
    "dA1": [[0.2048239, 0.33967447, -0.05774423, 0.31036252, -0.14047649],
            [0.3672018, 0.60895764, -0.10352203, 0.5564081, -0.25184181]],
    "dZ1": [[0.0, 0.33967447, -0.05774423, 0.31036252, 0.0], [0.0, 0.60895764, -0.10352203, 0.5564081, 0.0]],
    "dW1": [[-0.25604646, 0.12298827, -0.28297129], [-0.17706303, 0.34536094, -0.4410571]],
    "db1": [[0.11845855], [0.21236874]]}
"""The published ``backward_propagation_with_regularization`` of the test case, ``lambd = 0.7``."""


def test_compute_cost_with_regularization():
    Y, *drawn = [np.array([[1, 1, 0, 1, 0]])] + seeded((2, 3), (2, 1), (3, 2), (3, 1), (1, 3), (1, 1))
    A3 = np.array([[0.40682402, 0.01629284, 0.16722898, 0.10118111, 0.40682402]])
    cost = reg.compute_cost_with_regularization(A3, Y, dict(zip(NETWORK, drawn)), 0.1)
    assert type(cost) is np.float64 and cost.shape == ()
    np.testing.assert_allclose(cost, 1.7864859451590758, rtol=1e-12)


def test_forward_and_backward_propagation_with_regularization():
    X, Y, parameters = regularization_test_case()
    A3, cache = reg.forward_propagation(X, parameters)
    assert type(cache) is tuple and len(cache) == 12  # the published test's cache is this forward pass
    np.testing.assert_allclose(cache[0], Z1, atol=1e-8)
    np.testing.assert_allclose(A3, [[0.40682402, 0.01629284, 0.16722898, 0.10118111, 0.40682402]], atol=1e-8)
    assert_dict(reg.backward_propagation_with_regularization(X, Y, cache, 0.7), L2_GRADIENTS, atol=1e-7)
    assert list(reg.backward_propagation(X, Y, cache)) == list(GRADIENTS)


def test_forward_propagation_with_dropout():
    X, _, parameters = regularization_test_case()
    A3, cache = reg.forward_propagation_with_dropout(X, parameters, keep_prob=0.7)
    assert len(cache) == 14
    np.testing.assert_allclose(A3, [[0.36974721, 0.00305176, 0.04565099, 0.49683389, 0.36974721]], atol=1e-8)
    Z1_, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3_, W3, b3 = cache
    assert D1.dtype == np.bool_ and D1.tolist() == [[True, False, True, True, True], [True] * 5]
    assert D2.tolist() == [[True, True, True, False, True], [True] * 5, [False, False, True, True, False]]
    np.testing.assert_allclose(A1, [[0, 0, 3.05706487, 3.72429505, 0], [0, 5.94299915, 1.1293003, 2.09276446, 0]],
                               atol=1e-8)
    np.testing.assert_allclose(A2[0], [0.75765067, 8.40591658, 4.40550021, 0, 0.75765067], atol=1e-8)
    assert not A2[1:].any() and A3_ is A3 and W2 is parameters["W2"]


def test_backward_propagation_with_dropout():
    X, Y, p = regularization_test_case()
    cache = (np.array(Z1), np.array([[1, 0, 1, 1, 1], [1, 1, 1, 1, 0]], dtype=bool),
             np.array([[0, 0, 4.27989081, 5.21401307, 0], [0, 8.32019881, 1.58102041, 2.92987024, 0]]),
             p["W1"], p["b1"],
             np.array([[0.53035547, 8.02565606, 4.10524802, 5.78975856, 0.53035547],
                       [-0.69166075, -1.71413186, -3.81223329, -4.61667916, -0.69166075],
                       [-0.39675353, -2.62563561, -4.82528105, -6.0607449, -0.39675353]]),
             np.array([[1, 0, 1, 0, 1], [0, 1, 0, 1, 1], [0, 0, 1, 0, 0]], dtype=bool),
             np.array([[1.06071093, 0, 8.21049603, 0, 1.06071093], [0.0] * 5, [0.0] * 5]), p["W2"], p["b2"],
             np.array([[-0.7415562, -0.0126646, -5.65469333, -0.0126646, -0.7415562]]),
             np.array([[0.32266394, 0.49683389, 0.00348883, 0.49683389, 0.32266394]]), p["W3"], p["b3"])
    expected = {
        "dZ3": [[-0.67733606, -0.50316611, 0.00348883, -0.50316611, 0.32266394]],
        "dW3": [[-0.06951191, 0.0, 0.0]], "db3": [[-0.2715031]],
        "dA2": [[0.58180856, 0.0, -0.00299679, 0.0, -0.27715731], [0.0, 0.53159854, 0.0, 0.53159854, -0.34089673],
                [0.0, 0.0, -0.00292733, 0.0, 0.0]],
        "dZ2": [[0.58180856, 0.0, -0.00299679, 0.0, -0.27715731], [0.0] * 5, [0.0] * 5],
        "dW2": [[-0.00256518, -0.0009476], [0.0, 0.0], [0.0, 0.0]], "db2": [[0.06033089], [0.0], [0.0]],
        "dA1": [[0.36544439, 0.0, -0.00188233, 0.0, -0.17408748], [0.65515713, 0.0, -0.00337459, 0.0, 0.0]],
        "dZ1": [[0.0, 0.0, -0.00188233, 0.0, 0.0], [0.0, 0.0, -0.00337459, 0.0, 0.0]],
        "dW1": [[0.00019884, 0.00028657, 0.00012138], [0.00035647, 0.00051375, 0.00021761]],
        "db1": [[-0.00037647], [-0.00067492]],
    }
    assert_dict(reg.backward_propagation_with_dropout(X, Y, cache, 0.8), expected, atol=1e-7)


def test_regularization_utils_types():
    X, Y, parameters = regularization_test_case()
    a3, _ = reg.forward_propagation(X, parameters)
    assert type(reg.compute_cost(a3, Y)) is np.float64
    assert reg.predict_dec(parameters, X).dtype == np.bool_
    np.random.seed(3)
    W1 = np.random.randn(3, 2) / np.sqrt(2)  # reg_utils: seed 3, randn / sqrt(n[l-1])
    np.testing.assert_array_equal(reg.initialize_parameters([2, 3, 1])["W1"], W1)
    with pytest.raises(ValueError, match="one at a time"):
        reg.model(X, Y, lambd=0.7, keep_prob=0.8)


def test_regularization_on_strict_arrays_matches_numpy(capsys):
    X, Y = flower(40)
    for settings in ({"lambd": 0.7}, {"keep_prob": 0.86}, {}):
        host = reg.model(X, Y, num_iterations=3, **settings)
        device = reg.model(strict(X), strict(Y), num_iterations=3, **settings)
        assert_same(device, host)
        costs = printed_costs(capsys.readouterr().out)
        assert len(costs) == 2 and costs[0] == pytest.approx(costs[1], rel=1e-12)


# ---------------------------------------------------------------- Gradient Checking


def gradient_check_test_case():
    """``(x (4, 3), y (3,), parameters)`` of the course's ``gradient_check_n_test_case`` (seed 1)."""
    x, *drawn = seeded((4, 3), (5, 4), (5, 1), (3, 5), (3, 1), (1, 3), (1, 1))
    return x, np.array([1, 1, 0]), dict(zip(NETWORK, drawn))


def test_one_dimensional_gradient_check(capsys):
    assert gc.forward_propagation(2, 4) == 8 and gc.backward_propagation(3, 4) == 3
    difference = gc.gradient_check(3, 4, print_msg=True)
    assert type(difference) is np.float64
    np.testing.assert_allclose(difference, 7.814075313343006e-11, rtol=1e-9)
    np.testing.assert_allclose(gc.gradient_check(2, 4), 2.919335883291695e-10, rtol=1e-9)  # an older version's
    assert "Your backward propagation works perfectly fine! difference = 7.81" in capsys.readouterr().out


def test_vectors_and_dictionaries():
    _, _, parameters = gradient_check_test_case()
    theta, keys = gc.dictionary_to_vector(parameters)
    assert theta.shape == (47, 1) and type(keys) is list
    assert [keys.count(key) for key in NETWORK] == [20, 5, 15, 3, 3, 1] and keys[20] == "b1"
    assert theta[21, 0] == parameters["b1"][1, 0] and theta[26, 0] == parameters["W2"][0, 1]
    assert_dict(gc.vector_to_dictionary(theta), parameters, atol=0)
    grads = {"d" + key: value for key, value in parameters.items()} | {"dZ1": np.ones((5, 3))}
    np.testing.assert_array_equal(gc.gradients_to_vector(grads), theta)


def test_gradient_check_n(capsys):
    X, Y, parameters = gradient_check_test_case()
    cost, cache = gc.forward_propagation_n(X, Y, parameters)
    assert type(cost) is np.float64 and len(cache) == 12
    np.testing.assert_allclose(cost, 2.407833389834357, rtol=1e-12)
    gradients = gc.backward_propagation_n(X, Y, cache)
    assert list(gradients) == list(GRADIENTS)
    difference = gc.gradient_check_n(parameters, gradients, X, Y, 1e-7, True)
    assert not type(difference) is np.ndarray
    assert np.isclose(difference, 1.1890913024229996e-07)  # the fixed backward pass, the course's check
    assert "works perfectly fine" in capsys.readouterr().out
    planted = gradients | {"dW2": gradients["dW2"] * 2, "db1": gradients["db1"] * 4}  # the notebook's bugs
    np.testing.assert_allclose(gc.gradient_check_n(parameters, planted, X, Y, print_msg=True), 0.2850931567761623,
                               rtol=1e-9)
    assert "There is a mistake in the backward propagation! difference = 0.28509" in capsys.readouterr().out


def test_gradient_checking_on_strict_arrays_matches_numpy():
    X, Y, parameters = gradient_check_test_case()
    on_device = {key: strict(value) for key, value in parameters.items()}
    _, cache = gc.forward_propagation_n(strict(X), strict(Y), on_device)
    gradients = gc.backward_propagation_n(strict(X), strict(Y), cache)
    difference = gc.gradient_check_n(on_device, gradients, strict(X), strict(Y))
    assert difference.device == DEVICE1
    _, host_cache = gc.forward_propagation_n(X, Y, parameters)
    host = gc.gradient_check_n(parameters, gc.backward_propagation_n(X, Y, host_cache), X, Y)
    np.testing.assert_allclose(float(difference), host, rtol=1e-6)


# ---------------------------------------------------------------- Optimization Methods


def update_test_case():
    """``(parameters, grads)`` of the course's (V3) update test cases: seed 1, ``W2 (3, 2)``."""
    drawn = seeded((2, 3), (2, 1), (3, 2), (3, 1), (2, 3), (2, 1), (3, 2), (3, 1))
    return dict(zip(("W1", "b1", "W2", "b2"), drawn[:4])), dict(zip(("dW1", "db1", "dW2", "db2"), drawn[4:]))


def zeros_like_grads(parameters):
    return {"d" + key: np.zeros(value.shape) for key, value in parameters.items()}


def test_update_parameters_with_gd():
    parameters, grads = update_test_case()
    expected = {"W1": [[1.63312395, -0.61217855, -0.5339999], [-1.06196243, 0.85396039, -2.3105546]],
                "b1": [[1.73978682], [-0.77021546]], "b2": [[1.13773698], [-1.09301954], [-0.16397615]],
                "W2": [[0.32587637, -0.24814147], [1.47146563, -2.05746183], [-0.32772076, -0.37713775]]}
    assert_dict(opt.update_parameters_with_gd(parameters, grads, 0.01), expected, atol=1e-8)


def test_random_mini_batches():
    X, Y = seeded((5, 7), (1, 7))
    batches = opt.random_mini_batches(X, Y < 0.5, 2)
    expected = [([[1.74481176, -0.52817175], [-0.38405435, -0.24937038], [-1.10061918, -0.17242821],
                  [-0.93576943, 0.50249434], [-0.67124613, -0.69166075]], [[True, True]]),
                ([[-0.61175641, -1.07296862], [0.3190391, 1.46210794], [-1.09989127, -0.87785842],
                  [0.90159072, 0.90085595], [0.53035547, -0.39675353]], [[True, False]]),
                ([[1.62434536, -2.3015387], [-0.7612069, -0.3224172], [1.13376944, 0.58281521],
                  [1.14472371, -0.12289023], [-0.26788808, -0.84520564]], [[True, True]]),
                ([[0.86540763], [-2.06014071], [0.04221375], [-0.68372786], [-0.6871727]], [[False]])]
    assert type(batches) is list and len(batches) == 4
    for (batch_X, batch_Y), (X_expected, Y_expected) in zip(batches, expected):
        np.testing.assert_allclose(batch_X, X_expected, rtol=0, atol=1e-8)
        assert batch_Y.dtype == np.bool_ and batch_Y.tolist() == Y_expected
    assert all(type(batch) is tuple for batch in batches)


def test_random_mini_batches_notebook_checks():
    np.random.seed(1)
    nx, m = 12288, 148
    X = np.arange(nx * m).reshape((m, nx)).T
    batches = opt.random_mini_batches(X, np.random.randn(1, m) < 0.5, 64)
    assert [b[0].shape for b in batches] == [(nx, 64), (nx, 64), (nx, 20)]
    assert [b[1].shape for b in batches] == [(1, 64), (1, 64), (1, 20)]
    assert np.sum(batches[0][0] - batches[0][0][0], dtype=np.int64) == nx * (nx - 1) // 2 * 64  # rows kept
    assert batches[0][0][0][0:3].tolist() == [294912, 86016, 454656]
    assert batches[-1][0][-1][0:3].tolist() == [1425407, 1769471, 897023]
    X, Y = seeded((12288, 148), (1, 148))
    np.testing.assert_allclose(opt.random_mini_batches(X, Y < 0.5, 64)[0][0][0][0:3],
                               [0.90085595, -0.7612069, 0.2344157], atol=1e-8)


def test_initialize_velocity_and_adam():
    W1, b1, W2, b2 = seeded((3, 2), (3, 1), (3, 3), (3, 1))
    v = opt.initialize_velocity({"W1": W1, "b1": b1, "W2": W2, "b2": b2})
    assert list(v) == ["dW1", "db1", "dW2", "db2"]
    assert_dict(v, {"dW1": np.zeros((3, 2)), "db1": np.zeros((3, 1)), "dW2": np.zeros((3, 3)),
                    "db2": np.zeros((3, 1))}, atol=0)
    parameters, _ = update_test_case()
    moments = opt.initialize_adam(parameters)
    assert type(moments) is tuple and len(moments) == 2
    for moment in moments:
        assert_dict(moment, zeros_like_grads(parameters), atol=0)


def test_update_parameters_with_momentum():
    parameters, grads = update_test_case()
    updated = opt.update_parameters_with_momentum(parameters, grads, zeros_like_grads(parameters), 0.9, 0.01)
    assert type(updated) is tuple and len(updated) == 2
    assert_dict(updated[0], {"W1": [[1.62522322, -0.61179863, -0.52875457], [-1.071868, 0.86426291, -2.30244029]],
                             "b1": [[1.74430927], [-0.76210776]], "b2": [[1.1341662], [-1.09920409], [-0.171583]],
                             "W2": [[0.31972282, -0.24924749], [1.46304371, -2.05987282], [-0.32294756, -0.38336269]]},
                atol=1e-8)
    assert_dict(updated[1], {"dW1": [[-0.08778584, 0.00422137, 0.05828152], [-0.11006192, 0.11447237, 0.09015907]],
                             "dW2": [[-0.06837279, -0.01228902], [-0.09357694, -0.02678881], [0.05303555, -0.06916608]],
                             "db1": [[0.05024943], [0.09008559]], "db2": [[-0.03967535], [-0.06871727], [-0.08452056]]},
                atol=1e-8)


def test_update_parameters_with_adam():
    parameters, grads = update_test_case()
    v, s = zeros_like_grads(parameters), zeros_like_grads(parameters)
    t, beta1, beta2 = 2, 0.8, 0.888
    updated = opt.update_parameters_with_adam(parameters, grads, v, s, t, 0.02, beta1, beta2, 1e-2)
    assert type(updated) is tuple and len(updated) == 5
    v_row0 = {"dW1": [-0.17557168, 0.00844275, 0.11656304], "dW2": [-0.13674557, -0.02457805], "db1": [0.10049887],
              "db2": [-0.07935071]}  # the test compares row 0 of each array
    s_row0 = {"dW1": [0.08631117, 0.00019958, 0.03804344], "dW2": [0.05235818, 0.00169142], "db1": [0.02828006],
              "db2": [0.0176303]}
    parameters_row0 = {"W1": [1.63937725, -0.62327448, -0.54308727], "W2": [0.33400549, -0.23563857],
                       "b1": [1.72995096], "b2": [1.14852557]}
    c1, c2 = 1 / (1 - beta1**t), 1 / (1 - beta2**t)
    for result, row0, scale, like in zip(updated, (parameters_row0, v_row0, s_row0, v_row0, s_row0),
                                         (1, 1, 1, c1, c2), (parameters, v, v, v, v)):
        assert set(result) == set(row0)
        for key, value in result.items():
            assert type(value) is np.ndarray and value.shape == like[key].shape
            np.testing.assert_allclose(value[0], np.array(row0[key]) * scale, rtol=1e-5, atol=1e-8,
                                       err_msg=key)  # np.allclose's, as the course's test
    np.testing.assert_allclose(updated[0]["b2"], [[1.14852557], [-1.08492339], [-0.15740527]], atol=1e-8)


def test_learning_rate_decays():
    assert opt.update_lr(0.5, 2, 1) == pytest.approx(0.16666666666666666, rel=1e-15)
    cases = [((0.5, 100, 1, 100), 0.25), ((0.5, 10, 1, 100), 0.5), ((0.3, 1000, 0.25, 100), 0.085714285),
             ((0.3, 100, 0.25, 100), 0.24), ((0.5, 100, 0.3, 100), 0.3846153846153846), ((0.5, 10, 0.3, 100), 0.5)]
    for arguments, expected in cases:
        assert np.isclose(opt.schedule_lr_decay(*arguments), expected), arguments
    assert isinstance(opt.update_lr(0.5, 2, 1), float) and isinstance(opt.schedule_lr_decay(0.5, 10, 1), float)


def test_opt_compute_cost_is_a_sum():
    a3, Y = np.array([[0.2, 0.9, 0.6]]), np.array([[0, 1, 1]])
    cost = opt.compute_cost(a3, Y)
    assert type(cost) is np.float64
    np.testing.assert_allclose(cost, -(np.log(0.8) + np.log(0.9) + np.log(0.6)), rtol=1e-15)
    np.testing.assert_allclose(cost, 3 * reg.compute_cost(a3, Y), rtol=1e-15)


@pytest.fixture(scope="module")
def moons():
    """The Optimization notebook's data: ``make_moons(300, noise=.2)`` after ``np.random.seed(3)``."""
    datasets = pytest.importorskip("sklearn.datasets")
    np.random.seed(3)
    X, Y = datasets.make_moons(n_samples=300, noise=.2)
    return X.T, Y.reshape((1, 300))


OPTIMIZATION_RUNS = [  # the notebook's runs: costs printed at epochs 0, 1000, ..., 4000, and the accuracy
    ({"optimizer": "gd"}, "0.702405 0.668101 0.635288 0.600491 0.573367", "0.7166666666666667"),
    ({"optimizer": "momentum", "beta": 0.9}, "0.702413 0.668167 0.635388 0.600591 0.573444", "0.7166666666666667"),
    ({"optimizer": "adam"}, "0.702166 0.167845 0.141316 0.138788 0.136066", "0.9433333333333334"),
    ({"optimizer": "gd", "learning_rate": 0.1, "decay": opt.update_lr},
     "0.701091 0.661884 0.658620 0.656765 0.655486", "0.6533333333333333"),
    ({"optimizer": "gd", "learning_rate": 0.1, "decay": opt.schedule_lr_decay},
     "0.701091 0.127161 0.120304 0.117033 0.117512", "0.9433333333333334"),
    ({"optimizer": "momentum", "learning_rate": 0.1, "decay": opt.schedule_lr_decay},
     "0.702226 0.128974 0.125965 0.123375 0.123218", "0.9533333333333334"),
    ({"optimizer": "adam", "learning_rate": 0.01, "decay": opt.schedule_lr_decay},
     "0.699346 0.130074 0.129826 0.129282 0.128361", "0.94"),
]


RUN_NAMES = ["gd", "momentum", "adam", "gd-update_lr", "gd-schedule", "momentum-schedule", "adam-schedule"]


def printed_lines(text, what):
    return re.findall(rf"{what} after epoch \d+: (\S+)", text)


@pytest.mark.parametrize("settings, costs, accuracy", OPTIMIZATION_RUNS, ids=RUN_NAMES)
def test_optimization_model_first_epoch(moons, capsys, settings, costs, accuracy):
    X, Y = moons
    opt.model(X, Y, [2, 5, 2, 1], num_epochs=1, **settings)
    out = capsys.readouterr().out
    assert printed_lines(out, "Cost") == costs.split()[:1]
    assert printed_lines(out, "learning rate") == (["%f" % settings["learning_rate"]] if "decay" in settings else [])


@pytest.mark.slow
@pytest.mark.parametrize("settings, costs, accuracy", OPTIMIZATION_RUNS, ids=RUN_NAMES)
def test_optimization_model_published_run(moons, capsys, settings, costs, accuracy):
    X, Y = moons
    opt.predict(X, Y, opt.model(X, Y, [2, 5, 2, 1], **settings))
    out = capsys.readouterr().out
    assert printed_lines(out, "Cost") == costs.split()
    assert out.endswith(f"Accuracy: {accuracy}\n")


def test_optimization_on_strict_arrays_matches_numpy():
    X, Y = flower(100)
    for (batch_X, batch_Y), (host_X, host_Y) in zip(opt.random_mini_batches(strict(X), strict(Y), 32, seed=3),
                                                    opt.random_mini_batches(X, Y, 32, seed=3)):
        assert_same({"X": batch_X, "Y": batch_Y}, {"X": host_X, "Y": host_Y})
    for optimizer in ("gd", "momentum", "adam"):
        settings = {"num_epochs": 2, "print_cost": False, "decay": opt.schedule_lr_decay}
        host = opt.model(X, Y, [2, 5, 2, 1], optimizer, **settings)
        assert_same(opt.model(strict(X), strict(Y), [2, 5, 2, 1], optimizer, **settings), host)
    with pytest.raises(ValueError, match="optimizer"):
        opt.model(X, Y, [2, 5, 2, 1], "rmsprop")
