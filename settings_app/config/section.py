"""A configuration section: its keys with defaults and checks, alternative key names, and the
checks that look at several keys together."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from settings_app.config.checks import Check, Invalid

Errors = dict[str, list[str]]
CrossCheck = Callable[[dict[str, Any], set[str]], Errors]


@dataclass(frozen=True)
class Key:
    check: Check
    default: Any = None
    default_factory: Callable[[], Any] | None = None

    def default_value(self) -> Any:
        return self.default_factory() if self.default_factory is not None else self.default


def _no_cross_check(merged: dict[str, Any], changed: set[str]) -> Errors:
    return {}


@dataclass(frozen=True)
class Section:
    name: str
    keys: Mapping[str, Key]
    aliases: Mapping[str, str] = field(default_factory=dict)  # other name -> key
    cross_check: CrossCheck = _no_cross_check

    def present(self, stored: Mapping[str, Any]) -> dict[str, Any]:
        """Defaults overlaid with ``stored``, plus every alternative name with its key's value."""
        values = {name: key.default_value() for name, key in self.keys.items()}
        values.update({name: value for name, value in stored.items() if name in self.keys})
        for alias, target in self.aliases.items():
            values[alias] = values[target]
        return values

    def validate(self, changes: Any, stored: Mapping[str, Any]) -> tuple[dict[str, Any], Errors]:
        """``changes`` normalised and the errors found, field by field (empty when valid)."""
        if not isinstance(changes, dict):
            return {}, {"non_field_errors": ["expected a JSON object of settings"]}
        canonical, errors = self._resolve_aliases(changes)
        normalised: dict[str, Any] = {}
        for name, (value, given) in canonical.items():
            key = self.keys.get(name)
            if key is None:
                errors.setdefault(given, []).append("unknown setting")
                continue
            try:
                normalised[name] = key.check(value)
            except Invalid as exc:
                errors.setdefault(given, []).append(str(exc))
        if not errors:
            merged = {**self.present(stored), **normalised}
            errors.update(self.cross_check(merged, set(normalised)))
        return normalised, errors

    def audit(self, values: Mapping[str, Any]) -> Errors:
        """Problems with already-stored ``values`` (a directory removed, a set deleted...)."""
        errors: Errors = {}
        for name, key in self.keys.items():
            try:
                key.check(values.get(name))
            except Invalid as exc:
                errors[name] = [str(exc)]
        for name, messages in self.cross_check(dict(values), set(self.keys)).items():
            errors.setdefault(name, []).extend(messages)
        return errors

    def _resolve_aliases(self, changes: dict[str, Any]) -> tuple[dict[str, tuple[Any, str]], Errors]:
        """Map every given name to its key, remembering the name used (for error messages)."""
        resolved: dict[str, tuple[Any, str]] = {}
        errors: Errors = {}
        for given, value in changes.items():
            target = self.aliases.get(given, given)
            if target in resolved and resolved[target][0] != value:
                errors.setdefault(given, []).append(f"conflicts with {resolved[target][1]}; give one of them")
                continue
            resolved[target] = (value, given)
        return resolved, errors
