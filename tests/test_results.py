"""dlcourse.results: the notebooks write the text that quotes results from the learner's run."""

import numpy as np
import pytest

from dlcourse import results


@pytest.fixture(autouse=True)
def no_results_yet(monkeypatch):
    monkeypatch.setattr(results, "RESULTS", {})


def test_text_formats_each_value_as_the_website_does():
    # The format specs the lessons use, on the kinds of values they glue.
    results.glue("accuracy", np.float64(0.93125), display=False)
    results.glue("images", np.int64(60000), display=False)
    results.glue("loss", 0.123456, display=False)
    results.glue("cat", 7, display=False)
    results.glue("worst", "shirt", display=False)
    template = ("{accuracy:.1%} {accuracy:.0%} of {images:,} images, {images:,.0f}, loss "
                "{loss:.2f} {loss:.4f}, {cat:d} {cat}, {worst}; a set {{1, 2}}")
    assert results.text(template) == ("93.1% 93% of 60,000 images, 60,000, loss 0.12 0.1235, "
                                      "7 7, shirt; a set {1, 2}")


def test_a_result_not_recorded_yet_says_to_run_the_cells_above():
    with pytest.raises(ValueError, match=r"No result named 'accuracy'.*run the cells above"):
        results.text("It classifies {accuracy:.1%}.")


def test_bad_names_and_templates_get_one_sentence():
    with pytest.raises(TypeError, match="name must be a non-empty string"):
        results.glue("", 1, display=False)
    with pytest.raises(TypeError, match="template must be a string, not int"):
        results.text(3)


def test_glue_shows_the_value_unless_told_not_to(capsys):
    results.glue("answer", 42)
    results.glue("hidden", 43, display=False)
    assert capsys.readouterr().out == "42\n"  # IPython's display, outside a notebook
    assert results.RESULTS == {"answer": 42, "hidden": 43}


def test_show_displays_the_text_as_markdown(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    results.glue("answer", 42, display=False)
    results.show("The answer is **{answer}**.")
    assert [item.data for item in shown] == ["The answer is **42**."]
    assert type(shown[0]).__name__ == "Markdown"
