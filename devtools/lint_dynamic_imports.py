"""A lint import-linter cannot do: no module reaches another through the back door.

import-linter sees `import` statements only. `apps.get_model("identity", "Membership")`,
`import_module("apps.kyc.api")` or `__import__` reach another module's tables or private
code without an import, so the boundaries would not see them. Under apps/ (migrations
aside, where Django hands out historical models) this refuses:
- `get_model(...)` naming another app's label, or with a label that is not a literal;
- `import_module(...)` / `__import__(...)` of another app, or of a computed name;
except in the kernel's discovery and settings assembly, which import every module's
conventional parts (handlers, messages, graphql.schema, conf) without naming one.

    python devtools/lint_dynamic_imports.py [ROOT] [--only=MODULE]   # exit 1 and one line per violation
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ALLOWED = {"apps/core/discovery.py", "apps/core/conf.py"}
DYNAMIC_IMPORTS = {"import_module", "__import__"}


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _called(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def violations_in(path: Path, relative: str) -> list[str]:
    app = relative.split("/")[1]
    tree = ast.parse(path.read_text(), filename=relative)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node)
        where = f"{relative}:{node.lineno}"
        if name == "get_model" and node.args:
            first = _literal(node.args[0])
            label = first.split(".")[0] if first else None
            if label is None:
                found.append(f"{where}: get_model with a computed app label (name the model's own app)")
            elif label != app:
                found.append(f"{where}: get_model reaches {label}'s tables; call apps.{label}.api instead")
        elif name in DYNAMIC_IMPORTS and relative not in ALLOWED:
            target = _literal(node.args[0]) if node.args else None
            if target is None:
                found.append(f"{where}: {name} of a computed name; import the module's api explicitly")
            elif target.startswith("apps.") and target.split(".")[1] != app:
                found.append(f"{where}: {name}({target!r}) bypasses the boundaries; import it explicitly")
    return found


def lint(root: Path, only: set[str] | None = None) -> list[str]:
    problems = []
    for path in sorted((root / "apps").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/migrations/" in relative or len(relative.split("/")) < 3:
            continue
        if only is not None and relative.split("/")[1] not in only:
            continue
        problems.extend(violations_in(path, relative))
    return problems


def main(argv: list[str]) -> int:
    only = {arg.removeprefix("--only=") for arg in argv[1:] if arg.startswith("--only=")} or None
    paths = [arg for arg in argv[1:] if not arg.startswith("--")]
    root = Path(paths[0]) if paths else Path(__file__).resolve().parent.parent
    problems = lint(root, only)
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
