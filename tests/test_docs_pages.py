"""The shell commands of the documentation run as shown.

Every ``$ ...`` line of a ``.. code-block:: console`` in the docs' ``.rst`` pages is either run
here or named in :data:`NOT_RUN` with the reason. The commands of one page run in the order the
page gives them, in one fresh folder, so a page's ``nnxp predict`` finds the model its
``nnxp train`` wrote and the files its ``python -c`` commands made. ``nnxp ...`` runs as
``sys.executable -m nnxp ...`` and ``python -c ...`` as ``sys.executable -c ...``.

Each command must exit as its page says: 0, or for a shown error (``nnxp CMD: error: ...``) 1,
or 2 for an error of the options (the message ends with ``--help)``), or 130 where the page shows
``^C`` (the test presses Ctrl-C once the output shown before it has appeared). The output a page
shows must be what the command prints (stdout and stderr together): ``...`` stands for any text
within a line, and a line of only ``...`` for any number of lines. A block that shows a command
without output only has its exit status checked.

(The Python examples of the same pages run as doctests: ``--doctest-glob='*.rst'``.)
"""

import os
import re
import shlex
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
SKIPPED_FOLDERS = {"_build", "course", "generated"}  # built output, the gallery's generated pages

NOT_RUN = {
    "python3 -m venv": "the set-up itself: a new virtual environment and an install (minutes, a network)",
    ".venv/bin/python -m pytest": "the test suite itself",
    "pip install": "changes the environment's packages (a network)",
    "pip uninstall": "changes the environment's packages",
    "pip list": "lists this machine's packages: nothing of nnxp's to check",
    "python -m benchmarks.": "a benchmark: minutes of timing on a quiet machine (CI runs the suites once as tests)",
    "bash benchmarks/gpu_check.sh": "needs an NVIDIA GPU",
    "nvidia-smi": "needs an NVIDIA GPU",
    "docker ": "needs Docker and its base images (CI runs docker/build-local.sh instead)",
    "nnxp train --dataset digits --classes 10 --layers 64 --scheduler tcp://": "needs a running Dask scheduler",
    "nnxp train --dataset flower --backend cupy": "needs an NVIDIA GPU",
}
"""Shown commands that are not run here, by how they begin, with the reason."""

TIMEOUT = 300  # seconds per command

DASK_LOG = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ - distributed\.")


def without_dask_chatter(output):
    """``output`` less the log records and tracebacks of a local Dask cluster's processes.

    The worker processes of ``--scheduler local:N`` share the command's stderr; on a loaded
    machine their shutdown sometimes logs a heartbeat's ``CommClosedError`` (distributed's, not
    nnxp's). Only commands with ``--scheduler local:`` are read through this.
    """
    kept, lines, index = [], output.splitlines(), 0
    while index < len(lines):
        line = lines[index]
        if DASK_LOG.match(line):
            index += 1
        elif line.startswith("Traceback (most recent call last):"):
            index += 1
            while index < len(lines) and (lines[index].startswith((" ", "\t")) or not lines[index].strip()):
                index += 1
            index += 1  # the exception's own line
            while index < len(lines) and (not lines[index].strip() or lines[index].startswith(
                    ("During handling of the above exception", "The above exception was the direct cause"))):
                index += 1
        else:
            kept.append(line)
            index += 1
    return "\n".join(kept) + "\n"


class Command:
    def __init__(self, text, output, where):
        self.text, self.output, self.where = text, output, where

    def __repr__(self):
        return f"{self.where}: $ {self.text}"

    @property
    def interrupted(self):
        return "^C" in self.output

    @property
    def shown_output(self):
        return [line for line in self.output if line != "^C"]

    def expected_status(self):
        if self.interrupted:
            return 130
        errors = [line for line in self.output if re.match(r"nnxp \w+: error: ", line)]
        if not errors:
            return 0
        return 2 if errors[-1].endswith("--help)") else 1

    def argv(self):
        words = shlex.split(self.text)
        if words[0] == "nnxp":
            return [sys.executable, "-m", "nnxp", *words[1:]]
        if words[:2] == ["python", "-c"]:
            return [sys.executable, *words[1:]]
        return None


