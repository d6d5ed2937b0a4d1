"""The scikit-learn estimators: scikit-learn's own estimator checks, accuracy next to MLPClassifier and
MLPRegressor on the same data and settings, its stopping rule, partial_fit, pickling, meta-estimators,
and data that stays on its own library."""

import pickle
import warnings

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")
from sklearn import datasets  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split  # noqa: E402
from sklearn.neural_network import MLPClassifier, MLPRegressor  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

import nnxp  # noqa: E402
from nnxp.sklearn import NeuralNetClassifier, NeuralNetRegressor  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@parametrize_with_checks([NeuralNetClassifier(), NeuralNetRegressor()])
def test_scikit_learns_estimator_checks(estimator, check):
    """Every check, the array-API ones included (conftest sets SCIPY_ARRAY_API=1 for them); only those
    needing hardware absent here (CUDA, MPS, XPU) skip."""
    if getattr(check, "keywords", {}).get("array_namespace") == "cupy" and not nnxp.backend_info().cupy_usable:
        pytest.skip(f"CuPy without a usable GPU: {nnxp.backend_info().reason}")
    check(estimator)


# ---------------------------------------------------------------- accuracy next to scikit-learn's


def _scores(make_data, ours, theirs, settings, seeds=(0, 1, 2)):
    """Mean test scores of nnxp's and scikit-learn's estimator, each after a StandardScaler, over the same
    splits and seeds (one split of a small set is a few samples' luck)."""
    X, y = make_data()
    scores = np.zeros(2)
    for seed in seeds:
        stratify = y if ours is NeuralNetClassifier else None
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=seed, stratify=stratify)
        for k, estimator in enumerate((ours, theirs)):
            model = make_pipeline(StandardScaler(), estimator(**settings, random_state=seed)).fit(X_train, y_train)
            scores[k] += model.score(X_test, y_test) / len(seeds)
    return scores


def _cancer_frame():
    """Breast cancer as a pandas DataFrame with the labels as words."""
    pandas = pytest.importorskip("pandas")
    cancer = datasets.load_breast_cancer(as_frame=True)
    return cancer.data, pandas.Series(np.where(cancer.target == 1, "benign", "malignant"))


SETTINGS = dict(hidden_layer_sizes=(64,), learning_rate_init=0.01, max_iter=200)

CLASSIFICATION = {
    "digits (10 classes)": lambda: datasets.load_digits(return_X_y=True),
    "breast cancer (DataFrame, words)": _cancer_frame,
    "iris": lambda: datasets.load_iris(return_X_y=True),
}


@pytest.mark.parametrize("data", CLASSIFICATION)
def test_classifiers_are_as_accurate_as_mlpclassifier(data):
    ours, theirs = _scores(CLASSIFICATION[data], NeuralNetClassifier, MLPClassifier, SETTINGS)
    assert ours >= theirs - 0.02 and ours >= 0.9, (ours, theirs)


def test_regressor_is_as_good_as_mlpregressor():
    def friedman():
        return datasets.make_friedman1(n_samples=1000, random_state=0)

    ours, theirs = _scores(friedman, NeuralNetRegressor, MLPRegressor, {**SETTINGS, "max_iter": 500})
    assert ours >= theirs - 0.02 and ours >= 0.9, (ours, theirs)


def test_a_dataframe_with_word_labels_answers_in_words():
    X, y = _cancer_frame()
    X = (X - X.mean()) / X.std()
    model = NeuralNetClassifier((8,), learning_rate_init=0.01, max_iter=20, random_state=0).fit(X, y)
    assert model.feature_names_in_.tolist() == X.columns.tolist()
    assert model.classes_.tolist() == ["benign", "malignant"]
    predicted = model.predict(X)
    assert set(predicted) <= {"benign", "malignant"} and np.mean(predicted == y) > 0.9
    proba = model.predict_proba(X)
    np.testing.assert_array_equal(predicted, model.classes_[proba.argmax(axis=1)])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


# ---------------------------------------------------------------- what the estimator does, exactly


def _blobs(n_samples=120, centers=3, seed=0):
    X, y = datasets.make_blobs(n_samples=n_samples, centers=centers, random_state=seed)
    return StandardScaler().fit_transform(X), y


def test_it_trains_the_network_nnxp_would_with_the_same_settings():
    """The estimator is NeuralNetwork on X.T: same seed, same optimizer, same batches -> same parameters."""
    X, y = _blobs()
    model = NeuralNetClassifier((5,), activation="tanh", max_iter=30, batch_size=32, alpha=0.01,
                                learning_rate_init=0.05, random_state=3, tol=0.0, n_iter_no_change=1000).fit(X, y)
    network = nnxp.NeuralNetwork([2, 5, 3], hidden_activation="tanh", init="glorot", num_iterations=30,
                                 batch_size=32, l2=0.01, learning_rate=0.05, seed=model.model_.seed, cost_every=1,
                                 optimizer=nnxp.Adam(beta1=0.9, beta2=0.999, epsilon=1e-8))
    network.fit(X.T, y.reshape(1, -1))
    for key, value in network.parameters_.items():
        np.testing.assert_array_equal(model.model_.parameters_[key], value)
    assert model.loss_curve_ == network.costs_ and model.n_iter_ == 30 and model.t_ == 30 * 4
    assert model.best_loss_ == min(network.costs_) and model.validation_scores_ is None


