"""optlib: the small NumPy library behind the book *How neural networks are optimized*.

Every chapter of the book is backed by one of these modules:

- :mod:`optlib.functions` -- test objectives with their known minima and plotting bounds;
- :mod:`optlib.tree` -- pytrees: mapping, flattening, ``ravel`` and safe ``save`` / ``load``;
- :mod:`optlib.viz` -- the book's plot style, contour and surface plots, and the chapter widget helper.
"""

from optlib import functions, tree, viz

__version__ = "0.1.0"

__all__ = ["functions", "tree", "viz"]
