"""Figures of the course, drawn with matplotlib's Agg backend (no display needed).

There is ONE registry: every chapter module lists its figures in ``FIGURES`` (name -> draw function)
and this module collects them, draws them and saves them; chapters hold no wrapper of their own.
``draw(fig)`` adds its axes to a fresh figure; a draw that also takes ``config`` is given
``module.FIGURE_CONFIGS["quick"]`` (the default, short experiments) or ``["full"]`` (``--full``: the
experiments' full configurations). ``NOTES_FIGURES`` maps the numbered figures of the lecture notes
(chapters 1-7) to the figure that redraws them, or to the reason why none does::

    python -m course.plots --out figs                 # every chapter, quick experiments
    python -m course.plots ch02 6.12 ch07_dropout_masks --full
    python -m course.plots --list                     # which notes figure is drawn by which name

A selection is a chapter (``ch02``, ``2``, ``ch02_linear_regression``), a figure name or a notes
figure number (``6.12``). Progress goes to stderr, one line per figure with its time; the written
paths go to stdout.
"""
import argparse
import importlib
import inspect
import pkgutil
import re
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import course

_CHAPTER_MODULE = re.compile(r"(ch\d\d|appendix_[a-z])_\w+")

# The numbered figures of chapters 1-7 of the notes -> the figure name that redraws each one.
# A name may serve several numbers (a panel each); a value that is not a figure name says why
# the figure is left out. Partial redraws are named as such in the figure's title.
NOTES_FIGURES = {
    "1.1": "ch01_anscombe", "1.2": "ch01_unstructured_quartet", "1.3": "ch01_same_stats",
    "1.4": "ch01_line_function_vs_curve", "1.5": "ch01_spiral", "1.6": "ch01_pixel_spaces",
    "1.7": "ch01_pixel_spaces", "1.8": "ch01_pixel_spaces", "1.9": "ch01_isometric_embeddings",
    "1.10": "ch01_latent_illumination", "1.11": "ch01_hughes", "1.12": "ch01_swiss_roll",
    "1.13": "ch01_manifold_chart",
    "2.1": "ch02_network_blocks", "2.2": "ch02_fit_line", "2.3": "ch02_training_task",
    "2.4": "ch02_jensen_secant", "2.5": "ch02_tangent_below_convex", "2.6": "ch02_gradient_field",
    "3.1": "ch03_more_data", "3.2": "ch03_poly_fits", "3.3": "ch03_poly_fits", "3.4": "ch03_kfold",
    "3.5": "ch03_sigmoid",
    "4.1": "ch04_gd_path", "4.2": "ch04_gradient_field", "4.3": "ch04_level_sets",
    "4.4": "ch04_learning_rates", "4.5": "ch04_momentum", "4.6": "ch04_sgd_noise",
    "5.1": "ch05_activations", "5.2": "ch05_relu_linear_regions",
    "6.1": "ch06_mlp_layers", "6.2": "ch06_structure", "6.3": "ch06_self_similarity",
    "6.4": "ch06_translate_warp", "6.5": "ch06_translate_warp", "6.6": "ch06_partial_deformed",
    "6.7": "ch06_receptive_fields", "6.8": "ch06_box_conv", "6.9": "ch06_box_conv",
    "6.10": "ch06_shift_equivariance", "6.11": "ch06_discrete_conv", "6.12": "ch06_sliding_window",
    "6.13": "ch06_padding_stride", "6.14": "ch06_conv_stack", "6.15": "ch06_weight_sharing",
    "6.16": "ch06_pooling", "6.17": "ch06_conv_pool_stack", "6.18": "ch06_cnn_shape",
    "6.19": "ch06_feature_hierarchy",
    "7.1": "ch07_weight_histograms", "7.2": "ch07_weight_histograms", "7.3": "ch07_norm_balls",
    "7.4": "ch07_validation_by_size", "7.5": "ch07_more_parameters", "7.6": "ch07_regional_fits",
    "7.7": "ch07_regional_fits", "7.8": "ch07_regional_errors", "7.9": "ch07_capacity_curve",
    "7.10": "ch07_double_descent", "7.11": "ch07_epochwise_heatmaps",
    "7.12": "ch07_bn_minibatches", "7.13": "ch07_normalization_axes", "7.14": "ch07_dropout_masks",
    "7.15": "ch07_dropout_ensemble", "7.16": "ch07_dropout_test_time",
    "7.17": "ch07_dropout_validation",
}


