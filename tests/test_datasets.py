"""nnxp.data.datasets: shapes, determinism, known geometry, the course's files, every error path."""

import re
import sys
from pathlib import Path

import numpy as np
import pytest

from nnxp.data import datasets
from nnxp.data.datasets import DatasetError, Split

CAT_DIR = Path(__file__).parents[2] / "shared" / "data" / "catvnoncat"
needs_cat_files = pytest.mark.skipif(
    not (CAT_DIR / "train_catvnoncat.h5").is_file(), reason=f"course cat files not found in {CAT_DIR}"
)
GENERATORS = {
    "flower": datasets.flower,
    "moons": datasets.moons,
    "circles": datasets.circles,
    "gaussian_quantiles": datasets.gaussian_quantiles,
}


# ---------------------------------------------------------------- generators


@pytest.mark.parametrize("name", GENERATORS)
@pytest.mark.parametrize("m", [2, 7, 400])
def test_generator_layout_and_balance(name, m):
    X, Y = GENERATORS[name](m)
    assert X.shape == (2, m) and Y.shape == (1, m)
    assert X.dtype == Y.dtype == np.float64
    assert set(np.unique(Y)) == {0.0, 1.0}
    assert np.sum(Y == 0) == m // 2
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_is_deterministic_in_its_seed(name):
    X1, Y1 = GENERATORS[name](50, seed=3)
    X2, Y2 = GENERATORS[name](50, seed=3)
    X3, _ = GENERATORS[name](50, seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)
    assert not np.allclose(X1, X3)


def _course_planar_dataset():
    """The course's load_planar_dataset, verbatim but for restoring NumPy's global state."""
    state = np.random.get_state()
    try:
        np.random.seed(1)
        m, N, a = 400, 200, 4
        X = np.zeros((m, 2))
        Y = np.zeros((m, 1), dtype="uint8")
        for j in range(2):
            ix = range(N * j, N * (j + 1))
            t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + np.random.randn(N) * 0.2
            r = a * np.sin(4 * t) + np.random.randn(N) * 0.2
            X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
            Y[ix] = j
        return X.T, Y.T
    finally:
        np.random.set_state(state)


def test_flower_reproduces_the_course_bit_for_bit():
    X, Y = datasets.flower()
    X_course, Y_course = _course_planar_dataset()
    np.testing.assert_array_equal(X, X_course)
    np.testing.assert_array_equal(Y, Y_course)
    np.testing.assert_allclose(X[:, 0], [1.20444229, 3.57611415], rtol=1e-8)


def test_flower_defeats_logistic_regression_as_in_the_course():
    linear_model = pytest.importorskip("sklearn.linear_model")
    X, Y = datasets.flower()
    assert linear_model.LogisticRegression().fit(X.T, Y[0]).score(X.T, Y[0]) == pytest.approx(0.47, abs=0.02)


def test_moons_lie_on_unit_half_circles_without_noise():
    X, Y = datasets.moons(101, noise=0)
    outer, inner = X[:, Y[0] == 0], X[:, Y[0] == 1]
    np.testing.assert_allclose(np.hypot(*outer), 1.0)
    np.testing.assert_allclose(np.hypot(inner[0] - 1, inner[1] - 0.5), 1.0)
    assert np.all(outer[1] >= 0) and np.all(inner[1] <= 0.5)
    np.testing.assert_allclose(outer[:, [0, -1]], [[1, -1], [0, 0]], atol=1e-12)


@pytest.mark.parametrize("factor", [0.3, 0.8])
def test_circles_radii_are_one_and_factor_without_noise(factor):
    X, Y = datasets.circles(60, noise=0, factor=factor)
    radius = np.hypot(*X)
    np.testing.assert_allclose(radius[Y[0] == 0], 1.0)
    np.testing.assert_allclose(radius[Y[0] == 1], factor)


def test_noise_moves_points_by_about_its_standard_deviation():
    X0, _ = datasets.moons(4000, noise=0)
    X1, _ = datasets.moons(4000, noise=0.3)
    assert np.std(X1 - X0) == pytest.approx(0.3, rel=0.05)


