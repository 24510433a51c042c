"""The architecture as a test (ARCHITECTURE.md): the package's layers import only downward, no module closes a
circle of imports (an import inside a function counts), and the code keeps the shape the layers promise: short
functions, few parameters below the command line, activation and loss names compared only in their registries."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "neuron_cli"
# From the bottom up: a layer may import its own modules and those of the layers below it.
LAYERS = ("errors", "i18n", "nn", "io", "render", "run", "cli")


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = modules()


def imports(name: str, path: Path) -> set[str]:
    """The package's modules that `name` imports, anywhere in its code (in functions and under TYPE_CHECKING
    too), each as the longest module name it reaches."""
    tree = ast.parse(path.read_text())
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names]
            # a name that is no module of its own comes from the module (or package __init__) itself
            targets += [base] if any(f"{base}.{alias.name}" not in MODULES for alias in node.names) else []
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target.startswith("neuron_cli") and target != name:
                found.add(target)
    return found


GRAPH = {name: imports(name, path) for name, path in MODULES.items()}


def layer(name: str) -> int | None:
    """The floor of a module: its layer's place in LAYERS; None for the package's own __init__ and __main__."""
    parts = name.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_every_module_stands_in_a_layer():
    loose = [name for name in MODULES if layer(name) is None and name not in ("neuron_cli", "neuron_cli.__main__")]
    assert loose == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down(name):
    here = layer(name)
    if here is None:
        return
    upward = [target for target in GRAPH[name] if (layer(target) or 0) > here]
    assert upward == [], f"{name} (layer {LAYERS[here]}) imports upward: {upward}"


def test_no_circle_of_imports():
    """Depth-first search for a cycle among the modules (an import of a package's __init__ included)."""
    state: dict[str, int] = {}
    path: list[str] = []
    circles = []

    def visit(name: str) -> None:
        state[name] = 1
        path.append(name)
        for target in sorted(GRAPH.get(name, ())):
            if state.get(target) == 1:
                circles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[name] = 2

    for name in sorted(MODULES):
        if name not in state:
            visit(name)
    assert circles == []


def functions(path: Path) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [node for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.FunctionDef)]


def body_lines(function: ast.FunctionDef) -> int:
    """The lines of a function's body, its docstring left out."""
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:] or body
    return (body[-1].end_lineno or 0) - body[0].lineno + 1


def is_data(path) -> bool:
    """A module that is only literal data (a message catalogue): no code to keep short."""
    body = ast.parse(path.read_text()).body
    statements = [node for node in body if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    return all(
        isinstance(node, (ast.Assign, ast.AnnAssign))
        and all(isinstance(part, (ast.Constant, ast.Dict, ast.List, ast.Tuple)) for part in ast.walk(node.value))
        for node in statements
    )


def test_modules_and_functions_stay_short():
    long_modules = [
        name for name, path in MODULES.items() if len(path.read_text().splitlines()) > 500 and not is_data(path)
    ]
    long_functions = [
        f"{name}.{function.name}: {body_lines(function)}"
        for name, path in MODULES.items()
        for function in functions(path)
        if body_lines(function) > 60
    ]
    assert (long_modules, long_functions) == ([], [])


def test_functions_below_the_command_line_take_at_most_8_parameters():
    crowded = []
    for name, path in MODULES.items():
        if layer(name) == LAYERS.index("cli"):
            continue  # a command's function declares its options: as many as it has
        for function in functions(path):
            arguments = function.args
            count = len(arguments.posonlyargs) + len(arguments.args) + len(arguments.kwonlyargs)
            count -= bool(arguments.args) and arguments.args[0].arg in ("self", "cls")
            if count > 8:
                crowded.append(f"{name}.{function.name}: {count}")
    assert crowded == []


def registry_names() -> set[str]:
    from neuron_cli.nn import losses
    from neuron_cli.nn.activations import REGISTRY

    return {name for entry in REGISTRY for name in (entry.name, *entry.aliases)} | set(losses.NAMES)


REGISTRIES = {"neuron_cli.nn.activations.registry", "neuron_cli.nn.activations.spec", "neuron_cli.nn.losses"}


def test_activation_and_loss_names_are_compared_only_in_their_registries():
    """What makes an activation or a loss special is a field of its entry: no other module asks for one by name
    (==, !=, in, a match case, a dict keyed by names)."""
    names = registry_names()
    found = []
    for name, path in MODULES.items():
        if name in REGISTRIES:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            constants: list[ast.expr] = []
            if isinstance(node, ast.Compare):
                constants = [node.left, *node.comparators]
                for side in node.comparators:
                    if isinstance(side, (ast.Tuple, ast.List, ast.Set)):
                        constants += side.elts
            elif isinstance(node, ast.Dict):
                constants = [key for key in node.keys if key is not None]
            elif isinstance(node, ast.MatchValue):
                constants = [node.value]
            for constant in constants:
                if isinstance(constant, ast.Constant) and constant.value in names:
                    found.append(f"{name}:{node.lineno}: {constant.value!r}")
    assert found == []
