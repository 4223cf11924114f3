"""Sphinx extension: how the lessons are executed (and executed again when
`dlcourse` changes), the notebooks behind the launch buttons, the pages that
summarise the lessons, the build report, and repairs to the stock theme."""

import os
import shutil
from pathlib import Path

from sphinx.util import logging

import build_report
import execution_cache
import lesson_notebooks
import lesson_summaries
import theme_repairs

logger = logging.getLogger(__name__)

KERNEL_CONFIG = """\
# Written by _ext/course_build.py for the kernels that execute the lessons.
# Output written straight to the process's file descriptors (TensorFlow's C++
# start-up log) goes to the build log instead of the page; Python's own
# stdout, stderr and warnings still reach the cell outputs.
c.IPKernelApp.capture_fd_output = False
"""


def configure_kernels(app):
    # The kernels inherit this process's environment, so an IPython directory
    # of our own gives them the configuration above and nothing from the
    # user's profile.
    ipython_dir = Path(app.doctreedir).parent / "ipython"
    profile = ipython_dir / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    config = KERNEL_CONFIG
    startup = os.environ.get("COURSE_KERNEL_STARTUP")
    if startup:  # .ci/benchmark.py: a file every kernel runs before the first cell
        config += f"c.InteractiveShellApp.exec_files = [{startup!r}]\n"
    (profile / "ipython_kernel_config.py").write_text(config)
    os.environ["IPYTHONDIR"] = str(ipython_dir)
    # Quieter C++ logging once TensorFlow has read its settings.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # A download's progress bar is for a person waiting, not for the page.
    os.environ.setdefault("TQDM_DISABLE", "1")


def check_notebooks(app, config):
    """Warn about each notebook that no longer matches its lesson (with -W the build
    fails): the build writes no source; `python _ext/lesson_notebooks.py` does."""
    root = Path(app.srcdir)
    try:
        for path in lesson_notebooks.stale_files(root):
            logger.warning(f"{path.relative_to(root)} is out of date with its lesson: "
                           "regenerate it with `python _ext/lesson_notebooks.py` and commit it")
    except lesson_notebooks.ConversionError as error:
        logger.warning(str(error))
    # The book is built from the .md sources; a notebook beside one would be a
    # second source for the same page. (Sphinx looks for sources right after
    # this event.)
    for page in lesson_notebooks.notebook_pages(root):
        notebook = lesson_notebooks.notebook_path(page).relative_to(root).as_posix()
        config.exclude_patterns.append(notebook)


def nitpick_ignore_as_tuples(app, config):
    # _config.yml can only give lists; Sphinx looks up (type, target) tuples.
    config.nitpick_ignore = [tuple(entry) for entry in config.nitpick_ignore]


def download_runnable_notebooks(app, exception):
    # The theme offers, for download, an executed copy of each page source that
    # needs the book's tools (myst_nb), and writes it only with the page. Serve
    # the runnable notebooks that Colab and Binder open instead, every build.
    if exception is not None or app.builder.format != "html":
        return
    root = Path(app.srcdir)
    for page in lesson_notebooks.notebook_pages(root):
        notebook = lesson_notebooks.notebook_path(page)
        if not notebook.exists():  # check_notebooks has said so
            continue
        target = Path(app.outdir) / "_sources" / notebook.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(notebook, target)


def setup(app):
    lesson_summaries.setup(app)
    build_report.setup(app)
    theme_repairs.setup(app)
    execution_cache.setup(app)
    configure_kernels(app)
    app.connect("config-inited", check_notebooks)
    app.connect("config-inited", nitpick_ignore_as_tuples)
    app.connect("build-finished", download_runnable_notebooks)
    # A new env_version makes Sphinx read every page again, so that what the
    # extensions gather while reading (key points, timing, data sources) is complete.
    return {"env_version": 3, "parallel_read_safe": True, "parallel_write_safe": True}
