"""The preprocessing that travels with a model: checked when built, and the one owner of its meaning
(features scaled, labels encoded and decoded, regression targets in their units)."""

import numpy as np
import pytest

from nnxp.model.preprocessing import Preprocessing, encode_labels

sklearn_metrics = pytest.importorskip("sklearn.metrics")

MEAN, STD = np.array([[1.0], [2.0]]), np.array([[0.5], [4.0]])
CSV = {"mean": MEAN, "std": STD, "feature_names": np.array(["a", "b"]), "target": np.array("y")}


@pytest.mark.parametrize("arrays, message", [
    ({"classes": np.array(["benign", "benign"])}, "'classes' must be unique and sorted"),
    ({"classes": np.array([2.0, 1.0])}, "'classes' must be unique and sorted"),
    ({"classes": np.array(["only"])}, "at least 2 classes"),
    ({**CSV, "feature_names": np.array(["a", "a"])}, "'feature_names' must be unique"),
    ({**CSV, "feature_names": np.array(["a", "b", "c"])}, "'feature_names' is (3,)"),
    ({"mean": MEAN}, "'mean' comes with 'std'"),
    ({"mean": MEAN, "std": np.array([[1.0]])}, "'std' is (1, 1)"),
    ({"mean": MEAN, "std": np.array([[1.0], [0.0]])}, "spreads that are not positive"),
    ({"mean": np.array([[np.nan], [0.0]]), "std": STD}, "'mean' holds NaN or infinite values"),
    ({"feature_names": np.array(["a", "b"])}, "'feature_names' comes with 'target'"),
    ({"classes": np.array([[0, 1]])}, "'classes' is (1, 2)"),
    ({"target_mean": np.array(1.0), "target_std": np.array([[1.0]])}, "'target_std' is (1, 1)"),
    ({"dataset": np.array(3)}, "'dataset' must hold text"),
])
def test_a_preprocessing_that_disagrees_with_itself_is_refused_naming_the_array(arrays, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Preprocessing(arrays)


def test_names_without_statistics_are_one_row_of_text():
    names = {"feature_names": np.array(["a", "b", "c"]), "target": np.array("y")}
    assert Preprocessing(names).feature_names == ["a", "b", "c"]
    with pytest.raises(ValueError, match=r"'feature_names' is \(1, 3\)"):
        Preprocessing({**names, "feature_names": np.array([["a", "b", "c"]])})


def test_it_is_checked_against_the_model_it_travels_with():
    assert Preprocessing(CSV).check_model([2, 4, 1])["target"] == "y"
    with pytest.raises(ValueError, match=r"'mean' is \(2, 1\), but a model of layer_dims \[3, 1\] needs \(3, 1\)"):
        Preprocessing(CSV).check_model([3, 1])
    with pytest.raises(ValueError, match=r"'classes' is \(3,\).*needs \(2,\)"):
        Preprocessing({"classes": np.array([0, 1, 2])}).check_model([2, 1])
    Preprocessing({"classes": np.array([0, 1, 2])}).check_model([2, 3])
    Preprocessing({"target_mean": np.array(1.0), "target_std": np.array(2.0)}).check_model([2, 1])
    with pytest.raises(ValueError, match="'target_mean' is"):
        Preprocessing({"target_mean": np.zeros((2, 1)), "target_std": np.ones((2, 1))}).check_model([2, 3])


def test_features_are_scaled_by_the_training_statistics():
    X = np.array([[1.5, 0.0], [6.0, 2.0]])
    np.testing.assert_array_equal(Preprocessing(CSV).features(X), [[1.0, -2.0], [1.0, 0.0]])
    assert Preprocessing({}).features(X) is X


def test_labels_are_class_names_and_text_classes_also_take_indices():
    text = np.array(["benign", "malignant"])
    np.testing.assert_array_equal(encode_labels(np.array(["malignant", "benign"]), text, "y"), [[1.0, 0.0]])
    np.testing.assert_array_equal(encode_labels(np.array([1, 0, 1]), text, "y"), [[1.0, 0.0, 1.0]])
    with pytest.raises(ValueError, match=r"holds numbers \[2\].*indices 0 to 1"):
        encode_labels(np.array([0, 2]), text, "--labels y.csv")
    numbers = np.array([3.0, 5.0, 8.0])
    np.testing.assert_array_equal(encode_labels(np.array([8, 3, 5]), numbers, "y"), [[2.0, 0.0, 1.0]])
    np.testing.assert_array_equal(encode_labels(np.array(["5", "8"]), numbers, "y"), [[1.0, 2.0]])
    with pytest.raises(ValueError, match=r"never saw: \['4'\]"):
        encode_labels(np.array([3, 4]), numbers, "y")
    with pytest.raises(ValueError, match="text labels, but the model's classes are the numbers"):
        encode_labels(np.array(["cat"]), numbers, "y")


def test_targets_and_predictions_go_back_and_forth_in_the_targets_units():
    regression = Preprocessing({"target_mean": np.array(100.0), "target_std": np.array(20.0)})
    Y = np.array([[80.0, 100.0, 150.0]])
    np.testing.assert_allclose(regression.targets(Y, "y"), [[-1.0, 0.0, 2.5]])
    np.testing.assert_allclose(regression.decode(regression.targets(Y, "y")), Y)
    classes = Preprocessing({"classes": np.array(["cat", "dog"])})
    assert classes.decode(np.array([[1, 0]])).tolist() == [["dog", "cat"]]
    assert classes.class_names == ["cat", "dog"]
    assert Preprocessing({"classes": np.array([0.0, 1.0, 2.5])}).class_names == ["0", "1", "2.5"]
    one_hot = np.eye(2)
    assert classes.targets(one_hot, "y") is not None and np.array_equal(classes.targets(one_hot, "y"), one_hot)


def test_regression_metrics_agree_with_scikit_learn_in_the_targets_units():
    rng = np.random.default_rng(0)
    truth, predicted = rng.normal(size=(2, 50)), rng.normal(size=(2, 50))
    mean, std = np.array([[10.0], [-3.0]]), np.array([[2.0], [5.0]])
    p = Preprocessing({"target_mean": mean, "target_std": std})
    metrics = p.regression_metrics(predicted, truth)
    raw_truth, raw_predicted = truth * std + mean, predicted * std + mean
    assert metrics["r2"] == pytest.approx(sklearn_metrics.r2_score(raw_truth.T, raw_predicted.T), rel=1e-12)
    rmse = np.sqrt(sklearn_metrics.mean_squared_error(raw_truth.ravel(), raw_predicted.ravel()))
    assert metrics["rmse"] == pytest.approx(rmse, rel=1e-12)


def test_a_model_knows_which_data_it_was_trained_on():
    Preprocessing({"dataset": np.array("digits")}).check_dataset("digits")
    Preprocessing({"mean": MEAN, "std": STD}).check_dataset("digits")  # an older checkpoint: it cannot tell
    with pytest.raises(ValueError, match="trained on the data set 'iris'"):
        Preprocessing({"dataset": np.array("iris")}).check_dataset("digits")
    with pytest.raises(ValueError, match="trained on a CSV table .*give it such a table with --csv"):
        Preprocessing(CSV).check_dataset("breast_cancer")
    same = Preprocessing({**CSV, "classes": np.array(["a", "b"])})
    same.check_same_data(Preprocessing({**CSV, "classes": np.array(["a", "b"])}), "--resume m")
    with pytest.raises(ValueError, match=r"--resume m: the checkpoint was trained with classes \['a', 'b'\]"):
        same.check_same_data(Preprocessing({**CSV, "classes": np.array(["a", "c"])}), "--resume m")
    with pytest.raises(ValueError, match=r"with feature_names \['a', 'b'\], but this data has \(none\)"):
        same.check_same_data(Preprocessing({"dataset": np.array("iris")}), "--resume m")
