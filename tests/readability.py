"""Plain words for safety texts: Flesch-Kincaid grade, sentence length and an action first.

The method, stated once so a reviewer can redo it by hand:

* the text is the author's Markdown or HTML with tags, Markdown marks and URLs removed;
* sentences end at ``.``, ``!``, ``?`` or ``:`` followed by a space or the end (a colon opens a
  list of actions here, and a reader hears it as a stop); a line break ends one too;
* a word is a run of letters, digits, apostrophes or hyphens holding at least one letter or
  digit; a number or a phone number counts as one word of one syllable;
* syllables per word: the groups of vowels (``aeiouy``) in the lowercase word, minus one for a
  final silent ``e`` (not ``-le``, not ``-ee``), minus one for ``-ed`` after a consonant other
  than ``t`` or ``d`` (not ``-gled``, ``-bled``), at least one (the usual heuristic; it counts within a syllable or so of a
  dictionary on everyday words);
* grade = 0.39 x (words / sentences) + 11.8 x (syllables / words) - 15.59 (Kincaid et al., 1975).

:func:`opens_with_action` says whether the first sentence tells the reader to do something: after
an optional leading ``If ...,`` clause, its first word is an imperative from :data:`ACTIONS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Verbs a safety text may open with, as an instruction to the reader.
ACTIONS = frozenset(
    [
        "call",
        "text",
        "talk",
        "tell",
        "get",
        "go",
        "reach",
        "see",
        "read",
        "look",
        "use",
        "ask",
        "stop",
        "take",
        "keep",
        "leave",
        "find",
        "plan",
        "please",
        "start",
        "chat",
        "visit",
        "contact",
        "stay",
        "try",
        "trust",
        "write",
        "press",
        "dial",
        "open",
        "seek",
    ]
)

_TAG = re.compile(r"<[^>]+>")
_URL = re.compile(r"\]\([^)]*\)|https?://\S+")
_MARK = re.compile(r"[*_`#>\[\]]")
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+|\n+")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019-]*")
_VOWELS = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class Reading:
    grade: float
    sentences: list[str]
    longest: int  # words in the longest sentence


def plain_text(source: str) -> str:
    """The words a reader hears: tags, link targets, URLs and Markdown marks removed."""
    text = _TAG.sub(" ", source)
    text = _URL.sub("]", text)
    text = _MARK.sub("", text)
    return text.replace("&amp;", "&").replace("&nbsp;", " ").strip()


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(plain_text(text)) if _WORD.search(part)]


def words(sentence: str) -> list[str]:
    return _WORD.findall(sentence)


def syllables(word: str) -> int:
    word = word.lower().replace("\u2019", "'")
    if not re.search("[a-z]", word):
        return 1  # a number or a phone number
    count = 0
    for part in re.split(r"[-']", word):
        if not part:
            continue
        groups = len(_VOWELS.findall(part))
        silent_e = part.endswith("e") and not part.endswith(("le", "ee"))
        # "-ed" is silent after most consonants ("called", "pushed"), not in "-gled", "-bled".
        silent_ed = re.search(r"[^aeiouytd]ed$", part) and not re.search(r"[bcdfghjkmnpqrstvwxz]led$", part)
        if groups > 1 and (silent_e or silent_ed):
            groups -= 1
        count += max(groups, 1) if re.search("[a-z]", part) else 0
    return max(count, 1)


def reading(text: str) -> Reading:
    parts = sentences(text)
    counts = [len(words(part)) for part in parts]
    total_words = sum(counts)
    if not total_words:
        return Reading(0.0, parts, 0)
    total_syllables = sum(syllables(word) for part in parts for word in words(part))
    grade = 0.39 * total_words / len(parts) + 11.8 * total_syllables / total_words - 15.59
    return Reading(round(grade, 1), parts, max(counts))


def opens_with_action(text: str) -> bool:
    """Whether the first sentence is an instruction (after an optional ``If ...,`` clause)."""
    parts = sentences(text)
    if not parts:
        return False
    first = parts[0]
    if first.lower().startswith("if ") and "," in first:
        first = first.split(",", 1)[1]
    head = words(first)
    return bool(head) and head[0].lower() in ACTIONS


# --------------------------------------------------------------------------- Spanish
#
# Spanish has no Flesch-Kincaid grade. Fernández Huerta's adaptation of Flesch's reading ease is the
# usual one: ease = 206.84 - 0.60 x syllables per 100 words - 1.02 x sentences per 100 words (the
# corrected form, Fernández Huerta 1959). 70-80 reads as "fairly easy", about grade 7; 80 and up as
# grade 6 or below. Syllables are counted as vowel nuclei: a strong vowel (a, e, o, or an accented
# í or ú) next to another strong one starts a new syllable (hiatus, "le-ó", "dí-a"); a weak vowel
# (i, u, ü, y between consonants) joins its neighbour (diphthong, "cuen-ta"). Sentences and words
# are split as for English, with Spanish letters in words.

_WORD_ES = re.compile(r"[0-9A-Za-zÁÉÍÓÚÜÑáéíóúüñ][0-9A-Za-zÁÉÍÓÚÜÑáéíóúüñ'\u2019-]*")
_STRONG = set("aeoáéóíú")
_WEAK = set("iuü")


def words_es(sentence: str) -> list[str]:
    return _WORD_ES.findall(sentence)


def syllables_es(word: str) -> int:
    word = word.lower()
    if not re.search("[a-záéíóúüñ]", word):
        return 1  # a number or a phone number
    if word.endswith("y") and len(word) > 1 and word[-2] in _STRONG | _WEAK:
        word = word[:-1] + "i"  # "hoy", "muy": y sounds as a vowel joined to the one before
    count, previous = 0, ""
    for letter in word:
        if letter in _STRONG | _WEAK:
            both_strong = previous in _STRONG and letter in _STRONG
            if not previous or both_strong:
                count += 1
        previous = letter if letter in _STRONG | _WEAK else ""
    return max(count, 1)


def reading_ease_es(text: str) -> float:
    """Fernández Huerta's reading ease of a Spanish text (higher is easier)."""
    parts = [part.strip() for part in _SENTENCE_END.split(plain_text(text)) if _WORD_ES.search(part)]
    total_words = sum(len(words_es(part)) for part in parts)
    if not total_words:
        return 100.0
    total_syllables = sum(syllables_es(word) for part in parts for word in words_es(part))
    per_100_syllables = 100 * total_syllables / total_words
    per_100_sentences = 100 * len(parts) / total_words
    return round(206.84 - 0.60 * per_100_syllables - 1.02 * per_100_sentences, 1)
