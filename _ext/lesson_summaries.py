"""Sphinx extension: pages that summarise every lesson, gathered at build time.

While Sphinx reads the pages, it keeps, for each lesson, its title, its key
points box (class ``keypoints``) and its timing: the minutes of teaching and of
exercises in its front matter, as the Carpentries keep them::

    teaching: 40
    exercises: 20

Four pieces of markup show them, so they never differ from the lessons:

- ``lesson-overview``, a directive: the lesson's own overview box, "**Teaching:**
  40 min · **Exercises:** 20 min";

- ``key-points``, a directive: every lesson's key points, in the order of the
  contents, each under a link to its lesson;
- ``workshop-schedule``, a directive: the one-day schedule. Its content lists
  the lessons in teaching order, each with a short topic, the sessions that are
  not lessons (a welcome, a wrap-up), with their minutes and topic, and the
  breaks::

      session | Welcome | 15 | Introductions; everyone's set-up check passes
      lessons/01-introduction | What deep learning is
      break | Coffee | 15

  The times are added up from the lessons' own timing, from ``:start:``. The
  build warns of a stretch of more than 90 minutes without a break;
- ``lesson-time``, a role: one lesson's timing and its slot in the schedule,
  as in ``{lesson-time}`lessons/01-introduction```;
- ``live-cells``, a role: the cells of a lesson that the instructor types in
  front of the class (tagged ``live-code``), each by its first line of code, as in
  ``{live-cells}`lessons/01-introduction```.
"""

import re

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

logger = logging.getLogger(__name__)

TIMING_KEYS = ("teaching", "exercises")  # minutes, in a lesson's front matter
LONGEST_STRETCH = 90  # minutes without a break, at most (the Carpentries' advice)
CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class key_points_list(nodes.General, nodes.Element):
    """Where the gathered key points go."""


class schedule_table(nodes.General, nodes.Element):
    """Where the schedule goes."""


class lesson_time(nodes.Inline, nodes.Element):
    """Where one lesson's timing goes; ``lesson`` is its document name."""


class overview_timing(nodes.General, nodes.Element):
    """Where the page's own timing goes, in its overview box."""


class live_cells(nodes.Inline, nodes.Element):
    """Where one lesson's live-coded cells go; ``lesson`` is its document name."""


LIVE_TAG = "tag_live-code"  # the class MyST-NB gives a code cell tagged live-code


# --- what each lesson says about itself ----------------------------------------------

def _store(env):
    if not hasattr(env, "course_lessons"):
        env.course_lessons = {}          # document name -> what the lesson says
        env.course_summary_pages = set()  # pages that show other pages' summaries
        env.course_schedule = None        # (page, start, rows) of the schedule
    return env


def collect(app, doctree):
    """Remember the title, key points and timing of the page just read."""
    env = _store(app.env)
    if any(True for node in doctree.findall()
           if isinstance(node, (key_points_list, schedule_table, lesson_time, live_cells))):
        env.course_summary_pages.add(env.docname)
    titles = list(doctree.findall(nodes.title))
    lesson = {"title": titles[0].astext() if titles else env.docname}
    for box in doctree.findall(nodes.admonition):
        if "keypoints" in box["classes"] and "key_points" not in lesson:
            lesson["key_points"] = [child.deepcopy() for child in box.children
                                    if isinstance(child, nodes.bullet_list)]
    lesson.update(_timing(env))
    live = [_first_code_line(cell) for cell in doctree.findall(nodes.container)
            if LIVE_TAG in cell["classes"]]
    if live:
        lesson["live_cells"] = live
    for node in list(doctree.findall(overview_timing)):
        node.replace_self(_overview_nodes(lesson, node))
    if len(lesson) > 1:
        env.course_lessons[env.docname] = lesson


def _first_code_line(cell):
    """The first line of a code cell that is not blank nor a comment."""
    source = next(iter(cell.findall(nodes.literal_block)), None)
    lines = source.astext().splitlines() if source is not None else []
    return next((line.strip() for line in lines
                 if line.strip() and not line.strip().startswith("#")), "")


