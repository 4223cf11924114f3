"""The measure of a lesson's core path (.ci/teaching_load.py): what it counts and what it
leaves out, and, on the built book, that the lessons it holds fit their minutes."""

import pytest

import teaching_load  # .ci/teaching_load.py

PAGE = """<html><body><nav>Contents Lesson one Lesson two</nav><article>
<h1>A lesson<a class="headerlink" href="#">¶</a></h1>
<p>Five words of core prose.</p>
<div class="cell docutils container"><div class="cell_input"><div class="highlight"><pre>
import keras

# a comment is no code
model = keras.Sequential()
</pre></div></div>
<div class="cell_output"><pre>an output of many words that nobody has to read aloud</pre></div></div>
<div class="cell tag_exercise-setup"><div class="highlight"><pre>x = 1</pre></div></div>
<div class="cell tag_hide-input"><details><summary>Show code</summary>
<div class="highlight"><pre>hidden = 1
also = 2</pre></div></details></div>
<div class="admonition going-further dropdown"><p>Folded depth with many words in it.</p></div>
<div class="exercise admonition"><p>An exercise of several words.</p></div>
<div class="solution dropdown admonition"><p>A solution.</p></div>
<details><summary>Folded</summary><p>More words.</p></details>
</article></body></html>"""


def test_the_core_path_counts_unfolded_prose_and_visible_code_only():
    words, lines = teaching_load.core_path(PAGE)
    assert words == len("A lesson Five words of core prose.".split())
    # two lines of the first cell (neither blank nor comment) and the exercise's set-up
    assert lines == 3


def test_a_page_without_an_article_is_refused_in_one_sentence():
    with pytest.raises(ValueError, match="the page has no <article>"):
        teaching_load.core_path("<html><body><p>no article</p></body></html>")


def test_the_minutes_come_from_the_front_matter():
    assert teaching_load.teaching_minutes("---\nteaching: 40\nexercises: 20\n---\n") == 40
    with pytest.raises(ValueError, match="no 'teaching:' minutes"):
        teaching_load.teaching_minutes("---\nexercises: 20\n---\n")


def test_the_limits_are_per_teaching_minute():
    row = {"lesson": "01", "minutes": 10, "words": 650, "code lines": 35,
           "words per minute": 65.0, "code lines per minute": 3.5}
    assert teaching_load.fits(row)
    assert not teaching_load.fits({**row, "words per minute": 65.5})
    assert not teaching_load.fits({**row, "code lines per minute": 3.6})
    assert "fits" in teaching_load.report([row])


@pytest.mark.slow
def test_every_held_lesson_fits_its_minutes_on_the_built_book(html, capsys):
    rows = teaching_load.measure(html)
    assert [row["lesson"] for row in rows][:3] == ["01-introduction", "02-neurons",
                                                   "03-convolution"]
    held = [row for row in rows if row["lesson"] not in teaching_load.NOT_YET_HELD]
    assert len(held) >= 3
    assert all(teaching_load.fits(row) for row in held), teaching_load.report(rows)
    assert teaching_load.main([str(html)]) == 0
    assert "01-introduction" in capsys.readouterr().out
