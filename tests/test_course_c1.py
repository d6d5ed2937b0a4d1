"""nnxp.course's first course against the notebooks' published expected outputs: every function's
values, types and shapes as the course's public tests check them (inputs drawn as those tests draw
them, after their np.random.seed calls), the cat networks' published cost lists, and the same numbers
from arrays of another library."""

import numpy as np
import pytest

from nnxp.course import c1w2, c1w3, c1w4


def assert_course(actual, expected):
    """The course's own checks: exact dict keys, exact list and tuple lengths, np.ndarray where it
    expects an array (a NumPy scalar fails), the values to 6 decimals."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and set(actual) == set(expected), (sorted(actual), sorted(expected))
        for key in expected:
            assert_course(actual[key], expected[key])
    elif isinstance(expected, (list, tuple)):
        assert isinstance(actual, (list, tuple)) and len(actual) == len(expected)
        for ours, theirs in zip(actual, expected):
            assert_course(ours, theirs)
    else:
        assert type(actual) is np.ndarray and actual.shape == np.shape(expected), (type(actual), np.shape(expected))
        np.testing.assert_array_almost_equal(actual, expected, decimal=6)


# ---------------------------------------------------------------- c1w2: logistic regression


def test_c1w2_sigmoid_and_zeros():
    assert type(c1w2.sigmoid(np.array([0, 2]))) is np.ndarray
    np.testing.assert_allclose(c1w2.sigmoid(np.array([0, 2])), [0.5, 0.88079708], rtol=1e-8)
    np.testing.assert_allclose(c1w2.sigmoid(1), 0.7310585, atol=5e-8)  # published to 7 decimals
    for dim in (2, 3, 4):
        w, b = c1w2.initialize_with_zeros(dim)
        assert type(b) is float and b == 0.0
        assert_course(w, np.zeros((dim, 1)))


def test_c1w2_propagate():
    w, b = np.array([[1.0], [2.0], [-1]]), 2.5
    X = np.array([[1.0, 2.0, -1.0, 0], [3.0, 4.0, -3.2, 1], [3.0, 4.0, -3.2, -3.5]])
    grads, cost = c1w2.propagate(w, b, X, np.array([[1, 1, 0, 0]]))
    assert_course(grads["dw"], np.array([[-0.03909333], [0.12501464], [-0.99960809]]))
    assert type(grads["db"]) is np.float64 and type(cost) is np.ndarray and cost.shape == ()
    np.testing.assert_allclose([grads["db"], cost], [0.288106326429569, 2.0424567983978403], rtol=1e-12)
    grads, cost = c1w2.propagate(np.array([[1.0], [2]]), 1.5, np.array([[1.0, -2.0, -1.0], [3.0, 0.5, -3.2]]),
                                 np.array([[1, 1, 0]]))
    np.testing.assert_allclose(grads["dw"], [[0.25071532], [-0.06604096]], rtol=1e-7)
    np.testing.assert_allclose([grads["db"], cost], [-0.1250040450043965, 0.15900537707692405], rtol=1e-12)


def test_c1w2_optimize_and_predict():
    w, b, X, Y = np.array([[1.0], [2.0]]), 2.0, np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]]), np.array([[1, 0, 1]])
    params, grads, costs = c1w2.optimize(w, b, X, Y, num_iterations=101, learning_rate=0.1, print_cost=False)
    assert type(costs) is list and len(costs) == 2
    np.testing.assert_allclose(costs, [5.80154532, 0.31057104], atol=5e-9)  # published to 8 decimals
    assert_course(params["w"], np.array([[-0.70916784], [-0.42390859]]))
    assert_course(grads["dw"], np.array([[0.06188603], [-0.01407361]]))
    np.testing.assert_allclose([params["b"], grads["db"]], [2.26891346, -0.04709353], atol=5e-9)
    assert w.tolist() == [[1.0], [2.0]]  # not changed
    prediction = c1w2.predict(np.array([[0.3], [0.5], [-0.2]]), -0.33333,
                              np.array([[1.0, -0.3, 1.5], [2, 0, 1], [0, -1.5, 2]]))
    assert_course(prediction, np.array([[1.0, 0.0, 1.0]]))


def test_c1w2_model(capsys):
    np.random.seed(0)
    X, x_test = np.random.randn(4, 7), np.random.randn(4, 3)
    d = c1w2.model(X, np.array([[1, 0, 0, 1, 0, 0, 1]]), x_test, np.array([[0, 1, 0]]), num_iterations=50,
                   learning_rate=0.01)
    assert type(d["costs"]) is list and len(d["costs"]) == 1
    np.testing.assert_allclose(d["costs"], [0.69314718], rtol=1e-8)
    assert_course(d["w"], np.array([[0.08639757], [-0.08231268], [-0.11798927], [0.12866053]]))
    np.testing.assert_allclose(d["b"], -0.03983236094816321, rtol=1e-10)
    assert_course(d["Y_prediction_test"], np.array([[1.0, 1.0, 0.0]]))
    assert_course(d["Y_prediction_train"], np.array([[1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0]]))
    assert (d["learning_rate"], d["num_iterations"]) == (0.01, 50) and capsys.readouterr().out == ""


@pytest.mark.slow
def test_c1w2_the_cat_model_prints_the_published_run(cat_dir, capsys):
    train_x, train_y, test_x, test_y, classes = c1w2.load_dataset(cat_dir)
    assert (train_x.shape, test_x.shape, classes.tolist()) == ((209, 64, 64, 3), (50, 64, 64, 3), [b"non-cat", b"cat"])
    flatten = [x.reshape(x.shape[0], -1).T / 255.0 for x in (train_x, test_x)]
    c1w2.model(flatten[0], train_y, flatten[1], test_y, num_iterations=2000, learning_rate=0.005, print_cost=True)
    published = [0.693147, 0.584508, 0.466949, 0.376007, 0.331463, 0.303273, 0.279880, 0.260042, 0.242941, 0.228004,
                 0.214820, 0.203078, 0.192544, 0.183033, 0.174399, 0.166521, 0.159305, 0.152667, 0.146542, 0.140872]
    expected = [f"Cost after iteration {100 * i}: {cost:f}" for i, cost in enumerate(published)]
    assert capsys.readouterr().out.splitlines() == expected + ["train accuracy: 99.04306220095694 %",
                                                               "test accuracy: 70.0 %"]


# ---------------------------------------------------------------- c1w3: one hidden layer

C1W3_PARAMETERS = {
    "W1": np.array([[-0.00615039, 0.0169021], [-0.02311792, 0.03137121], [-0.0169217, -0.01752545],
                    [0.00935436, -0.05018221]]),
    "b1": np.array([[-8.97523455e-07], [8.15562092e-06], [6.04810633e-07], [-2.54560700e-06]]),
    "W2": np.array([[-0.0104319, -0.04019007, 0.01607211, 0.04440255]]), "b2": np.array([[9.14954378e-05]])}


def test_c1w3_sizes_initialization_and_forward():
    np.random.seed(1)
    X, Y = np.random.randn(5, 3), np.random.randn(2, 3)
    assert c1w3.layer_sizes(X, Y) == (5, 4, 2)
    X, Y = np.random.randn(7, 5), np.random.randn(5, 5)
    assert c1w3.layer_sizes(X, Y) == (7, 4, 5)
    np.random.seed(2)
    parameters = c1w3.initialize_parameters(3, 5, 2)
    assert_course(parameters["W1"][0], np.array([-0.00416758, -0.00056267, -0.02136196]))
    assert_course(parameters["W2"][1], np.array([-8.78107893e-03, -1.56434170e-03, 2.56570452e-03, -9.88779049e-03,
                                                 -3.38821966e-03]))
    assert_course({k: parameters[k] for k in ("b1", "b2")}, {"b1": np.zeros((5, 1)), "b2": np.zeros((2, 1))})
    np.random.seed(1)
    X, b1 = np.random.randn(2, 3), np.random.randn(4, 1)
    np.random.seed(2)
    start = {**c1w3.initialize_parameters(2, 4, 1), "b1": b1, "b2": np.array([[-1.3]])}
    A2, cache = c1w3.forward_propagation(X, start)
    assert_course(A2, np.array([[0.21292656, 0.21274673, 0.21295976]]))
    assert_course(cache["Z2"], np.array([[-1.30737426, -1.30844761, -1.30717618]]))
    assert_course(cache["A1"][0], np.array([0.9400694, 0.94101876, 0.94118266]))
    assert sorted(cache) == ["A1", "A2", "Z1", "Z2"]


def test_c1w3_cost_is_a_python_float_with_m_from_Y():
    np.random.seed(1)
    Y = np.random.randn(1, 5) > 0
    cost = c1w3.compute_cost(np.array([[0.5002307, 0.49985831, 0.50023963, 0.25, 0.7]]), Y)
    assert type(cost) is float and cost == pytest.approx(0.5447066599017815, rel=1e-12)
    cost = c1w3.compute_cost(np.array([0.7, 0.3, 0.8, 0.9, 0.9]), np.array([[1, 0, 1, 1, 1]]))
    assert type(cost) is float and cost == pytest.approx(0.22944289410146546, rel=1e-12)


def test_c1w3_backward_reads_the_cached_activations():
    np.random.seed(1)
    X, Y = np.random.randn(3, 7), np.random.randn(1, 7) > 0
    parameters = {"W1": np.random.randn(9, 3), "b1": np.zeros((9, 1)), "W2": np.random.randn(1, 9), "b2": np.zeros((1, 1))}
    cache = {"A1": np.random.randn(9, 7), "A2": np.random.randn(1, 7), "Z1": np.random.randn(9, 7),
             "Z2": np.random.randn(1, 7)}  # random: A1 is not tanh(Z1)
    grads = c1w3.backward_propagation(parameters, cache, X, Y)
    assert sorted(grads) == ["dW1", "dW2", "db1", "db2"]
    assert_course(grads["dW2"], np.array([[-0.35768529, 0.22046323, -0.29551566, -0.12202786, 0.18809552, 0.13700323,
                                           0.35892872, -0.02220353, -0.03976687]]))
    assert_course(grads["db2"], np.array([[-0.78032466]]))
    assert_course(grads["dW1"][1], np.array([0.7370069, -0.64785999, 0.23669823]))
    assert_course(grads["db1"][:3], np.array([[0.1463639], [-0.33647992], [-0.51738006]]))


def test_c1w3_update_does_not_change_its_input():
    grads = {"dW1": np.array([[0.00023322, -0.00205423], [0.00082222, -0.00700776], [-0.00031831, 0.0028636],
                              [-0.00092857, 0.00809933]]),
             "dW2": np.array([[-1.75740039e-05, 3.70231337e-03, -1.25683095e-03, -2.55715317e-03]]),
             "db1": np.array([[1.05570087e-07], [-3.81814487e-06], [-1.90155145e-07], [5.46467802e-07]]),
             "db2": np.array([[-1.08923140e-05]])}
    before = {key: value.copy() for key, value in C1W3_PARAMETERS.items()}
    updated = c1w3.update_parameters(C1W3_PARAMETERS, grads)
    assert_course(updated, {
        "W1": np.array([[-0.00643025, 0.01936718], [-0.02410458, 0.03978052], [-0.01653973, -0.02096177],
                        [0.01046864, -0.05990141]]),
        "b1": np.array([[-1.02420756e-06], [1.27373948e-05], [8.32996807e-07], [-3.20136836e-06]]),
        "W2": np.array([[-0.01041081, -0.04463285, 0.01758031, 0.04747113]]), "b2": np.array([[0.00010457]])})
    assert_course(C1W3_PARAMETERS, before)
    np.random.seed(1)
    assert c1w3.predict(C1W3_PARAMETERS, np.random.randn(2, 3)).tolist() == [[True, False, True]]


def test_c1w3_nn_model_seeds_3_itself(capsys):
    np.random.seed(1)
    X, Y = np.random.randn(2, 3), np.random.randn(1, 3) > 0
    parameters = c1w3.nn_model(X, Y, 4, num_iterations=10000, print_cost=True)
    printed = [0.693198, 0.000219, 0.000108, 0.000071, 0.000053, 0.000043, 0.000035, 0.000030, 0.000027, 0.000024]
    assert capsys.readouterr().out.splitlines() == [f"Cost after iteration {1000 * i}: {c:f}" for i, c in
                                                    enumerate(printed)]
    assert_course(parameters, {
        "W1": np.array([[0.56305445, -1.03925886], [0.7345426, -1.36286875], [-0.72533346, 1.33753027],
                        [0.74757629, -1.38274074]]),
        "b1": np.array([[-0.22240654], [-0.34662093], [0.33663708], [-0.35296113]]),
        "W2": np.array([[1.82196893, 3.09657075, -2.98193564, 3.19946508]]), "b2": np.array([[0.21344644]])})


def test_c1w3_the_planar_data_and_the_first_costs_of_its_run(capsys):
    X, Y = c1w3.load_planar_dataset()
    assert (X.shape, Y.shape, Y.dtype) == ((2, 400), (1, 400), np.uint8)
    c1w3.nn_model(X, Y, n_h=4, num_iterations=6001, print_cost=True)
    published = [0.693162, 0.258625, 0.239334, 0.230802, 0.225528, 0.221845, 0.219094]  # later ones vary by CPU
    assert capsys.readouterr().out.splitlines() == [f"Cost after iteration {1000 * i}: {c:f}" for i, c in
                                                    enumerate(published)]


# ---------------------------------------------------------------- c1w4: the deep network step by step


def test_c1w4_helpers_are_dnn_utils():
    Z = np.array([[-1.0, 0.0, 2.0]])
    A, cache = c1w4.sigmoid(Z)
    assert cache is Z
    np.testing.assert_allclose(A, 1 / (1 + np.exp(-Z)), rtol=1e-15)
    assert c1w4.relu(Z)[0].tolist() == [[0.0, 0.0, 2.0]]
    assert c1w4.relu_backward(np.ones((1, 3)), Z).tolist() == [[0.0, 0.0, 1.0]]  # zero at Z = 0, as the course
    np.testing.assert_allclose(c1w4.sigmoid_backward(np.ones((1, 3)), Z), A * (1 - A), rtol=1e-15)


def test_c1w4_initializations():
    assert_course(c1w4.initialize_parameters(3, 2, 1), {
        "W1": np.array([[0.01624345, -0.00611756, -0.00528172], [-0.01072969, 0.00865408, -0.02301539]]),
        "b1": np.zeros((2, 1)), "W2": np.array([[0.01744812, -0.00761207]]), "b2": np.zeros((1, 1))})
    parameters = c1w4.initialize_parameters_deep([5, 4, 3])
    assert sorted(parameters) == ["W1", "W2", "b1", "b2"]
    assert_course(parameters["W1"][0], np.array([0.01788628, 0.0043651, 0.00096497, -0.01863493, -0.00277388]))
    assert_course(parameters["W2"][2], np.array([-0.00768836, -0.00230031, 0.00745056, 0.01976111]))
    assert_course(c1w4.initialize_parameters_deep([4, 3, 2])["W2"],
                  np.array([[0.00881318, 0.01709573, 0.00050034], [-0.00404677, -0.0054536, -0.01546477]]))


def test_c1w4_forward_functions_and_their_caches():
    np.random.seed(1)
    A_prev, W, b = np.random.randn(3, 2), np.random.randn(1, 3), np.random.randn(1, 1)
    assert_course(c1w4.linear_forward(A_prev, W, b), (np.array([[3.26295337, -1.23429987]]), (A_prev, W, b)))
    np.random.seed(2)
    A_prev, W, b = np.random.randn(3, 2), np.random.randn(1, 3), np.random.randn(1, 1)
    Z = np.array([[3.43896131, -2.08938436]])
    assert_course(c1w4.linear_activation_forward(A_prev, W, b, "sigmoid"),
                  (np.array([[0.96890023, 0.11013289]]), ((A_prev, W, b), Z)))
    assert_course(c1w4.linear_activation_forward(A_prev, W, b, "relu"), (np.array([[3.43896131, 0.0]]), ((A_prev, W, b), Z)))
    np.random.seed(6)
    X = np.random.randn(5, 4)
    parameters = {key: np.random.randn(*shape) for key, shape in
                  (("W1", (4, 5)), ("b1", (4, 1)), ("W2", (3, 4)), ("b2", (3, 1)), ("W3", (1, 3)), ("b3", (1, 1)))}
    AL, caches = c1w4.L_model_forward(X, parameters)
    assert_course(AL, np.array([[0.03921668, 0.70498921, 0.19734387, 0.04728177]]))
    assert type(caches) is list and len(caches) == 3
    Z2 = np.array([[2.2644603, 1.09971298, -2.90298027, 1.54036335], [6.33722569, -2.38116246, -4.11228806, 4.48582383],
                   [10.37508342, -0.66591468, 1.63635185, 8.17870169]])
    Z3 = np.array([[-3.19864676, 0.87117055, -1.40297864, -3.00319435]])
    assert_course(caches[2], ((np.maximum(Z2, 0), parameters["W3"], parameters["b3"]), Z3))
    assert_course(caches[0], ((X, parameters["W1"], parameters["b1"]), caches[0][1]))
    assert_course(caches[0][1][0], np.array([-5.23825714, 3.18040136, 0.4074501, -1.88612721]))


def test_c1w4_cost_is_a_0d_array():
    cost = c1w4.compute_cost(np.array([[0.8, 0.9, 0.4]]), np.asarray([[1, 1, 0]]))
    assert type(cost) is np.ndarray and cost.shape == ()
    np.testing.assert_allclose(cost, 0.2797765635793422, rtol=1e-12)


def test_c1w4_backward_functions():
    np.random.seed(1)
    dZ, A, W, b = np.random.randn(3, 4), np.random.randn(5, 4), np.random.randn(3, 5), np.random.randn(3, 1)
    dA_prev, dW, db = c1w4.linear_backward(dZ, (A, W, b))
    assert_course(dA_prev[1], np.array([0.60345879, -3.72508701, 5.81700741, -3.84326836]))
    assert_course(dW[2], np.array([0.97913304, -0.24376494, -0.08839671, 0.55151192, -0.10290907]))
    assert_course(db, np.array([[-0.14713786], [-0.11313155], [-0.13209101]]))
    np.random.seed(2)
    dA, A, W, b, Z = (np.random.randn(*shape) for shape in ((1, 2), (3, 2), (1, 3), (1, 1), (1, 2)))
    assert_course(c1w4.linear_activation_backward(dA, ((A, W, b), Z), "sigmoid"), (
        np.array([[0.11017994, 0.01105339], [0.09466817, 0.00949723], [-0.05743092, -0.00576154]]),
        np.array([[0.10266786, 0.09778551, -0.01968084]]), np.array([[-0.05729622]])))
    assert_course(c1w4.linear_activation_backward(dA, ((A, W, b), Z), "relu"), (
        np.array([[0.44090989, 0.0], [0.37883606, 0.0], [-0.2298228, 0.0]]),
        np.array([[0.44513824, 0.37371418, -0.10478989]]), np.array([[-0.20837892]])))


def test_c1w4_L_model_backward_starts_from_dAL_for_any_AL():
    """The test's AL is random, not sigmoid(Z2): only the course's dAL route gives its gradients."""
    np.random.seed(3)
    AL, Y = np.random.randn(1, 2), np.array([[1, 0]])
    caches = tuple(((np.random.randn(*a), np.random.randn(*w), np.random.randn(*b)), np.random.randn(*z))
                   for a, w, b, z in (((4, 2), (3, 4), (3, 1), (3, 2)), ((3, 2), (1, 3), (1, 1), (1, 2))))
    assert_course(c1w4.L_model_backward(AL, Y, caches), {
        "dA1": np.array([[0.12913162, -0.44014127], [-0.14175655, 0.48317296], [0.01663708, -0.05670698]]),
        "dW2": np.array([[-0.39202432, -0.13325855, -0.04601089]]), "db2": np.array([[0.15187861]]),
        "dA0": np.array([[0.0, 0.52257901], [0.0, -0.3269206], [0.0, -0.32070404], [0.0, -0.74079187]]),
        "dW1": np.array([[0.41010002, 0.07807203, 0.13798444, 0.10502167], [0.0, 0.0, 0.0, 0.0],
                         [0.05283652, 0.01005865, 0.01777766, 0.0135308]]),
        "db1": np.array([[-0.22007063], [0.0], [-0.02835349]])})


def test_c1w4_update_parameters_leaves_its_inputs():
    np.random.seed(2)
    params = {key: np.random.randn(*shape) for key, shape in (("W1", (3, 4)), ("b1", (3, 1)), ("W2", (1, 3)), ("b2", (1, 1)))}
    np.random.seed(3)
    grads = {"d" + key: np.random.randn(*value.shape) for key, value in params.items()}
    before = {key: value.copy() for key, value in params.items()}
    for _ in range(2):  # the course's tests call it again on the same inputs
        updated = c1w4.update_parameters(params, grads, 0.1)
    assert_course(updated["W2"], np.array([[-0.55569196, 0.0354055, 1.32964895]]))
    assert_course(updated["b1"], np.array([[-0.04659241], [-1.28888275], [0.53405496]]))
    assert_course(params, before)


@pytest.mark.parametrize("learning_rate, iterations, W2, b2, printed", [
    (0.0075, 2, [[-0.00200283, -0.00888593, -0.00751122, 0.01688162]], [[-0.00689018]], 0.6915746967050506),
    (0.1, 3, [[-0.00358725, -0.00911995, -0.00831979, 0.01615845]], [[-0.13451354]], 0.6524135179683452)])
def test_c1w4_two_layer_model(capsys, learning_rate, iterations, W2, b2, printed):
    np.random.seed(1)
    X, Y = np.random.randn(10, 10), np.random.randn(1, 10)
    parameters, costs = c1w4.two_layer_model(X, Y, (10, 4, 1), learning_rate, iterations)
    assert_course(costs, [np.array(0.69315968)])
    assert sorted(parameters) == ["W1", "W2", "b1", "b2"]
    assert_course({"W2": parameters["W2"], "b2": parameters["b2"]}, {"W2": np.array(W2), "b2": np.array(b2)})
    out = capsys.readouterr().out  # the last iteration is always printed, as in the notebook
    assert out.startswith(f"Cost after iteration {iterations - 1}: ")
    assert float(out.split(": ")[1]) == pytest.approx(printed, rel=1e-12)


@pytest.mark.parametrize("learning_rate, iterations, W3, b3", [
    (0.0075, 2, [[-0.09079199, -0.08117381, 0.07667568, 0.16665535, 0.08029575, 0.04805811]], [[0.0013201]]),
    (0.02, 3, [[-0.09087434, -0.07882982, 0.07821609, 0.16442826, 0.0783229, 0.04648216]], [[0.00525865]])])
def test_c1w4_L_layer_model(learning_rate, iterations, W3, b3):
    np.random.seed(1)
    X, Y = np.random.randn(10, 10), np.array([[1, 1, 1, 1, 0, 0, 0, 1, 1, 0]])
    parameters, costs = c1w4.L_layer_model(X, Y, (10, 5, 6, 1), learning_rate, iterations)
    assert_course(costs, [np.array(0.70723944)])
    assert sorted(parameters) == ["W1", "W2", "W3", "b1", "b2", "b3"]
    assert_course({"W3": parameters["W3"], "b3": parameters["b3"]}, {"W3": np.array(W3), "b3": np.array(b3)})
    if learning_rate == 0.0075:
        assert_course(parameters["W1"][0, :3], np.array([0.51384638, -0.19333098, -0.16705238]))


TWO_LAYER_COSTS = [0.693049735659989, 0.6464320953428849, 0.6325140647912678, 0.6015024920354665, 0.5601966311605748,
                   0.5158304772764731, 0.47549013139433266, 0.43391631512257495, 0.40079775362038833,
                   0.3580705011323798, 0.33942815383664127, 0.30527536361962665, 0.2749137728213017,
                   0.24681768210614843, 0.1985073503746611, 0.17448318112556652, 0.17080762978097747,
                   0.11306524562164694, 0.09629426845937154, 0.08342617959726872, 0.07439078704319087,
                   0.06630748132267937, 0.059193295010381765, 0.05336140348560562, 0.04855478562877021]
L_LAYER_COSTS = [0.7717493284237686, 0.6720534400822914, 0.6482632048575212, 0.6115068816101356, 0.5670473268366111,
                 0.5401376634547801, 0.5279299569455267, 0.4654773771766851, 0.36912585249592794,
                 0.39174697434805356, 0.3151869888600615, 0.2726998441789385, 0.23741853400268137,
                 0.19960120532208644, 0.18926300388463305, 0.16118854665827753, 0.14821389662363316,
                 0.13777487812972944, 0.12974017549190123, 0.12122535068005211, 0.1138206066863371,
                 0.10783928526254132, 0.10285466069352679, 0.10089745445261786, 0.09287821526472395]


@pytest.mark.slow
@pytest.mark.parametrize("network", ["two_layer", "L_layer"])
def test_c1w4_the_cat_networks_give_the_published_costs(cat_dir, capsys, network):
    """The application notebook's runs, 2500 iterations on the 209 cat images: every stored cost within
    1e-10 (relative) of the published list; the CPU's rounding moves only the last digits."""
    train_x_orig, train_y, test_x_orig, test_y, _ = c1w4.load_data(cat_dir)
    train_x, test_x = (x.reshape(x.shape[0], -1).T / 255.0 for x in (train_x_orig, test_x_orig))
    if network == "two_layer":
        parameters, costs = c1w4.two_layer_model(train_x, train_y, (12288, 7, 1), num_iterations=2500)
        published, last, accuracies = TWO_LAYER_COSTS, 0.0442149821586896, ("0.9999999999999998", "0.72")
    else:
        parameters, costs = c1w4.L_layer_model(train_x, train_y, [12288, 20, 7, 5, 1], num_iterations=2500)
        published, last, accuracies = L_LAYER_COSTS, 0.088439943441702, ("0.9856459330143539", "0.8")
    assert all(type(cost) is np.ndarray and cost.shape == () for cost in costs)
    np.testing.assert_allclose(costs, published, rtol=1e-10)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("Cost after iteration 2499: ")
    assert float(printed[0].split(": ")[1]) == pytest.approx(last, rel=1e-10)
    for x, y, accuracy in ((train_x, train_y, accuracies[0]), (test_x, test_y, accuracies[1])):
        assert_course(c1w4.predict(x, y, parameters)[:, :0], np.zeros((1, 0)))
        assert capsys.readouterr().out == f"Accuracy: {accuracy}\n"