def test_gaussian_quantiles_split_at_the_median_radius():
    X, Y = datasets.gaussian_quantiles(1001, seed=5)
    radius = np.hypot(*X)
    assert radius[Y[0] == 0].max() < radius[Y[0] == 1].min()
    assert np.sum(Y) == 501
    # chi-square(2) median radius: sqrt(2 ln 2)
    assert np.median(radius) == pytest.approx(np.sqrt(2 * np.log(2)), rel=0.1)


@pytest.mark.parametrize("m", [0, 1, -5, 2.0, True, "400", None])
@pytest.mark.parametrize("name", GENERATORS)
def test_generators_reject_bad_m(name, m):
    with pytest.raises(ValueError, match=rf"m must be an integer >= 2.*got {m!r}"):
        GENERATORS[name](m)


@pytest.mark.parametrize("generator", [datasets.moons, datasets.circles])
@pytest.mark.parametrize("noise", [-0.1, float("nan"), float("inf"), "0.1"])
def test_noise_must_be_non_negative_and_finite(generator, noise):
    with pytest.raises(ValueError, match=rf"noise must be .*got {noise!r}"):
        generator(10, noise=noise)


@pytest.mark.parametrize("factor", [0, 1, 1.5, -0.2, float("nan")])
def test_circles_factor_must_lie_strictly_between_0_and_1(factor):
    with pytest.raises(ValueError, match=rf"factor must be a real number in \(0, 1\), got {factor!r}"):
        datasets.circles(10, factor=factor)


# ---------------------------------------------------------------- splitting and the registry


def test_train_test_split_is_stratified_disjoint_and_deterministic():
    X = np.arange(200.0).reshape(2, 100)
    Y = (np.arange(100) < 30).astype(float).reshape(1, -1)
    split = datasets.train_test_split(X, Y, test_size=0.2, seed=7)
    assert split.X_train.shape == (2, 80) and split.X_test.shape == (2, 20)
    assert (split.Y_test.sum(), split.Y_train.sum()) == (6, 24)
    columns = np.concatenate([split.X_train[0], split.X_test[0]])
    assert sorted(columns) == list(X[0])
    np.testing.assert_array_equal(split.Y_train[0], X[0, split.X_train[0].astype(int)] < 30)
    again = datasets.train_test_split(X, Y, test_size=0.2, seed=7)
    other = datasets.train_test_split(X, Y, test_size=0.2, seed=8)
    np.testing.assert_array_equal(again.X_test, split.X_test)
    assert not np.array_equal(other.X_test, split.X_test)


def _three_labels():
    """``X (2, 86)`` numbering its columns and class indices ``Y (1, 86)``: 50 of 0, 13 of 1, 23 of 2, mixed.

    At test_size=0.1 lumping classes 1 and 2 would give round(3.6) = 4 test samples, not 1 + 2.
    """
    labels = np.random.default_rng(11).permutation(np.repeat([0.0, 1.0, 2.0], [50, 13, 23]))
    return np.stack([np.arange(86.0), -np.arange(86.0)]), labels.reshape(1, -1)


@pytest.mark.parametrize("one_hot", [False, True], ids=["indices", "one_hot"])
@pytest.mark.parametrize("test_size", [0.1, 0.25, 0.5])
def test_train_test_split_stratifies_every_class(one_hot, test_size):
    X, labels = _three_labels()
    Y = (labels == np.arange(3.0)[:, None]).astype(float) if one_hot else labels
    split = datasets.train_test_split(X, Y, test_size=test_size, seed=4)
    expected_test = {c: round(test_size * n) for c, n in ((0, 50), (1, 13), (2, 23))}
    columns = {"train": split.X_train[0].astype(int), "test": split.X_test[0].astype(int)}
    assert sorted(np.concatenate(list(columns.values()))) == list(range(86))
    for part, Y_part in (("train", split.Y_train), ("test", split.Y_test)):
        assert Y_part.shape == (Y.shape[0], columns[part].size)
        np.testing.assert_array_equal(Y_part, Y[:, columns[part]])  # labels travel with their columns
        np.testing.assert_array_equal(split.X_train[1] if part == "train" else split.X_test[1], -columns[part])
    test_labels = labels[0, columns["test"]]
    assert {c: int(np.sum(test_labels == c)) for c in range(3)} == expected_test
    again = datasets.train_test_split(X, Y, test_size=test_size, seed=4)
    other = datasets.train_test_split(X, Y, test_size=test_size, seed=5)
    for a, b in zip(again, split):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(other.X_test, split.X_test)


