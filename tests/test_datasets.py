"""nnxp.datasets: shapes, determinism, known geometry, the course's files, every error path."""

import re
import sys
from pathlib import Path

import numpy as np
import pytest

from nnxp import datasets
from nnxp.datasets import DatasetError, Split

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
    split = datasets.load(name, seed=2)
    assert isinstance(split, Split)
    assert [a.shape for a in split] == [(2, 320), (1, 320), (2, 80), (1, 80)]
    assert split.Y_train.sum() == 160 and split.Y_test.sum() == 40
    X, _ = GENERATORS[name](seed=2)
    assert sorted(np.concatenate([split.X_train[0], split.X_test[0]])) == sorted(X[0])
    np.testing.assert_array_equal(datasets.load(name, seed=2).X_test, split.X_test)


def test_load_passes_keywords_to_the_generator():
    split = datasets.load("circles", m=50, noise=0, factor=0.25, test_size=0.4)
    assert split.X_test.shape == (2, 20)
    assert set(np.round(np.hypot(*split.X_test), 12)) == {1.0, 0.25}


@pytest.mark.parametrize("name", ["iris", "Flower", "", None])
def test_load_rejects_unknown_names_listing_the_known(name):
    with pytest.raises(ValueError, match=rf"unknown dataset {name!r}; known: flower, moons, .*digits, cat"):
        datasets.load(name)


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


@pytest.mark.parametrize(
    ("loader", "modules"),
    [
        (datasets.breast_cancer, ["sklearn", "sklearn.datasets"]),
        (datasets.digits, ["sklearn", "sklearn.datasets"]),
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
    split = datasets.load("cat", data_dir=CAT_DIR)
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
