"""The data loaders: what the lessons rely on, online and offline, without network."""

import gzip
import hashlib
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import urllib3

from dlcourse import data
from dlcourse.data import common, download, fashion, registry


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No test touches the real download cache or inherits the caller's data mode."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setattr(download, "TEMPORARY_KERAS_HOME", tmp_path / "temporary-keras")
    monkeypatch.delenv(common.MODE_VARIABLE, raising=False)
    monkeypatch.delenv("TQDM_DISABLE", raising=False)


@pytest.fixture(autouse=True)
def no_network(request, monkeypatch):
    """No test reaches the network, except the loopback servers of tests that use one."""
    if {"server", "silent_server"} & set(request.fixturenames):
        return

    def unreachable(*args, **kwargs):
        raise OSError("no network in the tests")

    # Where urllib3 (under requests, under pooch) opens its connections.
    monkeypatch.setattr(urllib3.util.connection, "create_connection", unreachable)


def fake_mnist(path, train=60, test=10):
    """Write a small file laid out like Keras' mnist.npz; return its SHA-256."""
    rng = np.random.default_rng(0)
    np.savez(
        path,
        x_train=rng.integers(0, 256, (train, 28, 28), dtype=np.uint8),
        y_train=np.arange(train, dtype=np.uint8) % 10,
        x_test=rng.integers(0, 256, (test, 28, 28), dtype=np.uint8),
        y_test=np.arange(test, dtype=np.uint8) % 10,
    )
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class LoopbackServer:
    """A web server on loopback serving a folder; it unpacks as (folder, url).

    ``requests`` records the path of every request; each status put in
    ``failures`` is answered, once, before any file is served (``None``: the
    connection is closed without an answer).
    """

    def __init__(self, folder):
        self.folder, self.requests, self.failures = folder, [], []
        outer = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(folder), **kwargs)

            def do_GET(self):
                outer.requests.append(self.path)
                if outer.failures:
                    status = outer.failures.pop(0)
                    if status is None:
                        self.close_connection = True
                    else:
                        self.send_error(status)
                else:
                    super().do_GET()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def __iter__(self):
        return iter((self.folder, self.url))

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(tmp_path):
    """A web server on loopback serving the folder `served`."""
    served = tmp_path / "served"
    served.mkdir()
    running = LoopbackServer(served)
    yield running
    running.stop()


def use_remote(monkeypatch, url, sha256):
    monkeypatch.setattr(registry, "MNIST_REMOTE", data.Remote(url, sha256, "mnist.npz"))


# --- iris -------------------------------------------------------------------


def test_iris_has_150_flowers_4_measurements_and_3_species():
    iris = data.load_iris()
    assert iris.features.shape == (150, 4)
    assert iris.feature_names == ("sepal length", "sepal width", "petal length", "petal width")
    assert iris.class_names == ("setosa", "versicolor", "virginica")
    assert np.bincount(iris.labels).tolist() == [50, 50, 50]
    assert iris.origin == "bundled"
    assert "scikit-learn" in iris.source


# --- MNIST offline ----------------------------------------------------------


def test_offline_mnist_is_the_real_subset_with_keras_shapes_and_all_digits():
    digits = data.load_mnist(mode="offline")
    assert digits.origin == "offline subset"
    assert digits.x_train.shape == (4000, 28, 28) and digits.x_test.shape == (1000, 28, 28)
    for images, labels in [(digits.x_train, digits.y_train), (digits.x_test, digits.y_test)]:
        assert images.dtype == np.uint8 and labels.dtype == np.uint8
        assert labels.shape == (len(images),)
    # Stratified: every digit is a tenth of each part.
    assert np.bincount(digits.y_train).tolist() == [400] * 10
    assert np.bincount(digits.y_test).tolist() == [100] * 10
    # Real handwriting: dark background, bright strokes using the full 0-255 range.
    assert digits.x_train.max() == 255
    assert np.median(digits.x_train) == 0
    assert digits.class_names == tuple("0123456789")
    assert "5,000-image MNIST subset" in digits.source


def test_offline_mnist_is_shuffled_and_reproducible():
    first = data.load_mnist(mode="offline", seed=0)
    again = data.load_mnist(mode="offline", seed=0)
    other = data.load_mnist(mode="offline", seed=1)
    assert np.array_equal(first.x_train, again.x_train)
    assert not np.array_equal(first.y_train, other.y_train)
    # The shipped file is sorted by digit; the training set must not be.
    assert len(set(first.y_train[:50].tolist())) > 5


def test_no_network_in_auto_mode_falls_back_to_the_subset_and_says_why():
    digits = data.load_mnist()
    assert digits.origin == "offline subset"
    assert "could not be downloaded" in digits.source


def test_forced_offline_ignores_a_valid_cache(tmp_path, monkeypatch):
    cache = data.keras_cache_dir()
    cache.mkdir(parents=True)
    use_remote(monkeypatch, "http://127.0.0.1:9/mnist.npz", fake_mnist(cache / "mnist.npz"))
    monkeypatch.setenv(common.MODE_VARIABLE, "offline")
    assert data.load_mnist().origin == "offline subset"


# --- MNIST online, without network --------------------------------------------


def test_online_mode_uses_a_valid_file_in_the_keras_cache(monkeypatch):
    cache = data.keras_cache_dir()
    cache.mkdir(parents=True)
    use_remote(monkeypatch, "http://127.0.0.1:9/mnist.npz", fake_mnist(cache / "mnist.npz"))
    monkeypatch.setenv(common.MODE_VARIABLE, "online")
    digits = data.load_mnist()
    assert digits.origin == "cache"
    assert digits.x_train.shape == (60, 28, 28) and digits.x_test.shape == (10, 28, 28)
    assert digits.source == "The full MNIST data set (70 images), read from the download cache."