def test_train_test_split_one_hot_and_indices_pick_the_same_samples():
    X, labels = _three_labels()
    one_hot = (labels == np.arange(3.0)[:, None]).astype(float)
    by_index = datasets.train_test_split(X, labels, test_size=0.3, seed=9)
    by_one_hot = datasets.train_test_split(X, one_hot, test_size=0.3, seed=9)
    np.testing.assert_array_equal(by_one_hot.X_train, by_index.X_train)
    np.testing.assert_array_equal(by_one_hot.X_test, by_index.X_test)
    np.testing.assert_array_equal(np.argmax(by_one_hot.Y_test, axis=0), by_index.Y_test[0])


def test_train_test_split_two_labels_keep_the_shuffled_order():
    """0/1 labels: the test set is each class's first round(test_size * count) in the permutation."""
    X = np.arange(20.0).reshape(1, 20)
    Y = (np.arange(20) % 4 == 0).astype(float).reshape(1, -1)
    order = np.random.default_rng(3).permutation(20)
    ones, zeros = order[Y[0, order] == 1], order[Y[0, order] == 0]
    in_test = set(ones[:round(0.25 * 5)]) | set(zeros[:round(0.25 * 15)])
    split = datasets.train_test_split(X, Y, test_size=0.25, seed=3)
    np.testing.assert_array_equal(split.X_test[0], [j for j in order if j in in_test])
    np.testing.assert_array_equal(split.X_train[0], [j for j in order if j not in in_test])


@pytest.mark.parametrize(
    ("X", "Y"),
    [(np.zeros((2, 5)), np.zeros(5)), (np.zeros((2, 5)), np.zeros((1, 4))), (np.zeros(5), np.zeros((1, 5)))],
)
def test_train_test_split_rejects_misshapen_x_or_y(X, Y):
    message = rf"X and Y must be \(n_x, m\) and \(C, m\).*got {re.escape(str(X.shape))} and {re.escape(str(Y.shape))}"
    with pytest.raises(ValueError, match=message):
        datasets.train_test_split(X, Y)


@pytest.mark.parametrize("test_size", [0, 1, -0.1, 1.5])
def test_train_test_split_rejects_test_size_outside_0_1(test_size):
    X, Y = datasets.moons(10)
    with pytest.raises(ValueError, match=rf"test_size must be .*got {test_size!r}"):
        datasets.train_test_split(X, Y, test_size=test_size)


def test_train_test_split_refuses_an_empty_side():
    X, Y = datasets.moons(4)
    with pytest.raises(ValueError, match=r"test_size=0.1 leaves an empty .* m=4"):
        datasets.train_test_split(X, Y, test_size=0.1)


@pytest.mark.parametrize("name", GENERATORS)
def test_load_splits_generated_sets_80_20(name):
    split = datasets.get_dataset(name, seed=2)
    assert isinstance(split, Split)
    assert [a.shape for a in split] == [(2, 320), (1, 320), (2, 80), (1, 80)]
    assert split.Y_train.sum() == 160 and split.Y_test.sum() == 40
    X, _ = GENERATORS[name](seed=2)
    assert sorted(np.concatenate([split.X_train[0], split.X_test[0]])) == sorted(X[0])
    np.testing.assert_array_equal(datasets.get_dataset(name, seed=2).X_test, split.X_test)


def test_load_passes_keywords_to_the_generator():
    split = datasets.get_dataset("circles", m=50, noise=0, factor=0.25, test_size=0.4)
    assert split.X_test.shape == (2, 20)
    assert set(np.round(np.hypot(*split.X_test), 12)) == {1.0, 0.25}


