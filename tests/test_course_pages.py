"""The pages for instructors and maintainers: schedule, instructor notes, glossary,
credits and build report. The slow tests read the built site."""

import html as html_module
import importlib.metadata
import json
import re

import pytest
import yaml

import build_report  # the book's extensions, in _ext/
import lesson_notebooks
import lesson_summaries
from conftest import ROOT
from dlcourse import data
from dlcourse.data import photos


LESSONS = sorted((chapter, page) for page, chapter in
                 lesson_notebooks.notebook_pages(ROOT).items() if chapter is not None)


def text_of(markup):
    text = html_module.unescape(re.sub(r"<[^>]+>", " ", markup))
    return " ".join(text.replace("’", "'").split())


def table_rows(markup, table_class):
    """The body rows of the first table with ``table_class``, as lists of cell texts."""
    table = re.search(rf'<table class="[^"]*\b{table_class}\b.*?</table>', markup, re.S)
    assert table, f"no table of class {table_class}"
    body = table[0].split("<tbody>")[1]
    return [[text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def overview_minutes(page):
    """A lesson's minutes of teaching and of exercises, from its front matter."""
    front_matter = yaml.safe_load(page.read_text().split("\n---\n", 1)[0].removeprefix("---\n"))
    return front_matter["teaching"], front_matter["exercises"]


# --- the schedule's arithmetic ------------------------------------------------------

def test_the_timetable_adds_each_row_to_the_one_before():
    rows = lesson_summaries.parse_rows(["lessons/a | First", "break | Coffee | 15", "",
                                        "lessons/b | Second"])
    assert rows == [("lesson", "lessons/a", "First"), ("break", "Coffee", 15),
                    ("lesson", "lessons/b", "Second")]
    slots = lesson_summaries.timetable(9 * 60, rows, {"lessons/a": 60, "lessons/b": 70})
    assert [(begin, end) for begin, end, _ in slots] == [(540, 600), (600, 615), (615, 685)]
    assert lesson_summaries.clock_time(685) == "11:25"
    assert [lesson_summaries.duration(m) for m in (45, 60, 410)] == ["45 min", "1 h",
                                                                      "6 h 50 min"]


def test_a_session_takes_its_own_minutes_and_a_long_stretch_is_found():
    rows = lesson_summaries.parse_rows(["session | Welcome | 15 | Hello", "lessons/a | First",
                                        "break | Coffee | 15", "lessons/b | Second",
                                        "session | Wrap-up | 20 | Goodbye"])
    assert rows[0] == ("session", "Welcome", 15, "Hello")
    slots = lesson_summaries.timetable(9 * 60, rows, {"lessons/a": 75, "lessons/b": 70})
    assert [(begin, end) for begin, end, _ in slots] == [
        (540, 555), (555, 630), (630, 645), (645, 715), (715, 735)]
    # 09:00-10:30 and 10:45-12:15 are 90 min each, session and lesson together: allowed.
    assert lesson_summaries.long_stretches(slots) == []
    assert lesson_summaries.long_stretches(slots, longest=85) == [(540, 630), (645, 735)]
    assert lesson_summaries.long_stretches(slots[2:], longest=85) == [(645, 735)]


@pytest.mark.parametrize("line", ["break | Lunch", "break | Lunch | an hour", "just text",
                                  "a | b | c", "session | Welcome | 15",
                                  "session | Welcome | a while | Hello"])
def test_a_malformed_schedule_line_is_named(line):
    with pytest.raises(ValueError, match=re.escape(repr(line))):
        lesson_summaries.parse_rows([line])


def test_the_schedule_lists_every_lesson_once_in_order():
    block = re.search(r"```\{workshop-schedule\}\n(.*?)```", (ROOT / "index.md").read_text(),
                      re.S)
    rows = lesson_summaries.parse_rows(line for line in block[1].splitlines()
                                       if not line.startswith(":"))
    scheduled = [row[1] for row in rows if row[0] == "lesson"]
    assert scheduled == [page.relative_to(ROOT).with_suffix("").as_posix()
                         for _, page in LESSONS]


@pytest.mark.slow
def test_the_built_schedule_adds_up_from_the_lessons_own_timing(html):
    index = (html / "index.html").read_text()
    rows = table_rows(index, "workshop-schedule")
    lessons = iter(LESSONS)
    clock, breaks, sessions, teaching, exercises = None, 0, 0, 0, 0
    for time, lesson, topic, taught, practised in rows:
        begin, end = (int(h) * 60 + int(m) for h, m in re.findall(r"(\d\d):(\d\d)", time))
        assert clock in (None, begin), "each row starts when the one before ends"
        clock = end
        if not taught:  # a break, or a session that is not a lesson
            if topic:
                sessions += end - begin
            else:
                breaks += end - begin
            continue
        chapter, page = next(lessons)
        minutes = overview_minutes(page)
        assert lesson.startswith(f"{chapter}. ")
        assert (taught, practised) == (f"{minutes[0]} min", f"{minutes[1]} min")
        assert end - begin == sum(minutes)
        teaching, exercises = teaching + minutes[0], exercises + minutes[1]
    assert next(lessons, None) is None
    start = rows[0][0][:5]
    summary = (f"The day runs from {start} to {clock // 60:02d}:{clock % 60:02d}: "
               f"{lesson_summaries.duration(teaching + exercises)} of lessons "
               f"({lesson_summaries.duration(teaching)} of teaching and "
               f"{lesson_summaries.duration(exercises)} of exercises), "
               f"{lesson_summaries.duration(sessions)} to open and close the day and "
               f"{lesson_summaries.duration(breaks)} of breaks.")
    assert summary in text_of(index)


@pytest.mark.slow
def test_the_day_can_be_taught_as_written(html):
    """09:00 to 17:00 at most: a welcome and set-up check first, a wrap-up with feedback
    last, lunch of an hour, a break at least every 90 minutes, lessons of 5 h 45 at most."""
    rows = table_rows((html / "index.html").read_text(), "workshop-schedule")
    slots = []
    for time, name, topic, taught, _ in rows:
        begin, end = (int(h) * 60 + int(m) for h, m in re.findall(r"(\d\d):(\d\d)", time))
        kind = "lesson" if taught else ("session" if topic else "break")
        slots.append((begin, end, kind, name))
    assert slots[0][0] >= 9 * 60 and slots[-1][1] <= 17 * 60
    assert slots[0][2:] == ("session", "Welcome and set-up check")
    assert slots[0][1] - slots[0][0] >= 15
    assert slots[-1][2:] == ("session", "Wrap-up and feedback")
    assert slots[-1][1] - slots[-1][0] >= 15
    lunch = [end - begin for begin, end, kind, name in slots if name == "Lunch"]
    assert lunch and lunch[0] >= 60
    assert sum(end - begin for begin, end, kind, _ in slots if kind == "lesson") <= 5 * 60 + 45
    stretch = 0
    for begin, end, kind, _ in slots:
        stretch = 0 if kind == "break" else stretch + end - begin
        assert stretch <= 90, f"{stretch} min without a break, up to {end // 60}:{end % 60:02d}"


@pytest.mark.slow
def test_each_lessons_overview_box_shows_the_minutes_of_its_front_matter(html):
    for chapter, page in LESSONS:
        built = (html / "lessons" / f"{page.stem}.html").read_text()
        box = re.search(r'<div class="[^"]*\boverview\b[^"]*">(.*?)</div>', built, re.S)
        assert box, f"lesson {chapter} has no overview box"
        teaching, exercises = overview_minutes(page)
        assert text_of(box[1]) == (f"Overview Teaching: {teaching} min · "
                                   f"Exercises: {exercises} min")


@pytest.mark.slow
def test_the_instructor_notes_give_every_lesson_its_timing_and_slot(html):
    notes = text_of((html / "lessons" / "instructor-notes.html").read_text())
    schedule = {row[1]: row[0] for row in
                table_rows((html / "index.html").read_text(), "workshop-schedule")}
    for chapter, page in LESSONS:
        teaching, practice = overview_minutes(page)
        slot = next(time for lesson, time in schedule.items()
                    if lesson.startswith(f"{chapter}. "))
        assert (f"Timing: {teaching + practice} min: {teaching} of teaching, {practice} of "
                f"exercises; in the schedule , {slot}") in notes
    for part in ("Show live:", "Where learners get stuck:", "If you are late:"):
        assert notes.count(part) == len(LESSONS)


# --- glossary --------------------------------------------------------------------

@pytest.mark.slow
def test_every_glossary_term_is_linked_from_a_lesson_and_every_lesson_links_some(html):
    glossary = (html / "lessons" / "glossary.html").read_text()
    terms = set(re.findall(r'<dt id="(term-[^"]+)"', glossary))
    assert len(terms) >= 40
    linked = set()
    for chapter, page in LESSONS:
        built = (html / "lessons" / f"{page.stem}.html").read_text()
        targets = set(re.findall(r'href="glossary.html#(term-[^"]+)"', built))
        assert targets <= terms
        assert len(targets) >= 5, f"lesson {chapter} links only {sorted(targets)}"
        linked |= targets
    # A term listed with an abbreviation (CNN, GAN, ...) has two ids, one link suffices.
    pairs = re.findall(r'<dt id="(term-[^"]+)"[^>]*>.*?</dt>\s*<dt id="(term-[^"]+)"',
                       glossary, re.S)
    for long_form, short_form in pairs:
        if {long_form, short_form} & linked:
            linked |= {long_form, short_form}
    assert terms - linked == set(), "glossary terms no lesson uses"


# --- credits --------------------------------------------------------------------

def test_the_credits_name_every_photo_and_image_the_course_ships_or_loads():
    credits = (ROOT / "lessons" / "credits.md").read_text()
    for _, file, _ in photos.OFFLINE_PHOTOS:
        name = file.rsplit("/", 1)[1]
        assert f"`{name.rsplit('.', 1)[0]}`" in credits or f"`{name}`" in credits, name
    assert "`camera`" in credits  # load_photo()
    assert "`dlcourse/images/`" in credits
    for licence_line in ("CC0 1.0", "CC BY 2.0", "CC BY 4.0", "MIT", "Apache 2.0",
                         "CC BY-SA 3.0"):
        assert licence_line in credits
    images = (ROOT / "dlcourse" / "images" / "README.md").read_text()
    for png in (ROOT / "dlcourse" / "images").glob("*.png"):
        assert png.name in images or re.sub(r"\d", "1", png.name) in images, png.name


def test_the_credits_name_every_data_set_a_lesson_loads():
    credits = (ROOT / "lessons" / "credits.md").read_text()
    loaders = {name for page in ROOT.glob("lessons/0*.md")
               for name in re.findall(r"\b(load_\w+)\(", page.read_text())}
    named = {"load_iris": "Iris", "load_wine": "Wine", "load_mnist": "MNIST",
             "load_fashion_mnist": "Fashion-MNIST", "load_flower_photos": "Flower photos",
             "load_mobilenet_v2_weights": "MobileNetV2", "load_sentences": "grammar",
             "load_photo": "`camera`", "load_own_images": "`dlcourse/images/`"}
    assert loaders <= set(named), f"add these loaders' data to the credits: {loaders - set(named)}"
    for loader in loaders:
        assert named[loader] in credits


# --- build report ---------------------------------------------------------------

def test_the_build_report_reads_the_data_sources_a_page_glued(tmp_path):
    glue_file = tmp_path / "03-convolution.glue.json"
    glue_file.write_text(json.dumps({
        "accuracy": {"data": {"text/plain": "0.97"}, "metadata": {}},
        "data_source_mnist": {"data": {"text/plain": repr(
            {"source": "The full MNIST data set, downloaded now.", "origin": "download"})},
            "metadata": {}},
    }))
    assert build_report.glued_sources(glue_file) == [
        ("mnist", "The full MNIST data set, downloaded now.", "download")]
    assert build_report.glued_sources(tmp_path / "none.glue.json") == []


def test_the_build_report_names_every_origin_the_loaders_give(monkeypatch):
    monkeypatch.setenv("DLCOURSE_DATA", "offline")
    origins = {loader().origin for loader in (
        data.load_mnist, data.load_fashion_mnist, data.load_flower_photos, data.load_photo,
        data.load_mobilenet_v2_weights, data.load_iris, data.load_sentences)}
    assert origins == {"offline subset", "Debian package", "offline photos", "bundled", "none",
                       "generated"}
    assert origins | {"download", "cache"} <= set(build_report.ORIGINS)
    assert {build_report.ORIGINS[origin] for origin in origins} == {
        "offline stand-in", "no download needed"}


@pytest.mark.slow
def test_the_build_report_has_every_lessons_run_versions_and_data_sources(html):
    built = (html / "lessons" / "build-report.html").read_text()
    executed = re.search(r"<table[^>]*>.*?</table>", built.split('id="lessons-executed"')[1],
                         re.S)[0]
    for _, page in LESSONS:
        assert f">lessons/{page.stem}<" in executed
    versions = dict(row for row in table_rows(built, "package-versions"))
    assert versions["Keras"] == importlib.metadata.version("keras")
    assert versions["dlcourse"] == importlib.metadata.version("dlcourse")
    sources = table_rows(built, "data-sources")
    printed = [(chapter, name) for chapter, page in LESSONS
               for name in re.findall(r"^print\((\w+)\.source\)$", page.read_text(), re.M)]
    assert [(row[0].split(".")[0], row[1]) for row in sources] == [
        (str(chapter), name) for chapter, name in printed]
    for lesson, _, sentence, origin in sources:
        page = next(page for chapter, page in LESSONS if lesson.startswith(f"{chapter}."))
        assert sentence in text_of((html / "lessons" / f"{page.stem}.html").read_text())
        assert origin in set(build_report.ORIGINS.values())