def test_our_cache_is_where_keras_looks(tmp_path):
    """Keras' own get_file finds, without downloading, the file we place."""
    cache = data.keras_cache_dir()
    cache.mkdir(parents=True)
    sha256 = fake_mnist(cache / "mnist.npz")
    code = (
        "import keras; print(keras.utils.get_file('mnist.npz', "
        f"origin='http://127.0.0.1:9/unreachable', file_hash='{sha256}'))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert Path(found) == cache / "mnist.npz"


def test_the_download_is_checked_and_lands_in_the_cache(server, monkeypatch):
    served, url = server
    use_remote(monkeypatch, f"{url}/mnist.npz", fake_mnist(served / "mnist.npz"))
    digits = data.load_mnist(mode="online")
    assert digits.origin == "download"
    assert "downloaded now" in digits.source
    cached = data.keras_cache_dir() / "mnist.npz"
    assert cached.read_bytes() == (served / "mnist.npz").read_bytes()
    assert list(cached.parent.iterdir()) == [cached]  # no partial download left behind
    assert data.load_mnist(mode="online").origin == "cache"


def test_a_truncated_cached_file_is_replaced_by_a_fresh_download(server, monkeypatch):
    served, url = server
    use_remote(monkeypatch, f"{url}/mnist.npz", fake_mnist(served / "mnist.npz"))
    cached = data.keras_cache_dir() / "mnist.npz"
    cached.parent.mkdir(parents=True)
    cached.write_bytes((served / "mnist.npz").read_bytes()[:1000])
    assert data.load_mnist(mode="auto").origin == "download"
    assert cached.read_bytes() == (served / "mnist.npz").read_bytes()


def test_a_corrupted_cached_file_without_network_falls_back_in_auto_mode():
    cached = data.keras_cache_dir() / "mnist.npz"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"not a numpy archive")
    digits = data.load_mnist()
    assert digits.origin == "offline subset"
    assert not cached.exists()  # never used, never left for Keras to trip over


def test_online_mode_without_network_stops_with_one_clear_sentence():
    with pytest.raises(data.DataUnavailableError) as caught:
        data.load_mnist(mode="online")
    message = str(caught.value)
    assert message.startswith("Could not download https://")
    assert "DLCOURSE_DATA=auto" in message
    assert "\n" not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_download_that_does_not_match_its_checksum_is_rejected(server, monkeypatch):
    served, url = server
    fake_mnist(served / "mnist.npz")
    use_remote(monkeypatch, f"{url}/mnist.npz", "0" * 64)
    with pytest.raises(data.DataUnavailableError, match="does not match its checksum"):
        data.load_mnist(mode="online")
    assert list(data.keras_cache_dir().iterdir()) == []
    # In auto mode the same failure falls back instead.
    assert data.load_mnist(mode="auto").origin == "offline subset"


def test_keras_cache_dir_defaults_to_home(monkeypatch, tmp_path):
    monkeypatch.delenv("KERAS_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert data.keras_cache_dir() == tmp_path / ".keras" / "datasets"


# --- modes and bad arguments --------------------------------------------------


@pytest.mark.parametrize("value, mode", [("", "auto"), ("ONLINE", "online"), (" offline ", "offline")])
def test_the_environment_variable_chooses_the_mode(monkeypatch, value, mode):
    monkeypatch.setenv(common.MODE_VARIABLE, value)
    assert data.data_mode() == mode


def test_an_unknown_mode_in_the_environment_is_named(monkeypatch):
    monkeypatch.setenv(common.MODE_VARIABLE, "sometimes")
    with pytest.raises(ValueError) as caught:
        data.load_mnist()
    assert str(caught.value) == (
        "The environment variable DLCOURSE_DATA must be one of 'auto', 'online' or 'offline', "
        "not 'sometimes'."
    )


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"mode": "fast"}, ValueError, "mode must be one of 'auto', 'online' or 'offline', not 'fast'."),
        ({"mode": 1}, TypeError, "mode must be a string such as 'auto', not int."),
        ({"seed": "0"}, TypeError, "seed must be an integer, not str."),
        ({"seed": True}, TypeError, "seed must be an integer, not bool."),
    ],
)
def test_bad_arguments_get_one_clear_sentence(kwargs, error, words):
    with pytest.raises(error) as caught:
        data.load_mnist(**kwargs)
    assert str(caught.value) == words


def test_the_photo_is_a_real_grey_photograph_with_its_licence():
    photo = data.load_photo()
    assert photo.pixels.shape == (512, 512) and photo.pixels.dtype == np.uint8
    assert photo.pixels.std() > 30  # a photograph, not a flat grey
    assert "CC0" in photo.source


def test_the_own_images_are_nine_dark_on_light_digits_and_a_cat():
    images = data.load_own_images()
    assert images.pixels.shape == (10, 28, 28) and images.pixels.dtype == np.uint8
    assert images.labels == (1, 2, 3, 4, 5, 6, 7, 8, 9, None)
    assert images.names[-1] == "cat" and "CC0" in images.source
    digits = images.pixels[:9]
    # Dark on light: the border is white, the ink in the middle is dark (MNIST is the opposite).
    assert (digits[:, 0, :] == 255).all() and (digits.min(axis=(1, 2)) < 60).all()
    assert len({image.tobytes() for image in images.pixels}) == 10


# --- wine ---------------------------------------------------------------------


def test_wine_has_178_wines_13_measurements_of_very_different_scales():
    wine = data.load_wine()
    assert wine.features.shape == (178, 13)
    assert wine.feature_names[0] == "alcohol" and wine.feature_names[-1] == "proline"
    assert np.bincount(wine.labels).tolist() == [59, 71, 48]
    assert wine.class_names == ("cultivar 0", "cultivar 1", "cultivar 2")
    # What the lesson on scaling relies on: magnitudes a thousand times apart.
    means = wine.features.mean(axis=0)
    assert means.max() / means.min() > 1000
    assert wine.origin == "bundled" and "scikit-learn" in wine.source


# --- Fashion-MNIST ------------------------------------------------------------


def idx_file(path, array):
    """Write `array` in the IDX format of the MNIST files, gzipped; return the content's SHA-256."""
    header = bytes([0, 0, 8, array.ndim]) + b"".join(
        size.to_bytes(4, "big") for size in array.shape
    )
    content = header + array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(content))
    return hashlib.sha256(content).hexdigest()


@pytest.fixture
def fake_fashion(tmp_path, monkeypatch):
    """Small Fashion-MNIST files in a folder; the loader's file table points at them."""
    rng = np.random.default_rng(1)
    arrays = {
        "x_train": rng.integers(0, 256, (20, 28, 28), dtype=np.uint8),
        "y_train": np.arange(20, dtype=np.uint8) % 10,
        "x_test": rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
        "y_test": np.arange(10, dtype=np.uint8)[::-1],
    }
    folder = tmp_path / "fashion-files"
    folder.mkdir()
    remotes = {}
    for part, remote in registry.FASHION_MNIST_REMOTES.items():
        name = Path(remote.filename).name
        sha256 = idx_file(folder / name, arrays[part])
        remotes[part] = data.Remote(f"http://127.0.0.1:9/{name}", sha256, remote.filename,
                                    gzipped=True)
    monkeypatch.setattr(registry, "FASHION_MNIST_REMOTES", remotes)
    monkeypatch.setattr(fashion, "FASHION_MNIST_DEBIAN", tmp_path / "no-package")
    return folder, arrays


