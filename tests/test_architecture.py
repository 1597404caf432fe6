"""The package's folders are its stages, and imports only go down them (parsed with ast)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "assistant"
# Each stage may import itself and the stages before it. The foundation (errors, logs, config,
# tuning) is stage 0; `python -m assistant` is an entry point like the app.
STAGES = ["", "text", "ingest", "indexing", "qa", "llm", "app"]
ENTRY_POINTS = {"assistant.__main__": "app"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage(module: str) -> int:
    if module in ENTRY_POINTS:
        return STAGES.index(ENTRY_POINTS[module])
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES[1:] else 0


def imported(path: Path) -> set[str]:
    """The assistant modules a file imports, at the top or inside functions."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("assistant"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                names.add(candidate if candidate in MODULES else node.module)
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names if a.name.startswith("assistant")}
    return names


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {name: imported(path) - {name} for name, path in MODULES.items()}


def test_every_module_belongs_to_a_known_stage():
    for name in MODULES:
        parts = name.split(".")
        assert len(parts) <= 3, f"{name}: stages are one folder deep"
        if len(parts) == 3 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()):
            assert parts[1] in STAGES, f"{name} is in an unknown stage folder"


def test_imports_only_go_down_the_stages():
    upward = [
        f"{name} (stage {STAGES[stage(name)] or 'foundation'}) imports {other}"
        for name, others in GRAPH.items()
        for other in others
        if other in MODULES and stage(other) > stage(name)
    ]
    assert not upward, "\n".join(upward)


def reachable(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for other in GRAPH.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def test_no_import_cycles():
    cycles = sorted(name for name in MODULES if name in reachable(name))
    assert not cycles, f"modules on an import cycle: {cycles}"


def test_the_checker_sees_an_upward_import(tmp_path):
    """The rules above would catch a text rule that imports the answering stage."""
    bad = tmp_path / "bad.py"
    bad.write_text("from assistant.qa.answer import Answer\n", encoding="utf-8")
    assert "assistant.qa.answer" in imported(bad)
    assert stage("assistant.qa.answer") > stage("assistant.text.words")


def test_the_cli_starts_without_the_model_or_gradio(tmp_path):
    """`--help`, `index status` and an error before embedding import no torch, no Gradio."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from assistant.app import cli\n"
        "for argv in (['index', 'status', '--index', sys.argv[1]], ['ask', 'x', '--index',"
        " sys.argv[1]]):\n"
        "    assert cli.main(argv) == 2\n"
        "try:\n"
        "    cli.main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'gradio') if m in sys.modules]\n"
        "print('heavy:', heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "no-index")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "heavy: []" in done.stdout, done.stdout
    assert "No index in" in done.stderr
