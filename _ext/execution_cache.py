"""Sphinx extension: a change to `dlcourse` re-executes the pages that import it.

myst-nb's execution cache (jupyter-cache) recognises a notebook by the text of
its cells only. On its own it would go on serving a lesson's outputs after an
edit to `dlcourse` changed what the lesson prints. This extension keeps a
fingerprint of each watched package beside the cache; when it differs or is
missing, the cached outputs of the pages that import the package are dropped
and those pages are read again, so they execute with the package as it is now.
"""

import hashlib
import importlib.util
import re
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)


def package_fingerprint(name):
    """A SHA-256 of every file of the package `name` that Python would import.

    :param name: an importable package, such as ``"dlcourse"``
    :returns: the hexadecimal digest, or ``None`` if the package is not installed
    """
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    digest = hashlib.sha256()
    for folder in map(Path, spec.submodule_search_locations):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def imports(source, name):
    # A MyST page's code line, or a notebook's JSON string ("import ...").
    return re.search(rf'^[\s"]*(?:import|from)\s+{re.escape(name)}\b', source, re.MULTILINE)


def forget_outputs_of_changed_packages(app, env, added, changed, removed):
    """Return the pages to read again because a package they import changed
    since the cache's outputs were made (or the cache lost its record of it)."""
    # myst-nb settles its settings when the builder starts, before this event.
    if env.mystnb_config.execution_mode != "cache":
        return []
    cache_folder = Path(env.mystnb_config.execution_cache_path)
    app.course_fingerprints = {}
    to_read = set()
    for name in env.config.execution_watched_packages:
        fingerprint = package_fingerprint(name)
        stored = cache_folder / f"{name}.sha256"
        if fingerprint is None or (stored.is_file() and stored.read_text() == fingerprint):
            continue
        pages = {docname for docname in env.found_docs
                 if imports(Path(env.doc2path(docname)).read_text(), name)}
        if (cache_folder / "global.db").is_file():  # else there is nothing to forget
            sources = {Path(env.doc2path(page)).resolve() for page in pages}
            forget_cached_outputs(cache_folder, sources)
            logger.info(f"{name} changed since the cached outputs: "
                        f"executing {', '.join(sorted(pages)) or 'no page'} again")
        to_read |= pages
        app.course_fingerprints[stored] = fingerprint
    return sorted(to_read)


def forget_cached_outputs(cache_folder, sources):
    from jupyter_cache import get_cache  # installed with myst-nb

    cache = get_cache(cache_folder)
    for record in cache.list_cache_records():
        if Path(record.uri).resolve() in sources:
            cache.remove_cache(record.pk)


def store_fingerprints(app, env):
    # Only once every page has been read, and so executed: a build stopped
    # halfway leaves the old fingerprint, and the next build starts over.
    for stored, fingerprint in getattr(app, "course_fingerprints", {}).items():
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_text(fingerprint)
    return []


def setup(app):
    app.add_config_value("execution_watched_packages", ["dlcourse"], "env")
    app.connect("env-get-outdated", forget_outputs_of_changed_packages)
    app.connect("env-updated", store_fingerprints)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
