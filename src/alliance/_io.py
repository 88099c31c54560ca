"""The one place files are read and written: bounded, line-numbered YAML and atomic writes.

Nothing here imports pandas or NumPy (the scenario module loads YAML through it).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import signal
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
    "OUTPUT_MARKER",
    "atomic_write",
    "check_output_folder",
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
#: Longest integer literal in a YAML file [digits].
MAX_YAML_INT_DIGITS: int = 30
#: Most alias uses (``*name``) in one YAML file [count].
MAX_YAML_ALIASES: int = 50
#: The only YAML tags accepted: plain strings, numbers, booleans, null, mappings, lists.
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}"
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)


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
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(str(path), "(file)", "UTF-8 text (save the file as UTF-8)",
                            f"a byte that is not UTF-8 at offset {exc.start}") from None


def _check_shape(root: yaml.Node, file: str | Path) -> None:
    """Refuse deep nesting, alias bombs and duplicate keys before anything is built."""
    sizes: dict[int, int] = {}
    aliases = [0]

    def size(node: yaml.Node, depth: int) -> int:
        line = node.start_mark.line + 1
        if depth > MAX_YAML_DEPTH:
            raise ScenarioError(file, "(YAML structure)", f"at most {MAX_YAML_DEPTH} levels of "
                                "nesting", "deeper nesting", line=line)
        if node.tag not in _PLAIN_TAGS:
            raise ScenarioError(file, "(YAML tag)", "plain YAML values (text, numbers, true/false, "
                                "lists, mappings)", f"the tag {node.tag!r}", line=line)
        if node.tag.endswith(":int") and len(str(node.value)) > MAX_YAML_INT_DIGITS:
            raise ScenarioError(file, "(YAML value)", f"numbers of at most {MAX_YAML_INT_DIGITS} "
                                "digits", f"a number of {len(str(node.value)):,} digits",
                                line=line)
        known = sizes.get(id(node))
        if known is not None:
            aliases[0] += 1
            if aliases[0] > MAX_YAML_ALIASES:
                raise ScenarioError(file, "(YAML aliases)", f"at most {MAX_YAML_ALIASES} alias "
                                    "uses (*name)", "more", line=line)
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
    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as exc:  # the reader refuses NUL and control characters at once
        raise ScenarioError(file, "(YAML syntax)", "valid YAML text",
                            str(getattr(exc, "reason", None) or exc).split("\n")[0]) from None
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        _check_shape(root, file)
        return loader.construct_document(root), root
    except RecursionError:
        raise ScenarioError(file, "(YAML structure)", f"at most {MAX_YAML_DEPTH} levels of "
                            "nesting", "far deeper nesting") from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise ScenarioError(file, "(YAML value)", "numbers of ordinary size",
                            str(exc).split(";")[0][:80]) from None
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
    if target.is_dir():
        raise AllianceError(f"--out: {target} is a folder; give the path of a file to write.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=target.parent)
    except OSError as exc:
        raise AllianceError(f"--out: cannot write {target}: {exc.strerror or exc}; choose a "
                            "path you can write to.") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        tmp.chmod(0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise AllianceError(f"--out: cannot write {target}: {exc.strerror or exc}; choose a "
                            "path you can write to.") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def atomic_write_text(target: Path, text: str) -> Path:
    """Write UTF-8 text atomically (see :func:`atomic_write`)."""
    return atomic_write(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))


#: The C library, for renameat2 (None where it cannot be loaded).
_LIBC = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True) if os.name == "posix" else None

#: File that marks a folder as written by alliance (``--out`` replaces only such folders).
OUTPUT_MARKER = ".alliance-output"


def _recover(out: Path) -> None:
    """Undo what a killed earlier run left beside ``out``.

    Restores a moved-away previous output when ``out`` is missing, and removes
    stale temporary folders.
    """
    parent = out.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f".{out.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if olds and not out.exists():
        os.replace(olds[-1], out)
        olds = olds[:-1]
    for stale in [*olds, *parent.glob(f".{out.name}.tmp-*")]:
        shutil.rmtree(stale, ignore_errors=True)


def check_output_folder(out: Path) -> None:
    """Refuse, before any work, an ``--out`` folder that :func:`replace_folder` would refuse.

    That is one that holds files alliance did not write, or whose parent cannot be written.
    """
    target = out.resolve()
    try:
        _check_replaceable(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        probe = tempfile.mkdtemp(prefix=f".{target.name}.probe-", dir=target.parent)
        os.rmdir(probe)
    except OSError as exc:
        raise AllianceError(f"--out: cannot write {target}: {exc.strerror or exc}; choose a "
                            "folder you can write to.") from None


def _written_by_alliance(out: Path) -> bool:
    """The folder carries the marker, or is the output of a version before the marker.

    Such an output has report.html beside a summary.json that names its alliance version.
    """
    if (out / OUTPUT_MARKER).is_file():
        return True
    summary = out / "summary.json"
    if not (out / "report.html").is_file() or not summary.is_file():
        return False
    with summary.open(encoding="utf-8", errors="replace") as fh:
        return '"alliance_version"' in fh.read(4096)


def _check_replaceable(out: Path) -> None:
    """``out`` may be replaced: absent, an empty folder, or an earlier alliance output."""
    if not out.exists():
        return
    if not out.is_dir():
        raise AllianceError(f"--out: {out} exists and is not a folder; choose a folder path.")
    if any(out.iterdir()) and not _written_by_alliance(out):
        raise AllianceError(
            f"--out: {out} holds files that alliance did not write, and --out replaces the "
            "whole folder; choose a new or empty folder (e.g. alliance-out), or move those "
            "files away first."
        )


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    rename = getattr(_LIBC, "renameat2", None) if _LIBC is not None else None
    if rename is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if rename(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EPERM):  # file system without exchange
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap(out: Path, tmp: Path, old: Path) -> None:
    """Put ``tmp`` in place of ``out``; the previous ``out`` ends up at ``old``.

    Where the system can exchange two paths atomically (Linux), there is no moment
    without a complete ``out``. Elsewhere two renames follow each other with Ctrl-C
    and SIGTERM held back in between; a kill there (SIGKILL cannot be held) is
    undone by :func:`_recover` on the next run.
    """
    if out.exists() and _exchange(tmp, out):
        os.replace(tmp, old)
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        if out.exists():
            os.replace(out, old)
        try:
            os.replace(tmp, out)
        except BaseException:
            if old.exists() and not out.exists():
                os.replace(old, out)
            raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def replace_folder(out_dir: Path, fill: Callable[[Path], None]) -> Path:
    """Fill a new folder and put it in place of ``out_dir`` in one step.

    ``fill`` writes into a temporary sibling folder; only when it has finished does
    that folder replace ``out_dir`` (the previous contents stay untouched until
    then; an interrupted fill removes the temporary folder; a kill at any moment
    leaves the previous or the new output, and the next run tidies up). A folder
    that holds files alliance did not write is never replaced: every output carries
    the marker file :data:`OUTPUT_MARKER`. Returns ``out_dir`` (resolved).
    """
    out = out_dir.resolve()
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        _recover(out)
        _check_replaceable(out)
    except OSError as exc:
        raise AllianceError(f"--out: cannot write beside {out}: {exc.strerror or exc}; "
                            "choose a folder you can write to.") from None
    token = uuid.uuid4().hex[:8]
    tmp = parent / f".{out.name}.tmp-{token}"
    old = parent / f".{out.name}.old-{token}"
    try:
        tmp.mkdir()
        fill(tmp)
        (tmp / OUTPUT_MARKER).write_text("written by alliance; --out may replace this folder\n",
                                         encoding="utf-8")
        _swap(out, tmp, old)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise AllianceError(f"--out: cannot write {out}: {exc.strerror or exc}; choose a "
                            "folder you can write to.") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return out
