"""Make the ten images of lesson 3 that the CNN has never seen: dlcourse/images/*.png.

Nine digits, 1 to 9, drawn dark on light (the opposite of MNIST) in the fonts
that come with Matplotlib (DejaVu), each with its own weight, slant, size and
tilt; and one photograph that is not a digit, Chelsea the cat from
scikit-image's sample images (CC0). Each is 28 x 28 grey pixels, the digit
fitted into the central 20 x 20 like MNIST's.

Run once from the repository root, ``python _ext/make_own_images.py``; the
images are committed, so lessons and learners never run this.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from skimage import data, io, transform  # noqa: E402
from skimage.color import rgb2gray  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "dlcourse" / "images"

# digit: (font family, weight, style, tilt in degrees, thickness of an extra outline)
STYLES = {
    1: ("DejaVu Sans", "normal", "normal", 0, 0),
    2: ("DejaVu Serif", "bold", "normal", 4, 0),
    3: ("DejaVu Sans", "bold", "oblique", 0, 1),
    4: ("DejaVu Sans Mono", "normal", "normal", -6, 2),
    5: ("DejaVu Serif", "normal", "italic", 0, 3),
    6: ("DejaVu Sans", "normal", "oblique", 8, 2),
    7: ("DejaVu Sans Mono", "bold", "normal", 0, 0),
    8: ("DejaVu Serif", "normal", "normal", -4, 4),
    9: ("DejaVu Sans", "bold", "normal", 3, 1),
}


def render(digit, family, weight, style, tilt, outline):
    """The digit as a large grey image, black on white."""
    figure = plt.figure(figsize=(2, 2), dpi=100)
    figure.text(0.5, 0.5, str(digit), family=family, weight=weight, style=style, rotation=tilt,
                fontsize=120, ha="center", va="center", color="black",
                path_effects=[matplotlib.patheffects.withStroke(linewidth=outline * 3,
                                                                foreground="black")])
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())[..., :3].mean(axis=2)
    plt.close(figure)
    return pixels


def mnist_like(pixels):
    """Fit the ink into 20 x 20 pixels, centred in 28 x 28, keeping a light background."""
    ink = 255 - pixels
    rows, columns = np.nonzero(ink > 30)
    ink = ink[rows.min():rows.max() + 1, columns.min():columns.max() + 1]
    scale = 20 / max(ink.shape)
    shape = (max(1, round(ink.shape[0] * scale)), max(1, round(ink.shape[1] * scale)))
    small = transform.resize(ink, shape, anti_aliasing=True, preserve_range=True)
    canvas = np.zeros((28, 28))
    top, left = (28 - shape[0]) // 2, (28 - shape[1]) // 2
    canvas[top:top + shape[0], left:left + shape[1]] = small
    return (255 - np.clip(canvas, 0, 255)).round().astype(np.uint8)


def cat():
    """Chelsea's face, cropped square and shrunk to 28 x 28 grey pixels."""
    photo = rgb2gray(data.chelsea())  # 300 x 451, values 0 to 1
    square = photo[:, 60:360]
    return (transform.resize(square, (28, 28), anti_aliasing=True) * 255).round().astype(np.uint8)


def main():
    import matplotlib.patheffects  # noqa: F401  (used through matplotlib.patheffects)

    OUT.mkdir(exist_ok=True)
    for digit, style in STYLES.items():
        io.imsave(OUT / f"digit-{digit}.png", mnist_like(render(digit, *style)),
                  check_contrast=False)
    io.imsave(OUT / "cat.png", cat(), check_contrast=False)
    print(f"wrote 10 images to {OUT}")


if __name__ == "__main__":
    main()