@pytest.mark.parametrize("name", ["mnist", "Flower", "", None])
def test_load_rejects_unknown_names_listing_the_known(name):
    with pytest.raises(ValueError, match=rf"unknown dataset {name!r}; known: flower, moons, .*digits, iris, cat"):
        datasets.get_dataset(name)


# ---------------------------------------------------------------- scikit-learn's bundled data


def _assert_standardized(split, n_x):
    assert split.X_train.shape[0] == split.X_test.shape[0] == n_x
    assert all(a.dtype == np.float64 for a in split)
    std = split.X_train.std(axis=1)
    np.testing.assert_allclose(split.X_train.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(std[std > 0], 1)
    assert not np.allclose(split.X_test.mean(axis=1), 0, atol=1e-12)


def test_breast_cancer_split_standardized_on_train():
    pytest.importorskip("sklearn")
    split = datasets.breast_cancer()
    _assert_standardized(split, 30)
    assert split.X_train.shape[1] + split.X_test.shape[1] == 569
    assert (split.Y_test.shape[1], split.Y_test.sum(), split.Y_train.sum()) == (142, 89, 268)


@pytest.mark.parametrize(("positive", "n_positive"), [((0, 2, 4, 6, 8), 891), (3, 183), ([1, 7], 361)])
def test_digits_as_a_binary_task(positive, n_positive):
    pytest.importorskip("sklearn")
    split = datasets.digits(positive=positive, test_size=0.25, seed=1)
    _assert_standardized(split, 64)
    assert split.X_train.shape[1] + split.X_test.shape[1] == 1797
    assert split.Y_train.sum() + split.Y_test.sum() == n_positive
    assert split.Y_test.mean() == pytest.approx(n_positive / 1797, abs=0.01)


@pytest.mark.parametrize("positive", [10, -1, (), range(10), "3", 2.5, [None]])
def test_digits_rejects_bad_positive(positive):
    with pytest.raises(ValueError, match=r"positive must be a digit 0-9.*got"):
        datasets.digits(positive=positive)


def _raw_samples(split, features):
    """Undo a split's standardization: its train and test samples as rows of ``features``' values.

    Train and test together hold every sample of ``features (m, n_x)`` once, so per feature the
    scale is ``std(raw) / std(standardized)`` and the shift follows from the means (a feature
    constant everywhere is just its value). Independent of how the loader computed its statistics.
    """
    both = np.concatenate([split.X_train, split.X_test], axis=1)
    spread = both.std(axis=1)
    scale = np.divide(features.std(axis=0), spread, out=np.ones_like(spread), where=spread > 1e-12)
    shift = features.mean(axis=0) - scale * both.mean(axis=1)
    return [np.round(X.T * scale + shift, 6) for X in (split.X_train, split.X_test)]


def _assert_sklearn_labels(split, data):
    """Each sample of ``split`` is a sample of sklearn's ``data`` and carries its target, and none is lost."""
    targets = {}
    for row, target in zip(np.round(data.data, 6), data.target):
        targets.setdefault(tuple(row), set()).add(float(target))
    for raw, Y in zip(_raw_samples(split, data.data), (split.Y_train, split.Y_test)):
        assert all(label in targets[tuple(row)] for row, label in zip(raw, Y[0]))
    labels = np.concatenate([split.Y_train[0], split.Y_test[0]])
    np.testing.assert_array_equal(np.sort(labels), np.sort(data.target.astype(np.float64)))


def _assert_stratified(split, targets, test_size):
    """Per class: round(test_size * count) test samples, the rest in train, each class in both."""
    for c, n in zip(*np.unique(targets, return_counts=True)):
        n_test = round(test_size * n)
        assert (np.sum(split.Y_test == c), np.sum(split.Y_train == c)) == (n_test, n - n_test)
        assert 0 < n_test < n


def test_digits_ten_classes_split_like_sklearns_targets():
    sk_datasets = pytest.importorskip("sklearn.datasets")
    data = sk_datasets.load_digits()
    split = datasets.digits(classes=10)
    _assert_standardized(split, 64)
    n_test = sum(round(0.25 * n) for n in np.bincount(data.target))
    assert [a.shape for a in split] == [(64, 1797 - n_test), (1, 1797 - n_test), (64, n_test), (1, n_test)]
    assert split.Y_test.shape[1] == pytest.approx(0.25 * 1797, abs=5)
    assert set(np.unique(split.Y_train)) == set(np.unique(split.Y_test)) == set(map(float, range(10)))
    _assert_stratified(split, data.target, 0.25)
    _assert_sklearn_labels(split, data)
    other = datasets.get_dataset("digits", classes=10, test_size=0.4, seed=3)
    _assert_stratified(other, data.target, 0.4)
    assert not np.array_equal(other.Y_test[0, :50], split.Y_test[0, :50])


def test_digits_classes_2_is_the_default_binary_task_bit_for_bit():
    sk_datasets = pytest.importorskip("sklearn.datasets")
    default, explicit = datasets.digits(seed=2), datasets.digits(classes=2, seed=2)
    for a, b in zip(default, explicit):
        np.testing.assert_array_equal(a, b)
    target = sk_datasets.load_digits().target
    _assert_stratified(default, target % 2 == 0, 0.25)
    assert set(np.unique(default.Y_train)) == {0.0, 1.0}


@pytest.mark.parametrize("classes", [1, 3, 9, 0, -2, 2.0, 10.0, True, "10", None])
def test_digits_rejects_bad_classes(classes):
    with pytest.raises(ValueError, match=rf"classes must be 2 .* or 10 .*, got {re.escape(repr(classes))}$"):
        datasets.digits(classes=classes)


@pytest.mark.parametrize("positive", [3, (0, 2, 4, 6, 8), [1, 7]])
def test_digits_rejects_positive_with_ten_classes(positive):
    with pytest.raises(ValueError, match=rf"positive applies to classes=2 only.*got positive={re.escape(repr(positive))}"):
        datasets.digits(classes=10, positive=positive)


def test_iris_three_standardized_stratified_classes():
    sk_datasets = pytest.importorskip("sklearn.datasets")
    data = sk_datasets.load_iris()
    split = datasets.get_dataset("iris")
    _assert_standardized(split, 4)
    n_test = sum(round(0.25 * n) for n in np.bincount(data.target))  # 3 * round(12.5) = 36
    assert [a.shape for a in split] == [(4, 150 - n_test), (1, 150 - n_test), (4, n_test), (1, n_test)]
    assert set(np.unique(split.Y_train)) == set(np.unique(split.Y_test)) == {0.0, 1.0, 2.0}
    _assert_stratified(split, data.target, 0.25)
    _assert_sklearn_labels(split, data)
    for a, b in zip(datasets.iris(seed=0), split):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(datasets.iris(seed=1).X_test, split.X_test)


@pytest.mark.parametrize(
    ("loader", "modules"),
    [
        (datasets.breast_cancer, ["sklearn", "sklearn.datasets"]),
        (datasets.digits, ["sklearn", "sklearn.datasets"]),
        (lambda: datasets.digits(classes=10), ["sklearn", "sklearn.datasets"]),
        (datasets.iris, ["sklearn", "sklearn.datasets"]),
        (lambda: datasets.load_catvnoncat(CAT_DIR), ["h5py"]),
    ],
)
def test_missing_extra_names_the_package_to_install(monkeypatch, loader, modules):
    for module in modules:
        monkeypatch.setitem(sys.modules, module, None)  # makes ``import module`` fail
    with pytest.raises(ImportError, match=rf"needs {modules[0]}: pip install 'nnxp\[datasets\]'"):
        loader()


# ---------------------------------------------------------------- the course's cat files


@needs_cat_files
def test_catvnoncat_matches_the_course():
    split = datasets.get_dataset("cat", data_dir=CAT_DIR)
    assert [a.shape for a in split] == [(12288, 209), (1, 209), (12288, 50), (1, 50)]
    assert all(a.dtype == np.float64 for a in split)
    assert 0 <= split.X_train.min() and split.X_train.max() <= 1
    np.testing.assert_array_equal(split.Y_train[0, :10], [0, 0, 1, 0, 0, 0, 0, 1, 0, 0])
    np.testing.assert_array_equal(split.Y_test[0, :6], [1, 1, 1, 1, 1, 0])
    assert (split.Y_train.sum(), split.Y_test.sum()) == (72, 33)
    # the course's flattening: column i is image i, pixels in (row, column, channel) order
    np.testing.assert_allclose(split.X_train[:3, 0] * 255, [17, 31, 56])


def _write_cat_files(directory, train=None, **overrides):
    """Small course-like files in ``directory``; ``overrides`` replace or (None) drop train keys."""
    h5py = pytest.importorskip("h5py")
    rng = np.random.default_rng(0)
    for part, m in (("train", 4), ("test", 3)):
        keys = {
            f"{part}_set_x": rng.integers(0, 256, (m, 64, 64, 3), dtype=np.uint8),
            f"{part}_set_y": np.array([0, 1, 1, 0][:m]),
            "list_classes": np.array([b"non-cat", b"cat"]),
        }
        if part == "train":
            keys.update(overrides)
        with h5py.File(directory / f"{part}_catvnoncat.h5", "w") as f:
            for key, value in keys.items():
                if value is not None:
                    f[key] = value
    return directory


def test_catvnoncat_flattens_small_files_like_the_course(tmp_path):
    split = datasets.load_catvnoncat(_write_cat_files(tmp_path))
    assert [a.shape for a in split] == [(12288, 4), (1, 4), (12288, 3), (1, 3)]
    import h5py

    with h5py.File(tmp_path / "train_catvnoncat.h5") as f:
        x = f["train_set_x"][()]
    np.testing.assert_array_equal(split.X_train, x.reshape(x.shape[0], -1).T / 255.0)


def _names_file(directory, part, message):
    """A regex for a one-line message that names ``directory/{part}_catvnoncat.h5`` then says ``message``."""
    return rf"^{re.escape(str(directory / f'{part}_catvnoncat.h5'))}[^\n]*{message}[^\n]*$"


def test_catvnoncat_missing_file_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match=_names_file(tmp_path, "train", "no such file")):
        datasets.load_catvnoncat(tmp_path)
    (_write_cat_files(tmp_path) / "test_catvnoncat.h5").unlink()
    with pytest.raises(FileNotFoundError, match=_names_file(tmp_path, "test", "no such file")):
        datasets.load_catvnoncat(tmp_path)


