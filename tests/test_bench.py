"""The benchmark's synthetic data (benchmarks/bench.py): ten times the rows, still a
valid data package, so `make bench` measures a build that can succeed."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from nkreport import data, paths

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module  # its dataclasses look their module up by name
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop("bench", None)


def test_synthetic_data_is_ten_times_larger_and_valid(bench, tmp_path):
    src = paths.data_dir()
    counts = bench.synthetic_data(src, tmp_path / "data")
    real = data.load(data_dir=src)
    for name, n in counts.items():
        if name in ("periods", "recognition"):
            assert n == len(real[name])  # fixed sets
        elif name != "actors":
            assert n == bench.SCALE * len(real[name])
    fixed = real.actors["kind"].isin(bench.FIXED_ACTOR_KINDS).sum()
    assert counts["actors"] == fixed + bench.SCALE * (len(real.actors) - fixed)
    report = data.check(tmp_path / "data")
    assert not report.problems, "\n".join(map(str, report.problems[:5]))


def test_synthetic_copies_keep_their_number_where_the_figures_print_it(bench, tmp_path):
    bench.synthetic_data(paths.data_dir(), tmp_path / "data")
    actors = data.load("actors", data_dir=tmp_path / "data").actors.set_index("actor_id")
    people = actors[actors["kind"] == "person"]
    copy = people[people.index.str.endswith("-x1")].iloc[0]
    original = actors.loc[copy.name[: -len("-x1")], "name"]
    base = original.split(" (")[0]
    assert copy["name"].split(" (")[0] == f"{base}-2"
    others = actors[~actors["kind"].isin(bench.FIXED_ACTOR_KINDS) & (actors["kind"] != "person")]
    copy = others[others.index.str.endswith("-x2")].iloc[0]
    original = actors.loc[copy.name[: -len("-x2")], "name"]
    assert copy["name"].split(" (")[0] == original.split(" (")[0] + " 3"