def serve_fashion(monkeypatch, folder, served, url):
    """Serve the fake files from the loopback server and point the file table at it."""
    for remote in registry.FASHION_MNIST_REMOTES.values():
        name = Path(remote.filename).name
        (served / name).write_bytes((folder / name).read_bytes())
    monkeypatch.setattr(registry, "FASHION_MNIST_REMOTES", {
        part: data.Remote(f"{url}/{Path(remote.filename).name}", remote.sha256,
                          remote.filename, gzipped=True)
        for part, remote in registry.FASHION_MNIST_REMOTES.items()
    })


@pytest.mark.skipif(
    not fashion.FASHION_MNIST_DEBIAN.exists() and not os.environ.get("CI"),
    reason="Debian's dataset-fashion-mnist is not installed (.ci/run installs it)",
)
def test_offline_fashion_mnist_is_the_full_real_data_set_from_the_debian_package():
    clothes = data.load_fashion_mnist(mode="offline")
    assert clothes.origin == "Debian package"
    assert clothes.x_train.shape == (60000, 28, 28) and clothes.x_test.shape == (10000, 28, 28)
    assert clothes.x_train.dtype == np.uint8 and clothes.y_train.dtype == np.uint8
    assert np.bincount(clothes.y_train).tolist() == [6000] * 10
    assert np.bincount(clothes.y_test).tolist() == [1000] * 10
    # The published order: the first training image is an ankle boot, then two T-shirts.
    assert clothes.y_train[:10].tolist() == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]
    assert round(clothes.x_train.mean() / 255, 4) == 0.2860  # the often-quoted mean
    assert clothes.class_names[0] == "T-shirt/top" and clothes.class_names[9] == "Ankle boot"
    assert "70,000 images" in clothes.source and "dataset-fashion-mnist" in clothes.source
    clothes.x_train[0, 0, 0] = 1  # writable, like Keras' arrays


def test_the_package_folder_is_read_and_checked(fake_fashion, monkeypatch):
    folder, arrays = fake_fashion
    monkeypatch.setattr(fashion, "FASHION_MNIST_DEBIAN", folder)
    clothes = data.load_fashion_mnist(mode="offline")
    assert clothes.origin == "Debian package"
    for part, array in arrays.items():
        assert np.array_equal(getattr(clothes, part), array)


def test_a_recompressed_copy_with_the_same_content_is_accepted(fake_fashion, monkeypatch):
    """Debian recompresses the files: the checksum is of the content, not of the .gz."""
    folder, arrays = fake_fashion
    name = "train-images-idx3-ubyte.gz"
    content = gzip.decompress((folder / name).read_bytes())
    (folder / name).write_bytes(gzip.compress(content, compresslevel=1, mtime=12345))
    monkeypatch.setattr(fashion, "FASHION_MNIST_DEBIAN", folder)
    assert np.array_equal(data.load_fashion_mnist(mode="offline").x_train, arrays["x_train"])


def test_a_damaged_package_file_is_named_and_never_used(fake_fashion, monkeypatch):
    folder, _ = fake_fashion
    name = "t10k-images-idx3-ubyte.gz"
    (folder / name).write_bytes((folder / name).read_bytes()[:-200])  # truncated
    monkeypatch.setattr(fashion, "FASHION_MNIST_DEBIAN", folder)
    monkeypatch.setattr(fashion, "_debian_like", lambda: True)
    with pytest.raises(data.DataUnavailableError) as caught:
        data.load_fashion_mnist(mode="offline")
    message = str(caught.value)
    assert f"{folder / name} is damaged" in message
    assert "sudo apt install dataset-fashion-mnist" in message and "\n" not in message


@pytest.mark.parametrize("debian", [True, False], ids=["Debian or Ubuntu", "elsewhere"])
def test_without_package_or_network_fashion_mnist_stops_with_one_clear_sentence(
    fake_fashion, monkeypatch, debian
):
    monkeypatch.setattr(fashion, "_debian_like", lambda: debian)
    with pytest.raises(data.DataUnavailableError) as caught:
        data.load_fashion_mnist()
    message = str(caught.value)
    assert message.startswith("Could not download http://127.0.0.1:9/train-images")
    advice = ("To work without internet, run `python -m dlcourse.data download` once where "
              "you have internet")
    package = ("; on Debian or Ubuntu you can also install Debian's package "
               "dataset-fashion-mnist (sudo apt install dataset-fashion-mnist).")
    assert message.endswith(advice + (package if debian else "."))
    assert "\n" not in message and caught.value.__cause__ is None


@pytest.mark.parametrize("debian", [True, False], ids=["Debian or Ubuntu", "elsewhere"])
def test_offline_mode_without_the_package_says_how_to_get_it(fake_fashion, monkeypatch, debian):
    monkeypatch.setattr(fashion, "_debian_like", lambda: debian)
    with pytest.raises(data.DataUnavailableError) as caught:
        data.load_fashion_mnist(mode="offline")
    message = str(caught.value)
    assert "no-package/train-images-idx3-ubyte.gz does not exist" in message
    assert message.endswith("set DLCOURSE_DATA=auto to use a copy that `python -m dlcourse.data "
                            "download` fetched, or to download it.")
    assert ("sudo apt install dataset-fashion-mnist" in message) is debian


def test_debian_and_ubuntu_are_told_from_other_systems(monkeypatch):
    releases = [({"ID": "debian"}, True), ({"ID": "ubuntu", "ID_LIKE": "debian"}, True),
                ({"ID": "linuxmint", "ID_LIKE": "ubuntu debian"}, True),
                ({"ID": "fedora"}, False)]
    for release, expected in releases:
        monkeypatch.setattr(fashion.platform, "freedesktop_os_release", lambda: release)
        assert fashion._debian_like() is expected

    def missing():
        raise OSError("no os-release file: macOS, Windows")

    monkeypatch.setattr(fashion.platform, "freedesktop_os_release", missing)
    assert fashion._debian_like() is False


