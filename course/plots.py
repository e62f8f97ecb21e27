"""Figures of the course, drawn with matplotlib's Agg backend (no display needed).

Each chapter module that has figures defines ``make_figures(outdir) -> list[Path]``; this module
finds those chapters and runs them::

    python -m course.plots ch02 ch03 --out figures/     # or: python -m course.plots (all chapters)

A chapter may be named by its short prefix (``ch02``, ``appendix_a``), its number (``2``) or its full
module name (``ch02_linear_regression``).
"""
import argparse
import importlib
import pkgutil
import re
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import course

_CHAPTER_MODULE = re.compile(r"(ch\d\d|appendix_[a-z])_\w+")


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
    """Draw and save several figures.

    Args:
        drawers: dict ``name -> draw``; ``draw(fig)`` adds its axes to a fresh figure (and may resize
            it with ``fig.set_size_inches``).
        outdir: output folder.

    Returns:
        list of the written paths ``outdir/<name>.png``, in the order of ``drawers``.
    """
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


def figure_maker(chapter):
    """The ``make_figures`` function of a chapter module.

    Raises:
        ValueError: for an unknown chapter, or one without figures.
    """
    module = importlib.import_module(f"course.{resolve_chapter(chapter)}")
    if not hasattr(module, "make_figures"):
        raise ValueError(f"{module.__name__} has no figures")
    return module.make_figures


def make_figures(chapter, outdir):
    """Run ``course.<chapter>.make_figures(outdir)`` and return the paths it wrote."""
    return figure_maker(chapter)(Path(outdir))


def chapters_with_figures():
    """Chapter modules that define ``make_figures`` (imports every chapter module)."""
    return [m for m in chapter_modules() if hasattr(importlib.import_module(f"course.{m}"), "make_figures")]


def main(argv=None):
    """Command line: write the figures of the given chapters (default: all) and print each path."""
    parser = argparse.ArgumentParser(prog="python -m course.plots", description=__doc__.split("\n")[0])
    parser.add_argument("chapters", nargs="*", help="e.g. ch02 ch03 (default: every chapter with figures)")
    parser.add_argument("--out", default="figures", help="output folder (default: figures/)")
    args = parser.parse_args(argv)
    try:
        makers = [figure_maker(c) for c in args.chapters or chapters_with_figures()]
    except ValueError as err:
        parser.error(str(err))
    for make in makers:
        for path in make(Path(args.out)):
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
