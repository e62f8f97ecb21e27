"""Reference library of the course: concise Keras/TensorFlow and numpy implementations.

One module per chapter (``course.ch02_linear_regression``, ...), plus ``course.datasets`` (offline,
seeded data generators) and ``course.plots`` (figures; ``python -m course.plots``). Importing the
package imports nothing heavy: TensorFlow/Keras are imported by the functions that need them.
"""