def test_fashion_mnist_downloads_into_keras_cache_and_is_read_from_it_next(
    fake_fashion, server, monkeypatch
):
    folder, arrays = fake_fashion
    served, url = server
    serve_fashion(monkeypatch, folder, served, url)
    clothes = data.load_fashion_mnist()
    assert clothes.origin == "download" and "downloaded now" in clothes.source
    assert np.array_equal(clothes.x_test, arrays["x_test"])
    cached = data.keras_cache_dir() / "fashion-mnist"
    assert sorted(path.name for path in cached.iterdir()) == sorted(
        Path(remote.filename).name for remote in registry.FASHION_MNIST_REMOTES.values()
    )
    assert data.load_fashion_mnist(mode="online").origin == "cache"


def test_online_mode_skips_the_package_and_a_truncated_download_is_replaced(
    fake_fashion, server, monkeypatch
):
    folder, arrays = fake_fashion
    served, url = server
    serve_fashion(monkeypatch, folder, served, url)
    monkeypatch.setattr(fashion, "FASHION_MNIST_DEBIAN", folder)  # present, but not online
    cached = data.keras_cache_dir() / "fashion-mnist" / "train-labels-idx1-ubyte.gz"
    cached.parent.mkdir(parents=True)
    cached.write_bytes((folder / cached.name).read_bytes()[:30])
    clothes = data.load_fashion_mnist(mode="online")
    assert clothes.origin == "download"
    assert cached.read_bytes() == (folder / cached.name).read_bytes()
    assert np.array_equal(clothes.y_train, arrays["y_train"])


def test_the_auto_mode_prefers_the_package_to_the_network(fake_fashion, monkeypatch):
    folder, _ = fake_fashion
    monkeypatch.setattr(fashion, "FASHION_MNIST_DEBIAN", folder)
    assert data.load_fashion_mnist().origin == "Debian package"  # no network needed


def test_fashion_mnist_names_a_bad_mode():
    with pytest.raises(ValueError, match="mode must be one of"):
        data.load_fashion_mnist(mode="sometimes")


# --- flower photos ------------------------------------------------------------


def flower_archive(path, per_class=6):
    """Write a small archive laid out like flower_photos.tgz; return its SHA-256.

    Each photo is a JPEG of one flat colour per class, in a different shape
    per photo, so the loader's crop and resize can be checked.
    """
    import io
    import tarfile

    from PIL import Image

    colours = {"daisy": (250, 250, 240), "dandelion": (240, 200, 0), "roses": (200, 0, 30),
               "sunflowers": (250, 170, 0), "tulips": (180, 0, 150)}
    with tarfile.open(path, "w:gz") as archive:
        def add(name, content):
            member = tarfile.TarInfo(name)
            member.size = len(content)
            archive.addfile(member, io.BytesIO(content))

        add("flower_photos/LICENSE.txt", b"All images in this archive are CC BY 2.0.\n")
        for name, colour in colours.items():
            for number in range(per_class):
                jpeg = io.BytesIO()
                Image.new("RGB", (120 + 10 * number, 90), colour).save(jpeg, "JPEG")
                add(f"flower_photos/{name}/{number}.jpg", jpeg.getvalue())
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def use_flowers(monkeypatch, url, sha256):
    monkeypatch.setattr(registry, "FLOWER_PHOTOS_REMOTE",
                        data.Remote(url, sha256, "flower_photos.tgz"))


def test_the_flower_photos_are_downloaded_checked_and_sampled(server, monkeypatch):
    served, url = server
    use_flowers(monkeypatch, f"{url}/flower_photos.tgz",
                flower_archive(served / "flower_photos.tgz"))
    photos = data.load_flower_photos(image_size=32, train_per_class=4, test_per_class=2)
    assert photos.origin == "download"
    assert photos.class_names == ("daisy", "dandelion", "roses", "sunflowers", "tulips")
    assert photos.x_train.shape == (20, 32, 32, 3) and photos.x_train.dtype == np.uint8
    assert photos.x_test.shape == (10, 32, 32, 3)
    assert np.bincount(photos.y_train).tolist() == [4] * 5
    assert np.bincount(photos.y_test).tolist() == [2] * 5
    assert photos.y_train[:5].tolist() != sorted(photos.y_train[:5])  # classes mixed
    roses = photos.x_train[photos.y_train == 2].reshape(-1, 3).mean(axis=0)
    assert np.allclose(roses, (200, 0, 30), atol=12)  # each photo keeps its class
    assert "30 photos from Flickr, CC BY 2.0" in photos.source
    assert (data.keras_cache_dir() / "flower_photos.tgz").exists()
    again = data.load_flower_photos(image_size=32, train_per_class=4, test_per_class=2)
    assert again.origin == "cache" and np.array_equal(again.x_train, photos.x_train)


def test_a_truncated_flower_archive_falls_back_with_one_sentence(monkeypatch):
    cache = data.keras_cache_dir()
    cache.mkdir(parents=True)
    sha256 = flower_archive(cache / "flower_photos.tgz")
    use_flowers(monkeypatch, "http://127.0.0.1:9/flower_photos.tgz", sha256)
    archive = cache / "flower_photos.tgz"
    archive.write_bytes(archive.read_bytes()[:-500])
    photos = data.load_flower_photos(image_size=32)
    assert photos.origin == "offline photos"
    first_sentence = photos.source.split(" Instead of")[0]
    assert first_sentence == (
        f"The cached copy {archive} was damaged (it did not match its checksum) and could "
        "not be downloaded again from http://127.0.0.1:9/flower_photos.tgz (no connection to "
        "127.0.0.1: no network in the tests)."
    )
    assert not archive.exists()  # never used, never left for Keras to trip over


def test_without_the_flower_photos_online_mode_stops_with_one_sentence():
    with pytest.raises(data.DataUnavailableError) as caught:
        data.load_flower_photos(mode="online")
    message = str(caught.value)
    assert message.startswith("Could not download https://storage.googleapis.com/")
    assert message.endswith("Set DLCOURSE_DATA=auto to use the offline stand-in instead.")
    assert "\n" not in message


def test_the_offline_photos_are_real_bundled_photos_split_by_place():
    photos = data.load_flower_photos(image_size=64, mode="offline")
    assert photos.origin == "offline photos"
    assert photos.class_names == ("cat", "coffee", "rocket", "flower", "temple")
    assert photos.x_train.shape == (40, 64, 64, 3) and photos.x_test.shape == (50, 64, 64, 3)
    assert np.bincount(photos.y_train).tolist() == [8] * 5
    assert photos.x_train.std() > 30  # photographs, not flat colours
    assert photos.source.startswith("Offline mode was chosen. Instead of the flower photos")
    assert "CC0" in photos.source and "CC BY 2.0" in photos.source
    again = data.load_flower_photos(image_size=64, mode="offline")
    assert np.array_equal(again.x_train, photos.x_train)  # the same crops every time
    fewer = data.load_flower_photos(image_size=64, train_per_class=5, test_per_class=3,
                                    mode="offline")
    assert fewer.x_train.shape[0] == 25 and fewer.x_test.shape[0] == 15