def test_stopping_follows_mlpclassifiers_count():
    """With a tol nothing meets, both stop after n_iter_no_change + 2 epochs: the first sets the best,
    then more than n_iter_no_change epochs without progress."""
    X, y = _blobs()
    settings = dict(hidden_layer_sizes=(4,), tol=1e9, n_iter_no_change=3, random_state=0, max_iter=100)
    ours, theirs = NeuralNetClassifier(**settings).fit(X, y), MLPClassifier(**settings).fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_ == 5


def test_early_stopping_counts_as_mlpclassifier_from_the_initial_parameters():
    """scikit-learn validates after each epoch; nnxp before it, from the initial parameters on: the
    same n_iter_no_change + 1 evaluations without progress stop it one epoch sooner (the stopping
    epoch's update discarded)."""
    X, y = _blobs()
    settings = dict(hidden_layer_sizes=(4,), tol=1e9, n_iter_no_change=3, random_state=0, max_iter=100,
                    early_stopping=True)
    ours, theirs = NeuralNetClassifier(**settings).fit(X, y), MLPClassifier(**settings).fit(X, y)
    assert (ours.n_iter_, theirs.n_iter_) == (4, 5)
    assert len(ours.validation_scores_) == len(theirs.validation_scores_) == 5


def test_early_stopping_keeps_the_best_epoch_and_records_the_validation_scores():
    X, y = _blobs(300)
    model = NeuralNetClassifier((8,), early_stopping=True, validation_fraction=0.2, n_iter_no_change=2,
                                learning_rate_init=0.3, max_iter=200, random_state=0).fit(X, y)
    assert len(model.validation_scores_) == len(model.model_.validation_costs_) == len(model.loss_curve_)
    assert model.best_loss_ is None and model.best_validation_score_ == max(model.validation_scores_)
    best = model.model_.best_iteration_
    assert model.model_.validation_costs_[best] == min(model.model_.validation_costs_)
    assert model.n_iter_ < 200  # stopped early, not at max_iter


def test_partial_fit_continues_exactly_like_fit():
    X, y = _blobs()
    settings = dict(hidden_layer_sizes=(6,), batch_size=50, random_state=1, tol=0.0, n_iter_no_change=1000)
    straight = NeuralNetClassifier(max_iter=4, **settings).fit(X, y)
    stepwise = NeuralNetClassifier(**settings)
    for _ in range(4):
        stepwise.partial_fit(X, y, classes=[0, 1, 2])
    for key, value in straight.model_.parameters_.items():
        np.testing.assert_array_equal(stepwise.model_.parameters_[key], value)
    assert stepwise.n_iter_ == 4 and stepwise.loss_curve_ == straight.loss_curve_


def test_partial_fit_needs_classes_first_and_the_same_ones_after():
    X, y = _blobs()
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        NeuralNetClassifier().partial_fit(X, y)
    model = NeuralNetClassifier().partial_fit(X, y, classes=[0, 1, 2, 3])
    assert model.classes_.tolist() == [0, 1, 2, 3] and model.model_.layer_dims[-1] == 4
    with pytest.raises(ValueError, match="differ from the classes_"):
        model.partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match=r"labels \[7\] outside classes_"):
        model.partial_fit(X, np.where(y == 0, 7, y))


def test_pickling_keeps_the_predictions():
    X, y = _blobs()
    model = NeuralNetClassifier((5,), max_iter=20, random_state=0).fit(X, y)
    copy = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(copy.predict_proba(X), model.predict_proba(X))
    copy.partial_fit(X, y)  # and it trains on from there
    assert copy.n_iter_ == 21


def test_multi_output_regression():
    X, Y = datasets.make_regression(n_samples=200, n_features=5, n_targets=3, noise=0.1, random_state=0)
    Y = Y / Y.std(axis=0)
    model = NeuralNetRegressor((), learning_rate_init=0.05, max_iter=300, random_state=0, tol=0.0,
                               n_iter_no_change=300).fit(X, Y)  # Adam's loss bumps for 10 epochs on the way
    assert model.n_outputs_ == 3 and model.predict(X).shape == (200, 3) and model.score(X, Y) > 0.99
    single = NeuralNetRegressor((), max_iter=5, random_state=0).fit(X, Y[:, 0])
    assert single.predict(X).shape == (200,)


def test_grid_search_and_cross_validation_in_a_pipeline():
    X, y = datasets.load_iris(return_X_y=True)
    pipeline = make_pipeline(StandardScaler(), NeuralNetClassifier(max_iter=100, random_state=0))
    search = GridSearchCV(pipeline, {"neuralnetclassifier__hidden_layer_sizes": [(2,), (16,)],
                                     "neuralnetclassifier__learning_rate_init": [0.001, 0.01]}, cv=3)
    search.fit(X, y)
    assert search.best_params_["neuralnetclassifier__learning_rate_init"] == 0.01
    assert cross_val_score(search.best_estimator_, X, y, cv=3).mean() > 0.85


