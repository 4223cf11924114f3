"""Real data sets for the lessons, each loader saying where its data came from.

The lessons run in three kinds of place: on a laptop or in Colab with internet,
and in builds without it. Every loader therefore tries the full data set and,
when it cannot be had, falls back to real data that ships with an installed
package; without pretrained weights, a model starts from random ones. The
environment variable ``DLCOURSE_DATA`` chooses explicitly:

``auto`` (the default)
    the full data set from an installed package (Fashion-MNIST from Debian's
    ``dataset-fashion-mnist``), else from the download cache, else downloaded,
    else the offline copy;
``online``
    the full data set only, from the cache or downloaded; stop with one clear
    sentence if it cannot be had;
``offline``
    only data shipped with installed packages; never the network, never the
    download cache, so every offline build sees the same data.

Downloads are kept where Keras keeps its own (``$KERAS_HOME/datasets``, by
default ``~/.keras/datasets``, and ``$KERAS_HOME/models`` for weights) under
Keras' file names, so Keras and ``dlcourse`` share them. Each file is checked
against its SHA-256 checksum (weights, for which Keras publishes none, against
their size); a truncated or corrupted file is replaced, never used; a damaged
installed copy is never used either.

Import everything from here (``from dlcourse.data import load_mnist``). Each
family of loaders has its module: :mod:`~dlcourse.data.tables` (iris, wine),
:mod:`~dlcourse.data.digits` (MNIST, the course's own digits),
:mod:`~dlcourse.data.fashion` (Fashion-MNIST), :mod:`~dlcourse.data.photos`
(a grey photo, the flower photos), :mod:`~dlcourse.data.weights` (MobileNetV2)
and :mod:`~dlcourse.data.text` (sentences). What can be downloaded is listed in
:mod:`~dlcourse.data.registry`, and fetched by :mod:`~dlcourse.data.download`.
To prepare a classroom, or a cluster whose computers have no internet, fetch
everything once into Keras' cache (``KERAS_HOME`` may name a shared folder)::

    python -m dlcourse.data download
    python -m dlcourse.data status
"""

from .common import DataUnavailableError, ImageData, data_mode
from .digits import OwnImages, as_mnist_image, load_mnist, load_own_images
from .download import Remote, fetch, keras_cache_dir
from .fashion import load_fashion_mnist
from .photos import Photo, load_flower_photos, load_photo
from .registry import mobilenet_v2_remote
from .tables import TabularData, load_iris, load_wine
from .text import GRAMMAR_WORDS, Sentences, load_sentences
from .weights import Weights, load_mobilenet_v2_weights

__all__ = [
    "DataUnavailableError",
    "ImageData",
    "OwnImages",
    "Photo",
    "Remote",
    "Sentences",
    "TabularData",
    "Weights",
    "as_mnist_image",
    "data_mode",
    "fetch",
    "keras_cache_dir",
    "load_fashion_mnist",
    "load_flower_photos",
    "load_iris",
    "load_mnist",
    "load_mobilenet_v2_weights",
    "load_own_images",
    "load_photo",
    "load_sentences",
    "load_wine",
    "mobilenet_v2_remote",
]