def test_too_many_photos_per_class_are_refused_with_the_limit(server, monkeypatch):
    served, url = server
    use_flowers(monkeypatch, f"{url}/flower_photos.tgz",
                flower_archive(served / "flower_photos.tgz"))
    with pytest.raises(ValueError) as caught:
        data.load_flower_photos(image_size=32, train_per_class=5, test_per_class=2)
    assert str(caught.value) == ("train_per_class + test_per_class must be at most 6 (the "
                                 "photos of the smallest class), not 7.")


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"image_size": 16}, ValueError, "image_size must be from 32 to 512, not 16."),
        ({"image_size": 128.0}, TypeError, "image_size must be a whole number, not float."),
        ({"train_per_class": 0}, ValueError, "train_per_class must be at least 1, not 0."),
        ({"seed": -1}, ValueError, "seed must be at least 0, not -1."),
    ],
)
def test_bad_photo_arguments_get_one_clear_sentence(kwargs, error, words):
    with pytest.raises(error) as caught:
        data.load_flower_photos(mode="offline", **kwargs)
    assert str(caught.value) == words


# --- MobileNetV2 weights -------------------------------------------------------


@pytest.fixture(scope="module")
def weights_file(tmp_path_factory):
    """A weights file saved from MobileNetV2 without its top at 128 x 128, in the
    legacy HDF5 layout of Keras' ImageNet files, and the weights it holds."""
    import warnings

    import keras

    keras.utils.set_random_seed(5)
    model = keras.applications.MobileNetV2(input_shape=(128, 128, 3), include_top=False,
                                           weights=None)
    path = tmp_path_factory.mktemp("weights") / "saved.h5"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras calls the HDF5 format legacy
        model.save(path)
    return path, model.get_weights()


def place_weights(monkeypatch, weights_file):
    """Put the saved weights where Keras caches MobileNetV2's ImageNet weights."""
    saved, _ = weights_file
    remote = registry.mobilenet_v2_remote(128)
    cached = data.keras_cache_dir("models") / remote.filename
    cached.parent.mkdir(parents=True)
    cached.write_bytes(saved.read_bytes())
    # The real file's size is Keras'; this one's is what a file saved here has.
    monkeypatch.setattr(registry, "MOBILENET_V2_BYTES", saved.stat().st_size)
    return cached


def test_weights_in_the_keras_cache_are_used_and_reported_pretrained(
    weights_file, monkeypatch
):
    import keras

    cached = place_weights(monkeypatch, weights_file)
    assert cached.name == "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_128_no_top.h5"
    assert cached.parent == Path(os.environ["KERAS_HOME"]) / "models"
    weights = data.load_mobilenet_v2_weights(image_size=128)
    assert weights.status == "pretrained" and weights.path == cached
    assert weights.source == ("MobileNetV2's ImageNet weights for 128 x 128 images, read "
                              "from the download cache.")
    model = keras.applications.MobileNetV2(input_shape=(128, 128, 3), include_top=False,
                                           weights=weights.path)
    _, expected = weights_file
    assert all(np.array_equal(got, want) for got, want in zip(model.get_weights(), expected))


