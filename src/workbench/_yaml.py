"""Reading YAML from untrusted files with limits (rubrics, scenarios, checks, specs).

YAML anchors and aliases let a few hundred bytes describe billions of values ("billion laughs"):
``safe_load`` shares the aliased objects, so loading itself is cheap, but any later walk over the
data (validation, a line map, ``repr`` in an error message) expands them. This loader composes the
document once (with libyaml's C parser when it is installed), measures the node graph before
anything is built, and refuses a document that

- is larger than :attr:`YamlLimits.max_bytes`,
- nests deeper than :attr:`YamlLimits.max_depth`,
- expands through aliases (and ``<<`` merge keys) to more than :attr:`YamlLimits.max_alias_nodes`
  nodes beyond the ones written in the file, or refers to itself (a recursive alias).

The measure is one pass over the distinct nodes with memoised subtree sizes, so a bomb is refused
in milliseconds and without building it. The same composed graph gives the line of every key
(:func:`load_yaml` with ``lines=True``), visiting each node once, so the document is parsed once.

References
----------
OWASP, "Deserialization Cheat Sheet" (YAML: use safe loaders);
CVE-2003-1564 and the "billion laughs" entity expansion attack, which alias bombs reproduce in YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import WorkbenchError

__all__ = ["YamlLimits", "YAML_LIMITS", "load_yaml", "read_yaml", "read_text"]

# Every message of this module, in one place (to move into the gettext catalogue).
MESSAGES = {
    "too_big": "the {what} is {size:,} bytes, over the limit of {limit:,} bytes",
    "too_big_hint": "split the file, or raise workbench._yaml.YAML_LIMITS.max_bytes if it is genuine",
    "too_deep": "the {what} nests {depth} levels deep, over the limit of {limit} (line {line})",
    "too_deep_hint": "a rubric needs far fewer levels; check the indentation",
    "bomb": (
        "the {what} uses anchors and aliases (&name / *name) that expand to more than {limit:,} "
        "extra values (line {line}); this is refused because it can exhaust memory"
    ),
    "bomb_hint": "write the repeated parts out, or use fewer nested aliases",
    "cycle": "the {what} contains an alias that refers to itself (line {line})",
    "cycle_hint": "an alias (*name) cannot appear inside the anchor (&name) it refers to",
    "malformed": "malformed YAML at line {line}, column {column}: {problem}",
    "malformed_plain": "malformed YAML: {problem}",
    "hint": "check indentation and that every 'key: value' has a space after the colon",
    "value": "a value cannot be read: {problem}",
    "value_hint": "numbers need at most a few hundred digits; dates must exist",
    "encoding": "the {what} is not UTF-8 text (byte {offset}); save it as UTF-8",
    "not_found": "{what} not found: {path}",
    "unreadable": "cannot read the {what}: {reason}",
}


@dataclass(frozen=True)
class YamlLimits:
    """Limits on a YAML document (defaults leave room for a 100,000-indicator rubric)."""

    max_bytes: int = 64 * 1024 * 1024
    max_depth: int = 64
    max_alias_nodes: int = 100_000


YAML_LIMITS = YamlLimits()

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser is ~10x faster when installed


def _children(node):
    """The collection nodes below ``node`` and how many scalars it holds directly."""
    kids = node.value if isinstance(node, SequenceNode) else [n for pair in node.value for n in pair]
    coll = [k for k in kids if not isinstance(k, ScalarNode)]
    return coll, len(kids) - len(coll)


def _measure(root, limits: YamlLimits, what: str, file, error):
    """Refuse recursive aliases, deep nesting and alias expansion past the budget.

    Iterative depth-first walk over distinct collection nodes (a scalar counts 1 and cannot hide
    an expansion); each node's expanded size and height are memoised, so the cost is linear in
    the file, however far the aliases would expand.
    """
    if isinstance(root, ScalarNode):
        return
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    state: dict[int, int] = {}  # 1 = on the current path, 2 = measured
    distinct = 0
    stack: list = [(root, None)]
    while stack:
        node, kids = stack.pop()
        nid = id(node)
        if kids is not None:  # every child measured: this node's turn
            coll, scalars = kids
            size[nid] = 1 + scalars + sum(size[id(k)] for k in coll)
            height[nid] = 1 + max((height[id(k)] for k in coll), default=1 if scalars else 0)
            state[nid] = 2
            line = node.start_mark.line + 1 if node.start_mark else None
            if height[nid] > limits.max_depth:
                raise error(
                    MESSAGES["too_deep"].format(
                        what=what, depth=height[nid], limit=limits.max_depth, line=line
                    ),
                    file=file,
                    hint=MESSAGES["too_deep_hint"],
                )
            if size[nid] - distinct > limits.max_alias_nodes:
                raise error(
                    MESSAGES["bomb"].format(what=what, limit=limits.max_alias_nodes, line=line),
                    file=file,
                    hint=MESSAGES["bomb_hint"],
                )
            continue
        st = state.get(nid)
        if st == 2:
            continue
        if st == 1:
            line = node.start_mark.line + 1 if node.start_mark else None
            raise error(
                MESSAGES["cycle"].format(what=what, line=line),
                file=file,
                hint=MESSAGES["cycle_hint"],
            )
        state[nid] = 1
        kids = _children(node)
        distinct += 1 + kids[1]
        stack.append((node, kids))
        stack.extend((k, None) for k in kids[0] if state.get(id(k)) != 2)


class _Lines(dict):
    """The line map, built from the node graph on first use (only error messages need it)."""

    def __init__(self, root):
        super().__init__()
        self._root = root

    def _fill(self):
        if self._root is not None:
            root, self._root = self._root, None
            self.update(_line_map(root))

    def get(self, key, default=None):
        self._fill()
        return super().get(key, default)

    def __getitem__(self, key):
        self._fill()
        return super().__getitem__(key)

    def __contains__(self, key):
        self._fill()
        return super().__contains__(key)

    def __len__(self):
        self._fill()
        return super().__len__()

    def __iter__(self):
        self._fill()
        return super().__iter__()


def _line_map(root) -> dict[str, int]:
    """Key path (``blocks[0].indicators[2].rule``) -> 1-based line, each node visited once."""
    out: dict[str, int] = {}
    seen: set[int] = set()
    stack = [(root, "")]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:  # an alias: its lines are those of the anchor
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for k, v in node.value:
                label = k.value if isinstance(k, ScalarNode) else f"<{k.tag}>"
                name = f"{path}.{label}" if path else str(label)
                out.setdefault(name, k.start_mark.line + 1)
                stack.append((v, name))
        elif isinstance(node, SequenceNode):
            for i, v in enumerate(node.value):
                name = f"{path}[{i}]"
                out.setdefault(name, v.start_mark.line + 1)
                stack.append((v, name))
    return out


def load_yaml(
    text: str,
    *,
    file: str | None = None,
    error: type[WorkbenchError] = WorkbenchError,
    what: str = "YAML file",
    lines: bool = False,
    limits: YamlLimits | None = None,
    hint=None,
):
    """Parse one YAML document with safe types and the limits of :data:`YAML_LIMITS`.

    Parameters
    ----------
    text : str
        The document.
    file : str, optional
        Named in errors.
    error : WorkbenchError subclass, default WorkbenchError
        The error raised (RubricError for rubrics, SpecError for scenarios and checks).
    what : str
        How errors name the document ("rubric file", "scenario file"...).
    lines : bool, default=False
        Also return ``{key path: line}`` for error messages.
    limits : YamlLimits, optional
    hint : callable, optional
        ``hint(exc) -> str`` for a syntax error (the rubric loader explains unbalanced quotes).

    Returns
    -------
    object, or (object, dict) when ``lines=True``

    Raises
    ------
    error
        Size, depth or alias limits exceeded, a recursive alias, malformed YAML, a tag that safe
        loading does not allow (``!!python/object``...), or a value that cannot be built.
    """
    limits = limits or YAML_LIMITS
    if len(text) > limits.max_bytes:
        raise error(
            MESSAGES["too_big"].format(what=what, size=len(text), limit=limits.max_bytes),
            file=file,
            hint=MESSAGES["too_big_hint"],
        )
    loader = _Base(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return (None, {}) if lines else None
        _measure(node, limits, what, file, error)
        data = loader.construct_document(node)
        line_map = _Lines(node) if lines else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        raise error(
            MESSAGES["malformed"].format(line=line, column=col, problem=exc.problem or exc.context),
            file=file,
            key=f"line {line}",
            hint=hint(exc) if hint else MESSAGES["hint"],
        ) from None
    except yaml.YAMLError as exc:
        raise error(MESSAGES["malformed_plain"].format(problem=exc), file=file) from None
    except RecursionError:  # the pure-Python parser (no libyaml) recurses per level
        raise error(
            MESSAGES["too_deep"].format(what=what, depth="too many", limit=limits.max_depth, line="?"),
            file=file,
            hint=MESSAGES["too_deep_hint"],
        ) from None
    except (ValueError, OverflowError) as exc:  # int('9' * 5000), date(2024, 13, 45)
        if isinstance(exc, WorkbenchError):
            raise
        raise error(MESSAGES["value"].format(problem=exc), file=file, hint=MESSAGES["value_hint"]) from None
    finally:
        loader.dispose()
    return (data, line_map) if lines else data


def read_text(path, *, error: type[WorkbenchError] = WorkbenchError, what: str = "YAML file", limits=None):
    """The text of a UTF-8 file (BOM allowed), its size checked before it is read."""
    path = Path(path)
    limits = limits or YAML_LIMITS
    file = str(path)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise error(
                MESSAGES["too_big"].format(what=what, size=size, limit=limits.max_bytes),
                file=file,
                hint=MESSAGES["too_big_hint"],
            )
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise error(MESSAGES["not_found"].format(what=what, path=path), file=file) from None
    except UnicodeDecodeError as exc:
        raise error(MESSAGES["encoding"].format(what=what, offset=exc.start), file=file) from None
    except OSError as exc:  # a folder, no permission
        raise error(MESSAGES["unreadable"].format(what=what, reason=exc.strerror or exc), file=file) from None


def read_yaml(path, *, error: type[WorkbenchError] = WorkbenchError, what: str = "YAML file", **kwargs):
    """Read a YAML file (UTF-8, BOM allowed) with :func:`load_yaml`; the size is checked first."""
    text = read_text(path, error=error, what=what, limits=kwargs.get("limits"))
    return load_yaml(text, file=str(path), error=error, what=what, **kwargs)
