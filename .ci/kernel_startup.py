"""Run by every kernel of a benchmarked build before its first cell
(.ci/benchmark.py names it in COURSE_KERNEL_STARTUP, which _ext/course_build.py
gives the kernels): it logs how long each cell takes and the kernel's peak
memory so far and, for the full-size rehearsal, puts full-size stand-ins in
place of the data that only exist online.

It is run with ``runpy.run_path``, so nothing defined here reaches the lessons'
namespace: a lesson that forgot an import must still fail.

COURSE_CELL_LOG
    a folder; each kernel appends one JSON line per cell to ``<pid>.jsonl``:
    the cell's source, its seconds, and ``peak_mb``, the most resident memory
    the kernel has used since it started, in MB (2**20 bytes), after the cell.
COURSE_FULL_SIZE
    ``1`` for the rehearsal: ``load_mnist`` returns 60,000 + 10,000 images made
    from the offline subset's real digits, and ``load_flower_photos`` returns as
    many crops per class as the lesson asks for, as the flower photos would.
    They measure time, not accuracy, and say so in their ``source``.
"""

import dataclasses
import json
import os
import time

import numpy as np
from IPython import get_ipython

#: MNIST's sizes online: what the stand-in has.
MNIST_TRAIN, MNIST_TEST = 60_000, 10_000

REHEARSAL = ("Full-size rehearsal (a stand-in that measures time, not accuracy): ")


def peak_memory_mb():
    """The most resident memory this process has used so far, in MB, or None
    where the system does not say (``VmHWM`` is Linux's). Not getrusage's
    ru_maxrss: a kernel started by fork and exec inherits its parent's, here the
    peak of the whole build."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)  # kB -> MB
    except OSError:
        pass
    return None


def log_cell_times(folder):
    log = open(os.path.join(folder, f"{os.getpid()}.jsonl"), "a", encoding="utf-8")
    started = []

    def before(info):
        started.append(time.perf_counter())

    def after(result):
        seconds = time.perf_counter() - started.pop()
        log.write(json.dumps({"source": result.info.raw_cell, "seconds": seconds,
                              "peak_mb": peak_memory_mb()}) + "\n")
        log.flush()

    shell = get_ipython()
    shell.events.register("pre_run_cell", before)
    shell.events.register("post_run_cell", after)


def repeated(images, labels, count):
    """``count`` images: the given ones over and over, each repetition shifted by
    a different number of pixels (-2 to 2, across and down), so that no two
    batches are the same."""
    shifts = [(down, across) for down in range(-2, 3) for across in range(-2, 3)]
    copies = -(-count // len(images))
    x = np.concatenate([np.roll(images, shifts[copy % len(shifts)], axis=(1, 2))
                        for copy in range(copies)])
    return x[:count], np.concatenate([labels] * copies)[:count]


def use_full_size_stand_ins():
    import dlcourse.data as data

    offline_mnist = data.load_mnist
    offline_flowers = data.load_flower_photos
    photos = __import__(offline_flowers.__module__, fromlist=["OFFLINE_CROPS"])
    if not hasattr(photos, "OFFLINE_CROPS"):
        raise RuntimeError(f"{photos.__name__} has no OFFLINE_CROPS: teach "
                           ".ci/kernel_startup.py where the offline photos' cap is now")

    def load_mnist(mode=None, seed=0):
        subset = offline_mnist(mode="offline", seed=seed)
        digits = np.concatenate([subset.x_train, subset.x_test])
        labels = np.concatenate([subset.y_train, subset.y_test])
        x_train, y_train = repeated(digits, labels, MNIST_TRAIN)
        x_test, y_test = repeated(digits[::-1], labels[::-1], MNIST_TEST)
        return data.ImageData(
            x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test,
            class_names=subset.class_names, origin="full-size stand-in",
            source=REHEARSAL + f"{MNIST_TRAIN:,} training and {MNIST_TEST:,} test images, "
                   f"the {len(digits):,} real digits of the offline subset repeated and "
                   "shifted.")

    def load_flower_photos(*args, **kwargs):
        # Online the lesson gets as many photos per class as it asks for; the
        # offline stand-in caps its crops, which the rehearsal lifts.
        photos.OFFLINE_CROPS = (10**6, 10**6)
        stand_in = offline_flowers(*args, **{**kwargs, "mode": "offline"})
        return dataclasses.replace(stand_in, source=REHEARSAL + stand_in.source)

    data.load_mnist = load_mnist
    data.load_flower_photos = load_flower_photos


if os.environ.get("COURSE_CELL_LOG"):
    log_cell_times(os.environ["COURSE_CELL_LOG"])
if os.environ.get("COURSE_FULL_SIZE") == "1":
    use_full_size_stand_ins()
