"""Helpers for the Introduction to Deep Learning course.

The lessons write out the deep learning they teach; this package only takes
away what is not the point of a lesson: loading data sets (:mod:`dlcourse.data`).
"""

__version__ = "0.1.0"
