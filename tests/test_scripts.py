"""benchmarks/gpu_check.sh: syntax, and its choice of CuPy extra from a
(fake) nvidia-smi. The full script needs a GPU and is not run here."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "gpu_check.sh"

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def test_gpu_check_parses():
    result = subprocess.run(["bash", "-n", str(SCRIPT)], capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")


def test_gpu_check_is_strict():
    assert "set -euo pipefail" in SCRIPT.read_text(encoding="utf-8")


def choose(tmp_path: Path, smi_output: str | None, compute_cap: str = "9.0", args=("--choose-extra",), **env: str):
    """Runs `gpu_check.sh --choose-extra` (or ``args``) with a fake nvidia-smi first on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(parents=True)
    if smi_output is not None:
        fake = bin_dir / "nvidia-smi"
        fake.write_text(
            "#!/bin/sh\n"
            'case "$*" in\n'
            f"  *compute_cap*--format=csv,noheader*) printf '{compute_cap}\\n' ;;\n"
            "  *--query-gpu*) printf 'index, name\\n0, Fake GPU\\n' ;;\n"
            f"  *) printf '%s\\n' '{smi_output}' ;;\n"
            "esac\n"
        )
        fake.chmod(0o755)
    # bash and the coreutils the script uses, but no real nvidia-smi.
    for tool in ("bash", "sed", "head", "grep", "tr", "sort", "dirname"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    full_env = {"PATH": str(bin_dir), "HOME": str(tmp_path), **env}
    return subprocess.run(
        [str(bin_dir / "bash"), str(SCRIPT), *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=tmp_path,
        timeout=30,
    )


HEADER = "| NVIDIA-SMI 580.82.07   Driver Version: 580.82.07   CUDA Version: {} |"


@pytest.mark.parametrize(
    "cuda, cc, extra",
    [
        ("12.4", "9.0", "cuda12"),
        ("12.9", "8.6", "cuda12"),
        ("13.0", "9.0", "cuda13"),
        ("13.1", "7.5", "cuda13"),
        ("13.0", "7.0", "cuda12"),  # Volta: CUDA 13 dropped it
        ("13.0", "7.0\n9.0", "cuda12"),  # the oldest GPU decides
    ],
)
def test_extra_follows_driver_cuda_version(tmp_path, cuda, cc, extra):
    result = choose(tmp_path, HEADER.format(cuda), compute_cap=cc)
    assert result.returncode == 0, result.stderr
    assert f"chosen extra: {extra}" in result.stdout


def test_unreadable_driver_version_falls_back_to_cuda12(tmp_path):
    result = choose(tmp_path, "| something unexpected |")
    assert result.returncode == 0, result.stderr
    assert "chosen extra: cuda12" in result.stdout
    assert "could not read" in result.stderr


def test_forced_extra(tmp_path):
    result = choose(tmp_path, HEADER.format("12.4"), NNXP_CUDA_EXTRA="cuda13")
    assert "chosen extra: cuda13" in result.stdout
    assert choose(tmp_path / "x", HEADER.format("12.4"), NNXP_CUDA_EXTRA="cuda11").returncode != 0


def test_no_nvidia_smi_is_a_clear_error(tmp_path):
    result = choose(tmp_path, None)
    assert result.returncode != 0
    assert "nvidia-smi not found" in result.stderr


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_gpu_check_is_executable():
    assert os.access(SCRIPT, os.X_OK)



def test_gpu_check_takes_one_output_folder_at_most(tmp_path):
    result = choose(tmp_path, HEADER.format("13.0"), args=("out", "extra"))
    assert result.returncode != 0
    assert "unknown arguments: out extra (give one output folder, or --choose-extra)" in result.stderr


def test_gpu_wheels_script_parses_is_strict_and_executable():
    script = ROOT / "benchmarks" / "gpu_wheels.sh"
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")
    text = script.read_text(encoding="utf-8")
    assert "set -euo pipefail" in text and "--python-version 3.12" in text and os.access(script, os.X_OK)
