"""The bundled English sentence corpus (``ffasr_eval/resources/sentences.txt``).

License-clean: every sentence is generated here from small hand-written templates and word lists
(everyday, numeric and named-entity sentences), so the corpus carries no third-party text.
`write_corpus` regenerates the file; `load_corpus` reads it.
"""

from __future__ import annotations

import itertools
from pathlib import Path

CORPUS_PATH = Path(__file__).resolve().parents[1] / "resources" / "sentences.txt"

_PEOPLE = ["Anna", "David", "Maria", "James", "Laura", "Peter", "Susan", "Michael", "Emma", "Robert"]
_CITIES = ["Boston", "Denver", "Chicago", "Seattle", "Dallas", "Atlanta", "Phoenix", "Portland"]
_PLACES = ["kitchen", "garden", "office", "library", "station", "market", "hospital", "school"]
_THINGS = ["keys", "coffee", "letter", "umbrella", "bicycle", "jacket", "laptop", "camera"]
_NUMBERS = ["two", "three", "five", "seven", "nine", "twelve", "fifteen", "twenty", "forty", "ninety"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

_EVERYDAY = [
    "please leave the {thing} in the {place}",
    "i think the {thing} is still in the {place}",
    "could you bring my {thing} to the {place} later",
    "we should clean the {place} before dinner",
    "the {place} is closed until further notice",
    "she forgot her {thing} at the {place} again",
]
_NUMERIC = [
    "the train leaves at {number} thirty in the morning",
    "we need {number} more chairs for the meeting",
    "the package weighs about {number} pounds",
    "turn left after {number} hundred meters",
    "the meeting moved to {day} at {number} o'clock",
]
_NAMED = [
    "{person} flew from {city} to {city2} on {day}",
    "{person} will meet us at the {place} in {city}",
    "call {person} when you arrive in {city}",
    "{person} moved to {city} last year",
]


def generate_sentences() -> list[str]:
    """Every sentence of the corpus, in a fixed order (≥ 500, all distinct)."""
    sentences: list[str] = []
    for template, thing, place in itertools.product(_EVERYDAY, _THINGS, _PLACES):
        sentences.append(template.format(thing=thing, place=place))
    for template, number, day in itertools.product(_NUMERIC, _NUMBERS, _DAYS[:3]):
        sentences.append(template.format(number=number, day=day))
    for template, person, (city, city2) in itertools.product(_NAMED, _PEOPLE, zip(_CITIES, _CITIES[1:])):
        sentences.append(template.format(person=person, city=city, city2=city2, day=_DAYS[len(person) % 7],
                                         place=_PLACES[len(city) % len(_PLACES)]))
    return list(dict.fromkeys(s[0].upper() + s[1:] + "." for s in sentences))


def write_corpus(path: Path = CORPUS_PATH) -> Path:
    """Regenerate the bundled corpus file."""
    path.write_text("\n".join(generate_sentences()) + "\n", encoding="utf-8")
    return path


def load_corpus(path: Path = CORPUS_PATH) -> list[str]:
    """The corpus sentences, one per line."""
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
