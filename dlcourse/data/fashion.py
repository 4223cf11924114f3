"""Fashion-MNIST (lesson 4): the full data set, from Debian's package
``dataset-fashion-mnist`` or from Keras' download."""

from __future__ import annotations

import platform
from pathlib import Path

import numpy as np

from . import registry
from .common import MODE_VARIABLE, DataUnavailableError, ImageData, data_mode
from .download import content, fetch, how

__all__ = ["load_fashion_mnist"]

#: Where Debian's (and Ubuntu's) package ``dataset-fashion-mnist`` installs the data.
FASHION_MNIST_DEBIAN = Path("/usr/share/datasets/fashion-mnist")

#: The ten classes of Fashion-MNIST, in the order of their labels 0 to 9.
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


def load_fashion_mnist(mode: str | None = None) -> ImageData:
    """Load Fashion-MNIST: 70,000 28x28 grey images of clothes, shoes and bags in 10 classes.

    Zalando Research made it as a harder drop-in replacement for MNIST: 60,000
    training and 10,000 test images, with 6,000 and 1,000 of each class. It is
    the full data set everywhere, from one of two places:

    - Debian's package ``dataset-fashion-mnist`` (also in Ubuntu), if it is
      installed: ``sudo apt install dataset-fashion-mnist``. No network needed.
    - Otherwise the files ``keras.datasets.fashion_mnist.load_data()`` uses,
      from the download cache or downloaded.

    Every file is checked against its checksum before it is used.

    :param mode: ``"auto"`` (the package, else the download), ``"online"``
        (the download only) or ``"offline"`` (the package only); ``None`` reads
        ``DLCOURSE_DATA`` (see :func:`~dlcourse.data.data_mode`).
    :returns: the images as :class:`~dlcourse.data.ImageData`; ``origin`` says where they came from.
    :raises ~dlcourse.data.DataUnavailableError: if the data set can be had neither way.

    For example (with the package installed, or with internet)::

        clothes = load_fashion_mnist()
        clothes.x_train.shape  # (60000, 28, 28)
        clothes.class_names[clothes.y_train[0]]  # 'Ankle boot'
    """
    mode = data_mode(mode)
    package = ("install Debian's package dataset-fashion-mnist "
               "(sudo apt install dataset-fashion-mnist)")
    if mode != "online":
        arrays, problem = _read_fashion_mnist_package()
        if arrays is not None:
            return _fashion_mnist(arrays, "Debian package",
                                  "from Debian's package dataset-fashion-mnist")
        if mode == "offline":
            instead = f"{package}, or " if _debian_like() else ""
            raise DataUnavailableError(
                f"Fashion-MNIST is not available offline: {problem}; {instead}set "
                f"{MODE_VARIABLE}=auto to use a copy that `python -m dlcourse.data download` "
                "fetched, or to download it."
            )
    arrays, origins = {}, set()
    for part, remote in registry.FASHION_MNIST_REMOTES.items():
        try:
            path, origin = fetch(remote)
        except DataUnavailableError as error:
            also = f"; on Debian or Ubuntu you can also {package}" if _debian_like() else ""
            raise DataUnavailableError(
                f"{error} To work without internet, run `python -m dlcourse.data download` "
                f"once where you have internet{also}."
            ) from None
        arrays[part] = _read_idx(content(path, remote))
        origins.add(origin)
    origin = "download" if "download" in origins else "cache"
    return _fashion_mnist(arrays, origin, how(origin))


def _fashion_mnist(arrays: dict, origin: str, words: str) -> ImageData:
    total = len(arrays["x_train"]) + len(arrays["x_test"])
    return ImageData(
        class_names=FASHION_CLASSES,
        origin=origin,
        source=f"The full Fashion-MNIST data set ({total:,} images, Zalando Research, MIT "
               f"licence), {words}.",
        **arrays,
    )


def _debian_like() -> bool:
    """Whether this system is Debian or one made from it, such as Ubuntu, whose package
    manager has dataset-fashion-mnist."""
    try:
        release = platform.freedesktop_os_release()
    except OSError:  # not Linux, or no /etc/os-release
        return False
    names = {release.get("ID", ""), *release.get("ID_LIKE", "").split()}
    return bool(names & {"debian", "ubuntu"})


def _read_fashion_mnist_package() -> tuple[dict | None, str]:
    """The four arrays from Debian's package, or None and why not."""
    arrays = {}
    for part, remote in registry.FASHION_MNIST_REMOTES.items():
        path = FASHION_MNIST_DEBIAN / Path(remote.filename).name
        if not path.exists():
            return None, f"{path} does not exist"
        data = content(path, remote)
        if data is None:
            return None, f"{path} is damaged (it does not match its checksum)"
        arrays[part] = _read_idx(data)
    return arrays, ""


def _read_idx(data: bytes) -> np.ndarray:
    """An array from the IDX format of the MNIST files: a header of sizes, then bytes."""
    dimensions = data[3]  # the magic number's last byte; its third says uint8
    shape = [int.from_bytes(data[4 + 4 * axis:8 + 4 * axis], "big")
             for axis in range(dimensions)]
    pixels = np.frombuffer(data, np.uint8, offset=4 + 4 * dimensions)
    return pixels.reshape(shape).copy()  # writable, as Keras' loaders return
