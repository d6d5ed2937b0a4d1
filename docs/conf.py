"""Sphinx configuration of nnxp's documentation site.

Built by ``python -m sphinx -W --keep-going -b html docs docs/_build/html`` (CI runs exactly that).
The course tutorial (``docs/tutorial/*.py``) is a sphinx-gallery: every script runs at build time,
its printed costs and its figures go into the page, and its own asserts check the course's published
numbers, so a page that stops reproducing them fails the build. ``-D plot_gallery=0`` skips running
them (a quick build of the text and the API reference).
"""

import nnxp

project = "nnxp"
author = "the nnxp developers"
copyright = "2026, the nnxp developers"
release = version = nnxp.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "sphinx_gallery.gen_gallery",
    "matplotlib.sphinxext.plot_directive",
]

exclude_patterns = ["_build", "tutorial/README.txt"]
templates_path = ["_templates"]
html_theme = "furo"
html_title = f"nnxp {release}"

autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "none"
autosummary_generate = True

sphinx_gallery_conf = {
    "examples_dirs": ["tutorial"],
    "gallery_dirs": ["course"],
    "filename_pattern": r"/\d",  # every numbered script runs
    "ignore_pattern": r"_course\.py",  # the pages' shared helpers: imported, not a page
    "within_subsection_order": "FileNameSortKey",  # the course's order
    "download_all_examples": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
    "min_reported_time": 1,
}

plot_html_show_source_link = False
plot_html_show_formats = False