def _timing(env):
    """The page's minutes of teaching and of exercises from its front matter: both or none."""
    front_matter = env.metadata.get(env.docname, {})
    if not any(key in front_matter for key in TIMING_KEYS):
        return {}  # not a lesson
    try:  # docinfo keeps front-matter values as text
        timing = {key: int(str(front_matter[key]).strip()) for key in TIMING_KEYS}
    except (KeyError, ValueError):
        timing = {}
    if not timing or min(timing.values()) < 0:
        logger.warning("give the lesson's minutes in its front matter as two whole numbers, "
                       "'teaching: 40' and 'exercises: 20'", location=env.docname)
        return {}
    return timing


def _overview_nodes(lesson, node):
    if "teaching" not in lesson:
        logger.warning("lesson-overview: the page has no 'teaching:' and 'exercises:' minutes "
                       "in its front matter", location=node)
        return []
    paragraph = nodes.paragraph()
    paragraph += [nodes.strong("", "Teaching:"), nodes.Text(f" {lesson['teaching']} min · "),
                  nodes.strong("", "Exercises:"), nodes.Text(f" {lesson['exercises']} min")]
    return [paragraph]


class LessonOverviewDirective(SphinxDirective):
    """The lesson's overview box, with its timing from the front matter."""

    def run(self):
        box = nodes.admonition(classes=["overview"])
        box += nodes.title("", "Overview")
        box += overview_timing()
        self.set_source_info(box)
        return [box]


def purge(app, env, docname):
    env = _store(env)
    env.course_lessons.pop(docname, None)
    env.course_summary_pages.discard(docname)
    if env.course_schedule and env.course_schedule[0] == docname:
        env.course_schedule = None


def merge(app, env, docnames, other):
    env, other = _store(env), _store(other)
    env.course_lessons.update({name: value for name, value in other.course_lessons.items()
                               if name in docnames})
    env.course_summary_pages |= other.course_summary_pages & docnames
    if other.course_schedule and other.course_schedule[0] in docnames:
        env.course_schedule = other.course_schedule


def reread_summaries(app, env, added, changed, removed):
    # A summary page shows other pages: when any page changes, so may it.
    if added or changed or removed:
        return sorted(_store(env).course_summary_pages)
    return []


def remember_toc_order(app, env):
    """The documents in the order of the table of contents."""
    order, seen = [], set()

    def walk(docname):
        if docname not in seen:
            seen.add(docname)
            order.append(docname)
            for child in env.toctree_includes.get(docname, []):
                walk(child)

    walk(app.config.root_doc)
    env.course_toc_order = order


def numbered_lessons(env):
    """The lessons (numbered pages with a summary), in the order of the contents."""
    lessons = _store(env).course_lessons
    return [name for name in getattr(env, "course_toc_order", sorted(lessons))
            if name in lessons and env.toc_secnumbers.get(name, {}).get("")]


def lesson_number(env, docname):
    return ".".join(str(part) for part in env.toc_secnumbers[docname][""])


# --- the schedule ---------------------------------------------------------------

def parse_rows(lines):
    """The schedule's rows from the directive's content: ``("lesson", docname, topic)``,
    ``("session", name, minutes, topic)`` or ``("break", name, minutes)``. Raises
    ValueError on a malformed line."""
    rows = []
    for line in lines:
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if parts[0] == "break":
            if len(parts) != 3 or not parts[2].isdigit():
                raise ValueError(f"a break is 'break | name | minutes', not {line.strip()!r}")
            rows.append(("break", parts[1], int(parts[2])))
        elif parts[0] == "session":
            if len(parts) != 4 or not parts[2].isdigit():
                raise ValueError("a session is 'session | name | minutes | topic', not "
                                 f"{line.strip()!r}")
            rows.append(("session", parts[1], int(parts[2]), parts[3]))
        elif len(parts) == 2:
            rows.append(("lesson", parts[0], parts[1]))
        else:
            raise ValueError(f"a lesson is 'document | topic', not {line.strip()!r}")
    return rows


def timetable(start, rows, minutes):
    """Start and end, in minutes after midnight, of every row.

    :param start: when the day starts, in minutes after midnight.
    :param rows: rows from :func:`parse_rows`.
    :param minutes: a lesson's document name -> its length in minutes.
    :returns: a list of ``(begin, end, row)``.
    """
    slots, clock = [], start
    for row in rows:
        length = minutes[row[1]] if row[0] == "lesson" else row[2]
        slots.append((clock, clock + length, row))
        clock += length
    return slots