def test_catvnoncat_rejects_a_file_that_is_not_hdf5(tmp_path):
    _write_cat_files(tmp_path)
    (tmp_path / "train_catvnoncat.h5").write_text("<html>404 Not Found</html>")
    with pytest.raises(DatasetError, match=_names_file(tmp_path, "train", "is not a readable HDF5 file")):
        datasets.load_catvnoncat(tmp_path)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"train_set_y": None}, r"lacks dataset\(s\) \['train_set_y'\]; expected keys 'train_set_x' and 'train_set_y'"),
        ({"train_set_x": np.zeros((4, 64, 64), np.uint8)}, r"expected train_set_x \(m, 64, 64, 3\) uint8.*\(4, 64, 64\)"),
        ({"train_set_x": np.zeros((4, 64, 64, 3))}, r"expected train_set_x .* got \(4, 64, 64, 3\) float64"),
        ({"train_set_y": np.array([0, 1, 1])}, r"train_set_y \(m,\), got \(4, 64, 64, 3\) uint8 and \(3,\)"),
        ({"train_set_y": np.array([0, 1, 2, 0])}, r"train_set_y must hold labels 0 and 1 only, got \[0 1 2\]"),
    ],
)
def test_catvnoncat_rejects_malformed_contents_naming_the_file(tmp_path, overrides, message):
    _write_cat_files(tmp_path, **overrides)
    with pytest.raises(DatasetError, match=_names_file(tmp_path, "train", message)):
        datasets.load_catvnoncat(tmp_path)
