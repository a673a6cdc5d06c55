"""Word error rate of the offline recogniser (pocketsphinx) on espeak-ng speech, per sentence and overall.

Run: .venv/bin/python bench/offline_wer.py [--wpm 160] [--voice en-us]
Speech is synthesised with the app's own espeak-ng path (voice.local_tts) at 16 kHz and decoded with the
app's Recognizer, so the figure is what the offline voice engine gets from a clean, robotic voice.
"""

from __future__ import annotations

import argparse
import re
import time

from interview_tui.voice.local_stt import Recognizer
from interview_tui.voice.local_tts import EspeakTTS

SENTENCES = [
    "Tell me about a project you led from start to finish.",
    "At my last job I led the migration of our payment service to a new database.",
    "I wrote the plan and moved the data in small batches over two weeks.",
    "As a result we had no downtime and the reports ran three times faster.",
    "I would start by measuring where the time goes before changing anything.",
    "We used Python and PostgreSQL, and I set up the deployment pipeline myself.",
    "The hardest part was convincing the team to write tests for the old code.",
    "Um, I think the main lesson was to ask for help earlier.",
]


def norm(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def wer(ref: list[str], hyp: list[str]) -> tuple[int, int]:
    """(edit distance in words, reference length)."""
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1], len(ref)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wpm", type=int, default=160)
    ap.add_argument("--voice", default="en-us")
    args = ap.parse_args()
    tts = EspeakTTS(voice=args.voice, words_per_minute=args.wpm)
    t0 = time.perf_counter()
    rec = Recognizer()
    print(f"pocketsphinx model load: {time.perf_counter() - t0:.2f} s; espeak-ng voice {args.voice} at {args.wpm} wpm")
    errors = total = 0
    audio_s = decode_s = 0.0
    for sentence in SENTENCES:
        pcm = tts.synthesize(sentence)
        t0 = time.perf_counter()
        hyp = rec.transcribe(pcm)
        decode_s += time.perf_counter() - t0
        audio_s += len(pcm) / 32000
        e, n = wer(norm(sentence), norm(hyp))
        errors, total = errors + e, total + n
        print(f"WER {100 * e / n:5.1f}%  ref: {sentence}\n            hyp: {hyp}")
    print(f"overall WER {100 * errors / total:.1f}% over {total} words; real-time factor {decode_s / audio_s:.2f}")


if __name__ == "__main__":
    main()
