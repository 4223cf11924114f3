"""Downloads into Keras' cache: where the cache is, what a file must match, and
the download itself, done by pooch with a progress bar, a timeout and retries.

Files are kept where Keras keeps its own, under Keras' file names, so that
Keras and ``dlcourse`` share them: ``$KERAS_HOME/datasets`` for data and
``$KERAS_HOME/models`` for weights (``~`` expanded), by default under
``~/.keras``. Like Keras 3, a download goes to ``/tmp/.keras`` instead when
that home cannot be written; a copy there is found too. Every file is checked
before it is used; a damaged one is deleted and downloaded again.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import logging
import os
import tempfile
import urllib.parse
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path

from .common import MODE_VARIABLE, DataUnavailableError

__all__ = ["Remote", "fetch", "keras_cache_dir"]

#: Seconds to wait for a download server before giving up on it.
DOWNLOAD_TIMEOUT = 30

#: How many more times a download that broke off, or that does not match its
#: SHA-256 (where one is recorded), is tried.
DOWNLOAD_RETRIES = 2

#: Where Keras 3 keeps its downloads when its home cannot be written (see
#: ``keras.utils.get_file``).
TEMPORARY_KERAS_HOME = Path("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir(),
                            ".keras")


@dataclass(frozen=True)
class Remote:
    """A file that can be downloaded, with the checksum it must have.

    :param url: where to download it from.
    :param sha256: the SHA-256 checksum of the file or, if ``gzipped``, of its
        decompressed content, which any faithful copy has however it was
        compressed; ``None`` only for files whose publisher gives no checksum,
        which are checked by ``size`` alone.
    :param filename: its path under the cache folder.
    :param gzipped: whether the file is compressed with gzip.
    :param cache_subdir: the cache folder under Keras' home: ``"datasets"`` for
        data, ``"models"`` for weights, where Keras keeps them.
    :param size: the file's size in bytes, when no checksum is known.

    >>> Remote("https://example.org/digits.npz", None, "digits.npz", size=1024).cache_subdir
    'datasets'
    """

    url: str
    sha256: str | None
    filename: str
    gzipped: bool = False
    cache_subdir: str = "datasets"
    size: int | None = None

    def __post_init__(self):
        if self.sha256 is None and self.size is None:
            raise ValueError(f"{self.filename} needs a checksum or at least a size.")


def keras_home() -> Path:
    """Keras' home folder, found as Keras 3 finds it."""
    home = os.environ.get("KERAS_HOME")
    if home:
        return Path(home).expanduser()
    user = Path("~").expanduser()
    return user / ".keras" if os.access(user, os.W_OK) else TEMPORARY_KERAS_HOME


def keras_cache_dir(subdir: str = "datasets") -> Path:
    """Return the folder where Keras keeps downloaded data sets, or weights.

    :param subdir: ``"datasets"`` for data, ``"models"`` for pretrained weights.
    :returns: ``$KERAS_HOME/<subdir>`` if ``KERAS_HOME`` is set (a leading
        ``~`` stands for the home folder), else ``~/.keras/<subdir>``.

    >>> keras_cache_dir("models").name
    'models'
    """
    return keras_home() / subdir


def cache_path(remote: Remote, home: Path) -> Path:
    """Where the file is kept under a Keras home."""
    path = home / remote.cache_subdir / remote.filename
    if path.is_dir():
        # keras.utils.get_file(origin=..., extract=True) unpacks an archive into
        # a folder named like the file and keeps the archive beside it under
        # this name: share that copy instead.
        path = path.with_name(path.name + "_archive")
    return path


def _homes() -> list[Path]:
    """The Keras homes a copy may be in: Keras' own, then the temporary one."""
    home = keras_home()
    return [home] if home == TEMPORARY_KERAS_HOME else [home, TEMPORARY_KERAS_HOME]


def _writable_home() -> Path:
    """Keras' home if it can be written (creating it, as Keras does), else the
    temporary one, as ``keras.utils.get_file`` chooses."""
    home = keras_home()
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError:
        return TEMPORARY_KERAS_HOME
    return home if os.access(home, os.W_OK) else TEMPORARY_KERAS_HOME


def verified_copy(remote: Remote) -> Path | None:
    """The cached copy of the file that matches its checksum, or None."""
    for home in _homes():
        path = cache_path(remote, home)
        if path.is_file() and content(path, remote) is not None:
            return path
    return None


def fetch(remote: Remote) -> tuple[Path, str]:
    """Return a verified local copy of a remote file, downloading it if needed.

    A cached copy is used only if its checksum matches; a corrupted or
    truncated one is deleted and downloaded again. The download shows a
    progress bar.

    :param remote: the file to fetch.
    :returns: the path of the verified file and ``"cache"`` or ``"download"``.
    :raises ~dlcourse.data.DataUnavailableError: if the file cannot be downloaded, or the
        download does not match its checksum.

    For example, with internet::

        path, origin = fetch(Remote(url, sha256, "mnist.npz"))
    """
    damaged = ""
    for home in _homes():
        path = cache_path(remote, home)
        if not path.is_file():
            continue
        if content(path, remote) is not None:
            return path, "cache"
        damaged = damaged or (f"The cached copy {path} was damaged (it did not match its "
                              "checksum) and ")
        # Never left for Keras to trip over; where it cannot be deleted (a
        # read-only shared folder), the download goes to the temporary home.
        with contextlib.suppress(OSError):
            path.unlink()
    path = cache_path(remote, _writable_home())
    try:
        _download(remote, path)
    except _NotDownloaded as error:
        if error.reason is None:
            raise DataUnavailableError(
                f"The file downloaded from {remote.url} does not match its checksum."
            ) from None
        if damaged:
            raise DataUnavailableError(
                f"{damaged}could not be downloaded again from {remote.url} ({error.reason})."
            ) from None
        raise DataUnavailableError(
            f"Could not download {remote.url} ({error.reason})."
        ) from None
    return path, "download"


