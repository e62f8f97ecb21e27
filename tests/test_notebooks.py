"""Exercise notebooks, notebook submissions and the portable student path (docs/architecture.md,
"Notebooks" and "The student path"): a generated notebook runs headless in a real kernel (stubs:
FAIL lines, the notebook goes on; filled from the answer key: PASS, and full marks through
`autograder grade`); scratch cells neither cost points nor grading time; a helper or constant of an
earlier cell is kept; a file that is no notebook scores zero for its chapter with the reason; and
`check` (shell and notebook) gives the same verdicts where Linux's facilities are missing."""
import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from autograder import nbmodule, sync
from autograder.demo import SCRATCH, filled_notebook
from helpers import REPO, run_cli

CH = "appendix_b_information"  # four numpy exercises: the fastest chapter to run in a kernel
EXERCISES = ("entropy", "cross_entropy", "kl_divergence", "js_divergence")


def notebook_json(cells: list[str], metadata: dict | None = None) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "execution_count": None,
                                  "outputs": [], "source": src} for src in cells],
                       "metadata": metadata or {}, "nbformat": 4, "nbformat_minor": 5})


def stub_notebook() -> dict:
    source = (REPO / "solutions" / f"{CH}.py").read_text(encoding="utf-8")
    return sync.exercise_notebook(CH, source)


# --- the conversion (no process started) -------------------------------------------------------

MESSY = [
    "%matplotlib inline\n!pip install --quiet tqdm\nimport numpy as np\nfrom google.colab import drive",
    "EPS = 1e-300\nLN2 = np.log(2.0)        # a call, but a graded definition uses it\nNAMES = ('a', 'b')",
    "def _plogq(p, q):\n    return p * np.log(np.maximum(q, EPS))",
    "model = build()\nhistory = model.fit(epochs=10**6)\nlosses = history.history['loss']",
    "def entropy(p, base=np.e):\n    p = np.asarray(p, float)\n"
    "    return float(-np.sum(_plogq(p, p)) / (LN2 if base == 2 else np.log(base)))",
    "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()",
    "for epoch in range(10**9):\n    pass",
    "raise RuntimeError('scratch')",
    "def broken(:\n    pass",
    "%%bash\necho hi",
    "files = !ls\nnp.sum?\nprint(entropy([0.5, 0.5]))",
    "%%time\ndef cross_entropy(p, q):\n    return 0.0",
]


def test_a_notebook_becomes_a_module_of_its_definitions():
    converted = nbmodule.notebook_to_module(notebook_json(MESSY), set(EXERCISES), "messy.ipynb")
    src = converted.source
    compile(src, "module", "exec")
    for kept in ("import numpy as np", "EPS = 1e-300", "LN2 = np.log(2.0)", "NAMES = ('a', 'b')",
                 "def _plogq(", "def entropy(", "import matplotlib.pyplot as plt",
                 "def cross_entropy("):
        assert kept in src, kept
    for left in ("pip", "matplotlib inline", "google.colab", "model.fit", "history", "plt.plot",
                 "range(10**9)", "RuntimeError", "broken", "echo", "!ls", "np.sum?", "print("):
        assert left not in src, left
    report = converted.report("messy.ipynb")
    for reason in ("an IPython magic", "a shell command", "module google.colab is not installed",
                   "only computes", "does not parse", "a %%bash cell", "an IPython help request"):
        assert reason in report, reason
    assert "cell 2, line 2: LN2 = np.log(2.0)" in report  # kept because entropy needs it
    namespace = {}
    exec(compile(src, "module", "exec"), namespace)  # runs at once: nothing heavy was kept
    assert namespace["entropy"]([0.5, 0.5], base=2) == pytest.approx(1.0)


def test_constants_reading_left_out_names_and_roots_pull_only_what_they_need():
    cells = ["import numpy as np\ndef train():\n    return 3.0", "W = train()", "SCALE = W * 2",
             "TABLE = {'k': 1}",
             "def helper():\n    return W", "def graded(x):\n    return x * TABLE['k']"]
    converted = nbmodule.notebook_to_module(notebook_json(cells), {"graded"})
    assert "W = train()" not in converted.source and "SCALE" not in converted.source
    assert "def helper" in converted.source and "TABLE = {'k': 1}" in converted.source
    graded_needs_w = cells[:-1] + ["def graded(x):\n    return x * SCALE"]
    converted = nbmodule.notebook_to_module(notebook_json(graded_needs_w), {"graded"})
    assert "W = train()" in converted.source and "SCALE = W * 2" in converted.source
    # a name nothing defines above the statement that reads it: left out, not an import failure
    converted = nbmodule.notebook_to_module(notebook_json(["X = Y + 1", "def graded():\n    return X"]),
                                            {"graded"})
    assert "X = Y + 1" not in converted.source and "reads Y" in converted.report("nb")