def test_verbose_prints_each_epochs_loss(capsys):
    X, y = _blobs()
    model = NeuralNetClassifier((3,), max_iter=3, verbose=True, random_state=0).fit(X, y)
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"Iteration {i + 1}, loss = {loss:.8f}" for i, loss in enumerate(model.loss_curve_)]


def test_running_out_of_epochs_warns_like_scikit_learn():
    X, y = _blobs()
    with pytest.warns(ConvergenceWarning, match=r"maximum iterations \(3\) reached"):
        NeuralNetClassifier((3,), max_iter=3, random_state=0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        NeuralNetClassifier((3,), max_iter=100, tol=1e9, n_iter_no_change=2, random_state=0).fit(X, y)


def test_unscaled_features_draw_a_warning():
    X, y = datasets.load_breast_cancer(return_X_y=True)
    with pytest.warns(UserWarning, match="standardize them"):
        NeuralNetClassifier((3,), max_iter=1, random_state=0).fit(X, y)


@pytest.mark.parametrize("estimator", [NeuralNetClassifier, NeuralNetRegressor])
def test_names_and_aliases_of_the_settings(estimator):
    X, y = _blobs()
    model = estimator((4,), activation="logistic", optimizer="rmsprop", beta_2=0.8, epsilon=1e-6, max_iter=2,
                      random_state=0).fit(X, y)
    assert model.model_.hidden_activation == "sigmoid"
    assert model.model_.optimizer.get_config() == nnxp.RMSprop(beta=0.8, epsilon=1e-6).get_config()
    assert estimator(optimizer="momentum", momentum=0.5, max_iter=1).fit(X, y).model_.optimizer.beta == 0.5
    assert estimator(batch_size="auto", max_iter=1).fit(X, y).model_.batch_size == 120  # min(200, n_samples)


BAD_SETTINGS = {
    "learning_rate_init": (-1.0, ValueError, "learning_rate_init must be a positive"),
    "hidden_layer_sizes": ((4, 0), ValueError, "hidden_layer_sizes must be >= 1, got 0"),
    "optimizer": ("lbfgs", ValueError, r"optimizer must be one of \['adam', 'gd', 'momentum', 'rmsprop'\]"),
    "beta_1": (1.0, ValueError, r"beta_1 must be in \[0.0, 1.0\), got 1.0"),
    "epsilon": (0.0, ValueError, "epsilon must be a positive"),
    "batch_size": ("big", ValueError, "batch_size must be 'auto' or an integer >= 1, got 'big'"),
    "max_iter": (0, ValueError, "max_iter must be >= 1"),
    "alpha": (-0.1, ValueError, r"alpha must be in \[0.0, inf\)"),
    "validation_fraction": (1.0, ValueError, r"validation_fraction must be in \[0.0, 1.0\)"),
    "n_iter_no_change": (0, ValueError, "n_iter_no_change must be >= 1"),
    "activation": ("cubic", ValueError, r"activation must be one of \[.*'tanh'\], got 'cubic'"),
}


@pytest.mark.parametrize("name", BAD_SETTINGS)
def test_bad_settings_are_named_when_fitting(name):
    value, error, message = BAD_SETTINGS[name]
    X, y = _blobs()
    model = NeuralNetClassifier(**{name: value}, early_stopping=name == "validation_fraction")
    with pytest.raises(error, match=message):
        model.fit(X, y)


def test_a_classifier_refuses_one_class_and_real_valued_targets():
    X, y = _blobs()
    with pytest.raises(ValueError, match="one class only"):
        NeuralNetClassifier().fit(X, np.zeros(len(X)))
    with pytest.raises(ValueError, match="Unknown label type"):
        NeuralNetClassifier().fit(X, X[:, 0])


# ---------------------------------------------------------------- data that stays where it lives


@pytest.mark.parametrize("estimator", [NeuralNetClassifier, NeuralNetRegressor])
def test_arrays_of_other_libraries_train_where_they_live(backend, estimator):
    """Without scikit-learn's array-API dispatch: the same parameters as on NumPy, and answers in the
    input's library and device."""
    X, y = _blobs(60)
    settings = dict(hidden_layer_sizes=(4,), max_iter=5, batch_size=16, random_state=0)
    on_numpy = estimator(**settings).fit(X, y)
    model = estimator(**settings).fit(backend.asarray(X), backend.asarray(y))
    for key, value in on_numpy.model_.parameters_.items():
        np.testing.assert_allclose(backend.check(model.model_.parameters_[key]), value, rtol=1e-10, atol=1e-12)
    predicted = model.predict(backend.asarray(X))
    np.testing.assert_allclose(backend.check(predicted, dtype="float64"), on_numpy.predict(X), rtol=1e-10)
    assert model.score(backend.asarray(X), backend.asarray(y)) == pytest.approx(on_numpy.score(X, y), abs=1e-12)
    if estimator is NeuralNetClassifier:
        np.testing.assert_allclose(backend.check(model.predict_proba(backend.asarray(X))), on_numpy.predict_proba(X),
                                   rtol=1e-10)
