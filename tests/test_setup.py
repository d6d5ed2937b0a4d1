"""The README's set-up: its two commands are the ones CI runs."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readmes_two_commands():
    """The README's set-up block (install + demo, then the tests) is what .ci/run runs, word for word."""
    readme, ci = (ROOT / "README.md").read_text(), (ROOT / ".ci" / "run").read_text()
    block = readme.split("## Set-up: two commands", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    install, test = block.strip().splitlines()
    assert test == '.venv/bin/python -m pytest -m "not slow" -n 2' and test in ci.splitlines()
    assert install.startswith("python3 -m venv .venv && .venv/bin/pip install -e '.[test]'")
    assert ".venv/bin/pip install --quiet -e '.[test]'" in ci
