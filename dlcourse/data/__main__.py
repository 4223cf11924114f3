"""Prepare the data before a class: ``python -m dlcourse.data status`` lists what
the lessons can download and whether a verified copy is in Keras' cache;
``python -m dlcourse.data download [NAME...]`` fetches it there, with a
progress bar and checksums. Set ``KERAS_HOME`` to a shared folder to prepare a
classroom, or a cluster whose compute nodes have no internet."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .common import DataUnavailableError
from .download import fetch, keras_home, verified_copy
from .fashion import _read_fashion_mnist_package
from .registry import downloads

__all__ = ["main"]


def main(arguments: list[str] | None = None) -> int:
    """Run the command line.

    :param arguments: the words after ``python -m dlcourse.data``; ``None``
        reads them from the command line.
    :returns: the exit status: 0 when everything asked for is there, 1 if a
        download failed, 2 for an unknown name.

    >>> main(["download", "cifar"])
    2
    """
    parser = argparse.ArgumentParser(
        prog="python -m dlcourse.data",
        description="Download the lessons' data sets and weights into Keras' cache "
                    "($KERAS_HOME, by default ~/.keras), or say which are there.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("status", help="list each download, its size, and whether a "
                                       "verified copy is in the cache")
    fetching = commands.add_parser("download", help="download into the cache and check them")
    fetching.add_argument("names", nargs="*", metavar="NAME",
                          help="what to download (all when none is named): "
                               + ", ".join(download.name for download in downloads()))
    options = parser.parse_args(arguments)
    if options.command == "status":
        print(status())
        return 0
    return download(options.names)


@dataclass(frozen=True)
class StatusRow:
    """One download's state: its name, what it is for, its size, how many of its
    files have a verified copy, and where they are or would be."""

    name: str
    used_for: str
    megabytes: float
    found: int
    files: int
    where: str
    #: Fashion-MNIST from Debian's package needs no download.
    packaged: bool = False

    @property
    def ready(self) -> bool:
        return self.packaged or self.found == self.files


def status_rows() -> list[StatusRow]:
    """The state of every download, in the order of the lessons."""
    home = keras_home()
    rows = []
    for item in downloads():
        copies = [verified_copy(remote) for remote in item.remotes]
        paths = [copy or home / remote.cache_subdir / remote.filename
                 for copy, remote in zip(copies, item.remotes)]
        # Files of one data set can be in two homes (Keras' and the temporary one).
        folder = Path(os.path.commonpath(paths)) if len(paths) > 1 else paths[0]
        where = (_place(folder) if len(paths) == 1
                 else f"{_place(folder)}/ ({len(paths)} files)")
        packaged = (item.name == "fashion-mnist"
                    and _read_fashion_mnist_package()[0] is not None)
        rows.append(StatusRow(item.name, item.used_for, item.megabytes,
                              sum(copy is not None for copy in copies), len(copies), where,
                              packaged))
    return rows


def status() -> str:
    """The table of downloads: name, what it is for, size, whether a verified copy
    is there, and where (last, since the weights' file name is long)."""
    rows = [("Name", "Used for", "Size", "Verified copy", f"Where, under {keras_home()}")]
    for row in status_rows():
        verified = ("yes" if row.found == row.files else "no" if not row.found
                    else f"{row.found} of {row.files} files")
        if row.packaged and row.found < row.files:
            verified += " (Debian's package has it)"
        rows.append((row.name, row.used_for, f"{row.megabytes:.1f} MB", verified, row.where))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def download(names: list[str]) -> int:
    """Download what ``names`` name (everything if empty); return the exit status."""
    known = {item.name: item for item in downloads()}
    unknown = [name for name in names if name not in known]
    if unknown:
        print(f"Unknown name {', '.join(map(repr, unknown))}: choose among "
              f"{', '.join(known)}.", file=sys.stderr)
        return 2
    failed = []
    for item in [known[name] for name in dict.fromkeys(names)] or known.values():
        print(f"{item.name} ({item.megabytes:.1f} MB, {item.used_for}):", flush=True)
        for remote in item.remotes:
            try:
                path, origin = fetch(remote)
            except DataUnavailableError as error:
                print(f"  {error}", file=sys.stderr, flush=True)
                failed.append(item.name)
                break
            words = "downloaded and checked" if origin == "download" else "already there, checked"
            print(f"  {path}: {words}", flush=True)
    if failed:
        print(f"Not downloaded: {', '.join(failed)}.", file=sys.stderr)
        return 1
    return 0


def _place(path: Path) -> str:
    """A path relative to Keras' home, or whole when it is elsewhere (the
    temporary home)."""
    home = keras_home()
    return str(path.relative_to(home)) if path.is_relative_to(home) else str(path)


if __name__ == "__main__":
    sys.exit(main())
