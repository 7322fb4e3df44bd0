"""The report's charts, drawn in a process of their own while this one reads the register and renders the text.

Importing matplotlib and drawing the four charts take about a second, as long as half the read of a city's
register, and drawing holds the interpreter's lock, so a thread would not help. The second process imports
matplotlib while the register is read, draws the heat map while the report's figures are counted, and the other
charts while the Word document is rendered.

It is a plain `python -m followup_cli.publish.chart_process` with pickled jobs on its stdin and pickled results on
its stdout, not multiprocessing, whose spawned process would first run the caller's main script again (a script
calling the library without an `if __name__ == "__main__"` guard would start the report anew). Should the process
fail to start or die, the charts are drawn here instead: the same code, so the same bytes, only later.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from followup_cli.publish.report_charts import drawn, heat_map_png, report_charts_png
from followup_cli.publish.risk_chart import HeatMap

Charts = dict[str, tuple[bytes, float]]  # chart name → (PNG, width in the Word document in cm)
_LENGTH = struct.Struct("<Q")  # each message: its length, then the pickle


@dataclass
class _Job:
    draw: Callable  # a function of this module's imports, so the process finds it by name
    data: object
    future: Future | None  # the process's answer: ("chart", result), ("error", exception) or ("gone", None)


class ChartDrawing:
    """Charts on their way: started before the register is read, collected when the document needs them."""

    def __init__(self, parallel: bool = True) -> None:
        self._jobs: dict[str, _Job] = {}
        self._job_of: dict[str, str] = {}  # chart name → its job
        self._drawn: Charts = {}  # the charts of the jobs collected so far
        self._waiting: list[Future] = []  # sent to the process, in order, not yet answered
        self._lock = threading.Lock()
        self._process = None
        self._process_gone = False
        if parallel and sys.executable and not getattr(sys, "frozen", False):  # a frozen app's executable is no Python
            import subprocess

            # The same code as here: this process's import path, and not the working folder's files first (-P).
            # On Windows below normal priority (elsewhere it lowers its own), so it takes no time from the reading
            # it runs beside, and no console window of its own when the command runs from a scheduled job.
            path = os.pathsep.join(entry for entry in sys.path if entry)
            flags = getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0) | getattr(subprocess, "CREATE_NO_WINDOW", 0)
            try:
                self._process = subprocess.Popen([sys.executable, "-P", "-m", __name__], stdin=subprocess.PIPE,
                                                 stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": path},
                                                 creationflags=flags)
            except OSError:
                return
            # Answers are read as they come, so the process never waits on a full pipe before its next chart.
            threading.Thread(target=self._read_answers, args=(self._process.stdout,), daemon=True).start()

    def heat_map(self, heat: HeatMap) -> None:
        self._submit("heat_map", heat_map_png, heat, ["risk_matrix"])

    def report(self, data: dict) -> None:
        """The charts of `report_charts.chart_data`."""
        self._submit("report", report_charts_png, data, drawn(data))

    def names(self) -> list[str]:
        """The charts asked for that will be drawn, known before any is."""
        return list(self._job_of)

    def chart(self, name: str) -> tuple[bytes, float]:
        """One chart: PNG and width in cm, waiting for it if it is still being drawn."""
        if name not in self._drawn:
            self._drawn.update(_finish(self._jobs[self._job_of[name]]))
        return self._drawn[name]

    def result(self) -> Charts:
        return {name: self.chart(name) for name in self.names()}

    def close(self, kill: bool = False) -> None:
        """Ends the process: at once with `kill` (the command failed), else once it has read its last job."""
        process, self._process = self._process, None
        if process is None:
            return
        if kill:
            process.kill()
        try:
            process.stdin.close()
        except OSError:
            pass
        process.wait()

    def __enter__(self) -> ChartDrawing:
        return self

    def __exit__(self, kind, *_) -> None:
        self.close(kill=kind is not None)

    def _submit(self, job: str, draw: Callable, data, names: list[str]) -> None:
        future = None
        with self._lock:
            if self._process is not None and not self._process_gone:
                future = Future()
                self._waiting.append(future)
        if future is not None:
            try:
                _write_message(self._process.stdin, (draw, data))
            except OSError:  # the process is gone: its reader answers "gone", and the chart is drawn here
                pass
        self._jobs[job] = _Job(draw, data, future)
        self._job_of.update(dict.fromkeys(names, job))

    def _read_answers(self, answers) -> None:
        """Each answer to the job sent first among those waiting; at the end of the pipe, every job left is drawn
        here (and none is sent any more)."""
        while (message := _read_message(answers)) is not None:
            with self._lock:
                future = self._waiting.pop(0)
            future.set_result(message)
        with self._lock:
            self._process_gone = True
            for future in self._waiting:
                future.set_result(("gone", None))
            self._waiting.clear()


def _finish(job: _Job):
    if job.future is not None:
        kind, value = job.future.result()
        if kind == "chart":
            return value
        if kind == "error":
            raise value  # the drawing itself failed: the same error as drawing it here would give
    return job.draw(job.data)  # "gone": the process died or never started


def _write_message(stream, value) -> None:
    message = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(message)) + message)
    stream.flush()


def _read_message(stream):
    """The next value on the pipe, or None at its end."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(head)
    body = stream.read(length)
    return pickle.loads(body) if len(body) == length else None


def _serve() -> None:
    """The drawing process: imports matplotlib at once, then draws each job it is sent until its stdin closes."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's to handle; this process ends with it
    if hasattr(os, "nice"):
        os.nice(10)  # below normal priority, as ChartDrawing asks of Windows
    jobs, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but answers on the pipe
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.figure  # noqa: F401

    while (job := _read_message(jobs)) is not None:
        draw, data = job
        try:
            answer = ("chart", draw(data))
        except Exception as exc:  # handed to the command, which raises it as its own
            answer = ("error", exc)
        try:
            try:
                _write_message(answers, answer)
            except (pickle.PicklingError, TypeError, AttributeError):  # an error that cannot travel: drawn there again
                _write_message(answers, ("gone", None))
        except OSError:  # the command has ended
            return


if __name__ == "__main__":
    _serve()
