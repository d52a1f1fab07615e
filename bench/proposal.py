"""Optimisation proposals as source fragments: measured as they are, shown as exact diffs.

A fragment in bench/usulan/ is the code as it would stand in src/, preceded by a header:

    # berkas: src/skorasn/reporting/document.py    the file it changes
    # impor: import numpy as np                    an import it needs (optional, repeatable)
    # basis: participant_records=3f2a…             hash of each replaced definition as it was
    # ganti: participant_records                   the definition the lines below replace

The lines after `# ganti: NAME` (up to the next `# ganti:`) replace the top-level definition
NAME, and may add helpers before it. bench/prototipe.py executes the fragment inside the module
itself (and undoes it afterwards), so the prototype runs exactly as the edit would; `diff`
applies the fragment to the current file text and returns a unified diff that `git apply`
accepts.

Others keep editing src/, so a fragment records the hash of each definition it replaces
(`# basis:`). `status` says whether a fragment still applies to the current source ("berlaku"),
was written against an older version ("usang": rebase it before trusting its diff), or is in
src/ already ("diterapkan").

    python bench/proposal.py            # status of every fragment
    python bench/proposal.py --catat X  # record the current basis in bench/usulan/X.py
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import importlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = Path(__file__).resolve().parent / "usulan"


@dataclass
class Proposal:
    name: str
    path: str
    imports: list[str] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)
    basis: dict[str, str] = field(default_factory=dict)

    @property
    def module(self) -> str:
        return self.path.removeprefix("src/").removesuffix(".py").replace("/", ".")


def load(fragment: Path) -> Proposal:
    proposal = Proposal(fragment.stem, "")
    current: list[str] | None = None
    for line in fragment.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("# berkas:"):
            proposal.path = line.split(":", 1)[1].strip()
        elif line.startswith("# impor:"):
            proposal.imports.append(line.split(":", 1)[1].strip())
        elif line.startswith("# basis:"):
            pairs = line.split(":", 1)[1].split()
            proposal.basis = dict(pair.split("=", 1) for pair in pairs)
        elif line.startswith("# ganti:"):
            current = []
            proposal.sections[line.split(":", 1)[1].strip()] = current  # type: ignore[assignment]
        elif current is not None:
            current.append(line)
        elif not line.startswith("#"):
            raise ValueError(f"{fragment}: code before '# ganti:'")
    proposal.sections = {name: "".join(lines).strip("\n") + "\n"
                         for name, lines in proposal.sections.items()}
    return proposal


def load_all() -> list[Proposal]:
    return [load(path) for path in sorted(FOLDER.glob("*.py"))]


def code(proposal: Proposal) -> object:
    source = "\n".join([*proposal.imports, *proposal.sections.values()])
    return compile(source, f"bench/usulan/{proposal.name}.py", "exec")


def defined_names(proposal: Proposal) -> set[str]:
    """Every top-level name the fragment binds (definitions, constants, imports)."""
    tree = ast.parse("\n".join([*proposal.imports, *proposal.sections.values()]))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def build(proposal: Proposal) -> dict[str, object]:
    """The replacement objects (executed in a copy of the module's namespace), by the name of
    the definition each replaces."""
    module = importlib.import_module(proposal.module)
    namespace = dict(vars(module))
    exec(code(proposal), namespace)
    return {name: namespace[name] for name in proposal.sections}


def _span(tree: ast.Module, name: str) -> tuple[int, int]:
    for node in tree.body:
        if getattr(node, "name", None) == name:
            first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
            return first - 1, node.end_lineno  # type: ignore[return-value]
    raise LookupError(f"{name} not found")


def apply(proposal: Proposal, text: str) -> str:
    """The file text with the fragment applied."""
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    spans = sorted(((_span(tree, name), body) for name, body in proposal.sections.items()),
                   reverse=True)
    for (start, end), body in spans:
        lines[start:end] = body.splitlines(keepends=True)
    for line in proposal.imports:
        if line + "\n" not in lines:
            position = _import_position(tree, text.splitlines(), line)
            lines[position:position] = [line + "\n"]
    return "".join(lines)


def _import_position(tree: ast.Module, lines: list[str], new: str) -> int:
    """Before the first top-level import of the same form (`import x` or `from x import y`)
    that sorts after `new`, else after the last import."""
    imports = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    form = new.split()[0] + " "
    for node in imports:
        line = lines[node.lineno - 1]
        if line.startswith(form) and line > new:
            return node.lineno - 1
    return max(node.end_lineno or node.lineno for node in imports)


def diff(proposal: Proposal) -> str:
    text = (ROOT / proposal.path).read_text(encoding="utf-8")
    return "".join(difflib.unified_diff(
        text.splitlines(keepends=True), apply(proposal, text).splitlines(keepends=True),
        f"a/{proposal.path}", f"b/{proposal.path}"))


def _definitions(proposal: Proposal) -> dict[str, str]:
    """The current source of each definition the fragment replaces."""
    text = (ROOT / proposal.path).read_text(encoding="utf-8")
    tree, lines = ast.parse(text), text.splitlines(keepends=True)
    found = {}
    for name in proposal.sections:
        try:
            start, end = _span(tree, name)
        except LookupError:
            continue
        found[name] = "".join(lines[start:end])
    return found


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def status(proposal: Proposal) -> str:
    """'berlaku', 'usang' or 'diterapkan' (see the module docstring)."""
    text = (ROOT / proposal.path).read_text(encoding="utf-8")
    if apply(proposal, text) == text:
        return "diterapkan"
    current = {name: _hash(source) for name, source in _definitions(proposal).items()}
    return "berlaku" if current == proposal.basis else "usang"


def record_basis(fragment: Path) -> None:
    proposal = load(fragment)
    pairs = " ".join(f"{name}={_hash(source)}" for name, source in _definitions(proposal).items())
    lines = [line for line in fragment.read_text(encoding="utf-8").splitlines(keepends=True)
             if not line.startswith("# basis:")]
    position = next(i for i, line in enumerate(lines) if line.startswith("# ganti:"))
    lines.insert(position, f"# basis: {pairs}\n")
    fragment.write_text("".join(lines), encoding="utf-8")


def main() -> None:
    if sys.argv[1:2] == ["--catat"]:
        for name in sys.argv[2:]:
            record_basis(FOLDER / f"{name}.py")
    for proposal in load_all():
        print(f"{proposal.name:<22} {status(proposal):<11} {proposal.path}")


if __name__ == "__main__":
    main()
