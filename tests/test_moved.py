"""nnxp 0.1's module paths still import (the same module objects), with a DeprecationWarning that
names the new path; the public names of ``nnxp.__all__`` are untouched."""

import importlib
import sys

import pytest

import nnxp
from nnxp._moved import MOVED


@pytest.mark.parametrize("old", sorted(MOVED))
def test_an_old_module_path_is_the_new_module(old, monkeypatch):
    new = importlib.import_module(MOVED[old])
    monkeypatch.delitem(sys.modules, old, raising=False)
    with pytest.warns(DeprecationWarning, match=f"{old} moved to {MOVED[old]}"):
        module = importlib.import_module(old)
    assert module is new
    assert new.__name__ == new.__spec__.name == MOVED[old]  # the alias leaves the module's own spec


def test_an_old_name_of_a_module_that_became_a_package_still_imports():
    with pytest.warns(DeprecationWarning, match="nnxp.model.network.NeuralNetwork"):
        from nnxp.model import NeuralNetwork
    assert NeuralNetwork is nnxp.NeuralNetwork
    with pytest.warns(DeprecationWarning, match="nnxp.training.loop.TrainingState"):
        from nnxp.training import TrainingState
    from nnxp.training.loop import TrainingState as new
    assert TrainingState is new
    with pytest.raises(AttributeError, match="'nnxp.model' has no attribute 'no_such_name'"):
        nnxp.model.no_such_name


def test_the_data_set_verb_is_not_the_checkpoint_verb():
    from nnxp.data import datasets

    with pytest.warns(DeprecationWarning, match="get_dataset now"):
        old = datasets.load
    assert old is datasets.get_dataset
    assert nnxp.load.__module__ == "nnxp.model.loading"


def test_nothing_shadows_the_search_function():
    import nnxp.model.grid_search  # noqa: F401  (the module has a name of its own)

    assert nnxp.search is nnxp.model.grid_search.search
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("nnxp.search")


@pytest.mark.parametrize("name", nnxp.__all__)
def test_every_public_name_is_there(name):
    assert getattr(nnxp, name) is not None
