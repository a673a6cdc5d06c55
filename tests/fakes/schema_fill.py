"""Answers built from a request's response schema (the OpenAPI-style `responseSchema` google-genai sends).

Two modes:

- plausible (the fake server's default answer): what a cooperative model would return — every required
  property, enums chosen sensibly by their property name ("verdict" → answered, a level → good), quotes taken
  from the candidate's real words in the request, optional content hints (e.g. a plan built from the JD) merged in;
- arbitrary (`Reply.arbitrary(seed)`): ANY value the schema allows, seeded — random enums and booleans, empty,
  maximal, markup-like, invented or real quotes, optional properties left out, nulls where nullable. Whatever
  a client does with it must not crash.
"""

from __future__ import annotations

import random
import re
from typing import Any

_CANDIDATE_LINE = re.compile(r"^\[\d+(?:\.\d+)?\]\s+CANDIDATE:\s*(.+)$", re.M)

_INVENTED = ("I single-handedly tripled revenue by 300% at Globex in 2019",
             "we did not miss a single deadline in ten years",
             "I have twenty years of Kubernetes experience at Initech")
_ODD = ("", " ", "[bold red]markup[/] that must stay literal", "\x1b[31mescape\x1b[0m text", "ünïcödé — “quotes”",
        "word " * 80)


def candidate_quotes(request_text: str) -> list[str]:
    """Up to 8-word openings of the candidate's lines in a request transcript (verbatim, ≥ 4 words)."""
    out = []
    for line in _CANDIDATE_LINE.findall(request_text):
        words = line.split()
        if len(words) >= 4:
            out.append(" ".join(words[:8]))
    return out


def _get(schema: dict[str, Any], *names: str) -> Any:
    for name in names:
        if name in schema:
            return schema[name]
    return None


def _type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if str(k).lower() != "null"), "string")
    return str(kind or ("object" if "properties" in schema else "string")).upper()


class SchemaFiller:
    """Fills a schema; `rng=None` is the plausible mode, a seeded `random.Random` the arbitrary one."""

    def __init__(self, quotes: list[str], rng: random.Random | None = None, words: int = 0) -> None:
        self.quotes = quotes
        self.rng = rng
        self.words = words
        """Plausible mode: pad free-text fields (feedback, summaries, rewrites) to about this many words, as a
        real model writes them (for latency benchmarks: output length drives decoding time)."""
        self._question = 0
        self._count = 0

    # ----------------------------------------------------------------------------------------- dispatch
    def fill(self, schema: Any, name: str = "", hint: Any = None) -> Any:
        if not isinstance(schema, dict):
            return hint if hint is not None else ""
        if self.rng is not None and _get(schema, "nullable") and self.rng.random() < 0.2:
            return None
        kind = _type(schema)
        if kind == "OBJECT":
            return self._object(schema, name, hint if isinstance(hint, dict) else None)
        if kind == "ARRAY":
            return self._array(schema, name, hint if isinstance(hint, list) else None)
        if hint is not None:
            return hint
        if _get(schema, "enum"):
            return self._enum(list(schema["enum"]), name)
        if kind == "BOOLEAN":
            return self.rng.random() < 0.5 if self.rng else not name.startswith("shown")
        if kind in ("INTEGER", "NUMBER"):
            low = _get(schema, "minimum") or 0
            high = _get(schema, "maximum")
            high = high if high is not None else low + 100
            value = self.rng.uniform(low, high) if self.rng else (low + high) / 2
            return int(value) if kind == "INTEGER" else round(value, 2)
        return self._string(schema, name)

    # ------------------------------------------------------------------------------------------ objects
    def _object(self, schema: dict[str, Any], name: str, hint: dict[str, Any] | None) -> dict[str, Any]:
        props: dict[str, Any] = schema.get("properties") or {}
        order = _get(schema, "property_ordering", "propertyOrdering") or list(props)
        required = set(schema.get("required") or [])
        out: dict[str, Any] = {}
        for index, key in enumerate(order):
            if key not in props:
                continue
            if hint is not None and key in hint:
                out[key] = self.fill(props[key], key, hint[key])
                continue
            if self.rng is not None and key not in required and self.rng.random() < 0.3:
                continue
            if name == "questions":
                self._question = index
            out[key] = self.fill(props[key], key)
        if hint:
            out.update({k: v for k, v in hint.items() if k not in props})
        return out

    def _array(self, schema: dict[str, Any], name: str, hint: list[Any] | None) -> list[Any]:
        items = schema.get("items") or {}
        if hint is not None:
            return [self.fill(items, name, h) for h in hint]
        low = int(_get(schema, "min_items", "minItems") or 0)
        high = _get(schema, "max_items", "maxItems")
        high = int(high) if high is not None else low + 5
        if self.rng is not None:
            count = self.rng.randint(low, max(low, min(high, low + 5)))
        else:
            count = max(low, min(high, 1 if name == "quotes" else 3))
        return [self.fill(items, name) for _ in range(count)]

    # ------------------------------------------------------------------------------------------ scalars
    def _enum(self, values: list[Any], name: str) -> Any:
        if self.rng is not None:
            return self.rng.choice(values)
        for preferred in (("answered" if self.quotes else "not_answered"), "good", "partial", "strong"):
            if preferred in values:
                return preferred
        return values[0]

    def _quote(self) -> str:
        if not self.quotes:
            return ""
        return self.quotes[self._question % len(self.quotes)]

    def _string(self, schema: dict[str, Any], name: str) -> str:
        low = int(_get(schema, "min_length", "minLength") or 0)
        high = _get(schema, "max_length", "maxLength")
        if self.rng is not None:
            choice = self.rng.random()
            if choice < 0.35 and self.quotes:
                text = self.rng.choice(self.quotes)
            elif choice < 0.5:
                text = self.rng.choice(_INVENTED)
            elif choice < 0.65:
                text = self.rng.choice(_ODD)
            else:
                text = " ".join(self.rng.choice(("team", "latency", "I", "we", "42", "never", "result", "quickly",
                                                 "customer", "built"))
                                for _ in range(self.rng.randint(1, 30)))
        elif name in ("quote", "quotes"):
            text = self._quote()
        elif name == "stronger_answer":
            text = f"{self._quote()}, and as a result [result]." if self.quotes else ""
        elif name == "drill":
            text = "Record a two-minute answer and replace each filler with a pause."
        else:
            self._count += 1
            text = f"A specific, plausible {name.replace('_', ' ') or 'text'} ({self._count})."
        if self.rng is None and self.words and name not in ("quote", "quotes", "text", "cues"):
            text += " detail" * max(0, self.words - len(text.split()))
        if len(text) < low:
            text = (text + " x" * low)[: max(low, len(text))]
        if high is not None:
            text = text[: int(high)]
        return text