@pytest.mark.parametrize("text, reason", [
    ("{not json", "not valid JSON"), ('["cells"]', "not a Jupyter notebook"),
    ('{"cells": [{"source": "x"}]}', "no cell_type"), (b"\xff\xfe", "not UTF-8")])
def test_what_is_no_notebook_says_why(text, reason):
    with pytest.raises(nbmodule.NotANotebook, match=reason):
        nbmodule.read_cells(text)


def test_the_file_with_fewer_unfilled_stubs_wins(tmp_path):
    stub_py = (REPO / "exercises" / f"{CH}.py").read_text(encoding="utf-8")
    (tmp_path / f"{CH}.py").write_text(stub_py, encoding="utf-8")
    (tmp_path / f"{CH}.ipynb").write_text(json.dumps(filled_notebook(CH)), encoding="utf-8")
    graded, aside, why, by_stubs = nbmodule.choose(tmp_path / f"{CH}.py", tmp_path / f"{CH}.ipynb", CH)
    assert graded.suffix == ".ipynb" and "fewer unfilled stubs (0)" in why and by_stubs
    (tmp_path / f"{CH}.py").write_text((REPO / "solutions" / f"{CH}.py").read_text(), encoding="utf-8")
    graded, _, why, by_stubs = nbmodule.choose(tmp_path / f"{CH}.py", tmp_path / f"{CH}.ipynb", CH)
    assert graded.suffix == ".ipynb" and "as many" in why and not by_stubs  # paired: the notebook
    (tmp_path / f"{CH}.ipynb").write_text("{not json", encoding="utf-8")
    graded, _, why, by_stubs = nbmodule.choose(tmp_path / f"{CH}.py", tmp_path / f"{CH}.ipynb", CH)
    assert graded.suffix == ".py" and "not a readable notebook" in why


