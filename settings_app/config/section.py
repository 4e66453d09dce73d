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
    aliases: Mapping[str, str] = field(default_factory=dict)  # other name -> key, also presented
    cross_check: CrossCheck = _no_cross_check
    # other names accepted on input but not presented (the original web UI's camelCase of our names)
    input_aliases: Mapping[str, str] = field(default_factory=dict)

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
        canonical, errors = self._resolve_aliases(changes, self.present(stored))
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

    def _resolve_aliases(
        self, changes: dict[str, Any], current: Mapping[str, Any]
    ) -> tuple[dict[str, tuple[Any, str]], Errors]:
        """Map every given name to its key, remembering the name used (for error messages).

        Two names of one key with different values: when one of them is the ``current`` value, the
        other is the change (a client that sends the whole configuration back with one name edited);
        otherwise they conflict."""
        resolved: dict[str, tuple[Any, str]] = {}
        errors: Errors = {}
        for given, value in changes.items():
            target = self.aliases.get(given) or self.input_aliases.get(given) or given
            if target in resolved and resolved[target][0] != value:
                earlier, earlier_name = resolved[target]
                if value == current.get(target):
                    continue  # the earlier name carries the change
                if earlier != current.get(target):
                    errors.setdefault(given, []).append(f"conflicts with {earlier_name}; give one of them")
                    continue
            resolved[target] = (value, given)
        return resolved, errors