def long_stretches(slots, longest=LONGEST_STRETCH):
    """The ``(begin, end)`` of every stretch of sessions and lessons without a break that
    lasts more than ``longest`` minutes."""
    stretches, begin = [], None
    for start, end, row in [*slots, (None, None, ("break",))]:
        if row[0] == "break":
            if begin is not None and previous_end - begin > longest:
                stretches.append((begin, previous_end))
            begin = None
        else:
            begin = start if begin is None else begin
            previous_end = end
    return stretches


def clock_time(minutes):
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def duration(minutes):
    hours, rest = divmod(minutes, 60)
    return " ".join(part for part in (f"{hours} h" if hours else "",
                                      f"{rest} min" if rest or not hours else "") if part)


class WorkshopScheduleDirective(SphinxDirective):
    has_content = True
    option_spec = {"start": directives.unchanged_required}

    def run(self):
        clock = CLOCK.match(self.options.get("start", "09:00"))
        try:
            if not clock:
                raise ValueError(f"start at a time such as 09:00, not "
                                 f"{self.options['start']!r}")
            rows = parse_rows(self.content)
        except ValueError as error:
            raise self.error(f"workshop-schedule: {error}") from None
        start = int(clock.group(1)) * 60 + int(clock.group(2))
        _store(self.env).course_schedule = (self.env.docname, start, rows)
        return [schedule_table()]


class LessonTimeRole(SphinxRole):
    def run(self):
        return [lesson_time(lesson=self.text.strip().removesuffix(".md"))], []


class LiveCellsRole(SphinxRole):
    def run(self):
        return [live_cells(lesson=self.text.strip().removesuffix(".md"))], []


def _live_cells_nodes(app, env, docname, node):
    lesson = node["lesson"]
    cells = env.course_lessons.get(lesson, {}).get("live_cells")
    if not cells:
        logger.warning(f"live-cells: {lesson} has no cell tagged live-code", location=node)
        return [nodes.Text(lesson)]
    result = [nodes.Text(f"{len(cells)} cells, marked on the "),
              nodes.reference("", "lesson's page", internal=True,
                              refuri=app.builder.get_relative_uri(docname, lesson)),
              nodes.Text(", starting ")]
    for number, line in enumerate(cells):
        if number:
            result.append(nodes.Text("; " if number < len(cells) - 1 else "; and "))
        result.append(nodes.literal("", line))
    return result


def _slots(app, env):
    """The schedule's time slots, checked against the lessons; None if there is none."""
    if not env.course_schedule:
        return None
    page, start, rows = env.course_schedule
    lessons = numbered_lessons(env)
    scheduled = [row[1] for row in rows if row[0] == "lesson"]
    for lesson in lessons:
        if scheduled.count(lesson) != 1:
            logger.warning(f"the schedule lists {lesson} {scheduled.count(lesson)} times, "
                           "not once", location=page)
    minutes = {}
    for lesson in scheduled:
        summary = env.course_lessons.get(lesson, {})
        if "teaching" not in summary:
            logger.warning(f"the schedule lists {lesson}, which has no 'teaching:' and "
                           "'exercises:' minutes in its front matter", location=page)
            summary = {"teaching": 0, "exercises": 0}
        minutes[lesson] = summary["teaching"] + summary["exercises"]
    return timetable(start, rows, minutes)


def table(headings, body_rows, widths, classes=()):
    """A docutils table; each cell is text, or a list of inline nodes."""
    result = nodes.table(classes=list(classes))
    group = nodes.tgroup(cols=len(headings))
    result += group
    group += [nodes.colspec(colwidth=width) for width in widths]
    head, body = nodes.thead(), nodes.tbody()
    for target, rows in ((head, [headings]), (body, body_rows)):
        for cells in rows:
            row = nodes.row()
            for cell in cells:
                content = cell if isinstance(cell, list) else [nodes.Text(str(cell))]
                row += nodes.entry("", nodes.paragraph("", "", *content))
            target += row
    group += [head, body]
    return result


def lesson_link(app, env, fromdoc, lesson):
    title = env.course_lessons[lesson]["title"]
    return nodes.reference("", f"{lesson_number(env, lesson)}. {title}", internal=True,
                           refuri=app.builder.get_relative_uri(fromdoc, lesson))


