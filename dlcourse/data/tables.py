"""Tables of measurements that ship with scikit-learn: Fisher's iris flowers
(lesson 1) and the wine recognition data (lesson 4). They work offline in every
mode."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["TabularData", "load_iris", "load_wine"]


@dataclass(frozen=True)
class TabularData:
    """A table of features with one class label per row.

    :param features: array of shape ``(rows, len(feature_names))``.
    :param labels: integer class of each row, indexing ``class_names``.
    :param feature_names: the name of each column of ``features``.
    :param class_names: the name of each class.
    :param origin: ``"bundled"``: the data ship with an installed package.
    :param source: one sentence saying what the data are and where they came from.
    """

    features: np.ndarray
    labels: np.ndarray
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]
    origin: str
    source: str


def load_iris() -> TabularData:
    """Load Fisher's iris flowers: 150 flowers, 4 measurements, 3 species.

    The data ship with scikit-learn, so this works offline in every mode.
    Labels are 0 (setosa), 1 (versicolor) and 2 (virginica); measurements are
    in centimetres.

    :returns: the flowers as :class:`TabularData`.

    >>> iris = load_iris()
    >>> iris.features.shape, iris.class_names
    ((150, 4), ('setosa', 'versicolor', 'virginica'))
    """
    from sklearn import datasets

    bunch = datasets.load_iris()
    return TabularData(
        features=bunch.data,
        labels=bunch.target,
        feature_names=tuple(name.replace(" (cm)", "") for name in bunch.feature_names),
        class_names=tuple(str(name) for name in bunch.target_names),
        origin="bundled",
        source="Fisher's iris data (150 flowers), from the copy bundled with scikit-learn.",
    )


def load_wine() -> TabularData:
    """Load the wine recognition data: 178 Italian wines, 13 measurements, 3 cultivars.

    The measurements come from a chemical analysis of wines from three grape
    cultivars grown in the same region of Italy. They have very different
    scales: hue is around 1, proline around 1,000. The data ship with
    scikit-learn, so this works offline in every mode.

    :returns: the wines as :class:`TabularData`; classes are named
        ``"cultivar 0"`` to ``"cultivar 2"``.

    >>> wine = load_wine()
    >>> wine.features.shape, wine.feature_names[-1]
    ((178, 13), 'proline')
    """
    from sklearn import datasets

    bunch = datasets.load_wine()
    return TabularData(
        features=bunch.data,
        labels=bunch.target,
        feature_names=tuple(bunch.feature_names),
        class_names=tuple(f"cultivar {label}" for label in range(3)),
        origin="bundled",
        source="The UCI wine recognition data (178 wines), from the copy bundled with "
               "scikit-learn.",
    )