def fetch_or_why(remote: Remote, mode: str, instead: str):
    """``fetch(remote)``, or, if the file cannot be had, ``None`` and the sentence
    saying why; in online mode that sentence stops the lesson instead, with what
    auto mode would do (``instead``)."""
    try:
        return fetch(remote), ""
    except DataUnavailableError as error:
        if mode == "online":
            raise DataUnavailableError(
                f"{error} Set {MODE_VARIABLE}=auto to {instead} instead."
            ) from None
        return None, str(error)


def how(origin: str) -> str:
    """The words of a loader's source sentence that say how a file was had."""
    return "downloaded now" if origin == "download" else "read from the download cache"


def content(path: Path, remote: Remote) -> bytes | None:
    """The file's content, decompressed if ``remote.gzipped``, or None if it does
    not match the checksum (a truncated gzip file counts as not matching)."""
    try:
        with open(path, "rb") as file:
            data = file.read()
        if remote.gzipped:
            data = gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        return None
    if remote.size is not None and len(data) != remote.size:
        return None
    if remote.sha256 is not None and hashlib.sha256(data).hexdigest() != remote.sha256:
        return None
    return data


class _NotDownloaded(Exception):
    """Why a download failed; a reason of None means it came but did not match."""

    def __init__(self, reason: str | None):
        super().__init__(reason)
        self.reason = reason


class _Unreachable(OSError):
    """No connection to the server could be made. pooch retries only its own
    errors, so this one stops at once: without a network, retries would only
    delay the fallback."""


def _download(remote: Remote, path: Path) -> None:
    """Download the file to ``path`` with pooch, which writes it under a
    temporary name and renames it only once complete; then check it."""
    import requests

    pooch = _import_pooch()
    # pooch checks a plain SHA-256 itself, and downloads again when it does not
    # match; the content of a gzip file, and a size, are checked below instead.
    known_hash = None if remote.gzipped or remote.sha256 is None else f"sha256:{remote.sha256}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        store = pooch.create(path=path.parent, base_url="", registry={path.name: known_hash},
                             urls={path.name: remote.url}, retry_if_failed=DOWNLOAD_RETRIES)
        logger = pooch.get_logger()
        level = logger.level
        # pooch logs each download to stderr, which in a lesson the book's build
        # takes for a warning; the progress bar and the source sentence say it.
        logger.setLevel(logging.WARNING)
        try:
            store.fetch(path.name, downloader=_Downloader(pooch))
        finally:
            logger.setLevel(level)
    except requests.HTTPError as error:
        response = error.response
        raise _NotDownloaded(f"the server answered {response.status_code} "
                             f"{response.reason}") from None
    except requests.Timeout:
        raise _NotDownloaded(f"no answer within {DOWNLOAD_TIMEOUT} seconds") from None
    except OSError as error:  # requests' errors, _Unreachable, a folder not writable
        raise _NotDownloaded(str(error)) from None
    except ValueError:  # pooch: the file does not match its SHA-256
        raise _NotDownloaded(None) from None
    if known_hash is None and content(path, remote) is None:
        with contextlib.suppress(OSError):  # whatever is there, it is not used
            path.unlink()
        raise _NotDownloaded(None)


class _Downloader:
    """pooch's HTTP downloader, with a timeout and a progress bar (see
    :func:`_show_progress`); a server that cannot be reached at all raises
    :class:`_Unreachable`."""

    def __init__(self, pooch):
        self.http = pooch.HTTPDownloader(progressbar=_show_progress(),
                                         timeout=DOWNLOAD_TIMEOUT)

    def __call__(self, url, output_file, pooch):
        import requests
        import urllib3

        try:
            self.http(url, output_file, pooch)
        except requests.ConnectionError as error:
            cause = getattr(error.args[0], "reason", None) if error.args else None
            if isinstance(cause, urllib3.exceptions.ConnectTimeoutError):
                host = urllib.parse.urlsplit(url).hostname
                raise _Unreachable(f"no connection to {host}: {cause.__cause__ or cause}") from None
            raise


def _show_progress() -> bool:
    """Whether a download shows a progress bar (tqdm's: a widget in a notebook
    with ipywidgets, as in Colab and Jupyter, text elsewhere): yes, unless
    tqdm's own switch ``TQDM_DISABLE`` is set, as the book's build sets it. Its
    pages are no place for a bar, and it takes a notebook's stderr for a
    warning. (tqdm's notebook bar does not read that switch itself.)"""
    return os.environ.get("TQDM_DISABLE", "").lower() not in ("1", "true")


def _import_pooch():
    from tqdm import TqdmWarning

    with warnings.catch_warnings():
        # pooch imports tqdm.auto, which warns on stderr in a notebook without
        # ipywidgets; the bar is then text, which is all we need.
        warnings.simplefilter("ignore", TqdmWarning)
        import pooch
    return pooch
