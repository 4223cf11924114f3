"""Sphinx extension: a page of every lesson's key points, gathered at build time.

Each lesson ends with a box of class ``keypoints``. The directive ``key-points``
marks where, on one page, the boxes of all lessons are shown, in the order of
the table of contents, each under a link to its lesson. The boxes are copied
from the lessons at every build, so the page never differs from them.
"""

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class key_points_list(nodes.General, nodes.Element):
    """Where the gathered key points go; replaced when the page is written."""


class KeyPointsDirective(SphinxDirective):
    def run(self):
        return [key_points_list()]


def collect(app, doctree):
    """Remember the key points box of the page just read, and whether the page
    shows the gathered list."""
    env = app.env
    if not hasattr(env, "course_key_points"):
        env.course_key_points, env.course_key_point_pages = {}, set()
    if any(True for _ in doctree.findall(key_points_list)):
        env.course_key_point_pages.add(env.docname)
    for box in doctree.findall(nodes.admonition):
        if "keypoints" in box["classes"]:
            title = next(doctree.findall(nodes.title)).astext()
            lists = [child.deepcopy() for child in box.children
                     if isinstance(child, nodes.bullet_list)]
            env.course_key_points[env.docname] = (title, lists)
            return


def purge(app, env, docname):
    getattr(env, "course_key_points", {}).pop(docname, None)
    getattr(env, "course_key_point_pages", set()).discard(docname)


def merge(app, env, docnames, other):
    if not hasattr(env, "course_key_points"):
        env.course_key_points, env.course_key_point_pages = {}, set()
    env.course_key_points.update(
        {name: value for name, value in getattr(other, "course_key_points", {}).items()
         if name in docnames})
    env.course_key_point_pages |= getattr(other, "course_key_point_pages", set()) & docnames


def reread_when_lessons_change(app, env, added, changed, removed):
    # The page shows other pages' boxes: when any page changes, so may it.
    if added or changed or removed:
        return sorted(getattr(env, "course_key_point_pages", set()))
    return []


def fill(app, doctree, docname):
    """Replace each placeholder with the lessons' boxes, in the order of the contents."""
    env = app.env
    gathered = getattr(env, "course_key_points", {})
    # Numbered pages only: the lessons, not the template that shows the box.
    lessons = [name for name in getattr(env, "course_toc_order", sorted(gathered))
               if name in gathered and env.toc_secnumbers.get(name, {}).get("")]
    for placeholder in list(doctree.findall(key_points_list)):
        content = []
        for lesson in lessons:
            title, lists = gathered[lesson]
            number = ".".join(str(part) for part in env.toc_secnumbers[lesson][""])
            heading = nodes.paragraph()
            link = nodes.reference(
                "", f"{number}. {title}",
                refuri=app.builder.get_relative_uri(docname, lesson),
                internal=True,
            )
            heading += nodes.strong("", "", link)
            content.append(heading)
            content.extend(item.deepcopy() for item in lists)
        placeholder.replace_self(content)


def remember_toc_order(app, env):
    """The documents in the order of the table of contents, for the page's order."""
    order, seen = [], set()

    def walk(docname):
        if docname in seen:
            return
        seen.add(docname)
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            walk(child)

    walk(app.config.root_doc)
    env.course_toc_order = order


def setup(app):
    app.add_node(key_points_list)
    app.add_directive("key-points", KeyPointsDirective)
    app.connect("doctree-read", collect)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-get-outdated", reread_when_lessons_change)
    app.connect("env-updated", remember_toc_order)
    app.connect("doctree-resolved", fill)
