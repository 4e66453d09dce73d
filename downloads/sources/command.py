"""The ``command`` source: an external program the operator configures, run without a shell.

``commandSource`` is ``{"argv": [...], "timeoutSeconds": n}``. Each argument may hold placeholders
``{isrc} {artist} {title} {album} {duration_ms} {output}``; a value always stays inside its argument
(never split, never seen by a shell). The program must write the track to ``{output}`` (it may
append an extension, e.g. ``{output}.flac``); the file is then checked to be real audio. Exit
status 69 (EX_UNAVAILABLE) means "I cannot get this track": a permanent failure, no retries. Any
other non-zero status, or running past the timeout, is a failure worth retrying. The program gets
the service's environment minus Spotizerr's own settings (which hold secrets).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import string
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

from downloads.sources.audio_files import probe
from downloads.sources.base import BaseSource, Candidate, SourceError, SourceInfo
from spotizerr.integrations.catalog_types import Track
from spotizerr.lib.cancel import Cancelled, CancelToken

PLACEHOLDERS = frozenset({"isrc", "artist", "title", "album", "duration_ms", "output"})
EX_UNAVAILABLE = 69
DEFAULT_TIMEOUT = 600
STDERR_LINES = 5
_POLL = 0.1
_HIDDEN_ENV = ("SPOTIZERR_", "DATABASE_URL", "REDIS_URL", "DJANGO_")


def command_settings(config: dict[str, Any]) -> dict[str, Any] | None:
    command = config.get("commandSource")
    if not isinstance(command, dict) or not command.get("argv"):
        return None
    return command


def render_argv(argv: list[str], values: dict[str, str]) -> list[str]:
    """Substitute placeholders in each argument separately. Raises SourceError for an unknown one."""
    rendered = []
    for template in argv:
        parts: list[str] = []
        for literal, field, spec, _conversion in string.Formatter().parse(template):
            parts.append(literal)
            if field is None:
                continue
            if field not in values:
                raise SourceError(f"the command uses an unknown placeholder {{{field}}}", permanent=True)
            parts.append(format(values[field], spec or ""))
        rendered.append("".join(parts))
    return rendered


def _environment() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith(_HIDDEN_ENV)}


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def _with_stderr(message: str, path: Path) -> str:
    """``message`` followed by the program's last few stderr lines, when it wrote any."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        lines = []
    tail = "\n".join(lines[-STDERR_LINES:])[-2000:]
    return f"{message}: {tail}" if tail else message


class CommandSource(BaseSource):
    info = SourceInfo(
        name="command",
        label="External program",
        full_track=True,
        preview=False,
        lossless=True,
        needs_credentials=False,
        network=False,
    )

    def find(self, track: Track, *, config: dict[str, Any]) -> Candidate | None:
        """A candidate whenever a command is configured: only running it can tell."""
        if command_settings(config) is None:
            return None
        values = {
            "isrc": track.isrc or "",
            "artist": ", ".join(track.artist_names),
            "title": track.name,
            "album": track.album.name,
            "duration_ms": str(track.duration_ms),
        }
        return Candidate(
            source=self.info.name,
            ref=json.dumps(values),
            is_preview=False,
            quality="as the program delivers it",
            extension="",
            duration_ms=track.duration_ms,
        )

    def fetch(
        self, candidate: Candidate, temp_dir: Path, *, config: dict[str, Any], cancel: CancelToken
    ) -> Path:
        """Run the program and return the audio file it wrote, named with the right extension.
        Raises SourceError (with the program's last stderr lines) or Cancelled; leaves nothing behind."""
        command = command_settings(config)
        if command is None:
            raise SourceError("no command is configured", permanent=True)
        output = temp_dir / f"command-{uuid.uuid4().hex}"
        argv = render_argv(list(command["argv"]), {**json.loads(candidate.ref), "output": str(output)})
        stderr_path = output.with_name(output.name + ".stderr")
        try:
            code = self._run(
                argv, temp_dir, stderr_path, int(command.get("timeoutSeconds") or DEFAULT_TIMEOUT), cancel
            )
            if code != 0:
                raise SourceError(
                    _with_stderr(f"the command failed with status {code}", stderr_path),
                    permanent=code == EX_UNAVAILABLE,
                )
            return self._checked_output(output, stderr_path)
        except BaseException:
            for leftover in temp_dir.glob(f"{output.name}*"):
                leftover.unlink(missing_ok=True)
            raise
        finally:
            stderr_path.unlink(missing_ok=True)

    def _run(self, argv: list[str], cwd: Path, stderr_path: Path, timeout: int, cancel: CancelToken) -> int:
        cancel.raise_if_cancelled()
        with stderr_path.open("wb") as stderr:
            try:
                process = subprocess.Popen(
                    argv,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=stderr,
                    cwd=cwd,
                    env=_environment(),
                    start_new_session=True,
                )
            except OSError as error:
                raise SourceError(
                    f"cannot start the command {Path(argv[0]).name!r}: {error.strerror}", permanent=True
                ) from None
            deadline = time.monotonic() + timeout
            while True:
                try:
                    code = process.wait(timeout=_POLL)
                    break
                except subprocess.TimeoutExpired:
                    pass
                if cancel.is_cancelled():
                    _kill_group(process)
                    raise Cancelled()
                if time.monotonic() > deadline:
                    _kill_group(process)
                    raise SourceError(
                        f"the command ran longer than {timeout} s and was stopped", permanent=False
                    )
            _kill_group(process)  # anything it left running in the background
            return code

    def _checked_output(self, output: Path, stderr_path: Path) -> Path:
        written = [output] if output.is_file() else sorted(output.parent.glob(f"{output.name}.*"))
        written = [path for path in written if path != stderr_path and path.is_file()]
        if len(written) != 1:
            raise SourceError(
                _with_stderr("the command did not write its output file", stderr_path), permanent=True
            )
        facts = probe(written[0])
        final = output.with_suffix(facts.extension)
        written[0].rename(final)
        return final

    def health(self, *, config: dict[str, Any]) -> dict[str, Any]:
        command = command_settings(config)
        if command is None:
            return {"ok": False, "detail": "no command is configured"}
        program = command["argv"][0]
        if shutil.which(program) is None:
            return {
                "ok": False,
                "detail": f"the program {Path(program).name!r} is not found or not executable",
            }
        return {"ok": True, "detail": f"runs {Path(program).name!r}"}