def test_exercise_notebooks_are_paired_with_the_exercise_files():
    """Every exercises/<chapter>.py is the jupytext text of exercises/<chapter>.ipynb: intro, setup,
    then each exercise's docstring, stub and check cell; no outputs."""
    import jupytext
    for chapter in sync.solution_chapters():
        nb = json.loads((REPO / "exercises" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
        py = jupytext.read(REPO / "exercises" / f"{chapter}.py", fmt="py:percent")
        assert [(c.cell_type, c.source) for c in py.cells] == \
            [(c["cell_type"], "".join(c["source"])) for c in nb["cells"]], chapter
        assert nb["metadata"]["autograder"]["chapter"] == chapter
        assert nb["metadata"]["jupytext"]["formats"] == "ipynb,py:percent"
        assert all(not c.get("outputs") and c.get("execution_count") is None
                   for c in nb["cells"] if c["cell_type"] == "code")
    cells = stub_notebook()["cells"]
    assert f'check = Checks("{CH}")' in cells[1]["source"]
    assert [c["source"] for c in cells if c["id"].endswith("-check")] == \
        [f'check("{name}")' for name in EXERCISES]
    entropy_text = next(c["source"] for c in cells if c["id"] == "entropy-text")
    assert entropy_text.startswith("## Exercise `entropy` (4 points)") and "**Args:**" in entropy_text


# --- grading notebooks through `autograder grade` ----------------------------------------------

@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("notebooks")
    subs, out = root / "subs", root / "out"
    filled = filled_notebook(CH)
    messy = filled_notebook(CH, SCRATCH + ["import time\nfor step in range(600):\n    time.sleep(0.1)"])
    helper = filled_notebook(CH)
    for cell in helper["cells"]:  # entropy written with a helper and constants of earlier cells
        if cell["id"] == "entropy-code":
            cell["source"] = ("def entropy(p, base=math.e):\n    p = _probabilities(p)\n"
                              "    return float(-np.sum(_xlogy(p, p)) / LOG_BASE(base))")
    helper["cells"][2:2] = [
        {"cell_type": "code", "id": "consts", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "TOL = 1e-8\nLN = np.log        # a helper that is an assignment\n"
                   "LOG_BASE = lambda b: LN(b)"},
        {"cell_type": "code", "id": "helpers", "metadata": {}, "execution_count": None, "outputs": [],
         "source": textwrap.dedent("""\
            def _probabilities(p):
                p = np.asarray(p, dtype=float)
                if p.ndim != 1 or np.any(p < 0) or abs(p.sum() - 1) > TOL:
                    raise ValueError("not a probability vector")
                return p

            def _xlogy(x, y):
                out = np.zeros_like(x)
                mask = x > 0
                out[mask] = x[mask] * LN(y[mask])
                return out""")}]
    files = {
        "filled": json.dumps(filled), "messy": json.dumps(messy), "helper": json.dumps(helper),
        "invalid json": '{"cells": [', "not a notebook": '{"name": "a notebook?"}'}
    for student, text in files.items():
        (subs / student).mkdir(parents=True)
        (subs / student / f"{CH}.ipynb").write_text(text, encoding="utf-8")
    (subs / "both").mkdir()
    shutil.copy(REPO / "exercises" / f"{CH}.py", subs / "both")
    (subs / "both" / f"{CH}.ipynb").write_text(json.dumps(filled), encoding="utf-8")
    proc = run_cli("grade", subs, "--out", out, "--chapters", CH, "--workers", "2", timeout=600)
    assert proc.returncode == 0, proc.stderr
    return {s: json.loads((out / s / "results.json").read_text(encoding="utf-8"))
            for s in [*files, "both"]}


def test_a_notebook_filled_from_the_answer_key_gets_full_marks(graded):
    doc = graded["filled"]
    assert doc["score"] == doc["max_score"] > 0, [t for t in doc["tests"] if t["status"] != "passed"]
    assert f"{CH} (the notebook {CH}.ipynb)" in doc["output"]


def test_scratch_cells_cost_neither_points_nor_time(graded):
    doc = graded["messy"]
    assert doc["score"] == doc["max_score"], [t for t in doc["tests"] if t["status"] != "passed"]
    assert doc["execution_time"] < 30  # the sleeping loop alone is 60 s, the 10**9 loop hours
    for left in ("%matplotlib inline", "!pip install --quiet tqdm", "xs = np.linspace", "for epoch in",
                 "raise RuntimeError", "for step in range(600)"):
        assert left in doc["output"], left


def test_a_helper_and_constants_of_earlier_cells_are_kept(graded):
    doc = graded["helper"]
    assert doc["score"] == doc["max_score"], [t for t in doc["tests"] if t["status"] != "passed"]


def test_what_is_no_notebook_scores_zero_for_its_chapter_with_the_reason(graded):
    for student, reason in (("invalid json", "not valid JSON"), ("not a notebook", "not a Jupyter notebook")):
        doc = graded[student]
        assert doc["score"] == 0 and reason in doc["output"]
        assert all(reason in t["output"] and t["extra_data"]["kind"] == "import failed"
                   for t in doc["tests"])


def test_of_a_py_file_and_a_notebook_the_one_worked_on_is_graded_and_the_feedback_says_so(graded):
    doc = graded["both"]
    assert doc["score"] == doc["max_score"]
    assert f"{CH}.ipynb was graded ({CH}.ipynb has fewer unfilled stubs (0)" in doc["output"]


def test_check_takes_a_notebook_or_the_folder_with_the_worked_on_file(tmp_path):
    (tmp_path / f"{CH}.ipynb").write_text(json.dumps(filled_notebook(CH, SCRATCH)), encoding="utf-8")
    shutil.copy(REPO / "exercises" / f"{CH}.py", tmp_path)  # untouched beside it
    proc = run_cli("check", tmp_path / f"{CH}.ipynb", "--timeout", "10")
    assert proc.returncode == 0 and "5 of 5 public checks pass" in proc.stdout, proc.stdout + proc.stderr
    assert "(an IPython magic)" in proc.stdout  # what grading leaves out, under the table
    proc = run_cli("check", "appendix_b", "--path", tmp_path, "--timeout", "10")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{CH}.ipynb was checked ({CH}.ipynb has fewer unfilled stubs (0)" in proc.stdout


def test_gradescope_finds_notebooks_and_picks_the_worked_on_file(tmp_path):
    from autograder.gradescope import find_files
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / f"{CH}.ipynb").write_text(json.dumps(filled_notebook(CH)), encoding="utf-8")
    shutil.copy(REPO / "exercises" / f"{CH}.py", tmp_path)
    (tmp_path / "ch01_data.ipynb").write_text("{}", encoding="utf-8")
    files, notes = find_files(tmp_path, [CH, "ch01_data", "ch02_linear_regression"])
    assert files == {CH: tmp_path / "work" / f"{CH}.ipynb", "ch01_data": tmp_path / "ch01_data.ipynb"}
    assert len(notes) == 1 and "fewer unfilled stubs" in notes[0]


# --- notebooks executed headless in a real kernel ----------------------------------------------

def _execute(notebook: dict, folder, env_extra: dict | None = None, timeout: int = 120):
    """Run the notebook in a fresh kernel (nbclient), with this checkout importable; return the
    executed notebook."""
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("ipykernel")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [*(env_extra or {}).pop("PYTHONPATH_FIRST", "").split(os.pathsep), str(REPO)]).strip(os.pathsep))
    env.update(env_extra or {})
    node = nbformat.from_dict(notebook)
    client = nbclient.NotebookClient(node, timeout=timeout, kernel_name="python3",
                                     resources={"metadata": {"path": str(folder)}})
    client.execute(env=env)
    return node


