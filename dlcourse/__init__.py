"""Helpers for the Introduction to Deep Learning course.

The lessons write out the deep learning they teach; this package takes away
what is not the point of a lesson, and gives the formulas of lesson 2 a form
that reads like the maths:

- :mod:`dlcourse.data`: the data sets, online or offline;
- :mod:`dlcourse.neuron` and :mod:`dlcourse.losses`: activation functions, a
  neuron, a small dense network, the mean squared error and the Huber loss;
- :mod:`dlcourse.convolution`: convolution and max pooling by hand;
- :mod:`dlcourse.plots`: figures such as a drawing of a small network;
- :mod:`dlcourse.training`: a Keras model made ready to train, so that training
  starts sooner;
- :mod:`dlcourse.check`: instant feedback on the exercises;
- :mod:`dlcourse.grade`: an instructor's check of learners' exercise notebooks;
- :mod:`dlcourse.results`: in a lesson's notebook, the text that quotes results,
  written from the learner's own run.
"""

__version__ = "0.1.0"
