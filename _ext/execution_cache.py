"""Sphinx extension: a change to `dlcourse` re-executes the pages that import it.

myst-nb's execution cache (jupyter-cache) recognises a notebook by the text of
its cells only. On its own it would go on serving a lesson's outputs after an
edit to `dlcourse` changed what the lesson prints. This extension keeps a
fingerprint of each watched package beside the cache; when it differs, the
cached outputs of the pages that import the package are dropped and those pages
are read again, so they execute with the package as it is now.
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
    return re.search(rf"^\s*(?:import|from)\s+{re.escape(name)}\b", source, re.MULTILINE)


def forget_outputs_of_changed_packages(app, env, added, changed, removed):
    """Return the pages to read again because a package they import changed."""
    # myst-nb settles its settings when the builder starts, before this event.
    if env.mystnb_config.execution_mode != "cache":
        return []
    cache_folder = Path(env.mystnb_config.execution_cache_path)
    to_read = set()
    for name in env.config.execution_watched_packages:
        fingerprint = package_fingerprint(name)
        stored = cache_folder / f"{name}.sha256"
        if fingerprint is None or (stored.is_file() and stored.read_text() == fingerprint):
            continue
        if cache_folder.is_dir():
            to_read |= forget_pages_importing(name, cache_folder, env)
        cache_folder.mkdir(parents=True, exist_ok=True)
        stored.write_text(fingerprint)
    if to_read:
        logger.info(f"{', '.join(env.config.execution_watched_packages)} changed since "
                    f"the cached outputs: executing {', '.join(sorted(to_read))} again")
    return sorted(to_read)


def forget_pages_importing(name, cache_folder, env):
    from jupyter_cache import get_cache  # installed with myst-nb

    cache, pages = get_cache(cache_folder), set()
    for record in cache.list_cache_records():
        source = Path(record.uri)
        if source.is_file() and imports(source.read_text(), name):
            cache.remove_cache(record.pk)
            docname = env.path2doc(str(source))
            if docname:
                pages.add(docname)
    return pages


def setup(app):
    app.add_config_value("execution_watched_packages", ["dlcourse"], "env")
    app.connect("env-get-outdated", forget_outputs_of_changed_packages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