@dataclass(frozen=True)
class Entry:
    """One registered figure: its name, chapter module, draw function and notes figure numbers."""
    name: str
    chapter: str
    draw: object
    numbers: tuple

    def render(self, outdir, full=False):
        """Draw on a fresh figure (with the chapter's quick or full config if the draw takes one)."""
        fig = new_figure()
        if "config" in inspect.signature(self.draw).parameters:
            configs = importlib.import_module(f"course.{self.chapter}").FIGURE_CONFIGS
            self.draw(fig, config=configs["full" if full else "quick"])
        else:
            self.draw(fig)
        return save_figure(fig, outdir, self.name)


def new_figure(size=(5.0, 4.0)):
    """An empty figure of ``size`` inches on the Agg canvas (no pyplot state involved)."""
    fig = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save_figure(fig, outdir, name):
    """Write ``fig`` to ``outdir/<name>.png`` (creating ``outdir``) and return that path."""
    path = Path(outdir) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    return path


def write_figures(drawers, outdir):
    """Draw and save ``drawers`` (dict ``name -> draw(fig)``); return the paths, in their order."""
    paths = []
    for name, draw in drawers.items():
        fig = new_figure()
        draw(fig)
        paths.append(save_figure(fig, outdir, name))
    return paths


def chapter_modules():
    """Names of the chapter modules of ``course``, chapters first, then appendices."""
    names = [m.name for m in pkgutil.iter_modules(course.__path__) if _CHAPTER_MODULE.fullmatch(m.name)]
    return sorted(names, key=lambda name: (name.startswith("appendix"), name))


def resolve_chapter(name):
    """``ch02``, ``2`` or ``ch02_linear_regression`` -> ``ch02_linear_regression``.

    Raises:
        ValueError: if the name matches no chapter module (or several).
    """
    return course.match_chapter(name, chapter_modules())


def chapter_entries(chapter):
    """The registry entries of one chapter, in the order of its ``FIGURES``.

    Raises:
        ValueError: for an unknown chapter, or one without figures.
    """
    module_name = resolve_chapter(chapter)
    module = importlib.import_module(f"course.{module_name}")
    if not getattr(module, "FIGURES", None):
        raise ValueError(f"{module.__name__} has no figures")
    numbers = {}
    for number, name in NOTES_FIGURES.items():
        numbers.setdefault(name, []).append(number)
    return [Entry(name, module_name, draw, tuple(numbers.get(name, ())))
            for name, draw in module.FIGURES.items()]


def chapters_with_figures():
    """Chapter modules that list figures in ``FIGURES`` (imports every chapter module)."""
    return [m for m in chapter_modules() if getattr(importlib.import_module(f"course.{m}"), "FIGURES", None)]


def registry():
    """Every figure of every chapter that has figures (imports every chapter module)."""
    return [entry for module_name in chapters_with_figures() for entry in chapter_entries(module_name)]


def select(selection, entries=None):
    """Entries named by ``selection``: chapters, figure names or notes figure numbers (``6.12``).

    An empty selection is every figure. Raises ValueError for a name that selects nothing.
    """
    entries = registry() if entries is None else entries
    if not selection:
        return entries
    chosen = []
    for item in selection:
        if re.fullmatch(r"\d+\.\d+", item):
            target = NOTES_FIGURES.get(item)
            found = [e for e in entries if e.name == target]
            if not found:
                raise ValueError(f"figure {item} of the notes is not drawn: {target or 'no such figure'}")
        elif any(e.name == item for e in entries):
            found = [e for e in entries if e.name == item]
        else:
            found = chapter_entries(item)  # raises ValueError for an unknown chapter
        chosen.extend(e for e in found if e not in chosen)
    return chosen


