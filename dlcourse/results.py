"""The results a lesson quotes in its text, written from the learner's own run.

On the course website a lesson quotes the numbers of its run with myst-nb's
``glue``. Its notebooks run where myst-nb is not installed (Colab), so there
:func:`glue` records the same values, and a hidden cell under the paragraph
calls :func:`show` to write the paragraph with them, formatted as the website
formats them (``{accuracy:.1%}`` where the page has ``accuracy:.1%``).
"""

__all__ = ["glue", "show", "text"]

RESULTS = {}  # name -> value, in the order the lesson records them


def glue(name, value, display=True):
    """Record a result under a name, for the text that quotes it.

    It takes the arguments of myst-nb's ``glue``, so that a lesson's cells run
    unchanged in its notebook.

    :param name: the name the text uses for the value, such as ``"test_accuracy"``.
    :param value: the value: a number, a string, any object.
    :param display: also show the value under the cell, as myst-nb does.
    :returns: None.

    >>> glue("test_accuracy", 0.9312, display=False)
    >>> RESULTS["test_accuracy"]
    0.9312
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty string, not {name!r}.")
    RESULTS[name] = value
    if display:
        from IPython.display import display as show_below

        show_below(value)


def text(template):
    """A text with the recorded results put in, each formatted by its format spec.

    :param template: text with a ``{name}`` or ``{name:spec}`` for each result
        (Python's format syntax, ``{{`` and ``}}`` for literal braces).
    :returns: the text with the values, a string.

    >>> glue("test_accuracy", 0.9312, display=False)
    >>> glue("test_images", 10000, display=False)
    >>> text("It classifies {test_accuracy:.1%} of the {test_images:,} test images.")
    'It classifies 93.1% of the 10,000 test images.'
    """
    if not isinstance(template, str):
        raise TypeError(f"template must be a string, not {type(template).__name__}.")
    try:
        return template.format_map(RESULTS)
    except KeyError as missing:
        raise ValueError(f"No result named {missing.args[0]!r} has been recorded yet: run the "
                         "cells above this one, in order, first.") from None


def show(template):
    """Show a paragraph with the recorded results put in, as Markdown under the cell.

    :param template: the paragraph, as for :func:`text`.
    :returns: None.

    >>> glue("test_accuracy", 0.9312, display=False)
    >>> show("It classifies **{test_accuracy:.1%}** of the test images.")
    <IPython.core.display.Markdown object>
    """
    from IPython.display import Markdown, display

    display(Markdown(text(template)))


def expect(holds, claim):
    """Note, under the cell, when the text next to it does not hold for this run.

    The website's build stops when its text and its run disagree; a learner's run may
    differ (an experiment, other hardware), and deserves a note, not an error.

    :param holds: whether the text holds for this run: a truth value, such as a
        comparison of NumPy or TensorFlow numbers.
    :param claim: what the text says, as a clause that follows "says that".
    :returns: None.

    >>> expect(0.9 > 0.8, "the accuracy is above 80 %")
    >>> expect(0.7 > 0.8, "the accuracy is above 80 %")
    <IPython.core.display.Markdown object>
    """
    if not isinstance(claim, str) or not claim:
        raise TypeError(f"claim must be a non-empty string, not {claim!r}.")
    if bool(holds):
        return
    from IPython.display import Markdown, display

    display(Markdown(f"**Your run differs from the website's here.** The text next to this "
                     f"cell says that {claim}; in your run that is not so. That is normal "
                     "(training is random, and versions differ): read the text with your "
                     "own numbers."))