def test_keras_itself_finds_the_weights_we_check(weights_file, monkeypatch):
    """weights="imagenet" in a learner's own code uses the same file, without network."""
    place_weights(monkeypatch, weights_file)
    code = (
        "import keras, numpy; m = keras.applications.MobileNetV2(input_shape=(128, 128, 3), "
        "include_top=False, weights='imagenet'); print(float(m.get_weights()[0].sum()))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.strip()
    _, expected = weights_file
    assert float(found) == pytest.approx(float(expected[0].sum()))


def test_truncated_weights_fall_back_to_random_with_one_sentence(weights_file, monkeypatch):
    cached = place_weights(monkeypatch, weights_file)
    cached.write_bytes(cached.read_bytes()[:100_000])
    weights = data.load_mobilenet_v2_weights(image_size=128)
    assert weights.status == "random" and weights.path is None
    assert weights.source == (
        f"The cached copy {cached} was damaged (it did not match its checksum) and could not "
        f"be downloaded again from {registry.MOBILENET_V2_URL}{cached.name} (no connection to "
        "storage.googleapis.com: no network in the tests), so the base model starts from "
        "random weights and has learned nothing from ImageNet."
    )
    assert not cached.exists()


def test_the_weights_are_downloaded_into_keras_models_folder(server, weights_file,
                                                             monkeypatch):
    served, url = server
    saved, _ = weights_file
    name = registry.mobilenet_v2_remote(160).filename
    (served / name).write_bytes(saved.read_bytes())
    monkeypatch.setattr(registry, "MOBILENET_V2_URL", f"{url}/")
    monkeypatch.setattr(registry, "MOBILENET_V2_BYTES", saved.stat().st_size)
    weights = data.load_mobilenet_v2_weights(image_size=160, mode="online")
    assert weights.status == "pretrained" and "downloaded now" in weights.source
    assert weights.path == data.keras_cache_dir("models") / name


def test_a_short_weights_download_is_rejected(server, weights_file, monkeypatch):
    served, url = server
    saved, _ = weights_file
    name = registry.mobilenet_v2_remote(128).filename
    (served / name).write_bytes(saved.read_bytes()[:-1])
    monkeypatch.setattr(registry, "MOBILENET_V2_URL", f"{url}/")
    monkeypatch.setattr(registry, "MOBILENET_V2_BYTES", saved.stat().st_size)
    weights = data.load_mobilenet_v2_weights(image_size=128)
    assert weights.status == "random"
    assert weights.source.startswith(f"The file downloaded from {url}/{name} does not match")


def test_without_weights_offline_and_online_modes_say_so():
    offline = data.load_mobilenet_v2_weights(mode="offline")
    assert offline.status == "random" and offline.path is None
    assert offline.source.startswith("No ImageNet weights in offline mode")
    with pytest.raises(data.DataUnavailableError) as caught:
        data.load_mobilenet_v2_weights(mode="online")
    assert str(caught.value).endswith(
        "Set DLCOURSE_DATA=auto to go on with random weights instead.")


def test_weights_exist_only_for_some_sizes():
    with pytest.raises(ValueError) as caught:
        data.load_mobilenet_v2_weights(image_size=150)
    assert str(caught.value) == "image_size must be one of (128, 160, 224), not 150."


# --- the small text of lesson 6 -------------------------------------------------


def test_the_sentences_follow_the_grammar_and_are_reproducible():
    text = data.load_sentences(count=500, seed=3)
    assert len(text.sentences) == 500 and "CC0" in text.source
    kinds = {word: kind for kind, words in data.GRAMMAR_WORDS.items() for word in words}
    for sentence in text.sentences:
        words = sentence.split()
        assert words[0] in ("the", "a") and kinds[words[1]] in ("animal", "person")
        assert words[-2] == "on" and kinds[words[-1]] == "day"
        if words[2] == "eats":
            assert len(words) == 6 and kinds[words[3]] == "food"
        else:
            assert words[2] in ("sees", "likes", "wants") and words[3] == "the"
            assert kinds[words[4]] == "colour" and kinds[words[5]] == "thing"
    used = {word for sentence in text.sentences for word in sentence.split()}
    assert set(kinds) <= used  # every word of every kind appears
    assert data.load_sentences(count=500, seed=3) == text
    assert data.load_sentences(count=500, seed=4) != text


def test_bad_sentence_counts_get_one_clear_sentence():
    with pytest.raises(ValueError) as caught:
        data.load_sentences(count=0)
    assert str(caught.value) == "count must be at least 1, not 0."


def test_a_remote_without_checksum_or_size_is_refused():
    with pytest.raises(ValueError, match="needs a checksum or at least a size"):
        data.Remote("http://127.0.0.1:9/file", None, "file")


# --- how a download behaves: progress, retries, timeout ---------------------------


def test_a_download_shows_a_progress_bar_on_stderr(server, monkeypatch, capsys):
    served, url = server
    use_remote(monkeypatch, f"{url}/mnist.npz", fake_mnist(served / "mnist.npz"))
    assert data.load_mnist(mode="online").origin == "download"
    size = (served / "mnist.npz").stat().st_size
    bar = capsys.readouterr().err
    assert "100%|" in bar and f"{size / 1000:.1f}k/{size / 1000:.1f}k" in bar, bar
    data.load_mnist(mode="online")  # from the cache: nothing to watch
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("where", ["Colab", "Jupyter", "book build"])
def test_a_download_in_a_notebook_shows_its_progress_except_in_the_book_build(
        where, server, monkeypatch):
    """A learner in Colab or Jupyter sees a progress bar. The book's build sets
    TQDM_DISABLE=1 (see _ext/course_build.py), since it turns a notebook's
    stderr into a failing warning: there a download writes nothing, and pooch
    neither warns nor logs."""
    import nbclient
    import nbformat

    served, url = server
    sha256 = fake_mnist(served / "mnist.npz")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        ("import sys, types; sys.modules['google.colab'] = types.ModuleType('colab')\n"
         if where == "Colab" else "")
        + "from dlcourse.data import load_mnist, registry, Remote\n"
        f"registry.MNIST_REMOTE = Remote('{url}/mnist.npz', '{sha256}', 'mnist.npz')\n"
        "print(load_mnist(mode='online').source)"
    )])
    monkeypatch.setenv("PYTHONPATH", str(Path(data.__file__).parents[2]))
    if where == "book build":
        monkeypatch.setenv("TQDM_DISABLE", "1")
    else:
        monkeypatch.delenv("TQDM_DISABLE", raising=False)
    nbclient.NotebookClient(notebook, kernel_name="python3", timeout=120).execute()
    outputs = notebook.cells[0].outputs
    printed = [output for output in outputs if output.get("name") == "stdout"]
    assert [output["text"] for output in printed] == [
        "The full MNIST data set (70 images), downloaded now.\n"]
    others = [str(output) for output in outputs if output not in printed]
    if where == "book build":
        assert others == []
    else:  # a widget where ipywidgets is installed, else text on stderr
        assert others and all("%|" in output or "widget" in output for output in others), others


def test_a_server_error_is_retried(server, monkeypatch):
    served, url = server
    use_remote(monkeypatch, f"{url}/mnist.npz", fake_mnist(served / "mnist.npz"))
    server.failures.append(503)
    assert data.load_mnist(mode="online").origin == "download"
    assert server.requests == ["/mnist.npz", "/mnist.npz"]


def test_a_connection_closed_without_an_answer_is_retried(server, monkeypatch):
    served, url = server
    use_remote(monkeypatch, f"{url}/mnist.npz", fake_mnist(served / "mnist.npz"))
    server.failures.append(None)
    assert data.load_mnist(mode="online").origin == "download"
    assert server.requests == ["/mnist.npz", "/mnist.npz"]


def test_a_server_that_keeps_failing_is_named_with_its_answer(server, monkeypatch):
    served, url = server
    use_remote(monkeypatch, f"{url}/mnist.npz", "0" * 64)  # not served: 404
    monkeypatch.setattr(download, "DOWNLOAD_RETRIES", 0)
    with pytest.raises(data.DataUnavailableError) as caught:
        data.load_mnist(mode="online")
    assert str(caught.value).startswith(
        f"Could not download {url}/mnist.npz (the server answered 404 File not found).")


def test_without_a_connection_there_is_no_retry(monkeypatch):
    """Offline, the loaders fall back at once instead of waiting for retries."""
    attempts = []

    def refused(*args, **kwargs):
        attempts.append(args)
        raise ConnectionRefusedError("refused")

    monkeypatch.setattr(urllib3.util.connection, "create_connection", refused)
    assert data.load_mnist().origin == "offline subset"
    assert len(attempts) == 1


@pytest.fixture
def silent_server():
    """The address of a server on loopback that accepts connections and never answers."""
    import socket

    with socket.create_server(("127.0.0.1", 0)) as silent:
        yield f"http://127.0.0.1:{silent.getsockname()[1]}"


def test_a_server_that_does_not_answer_times_out(silent_server, monkeypatch):
    monkeypatch.setattr(download, "DOWNLOAD_TIMEOUT", 0.5)
    monkeypatch.setattr(download, "DOWNLOAD_RETRIES", 0)
    use_remote(monkeypatch, f"{silent_server}/mnist.npz", "0" * 64)
    with pytest.raises(data.DataUnavailableError) as caught:
        data.load_mnist(mode="online")
    assert "(no answer within 0.5 seconds)." in str(caught.value)
    assert data.load_mnist().origin == "offline subset"


# --- caches in odd states -------------------------------------------------------