def make_figures(chapter, outdir, full=False):
    """Write the figures of one chapter to ``outdir`` and return their paths (in ``FIGURES`` order)."""
    return [entry.render(Path(outdir), full) for entry in chapter_entries(chapter)]


def coverage(entries=None):
    """Which numbered figures of chapters 1-7 are drawn: (drawn, left) dicts number -> name or reason."""
    names = {e.name for e in (registry() if entries is None else entries)}
    drawn = {n: name for n, name in NOTES_FIGURES.items() if name in names}
    return drawn, {n: why for n, why in NOTES_FIGURES.items() if n not in drawn}


def run(entries, outdir, full=False, log=sys.stderr):
    """Render ``entries`` one by one, logging a progress line with the time of each.

    A figure that raises is reported (with its traceback) and skipped; the others are still drawn.
    BLAS runs on one thread meanwhile (``threadpoolctl``): the figures' matrices are small, and
    with two cores shared with other work, OpenBLAS' threads cost far more than they gain.

    Returns:
        (paths written, names that failed).
    """
    try:  # the figures' linear algebra is small: one BLAS thread is much faster on a busy machine
        from threadpoolctl import threadpool_limits
        limits = threadpool_limits(1, user_api="blas")
    except ImportError:
        limits = None
    try:
        return _run(entries, outdir, full, log)
    finally:
        if limits is not None:
            limits.restore_original_limits()


def _run(entries, outdir, full, log):
    paths, failed, start = [], [], time.perf_counter()
    for i, entry in enumerate(entries, 1):
        tic = time.perf_counter()
        label = f"[{i}/{len(entries)}] {entry.name}"
        if entry.numbers:
            label += f" (Fig {', '.join(entry.numbers)})"
        try:
            paths.append(entry.render(outdir, full))
        except Exception:  # keep going: one broken figure should not hide the others
            failed.append(entry.name)
            print(f"{label} FAILED\n{traceback.format_exc()}", file=log, flush=True)
            continue
        print(f"{label} {time.perf_counter() - tic:.1f} s", file=log, flush=True)
    print(f"{len(paths)} figures in {time.perf_counter() - start:.1f} s"
          f" ({'full' if full else 'quick'} mode) -> {outdir}", file=log, flush=True)
    return paths, failed


def main(argv=None):
    """Command line: draw the selected figures (default: all) and print each written path."""
    parser = argparse.ArgumentParser(prog="python -m course.plots", description=__doc__.split("\n")[0])
    parser.add_argument("select", nargs="*",
                        help="chapters (ch02, 2), figure names or notes figure numbers (6.12); default: all")
    parser.add_argument("--out", default="figures", help="output folder (default: figures/)")
    parser.add_argument("--full", action="store_true",
                        help="the experiments' full configurations (default: quick ones)")
    parser.add_argument("--list", action="store_true",
                        help="list the selected figures and the notes' figures they draw; draw nothing")
    args = parser.parse_args(argv)
    try:
        entries = select(args.select)
    except ValueError as err:
        parser.error(str(err))
    if args.list:
        for entry in entries:
            print(f"{entry.name:36s} {entry.chapter:28s} {', '.join(entry.numbers)}")
        drawn, left = coverage()
        print(f"notes figures of chapters 1-7 drawn: {len(drawn)} of {len(NOTES_FIGURES)}")
        for number, why in left.items():
            print(f"  left out: Fig {number}: {why}")
        return 0
    paths, failed = run(entries, Path(args.out), args.full)
    for path in paths:
        print(path)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
