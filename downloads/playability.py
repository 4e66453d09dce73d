"""Is a fetched file really playable audio? A header can look fine while the audio behind it is cut
short (a FLAC truncated to 40 % still states its full length) or damaged (random bytes in the middle).

The file is decoded once, in full: by the conversion when one is configured (``Convert`` reuses its
report), else by ``conversion.decode_audio``. The decode is then compared with what the file states:

- no audio at all, or ffmpeg unable to read it: not playable;
- lossless formats (FLAC, WAV, ALAC, ...) carry checksums or raw samples, so any decoder error means
  damaged data: not playable. Lossy formats often have a harmless bad frame (junk between MP3
  frames) and are judged on their length only;
- the decoded length must reach the stated one, less a tolerance: 1.5 s for previews (about 30 s
  long, where a few frames lost are a few percent) and the larger of 2 s and 2 % for full tracks
  (encoder padding, rounding in headers). An MP3 without a length header has only an estimated
  length (from its bitrate), so this comparison is skipped for it.
"""

from __future__ import annotations

import re

from downloads.conversion import DecodeReport
from downloads.sources.audio_files import AudioFacts

PREVIEW_TOLERANCE_MS = 1500
FULL_TRACK_TOLERANCE_MS = 2000
FULL_TRACK_TOLERANCE_SHARE = 0.02
_WHERE = re.compile(r"^(\[[^\]]*\]\s*)+")  # ffmpeg's "[flac @ 0x55d0...] " prefixes


def tolerance_ms(stated_ms: int, *, preview: bool) -> int:
    if preview:
        return PREVIEW_TOLERANCE_MS
    return max(FULL_TRACK_TOLERANCE_MS, round(stated_ms * FULL_TRACK_TOLERANCE_SHARE))


def playability_problem(report: DecodeReport, stated: AudioFacts, *, preview: bool) -> str | None:
    """Why the decoded file is not playable audio, or None when it is (see the module docstring)."""
    if report.decoded_ms <= 0:
        return "no audio could be decoded from it"
    if stated.lossless and report.errors:
        return f"the decoder found damaged data ({_WHERE.sub('', report.errors[0])})"
    length_known = not stated.tags.get("length_estimated")
    if length_known and report.decoded_ms < stated.duration_ms - tolerance_ms(
        stated.duration_ms, preview=preview
    ):
        return (
            f"only {report.decoded_ms / 1000:.1f} s of its {stated.duration_ms / 1000:.1f} s could be decoded "
            "(the file is cut short or damaged)"
        )
    return None
