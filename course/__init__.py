"""Reference library of the course: concise Keras/TensorFlow and numpy implementations.

One module per chapter (``course.ch02_linear_regression``, ...), plus ``course.datasets`` (offline,
seeded data generators) and ``course.plots`` (figures; ``python -m course.plots``). Importing the
package imports nothing heavy: TensorFlow/Keras are imported by the functions that need them.
"""


def match_chapter(name, chapters):
    """``ch02``, ``2``, ``ch02.py`` or ``ch02_linear_regression`` -> the one of ``chapters`` it names.

    Raises:
        ValueError: if the name matches none of ``chapters``, or several.
    """
    key = name.strip().lower().removesuffix(".py")
    if key.isdigit():
        key = f"ch{int(key):02d}"
    matches = [c for c in chapters if c == key or c.startswith(key + "_")]
    if len(matches) != 1:
        raise ValueError(f"unknown chapter {name!r}; chapters are: {', '.join(chapters)}")
    return matches[0]