def _outputs(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []))


def test_the_exercise_notebook_runs_headless_stubs_fail_and_the_answer_key_passes(tmp_path):
    stubs = _execute(stub_notebook(), tmp_path)
    checks = [c for c in stubs.cells if c.get("id", "").endswith("-check")]
    assert len(checks) == len(EXERCISES)
    for cell in checks:  # every check cell ran and said FAIL; nothing stopped the notebook
        text = _outputs(cell)
        assert "FAIL  not implemented yet" in text and "PASS" not in text, text
        assert not any(o.get("output_type") == "error" for o in cell.outputs)
    filled = _execute(filled_notebook(CH), tmp_path)
    for cell in (c for c in filled.cells if c.get("id", "").endswith("-check")):
        text = _outputs(cell)
        assert "PASS" in text and "FAIL" not in text and "public checks pass" in text, text


# --- the student path where Linux's facilities are missing -------------------------------------

SIMULATION = r'''
"""What a student's machine without Linux's facilities looks like, installed at interpreter start:
no `resource` (Windows) or a `setrlimit` that refuses (macOS), no /proc, no prctl."""
import builtins, ctypes, os, sys


def install(variant):
    class Block:
        def find_spec(self, name, path=None, target=None):
            if name == "resource" and variant == "no resource":
                raise ImportError("simulated: no module named resource")
            return None
    sys.meta_path.insert(0, Block())
    if variant == "setrlimit raises":
        import resource

        def setrlimit(*args):
            raise ValueError("simulated: setrlimit refused")
        resource.setrlimit = setrlimit

    def hidden(path):
        try:
            return os.fspath(path).startswith("/proc")
        except TypeError:
            return False
    real_open, real_scandir, real_isdir, real_listdir = builtins.open, os.scandir, os.path.isdir, os.listdir

    def no_proc(real):
        def call(path=".", *args, **kwargs):
            if hidden(path):
                raise FileNotFoundError(2, "simulated: no /proc", os.fspath(path))
            return real(path, *args, **kwargs)
        return call
    builtins.open, os.scandir, os.listdir = no_proc(real_open), no_proc(real_scandir), no_proc(real_listdir)
    os.path.isdir = lambda path: False if hidden(path) else real_isdir(path)

    class NoPrctl(ctypes.CDLL):
        def __getattr__(self, name):
            if name == "prctl":
                raise AttributeError("simulated: no prctl")
            return super().__getattr__(name)
    ctypes.CDLL = NoPrctl
'''
SITECUSTOMIZE = r'''
import os, sys
import nolinux
variant = os.environ["SIMULATED_PLATFORM"]
nolinux.install(variant)
here = os.path.dirname(os.path.abspath(__file__))


class PatchBoot:
    """Workers start with `python -I`, which reads no sitecustomize: their boot installs it."""
    def find_spec(self, name, path=None, target=None):
        if name != "autograder.runner":
            return None
        sys.meta_path.remove(self)
        import importlib.util
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            module._BOOT = (f"import sys; sys.path.insert(0, {here!r}); import nolinux; "
                            f"nolinux.install({variant!r}); " + module._BOOT)
        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, PatchBoot())
'''
STUDENT = '''
import numpy as np


def entropy(p, base=np.e):
    p = np.asarray(p, dtype=float)
    nz = p[p > 0]
    return float(-np.sum(nz * np.log(nz)) / np.log(base))


def cross_entropy(p, q):
    while True:
        pass


def kl_divergence(p, q):
    import os
    os._exit(3)


def js_divergence(p, q):
    return 0.25
'''


