"""The project's set-up: environment files agree, the layout is as the README says."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_environment_yml_uses_the_pinned_requirements():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert "-r requirements.txt" in pip
    python = next(d for d in deps if isinstance(d, str) and d.startswith("python"))
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    version = python.split("=")[-1]
    assert f">={version}" in requires, (python, requires)


def test_requirements_pin_every_package_exactly():
    lines = [ln for ln in (ROOT / "requirements.txt").read_text().splitlines() if ln and not ln.startswith("#")]
    assert lines, "requirements.txt is empty"
    for line in lines:
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\],]+==[A-Za-z0-9_.+\-]+", line), line


def test_direct_needs_are_pinned():
    pinned = {ln.split("==")[0].lower().replace("_", "-") for ln in (ROOT / "requirements.txt").read_text().splitlines() if "==" in ln}
    direct = [ln.strip().lower() for ln in (ROOT / "requirements.in").read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    missing = [d for d in direct if d.replace("_", "-") not in pinned]
    assert not missing, missing


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make report" in readme
    assert re.search(r"^make test$", ci, re.M)


def test_notebooks_are_numbered_in_report_order():
    names = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert names and all(re.match(r"\d\d_[a-z0-9_]+\.ipynb$", n) for n in names), names