def test_a_folder_left_by_keras_at_the_archive_path_does_not_stop_the_flowers(
    server, monkeypatch
):
    """keras.utils.get_file(origin=..., extract=True) unpacks flower_photos.tgz
    into a folder of that name and keeps the archive as flower_photos.tgz_archive."""
    served, url = server
    use_flowers(monkeypatch, f"{url}/flower_photos.tgz",
                flower_archive(served / "flower_photos.tgz"))
    folder = data.keras_cache_dir() / "flower_photos.tgz"
    (folder / "flower_photos").mkdir(parents=True)
    photos = data.load_flower_photos(image_size=32, train_per_class=4, test_per_class=2)
    assert photos.origin == "download"
    archive = data.keras_cache_dir() / "flower_photos.tgz_archive"
    assert archive.read_bytes() == (served / "flower_photos.tgz").read_bytes()
    assert (folder / "flower_photos").is_dir()  # Keras' folder is left alone
    again = data.load_flower_photos(image_size=32, train_per_class=4, test_per_class=2)
    assert again.origin == "cache"


def test_a_folder_at_the_archive_path_without_network_falls_back(monkeypatch):
    (data.keras_cache_dir() / "flower_photos.tgz").mkdir(parents=True)
    photos = data.load_flower_photos(image_size=32)
    assert photos.origin == "offline photos"
    assert photos.source.startswith("Could not download https://")


def test_an_unwritable_keras_home_downloads_to_the_temporary_one(server, monkeypatch,
                                                                  tmp_path):
    served, url = server
    use_remote(monkeypatch, f"{url}/mnist.npz", fake_mnist(served / "mnist.npz"))
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("Keras' home cannot be made under a file")
    monkeypatch.setenv("KERAS_HOME", str(not_a_folder / "keras"))
    digits = data.load_mnist(mode="online")
    assert digits.origin == "download"
    temporary = tmp_path / "temporary-keras" / "datasets" / "mnist.npz"
    assert temporary.read_bytes() == (served / "mnist.npz").read_bytes()
    assert data.load_mnist(mode="online").origin == "cache"


def test_a_shared_keras_home_that_learners_cannot_write_is_read(monkeypatch):
    """A classroom's KERAS_HOME, prepared by the instructor, is read-only for learners."""
    cache = data.keras_cache_dir()
    cache.mkdir(parents=True)
    use_remote(monkeypatch, "http://127.0.0.1:9/mnist.npz", fake_mnist(cache / "mnist.npz"))
    real_access = os.access
    monkeypatch.setattr(os, "access",  # as for a learner; the tests run as root
                        lambda path, mode: mode != os.W_OK and real_access(path, mode))
    digits = data.load_mnist(mode="online")
    assert digits.origin == "cache" and "read from the download cache" in digits.source


