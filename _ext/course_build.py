"""Sphinx extension: how the kernels that execute the lessons are started."""

import os
from pathlib import Path

KERNEL_CONFIG = """\
# Written by _ext/course_build.py for the kernels that execute the lessons.
# Output written straight to the process's file descriptors (TensorFlow's C++
# start-up log) goes to the build log instead of the page; Python's own
# stdout, stderr and warnings still reach the cell outputs.
c.IPKernelApp.capture_fd_output = False
"""


def setup(app):
    # The kernels inherit this process's environment, so an IPython directory
    # of our own gives them the configuration above and nothing from the
    # user's profile.
    ipython_dir = Path(app.doctreedir).parent / "ipython"
    profile = ipython_dir / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "ipython_kernel_config.py").write_text(KERNEL_CONFIG)
    os.environ["IPYTHONDIR"] = str(ipython_dir)
    # Quieter C++ logging once TensorFlow has read its settings.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
