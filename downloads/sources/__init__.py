"""Where audio comes from: the ``Source`` contract (``base``), the registry of installed sources
(``registry``) and the built-in sources, each its own module. See docs/sources.md."""
