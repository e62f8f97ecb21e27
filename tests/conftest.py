"""Shared fixtures: TensorFlow in float64 for gradient oracles, and the layout check of solutions/."""
import ast
import inspect
import os

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# Chapters about Keras/TensorFlow may import them; the rest is numpy and math.
ALLOWED_SOLUTION_IMPORTS = {"numpy", "math", "tensorflow", "keras"}


@pytest.fixture(scope="session")
def tf():
    return pytest.importorskip("tensorflow")


@pytest.fixture(scope="session")
def tape_grad(tf):
    """``tape_grad(fn, *args)``: gradients of the scalar ``fn(*variables)`` at float64 ``args``."""
    def grad(fn, *args):
        variables = [tf.Variable(np.asarray(a, dtype=float), dtype=tf.float64) for a in args]
        with tf.GradientTape() as tape:
            out = fn(*variables)
        return [g.numpy() for g in tape.gradient(out, variables)]
    return grad


@pytest.fixture(scope="session")
def check_solution_layout():
    """Assert the layout that ``autograder sync`` relies on (see docs/adding-a-chapter.md).

    The module holds only a docstring, numpy/math imports and public functions; each function has a
    docstring, and its body after the docstring is exactly one region ``# BEGIN SOLUTION`` ...
    ``# END SOLUTION`` at body indentation, so that nothing of the answer lies outside it.
    """
    def check_function(node, lines, stop, need_docstring=True):
        assert not node.name.startswith("_") or node.name.startswith("__"), \
            f"{node.name}: helpers belong inside a region"
        if need_docstring:
            assert ast.get_docstring(node), f"{node.name}: docstring"
        indent = " " * node.body[0].col_offset
        if ast.get_docstring(node):
            first = node.body[0].end_lineno
        else:  # start at the comment lines (the region's marker) above the first statement
            first = node.body[0].lineno - 1
            while first > node.lineno and lines[first - 1].strip().startswith("#"):
                first -= 1
        body = [line for line in lines[first:stop] if line.strip()]
        assert body[0] == indent + "# BEGIN SOLUTION", f"{node.name}: region must follow the docstring"
        assert body[-1] == indent + "# END SOLUTION", f"{node.name}: region must end the function"
        assert sum("# BEGIN SOLUTION" in line for line in body) == 1, node.name
        assert sum("# END SOLUTION" in line for line in body) == 1, node.name

    def check(module):
        source = inspect.getsource(module)
        lines = source.splitlines()
        tree = ast.parse(source)
        assert ast.get_docstring(tree), "module docstring"
        nodes = tree.body[1:]
        for node, next_node in zip(nodes, nodes[1:] + [None]):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
                assert {n.split(".")[0] for n in names} <= ALLOWED_SOLUTION_IMPORTS, names
                continue
            stop = next_node.lineno - 1 if next_node else len(lines)
            if isinstance(node, ast.ClassDef):  # a docstring, then methods, each one region
                assert ast.get_docstring(node), f"{node.name}: docstring"
                methods = [m for m in node.body if isinstance(m, ast.FunctionDef)]
                assert len(methods) == len(node.body) - 1, f"{node.name}: only methods allowed"
                for m, next_m in zip(methods, methods[1:] + [None]):
                    check_function(m, lines, next_m.lineno - 1 if next_m else stop, need_docstring=False)
                continue
            assert isinstance(node, ast.FunctionDef), f"line {node.lineno}: only functions allowed"
            check_function(node, lines, stop)
    return check