def _schedule_nodes(app, env, docname):
    slots = _slots(app, env)
    if slots is None:
        logger.warning("workshop-schedule: no schedule was read", location=docname)
        return []
    for begin, end in long_stretches(slots):
        logger.warning(f"workshop-schedule: {clock_time(begin)}–{clock_time(end)} runs "
                       f"{end - begin} min without a break; plan one at least every "
                       f"{LONGEST_STRETCH} min", location=docname)
    rows, teaching, exercises, breaks, sessions = [], 0, 0, 0, 0
    for begin, end, row in slots:
        time = f"{clock_time(begin)}–{clock_time(end)}"
        if row[0] == "break":
            breaks += row[2]
            rows.append([time, [nodes.emphasis("", row[1])], "", "", ""])
        elif row[0] == "session":
            sessions += row[2]
            rows.append([time, [nodes.strong("", row[1])], row[3], "", ""])
        else:
            summary = env.course_lessons[row[1]]
            teaching += summary["teaching"]
            exercises += summary["exercises"]
            rows.append([time, [lesson_link(app, env, docname, row[1])], row[2],
                         f"{summary['teaching']} min", f"{summary['exercises']} min"])
    schedule = table(["Time", "Lesson", "Topics", "Teaching", "Exercises"], rows,
                     [12, 25, 45, 9, 9], classes=["workshop-schedule"])
    summary = nodes.paragraph(
        "", f"The day runs from {clock_time(slots[0][0])} to {clock_time(slots[-1][1])}: "
        f"{duration(teaching + exercises)} of lessons ({duration(teaching)} of teaching and "
        f"{duration(exercises)} of exercises), {duration(sessions)} to open and close the "
        f"day and {duration(breaks)} of breaks.",
        classes=["schedule-summary"])
    return [schedule, summary]


def _lesson_time_nodes(app, env, docname, node):
    lesson = node["lesson"]
    summary = env.course_lessons.get(lesson)
    if not summary or "teaching" not in summary:
        logger.warning(f"lesson-time: {lesson} is not a lesson with 'teaching:' and "
                       "'exercises:' minutes in its front matter", location=node)
        return [nodes.Text(lesson)]
    text = (f"{summary['teaching'] + summary['exercises']} min: {summary['teaching']} "
            f"of teaching, {summary['exercises']} of exercises")
    slot = next((slot for slot in (_slots(app, env) or []) if slot[2][1] == lesson), None)
    if slot is None:
        return [nodes.Text(text)]
    page = env.course_schedule[0]
    return [nodes.Text(f"{text}; "),
            nodes.reference("", "in the schedule", internal=True,
                            refuri=app.builder.get_relative_uri(docname, page) + "#schedule"),
            nodes.Text(f", {clock_time(slot[0])}–{clock_time(slot[1])}")]


def _key_points_nodes(app, env, docname):
    content = []
    for lesson in numbered_lessons(env):
        points = env.course_lessons[lesson].get("key_points")
        if points is None:
            continue
        heading = nodes.paragraph()
        heading += nodes.strong("", "", lesson_link(app, env, docname, lesson))
        content.append(heading)
        content.extend(item.deepcopy() for item in points)
    return content


def fill(app, doctree, docname):
    env = _store(app.env)
    for node in list(doctree.findall(key_points_list)):
        node.replace_self(_key_points_nodes(app, env, docname))
    for node in list(doctree.findall(schedule_table)):
        node.replace_self(_schedule_nodes(app, env, docname))
    for node in list(doctree.findall(lesson_time)):
        node.replace_self(_lesson_time_nodes(app, env, docname, node))
    for node in list(doctree.findall(live_cells)):
        node.replace_self(_live_cells_nodes(app, env, docname, node))


class KeyPointsDirective(SphinxDirective):
    def run(self):
        return [key_points_list()]


def setup(app):
    for node in (key_points_list, schedule_table, lesson_time, overview_timing, live_cells):
        app.add_node(node)
    app.add_directive("lesson-overview", LessonOverviewDirective)
    app.add_directive("key-points", KeyPointsDirective)
    app.add_directive("workshop-schedule", WorkshopScheduleDirective)
    app.add_role("lesson-time", LessonTimeRole())
    app.add_role("live-cells", LiveCellsRole())
    app.connect("doctree-read", collect)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-get-outdated", reread_summaries)
    app.connect("env-updated", remember_toc_order)
    app.connect("doctree-resolved", fill)