PROBE = ("import autograder.portable as p\n"
         "print(p.resource_module(), p.have_proc(), p.threaded_pipes())")


def _simulation(tmp_path, variant):
    sim = tmp_path / "sim"
    sim.mkdir()
    (sim / "nolinux.py").write_text(SIMULATION, encoding="utf-8")
    (sim / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    empty = tmp_path / "bin"  # no unshare, no bwrap: no sandbox, as on macOS or Windows
    empty.mkdir()
    env = {"SIMULATED_PLATFORM": variant, "PATH": str(empty)}
    if variant == "no resource":
        env["AUTOGRADER_PORTABLE"] = "1"  # threads for the pipes, no process table: as on Windows
    return sim, env


def _verdicts(stdout: str) -> dict[str, str]:
    """case -> its line of the table (PASS or FAIL, and the reason)."""
    return {line.split()[0]: " ".join(line.split()[1:])
            for line in stdout.splitlines() if line.startswith(CH + ".")}


@pytest.fixture(scope="module")
def linux_verdicts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("student")
    (folder / f"{CH}.py").write_text(STUDENT, encoding="utf-8")
    proc = run_cli("check", folder / f"{CH}.py", "--timeout", "2", cwd=REPO)
    assert proc.returncode == 1, proc.stderr
    return folder, _verdicts(proc.stdout)


@pytest.mark.parametrize("variant", ["no resource", "setrlimit raises"])
def test_check_gives_the_same_verdicts_without_linux_facilities(tmp_path, linux_verdicts, variant):
    folder, expected = linux_verdicts
    assert "timed out after 2 s" in expected[f"{CH}.cross_entropy.random"]
    assert "exited with code 3" in expected[f"{CH}.kl_divergence.random"]
    sim, env = _simulation(tmp_path, variant)
    env = dict(os.environ, **env, PYTHONPATH=os.pathsep.join([str(sim), str(REPO)]))
    probe = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                           cwd=tmp_path)
    assert probe.stdout.split()[:2] == (["None", "False"] if variant == "no resource"
                                        else ["<module", "'resource'"]), probe.stdout + probe.stderr
    proc = subprocess.run([sys.executable, "-m", "autograder", "check", str(folder / f"{CH}.py"),
                           "--timeout", "2"], env=env, capture_output=True, text=True, cwd=tmp_path,
                          timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert _verdicts(proc.stdout) == expected, proc.stdout
    assert "without isolation" in proc.stdout  # no sandbox here, and the check says so
    if variant != "no resource":
        return
    # the notebook's check cells, in a kernel that lacks the same facilities
    notebook = stub_notebook()
    notebook["cells"][1]["source"] += f'\ncheck = Checks("{CH}", timeout=2)'
    for cell in notebook["cells"]:
        if cell["id"].endswith("-code"):
            name = cell["id"][:-len("-code")]
            start = STUDENT.index(f"def {name}(")
            cell["source"] = STUDENT[start:].split("\n\n\n")[0]
    notebook["cells"].insert(2, {"cell_type": "code", "id": "probe", "metadata": {}, "outputs": [],
                                 "execution_count": None, "source": PROBE})
    kernel = _execute(notebook, tmp_path, dict(env, PYTHONPATH_FIRST=str(sim)))
    assert _outputs(kernel.cells[2]).split() == ["None", "False", "True"]  # the kernel lacks them too
    got = {}
    for cell in kernel.cells:
        assert not any(o.get("output_type") == "error" for o in cell.get("outputs", [])), cell
        got.update(_verdicts(_outputs(cell)))
    assert got == expected
