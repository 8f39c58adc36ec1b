"""Writing files safely: atomic and durable, never over an input, all or none.

Re-exported by :mod:`workbench.io` (see :mod:`workbench.io._outputs` for tables).

- **Atomic, durable files.** Data goes to a temporary file in the target folder, is flushed to
  disk (``fsync``) and renamed over the target, so a crash leaves the old file or the new one.
  Temporary names carry the writer's process id; a later write in that folder removes those of
  dead processes (:func:`clean_orphans`).
- **Inputs are never overwritten, outputs stay where the user said.** :func:`check_outputs`
  compares resolved paths (symlinks and hard links included); :func:`guard_inputs` makes every
  write in its block refuse an input; :func:`safe_filename` turns codes and names into one safe
  path component.
- **All or none.** :func:`write_files` takes every file rendered in memory, stages them in a
  hidden folder inside the target folder, then renames them into place.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

from .._i18n import _
from ..errors import OutputError

__all__ = [
    "ensure_writable",
    "atomic_write_text",
    "atomic_write_bytes",
    "write_files",
    "check_outputs",
    "guard_inputs",
    "safe_filename",
    "clean_orphans",
]


def _messages() -> dict:
    """Every message of this module, in the current language (the gettext catalogue)."""
    return {
        "is_input": _("{output} would replace the input {input}; inputs are never overwritten"),
        "is_input_hint": _("choose another output name or folder"),
        "outside": _("{output} is outside the output folder {folder}"),
        "outside_hint": _("codes and names become file names only after they are made safe; report this"),
        "is_dir": _("{path} is a folder; give a file name (e.g. {example})"),
        "cannot_write": _("cannot write {path}: {reason}"),
        "cannot_write_folder": _("cannot write to the output folder {folder}: {reason}"),
        "folder_hint": _("choose a folder you can write to with --out"),
    }


_TMP_TAG = ".wbtmp-"  # temporary files: .<name>.wbtmp-<pid>-<random>
_STAGE_TAG = ".wbstage-"  # staging folders: .wbstage-<pid>-<random>
_guarded: contextvars.ContextVar[tuple[Path, ...]] = contextvars.ContextVar("guarded", default=())


def _resolved(path) -> Path:
    """The path with its folder resolved (symlinks followed) but the last component kept, so an
    output that is itself a symlink is compared as the link that a rename would replace."""
    path = Path(path).expanduser()
    try:
        return path.parent.resolve() / path.name
    except OSError:
        return path.absolute()


def _same(a: Path, b: Path) -> bool:
    if _resolved(a) == _resolved(b) or Path(a).resolve() == Path(b).resolve():
        return True
    try:
        return os.path.samefile(a, b)  # hard links
    except OSError:
        return False


def check_outputs(inputs: Iterable, outputs: Iterable, *, folder=None) -> None:
    """Refuse outputs that would replace an input or land outside ``folder``.

    Parameters
    ----------
    inputs : iterable of paths (None entries ignored)
    outputs : iterable of paths
    folder : path, optional
        The folder the user named; every output must resolve inside it.

    Raises
    ------
    OutputError
        Naming the input that would have been replaced, or the output outside the folder.
    """
    ins = [Path(p) for p in inputs if p is not None]
    top = None if folder is None else Path(folder).expanduser().resolve()
    for out in (Path(p) for p in outputs if p is not None):
        for inp in ins:
            if _same(out, inp):
                raise OutputError(
                    _messages()["is_input"].format(output=out, input=inp),
                    file=str(out),
                    hint=_messages()["is_input_hint"],
                )
        if top is not None and not _resolved(out).is_relative_to(top):
            raise OutputError(
                _messages()["outside"].format(output=out, folder=folder),
                file=str(out),
                hint=_messages()["outside_hint"],
            )


@contextlib.contextmanager
def guard_inputs(paths: Iterable):
    """Within the block, every write of this module refuses to replace any of ``paths``."""
    token = _guarded.set(_guarded.get() + tuple(Path(p) for p in paths if p is not None))
    try:
        yield
    finally:
        _guarded.reset(token)


_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


def safe_filename(text, *, default: str = "output", max_bytes: int = 120) -> str:
    """One safe file-name component from a code or name (keeps Chinese, drops path tricks).

    Path separators, ``..``, control and bidirectional characters, characters Windows forbids
    (``<>:"|?*``), leading dots and spaces and Windows device names are removed or replaced by
    ``_``; the result is at most ``max_bytes`` UTF-8 bytes and never empty.

    >>> safe_filename("../../elsewhere/evil"), safe_filename("/etc/x"), safe_filename("重庆 机关")
    ('elsewhere_evil', 'etc_x', '重庆 机关')
    """
    s = unicodedata.normalize("NFKC", str(text))
    s = "".join(c if unicodedata.category(c)[0] != "C" else "_" for c in s)
    s = re.sub(r'[<>:"/\\|?*]+', "_", s)
    s = re.sub(r"_*\.\.+_*", "_", s)  # no '..' anywhere
    s = s.strip(" ._")
    s = re.sub(r"_+", "_", s)
    if s.split(".")[0].lower() in _RESERVED:
        s = "_" + s
    while len(s.encode("utf-8")) > max_bytes:
        s = s[:-1]
    return s or default


# ---------------------------------------------------------------------------------- writing
def clean_orphans(folder, *, min_age: float = 0.0) -> int:
    """Remove temporary files and staging folders that a killed run left in ``folder``.

    Only those whose writer process is gone (or older than a day) are removed, so a run in
    progress elsewhere is not disturbed. Returns how many were removed.
    """
    folder = Path(folder)
    removed = 0
    try:
        entries = list(folder.iterdir())
    except OSError:
        return 0
    for p in entries:
        m = re.search(rf"(?:{re.escape(_TMP_TAG)}|^{re.escape(_STAGE_TAG)})(\d+)-", p.name)
        if not m:
            continue
        try:
            age = time.time() - p.lstat().st_mtime
        except OSError:
            continue
        if age < min_age or (_alive(int(m.group(1))) and age < 86400):
            continue
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but not ours
        return True
    return True


def _prepare(path: Path) -> Path:
    """Refuse a folder or a guarded input as the target; create and check the folder."""
    if path.is_dir():
        raise OutputError(
            _messages()["is_dir"].format(path=path, example=path / f"result{path.suffix or '.csv'}"),
            file=str(path),
        )
    check_outputs(_guarded.get(), [path])
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            _messages()["cannot_write_folder"].format(folder=folder, reason=exc.strerror or exc),
            file=str(folder),
            hint=_messages()["folder_hint"],
        ) from None
    clean_orphans(folder)
    return folder


def _write_synced(fd: int, data: bytes) -> None:
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())  # on disk before the rename makes it visible


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through an fsynced temporary file in the same folder, then rename.

    Raises
    ------
    OutputError
        ``path`` is a folder or a guarded input, or the folder cannot be written.
    """
    path = Path(path)
    folder = _prepare(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:80]}{_TMP_TAG}{os.getpid()}-", dir=folder)
    except OSError as exc:
        raise OutputError(
            _messages()["cannot_write"].format(path=path, reason=exc.strerror or exc), file=str(path)
        ) from None
    try:
        _write_synced(fd, data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the file the usual mode
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(
            _messages()["cannot_write"].format(path=path, reason=exc.strerror or exc), file=str(path)
        ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(folder)
    return path


def write_files(files: Mapping, *, folder=None) -> list[Path]:
    """Write several files all or none.

    Parameters
    ----------
    files : mapping of path to bytes
        Everything is rendered before this is called, so nothing is computed while writing.
    folder : path, optional
        The folder the user named; every file must resolve inside it.

    The files are written and fsynced in a hidden staging folder inside each target folder, then
    renamed into place; if anything fails before the renames, nothing is left behind.
    """
    paths = {Path(p): data for p, data in files.items()}
    check_outputs(_guarded.get(), paths, folder=folder)
    for p in paths:
        _prepare(p)
    stages: dict[Path, Path] = {}
    staged: list[tuple[Path, Path]] = []
    try:
        for p, data in paths.items():
            if p.parent not in stages:
                stages[p.parent] = Path(tempfile.mkdtemp(prefix=f"{_STAGE_TAG}{os.getpid()}-", dir=p.parent))
            tmp = stages[p.parent] / p.name
            _write_synced(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), data)
            staged.append((tmp, p))
        for tmp, p in staged:
            os.replace(tmp, p)
    except OSError as exc:
        raise OutputError(
            _messages()["cannot_write"].format(path=exc.filename or folder, reason=exc.strerror or exc),
            file=str(exc.filename or folder),
        ) from None
    finally:
        for stage in stages.values():
            shutil.rmtree(stage, ignore_errors=True)
    for parent in stages:
        _sync_folder(parent)
    return list(paths)


def ensure_writable(folder) -> Path:
    """Create ``folder`` if needed and check that files can be written in it.

    Raises
    ------
    OutputError
        Naming the folder and the reason, so nothing is computed for an output that cannot be saved.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-test.", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(
            _messages()["cannot_write_folder"].format(folder=folder, reason=exc.strerror or exc),
            file=str(folder),
            hint=_messages()["folder_hint"],
        ) from None
    return folder


def atomic_write_text(path: Path, text: str) -> Path:
    """Write UTF-8 text atomically (see :func:`atomic_write_bytes`)."""
    return atomic_write_bytes(path, text.encode("utf-8"))
