"""The report's charts drawn in a second process (publish/chart_process.py): the same pictures as drawn here, drawn
here after all when that process dies, its errors raised as the command's own, and a caller's script without an
`if __name__ == "__main__"` guard is not started a second time."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from conftest import EXAMPLES, ROOT

from followup_cli import api
from followup_cli.publish.chart_process import ChartDrawing
from followup_cli.publish.report_charts import chart_data
from followup_cli.publish.risk_chart import HeatMap


@pytest.fixture(scope="module")
def drawing_input():
    """The example's heat map of 31 December 2024 and the chart data of its 2025 report."""
    ws = api.open_workspace(cwd=EXAMPLES)
    heat = HeatMap.of(api.analyze(ws, as_of="2024-12-31").analysis)
    return heat, chart_data(api.report(ws, year=2025, fmt="json").context)


def _charts(drawing: ChartDrawing, heat, data) -> dict:
    with drawing:
        drawing.heat_map(heat)
        drawing.report(data)
        return drawing.result()


def test_the_second_process_draws_the_same_pictures_as_this_one(drawing_input):
    here = _charts(ChartDrawing(parallel=False), *drawing_input)
    drawing = ChartDrawing()
    assert drawing._process is not None  # started: the charts below come from it
    there = _charts(drawing, *drawing_input)
    assert list(there) == ["risk_matrix", "findings", "survey", "events"]
    assert there == here  # the same bytes, so the same document, wherever they were drawn


def test_charts_are_drawn_here_when_the_process_has_died(drawing_input):
    heat, data = drawing_input
    drawing = ChartDrawing()
    drawing._process.kill()  # as if the system had ended it while the register was read
    drawing._process.wait()
    charts = _charts(drawing, heat, data)
    assert set(charts) == {"risk_matrix", "findings", "survey", "events"}
    assert charts == _charts(ChartDrawing(parallel=False), heat, data)


def test_an_error_in_the_drawing_is_raised_as_the_commands_own(drawing_input):
    heat, data = drawing_input
    broken = {**data, "findings": [{"area": "Bemötande"}]}  # a row without its counts
    with pytest.raises(KeyError, match="serious"):
        _charts(ChartDrawing(), heat, broken)


def test_a_script_without_a_main_guard_runs_once(tmp_path):
    """multiprocessing's spawn would run such a script again in its worker, and that copy would start the report
    anew; the drawing process is a module of its own and never imports the caller's script."""
    script = tmp_path / "rapport.py"
    script.write_text(textwrap.dedent(f"""\
        from pathlib import Path
        from followup_cli import api
        print("start", flush=True)
        ws = api.open_workspace(cwd=Path({str(EXAMPLES)!r}))
        api.report(ws, year=2025, fmt="docx", out=Path({str(tmp_path / "rapport.docx")!r}))
        """), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("start") == 1
    assert (tmp_path / "rapport.docx").is_file()


def test_the_drawing_process_imports_no_file_of_the_working_folder(tmp_path):
    """`python -m` would put the working folder first on the import path: a user's own matplotlib.py or yaml.py
    there would be imported instead of the library's."""
    import shutil

    workspace = tmp_path / "arbetsyta"
    shutil.copytree(EXAMPLES, workspace, ignore=shutil.ignore_patterns("out"))
    for name in ("matplotlib", "yaml"):
        (workspace / f"{name}.py").write_text(f"open({str(tmp_path / name)!r}, 'w').close()\nraise ImportError\n",
                                             encoding="utf-8")
    followup = [sys.executable, "-P", "-m", "followup_cli"]  # as the console script: no working folder on the path
    done = subprocess.run([*followup, "report", "--year", "2025", "-q"], capture_output=True, text=True, cwd=workspace,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "matplotlib").exists() and not (tmp_path / "yaml").exists()