def test_without_a_writable_home_folder_keras_home_is_the_temporary_one(monkeypatch,
                                                                        tmp_path):
    """As keras/src/backend/config.py: ~/.keras, or /tmp/.keras if ~ cannot be written."""
    monkeypatch.delenv("KERAS_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "no-such-home"))
    assert data.keras_cache_dir() == tmp_path / "temporary-keras" / "datasets"


def test_a_tilde_in_keras_home_is_the_home_folder(server, monkeypatch, tmp_path):
    served, url = server
    use_remote(monkeypatch, f"{url}/mnist.npz", fake_mnist(served / "mnist.npz"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KERAS_HOME", "~/shared-keras")
    monkeypatch.chdir(tmp_path)
    assert data.keras_cache_dir("models") == tmp_path / "home" / "shared-keras" / "models"
    assert data.load_mnist(mode="online").origin == "download"
    assert (tmp_path / "home" / "shared-keras" / "datasets" / "mnist.npz").is_file()
    assert not (tmp_path / "~").exists()


# --- preparing a classroom: python -m dlcourse.data status / download -------------


@pytest.fixture
def served_downloads(server, monkeypatch, weights_file):
    """Small stand-ins of every download, served on loopback; the registry points at them."""
    from dlcourse.data.__main__ import main

    served, url = server
    use_remote(monkeypatch, f"{url}/mnist.npz", fake_mnist(served / "mnist.npz"))
    remotes = {}
    for part, remote in registry.FASHION_MNIST_REMOTES.items():
        name = Path(remote.filename).name
        sha256 = idx_file(served / name, np.arange(4 * 28 * 28, dtype=np.uint8).reshape(4, 28, 28))
        remotes[part] = data.Remote(f"{url}/{name}", sha256, remote.filename, gzipped=True)
    monkeypatch.setattr(registry, "FASHION_MNIST_REMOTES", remotes)
    use_flowers(monkeypatch, f"{url}/flower_photos.tgz",
                flower_archive(served / "flower_photos.tgz"))
    saved, _ = weights_file
    weights = registry.mobilenet_v2_remote(registry.LESSON_IMAGE_SIZE).filename
    (served / weights).write_bytes(saved.read_bytes())
    monkeypatch.setattr(registry, "MOBILENET_V2_URL", f"{url}/")
    monkeypatch.setattr(registry, "MOBILENET_V2_BYTES", saved.stat().st_size)
    return main


def status_rows(text):
    """The status table's rows after its header and rule: its columns by name."""
    import re

    header, rule, *lines = text.splitlines()
    columns = re.split(r"  +", header)
    assert columns[:4] == ["Name", "Used for", "Size", "Verified copy"]
    assert columns[4].startswith("Where, under ") and set(rule) == {"-", " "}
    rows = [dict(zip(columns, re.split(r"  +", line))) for line in lines]
    return {row["Name"]: {**row, "Where": row[columns[4]]} for row in rows}


def test_status_lists_every_download_and_download_fetches_them_all(served_downloads, capsys):
    main = served_downloads
    assert main(["status"]) == 0
    before = status_rows(capsys.readouterr().out)
    assert list(before) == ["mnist", "fashion-mnist", "flower-photos", "mobilenet-v2"]
    assert [row["Verified copy"] for row in before.values()] == ["no"] * 4
    assert before["flower-photos"]["Size"] == "228.8 MB"
    assert before["flower-photos"]["Used for"] == "lesson 5: flowers"
    assert before["fashion-mnist"]["Where"] == "datasets/fashion-mnist/ (4 files)"
    assert before["mobilenet-v2"]["Where"] == (
        "models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_128_no_top.h5")

    assert main(["download"]) == 0
    printed = capsys.readouterr()
    assert printed.out.count("downloaded and checked") == 7  # 1 + 4 + 1 + 1 files
    assert printed.err.count("100%|") == 7  # a progress bar for each
    assert main(["status"]) == 0
    after = status_rows(capsys.readouterr().out)
    assert [row["Verified copy"] for row in after.values()] == ["yes"] * 4
    assert data.load_flower_photos(image_size=32, train_per_class=4,
                                   test_per_class=2).origin == "cache"
    assert main(["download"]) == 0  # again: nothing to do
    assert capsys.readouterr().out.count("already there, checked") == 7


def test_download_fetches_only_what_is_named(served_downloads, capsys):
    main = served_downloads
    assert main(["download", "mnist", "mobilenet-v2"]) == 0
    assert capsys.readouterr().out.count("downloaded and checked") == 2
    assert main(["status"]) == 0
    rows = status_rows(capsys.readouterr().out)
    assert [name for name, row in rows.items() if row["Verified copy"] == "yes"] == [
        "mnist", "mobilenet-v2"]
    assert not (data.keras_cache_dir() / "flower_photos.tgz").exists()


def test_status_counts_the_files_of_a_partial_copy(served_downloads, capsys):
    main = served_downloads
    remote = registry.FASHION_MNIST_REMOTES["y_test"]
    data.fetch(remote)
    assert main(["status"]) == 0
    assert status_rows(capsys.readouterr().out)["fashion-mnist"]["Verified copy"] == (
        "1 of 4 files")


def test_status_shows_a_data_set_split_between_two_homes(served_downloads, monkeypatch,
                                                         tmp_path, capsys):
    main = served_downloads
    data.fetch(registry.FASHION_MNIST_REMOTES["y_test"])  # into Keras' home
    monkeypatch.setenv("KERAS_HOME", str(download.TEMPORARY_KERAS_HOME))
    data.fetch(registry.FASHION_MNIST_REMOTES["x_test"])  # into the temporary one
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    assert main(["status"]) == 0
    row = status_rows(capsys.readouterr().out)["fashion-mnist"]
    assert row["Verified copy"] == "2 of 4 files"


def test_an_unknown_name_gets_one_sentence_and_status_2(served_downloads, capsys):
    main = served_downloads
    assert main(["download", "mnist", "cifar10"]) == 2
    printed = capsys.readouterr()
    assert printed.err == ("Unknown name 'cifar10': choose among mnist, fashion-mnist, "
                           "flower-photos, mobilenet-v2.\n")
    assert printed.out == "" and not data.keras_cache_dir().exists()  # nothing fetched


def test_a_failed_download_is_said_and_exits_non_zero(served_downloads, monkeypatch,
                                                      capsys):
    main = served_downloads
    monkeypatch.setattr(registry, "MOBILENET_V2_URL", registry.MOBILENET_V2_URL + "moved/")
    monkeypatch.setattr(download, "DOWNLOAD_RETRIES", 0)
    assert main(["download", "mnist", "mobilenet-v2"]) == 1
    printed = capsys.readouterr()
    assert "mnist.npz: downloaded and checked" in printed.out  # the rest still comes
    assert "(the server answered 404 File not found).\n" in printed.err
    assert printed.err.endswith("Not downloaded: mobilenet-v2.\n")


def test_the_command_runs_as_a_module(tmp_path):
    """What an instructor types: a table of what is in the cache at KERAS_HOME."""
    environment = {**os.environ, "KERAS_HOME": str(tmp_path / "shared")}
    result = subprocess.run([sys.executable, "-m", "dlcourse.data", "status"],
                            capture_output=True, text=True, env=environment)
    assert result.returncode == 0, result.stderr
    assert f"Where, under {tmp_path / 'shared'}" in result.stdout
    assert len(status_rows(result.stdout)) == 4
    wrong = subprocess.run([sys.executable, "-m", "dlcourse.data", "download", "cifar10"],
                           capture_output=True, text=True, env=environment)
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1


def test_pip_install_ships_every_module_of_the_package():
    """A non-editable install (a notebook's `pip install` of the archive) copies only the
    packages pyproject.toml lists: every folder of dlcourse, of modules or of data such as
    the images, must be one (setuptools warns at length, at every install, of a folder it
    would leave out)."""
    import tomllib

    root = Path(data.__file__).parents[2]
    listed = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    folders = [root / "dlcourse", *(path for path in (root / "dlcourse").rglob("*")
                                    if path.is_dir() and path.name != "__pycache__")]
    packages = {".".join(folder.relative_to(root).parts) for folder in folders}
    assert packages == set(listed)
    assert {"dlcourse.data", "dlcourse.images"} <= packages


# --- as_mnist_image: a learner's own picture as MNIST's 28 x 28 grey pixels ----------------


def test_as_mnist_image_crops_the_middle_square_shrinks_it_and_can_invert(tmp_path):
    from PIL import Image

    picture = np.zeros((60, 100, 3), dtype=np.uint8)  # wide: the middle 60 x 60 is kept
    picture[:, 20:80] = 255  # white in the middle, black at both sides
    grey = data.as_mnist_image(picture)
    assert grey.shape == (28, 28) and grey.dtype == np.uint8
    assert grey.min() == 255  # only the white middle remains
    Image.fromarray(picture).save(tmp_path / "digit.png")
    from_file = data.as_mnist_image(tmp_path / "digit.png", invert=True)
    assert from_file.max() == 0  # the same picture, read from a file and inverted
    # Pixels from 0 to 1 and yes-or-no pixels are scaled to 0-255.
    assert data.as_mnist_image(np.ones((28, 28))).min() == 255
    assert data.as_mnist_image(np.ones((28, 28), dtype=bool)).min() == 255


@pytest.mark.parametrize("image, error, message", [
    ("no/such/file.png", ValueError, "there is no image file at 'no/such/file.png'"),
    (np.zeros((28,)), ValueError, "must have the shape (height, width)"),
    (np.zeros((28, 28, 2)), ValueError, "must have the shape (height, width)"),
    (np.full((28, 28), np.nan), ValueError, "finite numbers"),
    ([[0, 1], [1, 0]], TypeError, "path of an image file or a NumPy array; got list"),
])
def test_as_mnist_image_says_in_one_sentence_what_it_cannot_read(image, error, message):
    with pytest.raises(error) as raised:
        data.as_mnist_image(image)
    assert message in str(raised.value)


def test_as_mnist_image_refuses_a_file_that_is_no_image(tmp_path):
    (tmp_path / "notes.png").write_text("not an image")
    with pytest.raises(ValueError, match="not an image file that Pillow can read"):
        data.as_mnist_image(tmp_path / "notes.png")
