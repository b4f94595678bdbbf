"""PDFs are rendered in a small pool of separate processes, never in a web worker.

A WeasyPrint PDF of a plan takes most of a second and leaves its process larger: a gunicorn
worker that had made 100 PDFs held 147 MB (bench/pdf-memory), against 56 MB before its first.
So a worker hands the page to a renderer process and waits for the bytes: the worker never
imports WeasyPrint, its memory stays that of a worker that serves pages, and each renderer is
replaced after `PDFS_PER_PROCESS` PDFs, so its own growth is bounded too. Each worker starts
its pool at its first PDF (a renderer starts afresh, not as a copy of the threaded worker)
with `PDFS_AT_ONCE` processes: as many as the PDFs it lets render at once.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from recommender.model.clinic import Clinic

# Longer than any PDF takes; a renderer that hangs is not waited for forever.
RENDER_TIMEOUT_SECONDS = 60
# How often a renderer looks whether the worker that started it is still there.
PARENT_CHECK_SECONDS = 1.0


class RendererLost(Exception):
    """The renderer process ended while making a PDF; the next PDF starts a new one."""


class PdfPool:
    def __init__(self, processes: int, pdfs_per_process: int, static_folder: str) -> None:
        self.processes = processes
        self.pdfs_per_process = pdfs_per_process
        self.static_folder = static_folder
        self._executor: ProcessPoolExecutor | None = None
        self._owner = 0  # the process the executor belongs to: a forked worker starts its own
        self._starting = threading.Lock()

    def render(self, html: str, clinic: Clinic | None) -> bytes:
        executor = self._started()
        try:
            return executor.submit(_render, html, clinic, self.static_folder).result(RENDER_TIMEOUT_SECONDS)
        except BrokenProcessPool as error:
            with self._starting:
                if self._executor is executor:
                    self._executor = None
            raise RendererLost(str(error)) from error
        except TimeoutError as error:
            raise RendererLost(f"no PDF after {RENDER_TIMEOUT_SECONDS} s") from error

    def _started(self) -> ProcessPoolExecutor:
        with self._starting:
            if self._executor is None or self._owner != os.getpid():
                self._executor = ProcessPoolExecutor(
                    max_workers=self.processes, max_tasks_per_child=self.pdfs_per_process,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_leave_with, initargs=(os.getpid(),))
                self._owner = os.getpid()
            return self._executor


def _render(html: str, clinic: Clinic | None, static_folder: str) -> bytes:
    # In the renderer process: WeasyPrint is imported here, once per renderer.
    from recommender.web.pdf.printing import render_pdf

    return render_pdf(html, clinic, static_folder)


def _leave_with(worker: int) -> None:
    """In a new renderer: end when the worker that started it is gone. A worker that stops
    shuts its pool down, but one that is killed (gunicorn's timeout, the out-of-memory killer,
    a killed instance) cannot, and its renderers would wait for work for ever, each holding
    the memory of a PDF renderer."""
    def watch() -> None:
        while os.getppid() == worker:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="leave-with-the-worker", daemon=True).start()
