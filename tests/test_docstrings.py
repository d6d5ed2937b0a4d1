"""Every public name is documented: a docstring with an example (and a shape where it takes arrays),
and a place in the API reference (``docs/api/*.rst``), which Sphinx builds from those docstrings.

The public names are ``__all__`` of :data:`PUBLIC_MODULES`. The examples themselves run as doctests
(``--doctest-modules``, and ``--doctest-glob=*.rst`` for the registries' examples in the API pages).
"""

import importlib
import inspect
import re
from pathlib import Path

import pytest

PUBLIC_MODULES = ("nnxp", "nnxp.core.optimizers", "nnxp.data.datasets", "nnxp.sklearn", "nnxp.loops")
API_PAGES = Path(__file__).resolve().parents[1] / "docs" / "api"

ARRAY_ARGUMENTS = {"X", "Y", "A_prev", "W", "b", "Z", "dA", "dZ", "AL", "ZL", "labels", "parameters", "grads",
                   "cache", "caches", "X_train", "split"}
"""Arguments in course notation: a function taking one must say the shapes it expects."""
SHAPE = re.compile(r"\((?:n|m|C|\d)[\w\[\]-]*, [^()]*\)")  # (n_x, m), (n[l], 1), (1, m), (n_samples, ...)
DIRECTIVE = re.compile(r"^\.\. ([\w:]+)::[ \t]*(\S*)")
OPTION = re.compile(r"^\s+:([\w-]+):\s*(.*)$")


def public_names():
    """``(module name, name, object)`` for every public name."""
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            yield module_name, name, getattr(module, name)


def _body(lines, start):
    """The indented lines after line ``start`` (a directive's options and content)."""
    body = []
    for line in lines[start + 1:]:
        if line.strip() and not line[0].isspace():
            break
        body.append(line)
    return body


def api_reference():
    """``{id(object): (page, directive)}`` for every object the API pages document, and the registries
    documented by hand (``.. data::``) with the text under them."""
    documented, data = {}, {}
    for page in sorted(API_PAGES.glob("*.rst")):
        lines = page.read_text().splitlines()
        current = "nnxp"
        for i, line in enumerate(lines):
            match = DIRECTIVE.match(line)
            if not match:
                continue
            kind, target = match.groups()
            body = _body(lines, i)
            if kind in ("currentmodule", "automodule"):
                current = target
            if kind == "automodule":
                module = importlib.import_module(target)
                options = dict(m.groups() for m in map(OPTION.match, body) if m)
                names = [n.strip() for n in options.get("members", "").split(",") if n.strip()] or module.__all__
                names = [] if "no-members" in options else names
                excluded = {n.strip() for n in options.get("exclude-members", "").split(",")}
                for name in set(names) - excluded:
                    documented[id(getattr(module, name))] = (page.name, f"automodule {target}")
            elif kind.startswith("auto") and kind != "autosummary" or kind == "data":
                obj = getattr(importlib.import_module(current), target)
                documented[id(obj)] = (page.name, f"{kind} {current}.{target}")
                if kind == "data":
                    data[id(obj)] = "\n".join(body)
    return documented, data


def _argument_names(obj):
    """The names of ``obj``'s arguments (a class's: its constructor's); none for the exceptions."""
    try:
        return set(inspect.signature(obj).parameters)
    except ValueError:  # built-in exception constructors have no signature
        return set()


PUBLIC = list(public_names())
DOCUMENTED, DATA = api_reference()


@pytest.mark.parametrize(("module", "name", "obj"), PUBLIC, ids=[f"{m}.{n}" for m, n, _ in PUBLIC])
def test_public_name_has_a_docstring_with_an_example_and_shapes(module, name, obj):
    if not (inspect.isroutine(obj) or inspect.isclass(obj)):  # a registry: documented on its API page
        assert ">>>" in DATA.get(id(obj), ""), f"{module}.{name}: no '.. data:: {name}' with an example in docs/api"
        return
    doc = obj.__doc__ or ""  # a class's own, not inherited
    assert doc.strip(), f"{module}.{name} has no docstring"
    assert ">>>" in doc, f"{module}.{name}'s docstring has no example (a '>>>' line)"
    arrays = ARRAY_ARGUMENTS & _argument_names(obj)
    if arrays:
        assert SHAPE.search(doc), f"{module}.{name} takes {sorted(arrays)} but its docstring states no shape"


@pytest.mark.parametrize(("module", "name", "obj"), PUBLIC, ids=[f"{m}.{n}" for m, n, _ in PUBLIC])
def test_public_name_is_in_the_api_reference(module, name, obj):
    assert id(obj) in DOCUMENTED, f"{module}.{name} is in no page of docs/api (autofunction, autoclass, ...)"


def test_the_check_sees_a_missing_docstring(monkeypatch):
    """The check can fail: a public function without its docstring is caught."""
    import nnxp

    monkeypatch.setattr(nnxp.softmax, "__doc__", None)
    with pytest.raises(AssertionError, match="nnxp.softmax has no docstring"):
        test_public_name_has_a_docstring_with_an_example_and_shapes("nnxp", "softmax", nnxp.softmax)
