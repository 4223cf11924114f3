"""How much each lesson's core path asks of its teaching minutes, measured on the
built pages.

The core path is what an instructor teaches and learners see without a click:
the prose and the code of the lesson's article. Left out are folded boxes
(solutions, instructor notes, "Going further"), folded code, exercise boxes
and every output. The code cells an exercise runs (its set-up, the cell that
checks an answer) stay in: learners see them on the page. Counted are

- words of prose: the article's text outside code, as whitespace-separated words;
- lines of code: the lines of the code cells and code blocks that are neither
  blank nor only a comment.

Each is divided by the lesson's teaching minutes (its front matter's
`teaching:`) and held against the limits of a lesson that can be taught as
written: 65 words and 3.5 code lines per minute.

    python .ci/teaching_load.py [_build/html]

prints a table of every lesson and exits with 1 if a lesson that must fit does not.
"""

import re
import sys
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
WORDS_PER_MINUTE = 65
CODE_LINES_PER_MINUTE = 3.5
# Lessons whose core path is not yet cut to their minutes: shown, not held.
NOT_YET_HELD = {"04-refining", "05-transfer", "06-wider"}

# What the core path leaves out, as CSS selectors on the built page.
FOLDED = [
    "details",                # folded code cells and "Going further" boxes
    ".dropdown",              # folded admonitions: solutions, instructor notes
    ".exercise",              # the exercises' own boxes
    ".tag_hide-input",        # cells shown by their output only
    ".tag_remove-input",
    ".cell_output",           # every output
    ".headerlink",            # the pilcrow after a heading
]
CODE = "div.highlight pre"


def teaching_minutes(source):
    """The `teaching:` minutes of a lesson's front matter."""
    match = re.search(r"^teaching:\s*(\d+)\s*$", source, flags=re.MULTILINE)
    if not match:
        raise ValueError("the lesson's front matter gives no 'teaching:' minutes")
    return int(match.group(1))


def core_path(page):
    """(words of prose, lines of code) on the core path of a built page's HTML."""
    soup = BeautifulSoup(page, "html.parser")
    article = soup.find("article")
    if article is None:
        raise ValueError("the page has no <article>: is it a page of the built book?")
    for selector in FOLDED:
        for element in article.select(selector):
            element.decompose()
    lines = 0
    for block in article.select(CODE):
        lines += sum(1 for line in block.get_text().splitlines()
                     if line.strip() and not line.strip().startswith("#"))
        block.decompose()
    words = len(article.get_text(" ").split())
    return words, lines


def measure(html, lessons=ROOT / "lessons"):
    """A row per lesson: name, teaching minutes, words, code lines and their rates."""
    rows = []
    for source in sorted(lessons.glob("0*.md")):
        minutes = teaching_minutes(source.read_text())
        words, lines = core_path((html / "lessons" / f"{source.stem}.html").read_text())
        rows.append({"lesson": source.stem, "minutes": minutes, "words": words,
                     "code lines": lines, "words per minute": words / minutes,
                     "code lines per minute": lines / minutes})
    return rows


def fits(row):
    return (row["words per minute"] <= WORDS_PER_MINUTE
            and row["code lines per minute"] <= CODE_LINES_PER_MINUTE)


def report(rows):
    lines = [f"{'lesson':<18}{'teaching':>9}{'words':>7}{'/min':>6}{'code':>6}{'/min':>6}",
             f"{'':<18}{'min':>9}{'':>7}{f'≤{WORDS_PER_MINUTE}':>6}{'lines':>6}"
             f"{f'≤{CODE_LINES_PER_MINUTE:g}':>6}"]
    for row in rows:
        verdict = "fits" if fits(row) else (
            "over (not yet held)" if row["lesson"] in NOT_YET_HELD else "OVER")
        lines.append(f"{row['lesson']:<18}{row['minutes']:>9}{row['words']:>7}"
                     f"{row['words per minute']:>6.0f}{row['code lines']:>6}"
                     f"{row['code lines per minute']:>6.1f}  {verdict}")
    return "\n".join(lines)


def main(argv):
    html = Path(argv[0]) if argv else ROOT / "_build" / "html"
    rows = measure(html)
    print("The core path of each lesson per teaching minute (see .ci/teaching_load.py):")
    print(report(rows))
    over = [row["lesson"] for row in rows if not fits(row) and row["lesson"] not in NOT_YET_HELD]
    if over:
        print(f"Over the limits: {', '.join(over)}. Fold what is not core into a "
              "'Going further' box, or give the lesson more minutes.", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
