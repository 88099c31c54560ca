"""The one place files are read and written: bounded, line-numbered YAML and atomic writes.

Nothing here imports pandas or NumPy (the scenario module loads YAML through it).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from alliance.errors import AllianceError, ScenarioError

__all__ = [
    "MAX_YAML_BYTES",
    "MAX_YAML_DEPTH",
    "MAX_YAML_NODES",
    "atomic_write",
    "atomic_write_text",
    "load_yaml",
    "node_line",
    "read_user_text",
    "replace_folder",
]

#: Largest scenario or grid file read [bytes].
MAX_YAML_BYTES: int = 1_000_000
#: Deepest nesting of mappings and lists accepted in a YAML file [levels].
MAX_YAML_DEPTH: int = 40
#: Largest number of YAML nodes a file may expand to, aliases counted each time [nodes].
MAX_YAML_NODES: int = 100_000


def read_user_text(path: Path, what: str, limit: int = MAX_YAML_BYTES) -> str:
    """Read a user's text file as UTF-8, at most ``limit`` bytes; errors name the file."""
    if not path.is_file():
        raise ScenarioError(str(path), "(file)", f"an existing {what} file", "no such file")
    size = path.stat().st_size
    if size > limit:
        raise ScenarioError(str(path), "(file)", f"a {what} file of at most {limit:,} bytes",
                            f"{size:,} bytes")
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(str(path), "(file)", "UTF-8 text (save the file as UTF-8)",
                            f"a byte that is not UTF-8 at offset {exc.start}") from None


def _check_shape(root: yaml.Node, file: str | Path) -> None:
    """Refuse deep nesting, alias bombs and duplicate keys before anything is built."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        if depth > MAX_YAML_DEPTH:
            raise ScenarioError(file, "(YAML structure)", f"at most {MAX_YAML_DEPTH} levels of "
                                "nesting", "deeper nesting", line=node.start_mark.line + 1)
        known = sizes.get(id(node))
        if known is not None:
            return known
        total = 1
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        raise ScenarioError(file, str(key.value), "each key once in a mapping",
                                            "a duplicate key", line=key.start_mark.line + 1)
                    seen.add(key.value)
                total += size(key, depth + 1) + size(value, depth + 1)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item, depth + 1) for item in node.value)
        sizes[id(node)] = total
        if total > MAX_YAML_NODES:
            raise ScenarioError(file, "(YAML structure)", f"at most {MAX_YAML_NODES:,} values "
                                "(aliases counted each time they are used)", "more",
                                line=node.start_mark.line + 1)
        return total

    size(root, 0)


def load_yaml(text: str, file: str | Path) -> tuple[Any, yaml.Node | None]:
    """Parse YAML safely: the data and its node tree (for line numbers in later errors).

    Only plain YAML types are built (SafeLoader); nesting, size after alias
    expansion and duplicate keys are bounded or refused with the line at fault.
    """
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        _check_shape(root, file)
        return loader.construct_document(root), root
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = None if mark is None else mark.line + 1
        raise ScenarioError(
            file, "(YAML syntax)", "valid YAML", str(getattr(exc, "problem", None) or exc),
            line=line,
        ) from None
    finally:
        loader.dispose()


def node_line(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the YAML node at a pydantic error location ``loc`` (deepest found)."""
    line = None if node is None else node.start_mark.line + 1
    current = node
    for part in loc:
        if isinstance(current, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(current.value):
                current = current.value[part]
                line = current.start_mark.line + 1
                continue
            break
        if not isinstance(current, yaml.MappingNode):
            break
        nxt = None
        for key_node, value_node in current.value:
            if str(key_node.value) == str(part):
                nxt = value_node
                line = key_node.start_mark.line + 1
                break
        if nxt is None:
            break
        current = nxt
    return line


def _umask() -> int:
    """The process's file-mode creation mask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(target: Path, write: Callable[[Path], object]) -> Path:
    """Write a file atomically through a temporary file beside ``target``.

    ``write`` fills the temporary file (its return value is ignored), which then
    replaces ``target`` in one rename; an interrupted write leaves ``target`` as it was.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        tmp.chmod(0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def atomic_write_text(target: Path, text: str) -> Path:
    """Write UTF-8 text atomically (see :func:`atomic_write`)."""
    return atomic_write(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def replace_folder(out_dir: Path, fill: Callable[[Path], None]) -> Path:
    """Fill a new folder and put it in place of ``out_dir`` in one step.

    ``fill`` writes into a temporary sibling folder; only when it has finished does
    that folder replace ``out_dir`` (the previous contents stay untouched until
    then, and an interrupted fill removes the temporary folder). Returns ``out_dir``.
    """
    out = out_dir.resolve()
    if out.exists() and not out.is_dir():
        raise AllianceError(f"--out: {out} exists and is not a folder; choose a folder path.")
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AllianceError(f"--out: cannot create {parent}: {exc.strerror}.") from None
    token = uuid.uuid4().hex[:8]
    tmp = parent / f".{out.name}.tmp-{token}"
    old = parent / f".{out.name}.old-{token}"
    try:
        tmp.mkdir()
        fill(tmp)
        if out.exists():
            os.replace(out, old)
        try:
            os.replace(tmp, out)
        except BaseException:
            if old.exists() and not out.exists():
                os.replace(old, out)
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return out