def console_blocks(text):
    """The dedented contents of the ``.. code-block:: console`` directives of ``text``, with the
    line number where each begins."""
    lines = text.splitlines()
    for number, line in enumerate(lines):
        directive = re.match(r"(\s*)\.\. code-block:: console\s*$", line)
        if not directive:
            continue
        indent, body, start = len(directive.group(1)), [], None
        for index in range(number + 1, len(lines)):
            here = lines[index]
            if here.strip() and len(here) - len(here.lstrip()) <= indent:
                break
            if here.strip() and start is None:
                start = index + 1
            body.append(here)
        yield start, textwrap.dedent("\n".join(body)).strip("\n")


def page_commands(path):
    """The ``$`` commands of a page, in order, with the output shown after each."""
    commands = []
    for start, block in console_blocks(path.read_text()):
        lines, index = block.splitlines(), 0
        while index < len(lines):
            line = lines[index]
            assert line.startswith("$ "), f"{path.name}:{start + index}: console output before any $ command"
            text, where = line[2:], f"{path.relative_to(DOCS)}:{start + index}"
            while text.endswith("\\"):  # continued: a shell drops the backslash and the newline
                index += 1
                text = text[:-1] + lines[index]
            index += 1
            output = []
            while index < len(lines) and not lines[index].startswith("$ "):
                output.append(lines[index].rstrip())
                index += 1
            commands.append(Command(text, output, where))
    return commands


def pages():
    return sorted(
        path for path in DOCS.rglob("*.rst")
        if not SKIPPED_FOLDERS & set(path.relative_to(DOCS).parts) and page_commands(path)
    )


def not_run_reason(command):
    return next((why for start, why in NOT_RUN.items() if command.text.startswith(start)), None)


def pattern(lines):
    """A regular expression for the shown output lines: ``...`` is any text, alone any lines."""
    parts = []
    for line in lines:
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(r"[ \t]*" + r"[^\n]*".join(map(re.escape, line.strip().split("..."))) + r"[ \t]*\n")
    return re.compile("".join(parts))


def run(command, folder):
    env = dict(os.environ, PYTHONUNBUFFERED="1", MPLBACKEND="Agg")
    process = subprocess.Popen(command.argv(), cwd=folder, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    before = ""
    if command.interrupted:  # read until what the page shows before ^C has appeared, then press it
        shown = command.output[:command.output.index("^C")]
        wanted = pattern(shown)
        while not wanted.fullmatch(before):
            line = process.stdout.readline()
            assert line, f"{command}: ended before printing what the page shows before ^C:\n{before}"
            before += line
        process.send_signal(signal.SIGINT)
    try:
        output, _ = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        pytest.fail(f"{command}: still running after {TIMEOUT} s:\n{before + output}")
    return process.returncode, before + output


def test_every_shown_command_is_run_or_excused():
    """A new ``$`` command in the docs is either an ``nnxp``/``python -c`` command or named in NOT_RUN."""
    strays = [command for path in pages() for command in page_commands(path)
              if command.argv() is None and not_run_reason(command) is None]
    assert not strays, f"commands neither run by this test nor named in NOT_RUN: {strays}"


def test_every_excuse_is_used():
    """NOT_RUN names only commands the docs show (a removed command takes its excuse with it)."""
    shown = [command.text for path in pages() for command in page_commands(path)]
    unused = [start for start in NOT_RUN if not any(text.startswith(start) for text in shown)]
    assert not unused, f"NOT_RUN entries no page shows: {unused}"


def test_the_docs_show_commands():
    """The parser finds the pages' commands (a changed directive would otherwise test nothing)."""
    names = {path.relative_to(DOCS).as_posix() for path in pages()}
    assert {"getting_started.rst", "guide/cli.rst"} <= names


@pytest.mark.slow  # about 25 s of processes: CI runs it with the slow selection
@pytest.mark.parametrize("page", pages(), ids=lambda path: path.relative_to(DOCS).as_posix())
def test_page_commands_run_as_shown(page, tmp_path):
    for command in page_commands(page):
        if command.argv() is None or not_run_reason(command) is not None:
            continue
        status, output = run(command, tmp_path)
        if status != command.expected_status():
            pytest.fail(f"{command}: exit status {status}, the page implies {command.expected_status()}:\n{output}")
        if "--scheduler local:" in command.text:
            output = without_dask_chatter(output)
        if command.shown_output and not pattern(command.shown_output).fullmatch(output.rstrip("\n") + "\n"):
            shown = "\n".join(command.shown_output)
            pytest.fail(f"{command}: the output differs from the page's.\npage:\n{shown}\nactual:\n{output}")
