"""The configuration sections: their keys, defaults, and how each value is checked."""
