"""The standard shape of a module, checked mechanically (docs/contributing.md).

Every module under apps/ (the kernel `core` aside) has:
- a `services/` package (writes), `selectors.py` (reads) and `api.py` with `__all__`;
- `graphql/types.py` and `graphql/schema.py` (what the root schema mounts);
- a README.md whose "Public API" section names every entry of `api.__all__`, and names no
  function `like_this(...)` that is not in it;
- its page, docs/<module>.md.

    python devtools/module_shape.py [ROOT] [--only=MODULE]   # exit 1 and one line per problem
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

KERNEL = {"core"}


def api_all(path: Path) -> list[str] | None:
    for node in ast.parse(path.read_text()).body:
        targets = getattr(node, "targets", None) or [getattr(node, "target", None)]
        if isinstance(node, ast.Assign | ast.AnnAssign) and any(
            getattr(t, "id", None) == "__all__" for t in targets
        ):
            return list(ast.literal_eval(node.value)) if node.value is not None else []
    return None


def readme_problems(readme: Path, names: list[str], shown: str) -> list[str]:
    text = readme.read_text()
    section = re.search(r"^## Public API.*?$(.*?)(?=^## |\Z)", text, re.S | re.M)
    if section is None:
        return [f"{shown}: no '## Public API' section"]
    body = section.group(1)
    documented = set(re.findall(r"`(?:api\.)?([A-Za-z_]\w*)", body))
    called = set(re.findall(r"`(?:api\.)?([a-z_]\w*)\(", body))
    problems = [
        f"{shown}: Public API does not name `{n}` (in api.__all__)" for n in sorted(set(names) - documented)
    ]
    problems += [
        f"{shown}: Public API names `{n}(…)`, which is not in api.__all__"
        for n in sorted(called - set(names))
    ]
    return problems


def module_problems(root: Path, name: str) -> list[str]:
    app = root / "apps" / name
    problems = []
    for relative, what in [
        ("services/__init__.py", "services/ package"),
        ("selectors.py", "selectors.py"),
        ("api.py", "api.py"),
        ("graphql/types.py", "graphql/types.py"),
        ("graphql/schema.py", "graphql/schema.py"),
        ("README.md", "README.md"),
    ]:
        if not (app / relative).is_file():
            problems.append(f"apps/{name}: no {what}")
    if not (root / "docs" / f"{name}.md").is_file():
        problems.append(f"apps/{name}: no page docs/{name}.md")
    if (app / "api.py").is_file():
        names = api_all(app / "api.py")
        if names is None:
            problems.append(f"apps/{name}/api.py: no __all__")
        elif (app / "README.md").is_file():
            problems += readme_problems(app / "README.md", names, f"apps/{name}/README.md")
    return problems


def check(root: Path, only: set[str] | None = None) -> list[str]:
    problems = []
    for apps_py in sorted((root / "apps").glob("*/apps.py")):
        if apps_py.parent.name not in KERNEL and (only is None or apps_py.parent.name in only):
            problems += module_problems(root, apps_py.parent.name)
    return problems


def main(argv: list[str]) -> int:
    only = {arg.removeprefix("--only=") for arg in argv[1:] if arg.startswith("--only=")} or None
    paths = [arg for arg in argv[1:] if not arg.startswith("--")]
    root = Path(paths[0]) if paths else Path(__file__).resolve().parent.parent
    problems = check(root, only)
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