# ---------------------------------------------------------------- on another array library


def test_the_course_runs_where_its_data_lives(backend):
    """The same numbers from arrays of another library on their own device (array-api-strict's
    device1 refuses silent host copies): the parameters are drawn on the host, moved once."""
    np.random.seed(1)
    X, Y = np.random.randn(10, 10), np.array([[1.0, 1, 1, 1, 0, 0, 0, 1, 1, 0]])
    host, host_costs = c1w4.L_layer_model(X, Y, (10, 5, 6, 1), 0.02, 3)
    parameters, costs = c1w4.L_layer_model(backend.asarray(X), backend.asarray(Y), (10, 5, 6, 1), 0.02, 3)
    for key, value in host.items():
        np.testing.assert_allclose(backend.check(parameters[key]), value, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(float(costs[0]), float(host_costs[0]), rtol=1e-12)
    np.random.seed(1)
    X, Y = np.random.randn(2, 3), (np.random.randn(1, 3) > 0).astype(float)
    planar = c1w3.nn_model(backend.asarray(X), backend.asarray(Y), 4, num_iterations=5)
    np.testing.assert_allclose(backend.check(planar["W2"]), c1w3.nn_model(X, Y, 4, num_iterations=5)["W2"], rtol=1e-12)
    d = c1w2.model(backend.asarray(X), backend.asarray(Y), backend.asarray(X), backend.asarray(Y), num_iterations=5)
    np.testing.assert_allclose(backend.check(d["w"]), c1w2.model(X, Y, X, Y, num_iterations=5)["w"], rtol=1e-12)
