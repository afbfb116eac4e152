"""The layering rule, enforced by import-linter in the test run (contracts in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    return subprocess.run([exe, "--no-cache"], cwd=cwd, capture_output=True, text=True, check=False)


def test_layering_contracts_are_kept() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "server never imports loaders KEPT" in result.stdout
    assert "graph imports no web or spreadsheet library" in result.stdout


def test_a_forbidden_import_breaks_the_contract(tmp_path: Path) -> None:
    # A copy of the tree with one forbidden import must fail: proves the contract is live, not decorative.
    for name in ("graph", "loaders", "server", "queries", "ontology", "shapes"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "server" / "sneaky.py").write_text("import loaders.cli\n")
    result = subprocess.run(
        [shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
        env={"PYTHONPATH": str(tmp_path), "PATH": str(Path(sys.executable).parent)},
    )
    assert result.returncode != 0
    assert "server.sneaky -> loaders.cli" in result.stdout
