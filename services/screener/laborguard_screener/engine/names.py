"""Company-name normalisation: legal forms, punctuation, case, scripts, numbers, romanisation.

A name becomes a `NameKey`: its canonical text (tokens joined by spaces), the tokens that may
carry a match, the generic kinds of legal form it names ("llc", "jsc", "lp": from OpenSanctions'
`rigour` org-types database, so "Aktiengesellschaft", "AG", "OAO" and "PJSC" are all "jsc"), and
its numbers. Generic words ("Xinjiang", "Cotton", "Textile", "Group"...) stay in the text, so
they count towards similarity, but never carry a match on their own.

The steps, in order: NFKC; other scripts than Latin and CJK transliterated to ASCII (`rigour`'s
ICU transliterator; accents folded: "Société" is "societe"), and where no transliteration
exists (Khmer) the letters kept whole with their combining marks; case folded; annotations
("(former name)", "and subsidiaries") and apostrophes dropped ("Qa'ida" is "qaida"); legal forms
recognised by `rigour` in any language, then our own short list, removed; runs of single letters
joined ("A.B.C." and "A B C" are "abc"); number words and ordinals written as digits ("Forty-Four",
"1st", "First" and "III" are "44", "1" and "3"); spelling variants unified.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from rigour.names.org_types import extract_org_types
from rigour.text import ascii_text

from laborguard_screener.engine.tokenindex import TokenIndex, within_one_edit
from laborguard_screener.engine.vocabulary import (
    GENERIC_WORDS,
    LEGAL_FORM_WORDS,
    LOCATING_PLACES,
    NATIVE_LEGAL_SUFFIXES,
    NUMBER_WORDS,
    ROMAN_NUMERALS,
    ROMANISATIONS,
    SYNONYMS,
    TENS_WORDS,
    TRADE_WORDS,
    WIDE_PLACES,
)

# Phrases that annotate a listed name rather than name anything: "(former name)",
# "and subsidiaries", "and its subordinates", "(including two aliases: ...)".
_ANNOTATIONS = re.compile(
    r"\((?:former name|formerly [^)]*|including [^)]*)\)"
    r"|\band (?:its )?(?:subsidiaries|subordinates|subordinate units)(?: and joint ventures)?\b"
)
_POSSESSIVE = re.compile(r"['\u2019]s\b")  # "Deutsche Bank's" is "Deutsche Bank"
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc\u02bb`\u00b4]")
# Misspelt generic words ("Silicn", "Corporaton", "Pacfic", "Industrail") must not turn
# distinctive: every spelling of a trade word or legal form counts. Place names only count from
# six letters: "Xinya" is a name, not a misspelt "Xinye".
_TRADE_SPELLINGS = TokenIndex.of(
    TRADE_WORDS | LEGAL_FORM_WORDS | SYNONYMS.keys() | frozenset(SYNONYMS.values())
)
_PLACE_SPELLINGS = TokenIndex.of((GENERIC_WORDS - TRADE_WORDS) | ROMANISATIONS.keys())
_PLACE_SPELLING_MIN = 6
_WIDE_SPELLING_MIN = 5
_LEGAL_SPELLING_MIN = 5


def _one_edit_spellings(words: frozenset[str], minimum: int) -> frozenset[str]:
    """Every string one edit (OSA) from a word of `minimum`+ letters, `minimum`+ letters long:
    a set look-up instead of a search per new word."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    found: set[str] = set()
    for word in words:
        if len(word) < minimum:
            continue
        for i in range(len(word) + 1):
            found.update(word[:i] + c + word[i:] for c in letters)  # insertions
            if i < len(word):
                found.add(word[:i] + word[i + 1 :])  # deletion
                found.update(word[:i] + c + word[i + 1 :] for c in letters)  # substitutions
            if i < len(word) - 1:
                found.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])  # adjacent swap
    return frozenset(spelling for spelling in found if len(spelling) >= minimum)


_LEGAL_SPELLINGS = _one_edit_spellings(LEGAL_FORM_WORDS, _LEGAL_SPELLING_MIN)
_WIDE_SPELLINGS = _one_edit_spellings(WIDE_PLACES, _WIDE_SPELLING_MIN)
_NON_WORD = re.compile(r"[\W_]+")
_CANONICAL = ROMANISATIONS | SYNONYMS
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CAMEL = re.compile(r"[a-z][A-Z][A-Z]")  # cheap test before `_GLUED_FORM`
_GLUED_FORM = re.compile(r"(?<=[a-z])([A-Z]{2,5})\b")
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_DIGIT = re.compile(r"\d")
_SINGLE_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_NUMBER_TOKENS = frozenset(NUMBER_WORDS) | frozenset(ROMAN_NUMERALS)
_SPECIAL_TOKENS = _SINGLE_LETTERS | _NUMBER_TOKENS
# A misspelt ten is a ten: the tens are long and unlike other words ("fourty" is "forty").
_TENS_MISSPELT = {
    variant: ten
    for ten in TENS_WORDS
    for variant in (
        *(ten[:i] + ten[i + 1 :] for i in range(len(ten))),
        *(ten[:i] + c + ten[i:] for i in range(len(ten) + 1) for c in "aeiouy"),
    )
    if variant not in NUMBER_WORDS and len(variant) >= 5
}


@dataclass(frozen=True, slots=True)
class NameKey:
    text: str  # canonical tokens joined by single spaces; "" when nothing is left
    # Tokens that are not plainly generic: what candidates are looked up by. The costlier
    # misspelt-generic check (`distinctive`) runs only when a candidate is similar enough.
    lookup: frozenset[str]
    forms: tuple[str, ...] = ()  # generic kinds of the legal forms named ("jsc", "llc")
    # The exact key with number words as written, when they were turned into digits: "Nine
    # Star" meets "Ninestar" by it ("" otherwise).
    spelled: str = ""

    def distinctive(self) -> frozenset[str]:
        """Tokens that may carry a match."""
        return frozenset(token for token in self.lookup if is_distinctive(token))

    def places(self) -> frozenset[str]:
        """Cities and provinces in the name ("Tianjin", "Hotan"), which tell companies apart."""
        return frozenset(token for token in self.text.split() if token in LOCATING_PLACES)

    def core(self) -> str:
        """The name's words, sorted: what similarity is measured on (word order aside)."""
        return " ".join(sorted(self.text.split()))

    def numbers(self) -> tuple[str, ...]:
        """Tokens with a digit ("4", "2007", "ahl1"): a different one is a different company."""
        return numbers_of(self.text)


def numbers_of(text: str) -> tuple[str, ...]:
    if _DIGIT.search(text) is None:
        return ()
    return tuple(sorted(token for token in text.split() if not token.isalpha()))


def joined(text: str) -> str:
    """The exact key: the canonical text without spaces, so joined and split words meet
    ("PricewaterhouseCoopers", "Pricewaterhouse Coopers"; "Good Will", "Goodwill")."""
    return text.replace(" ", "")


def forms_conflict(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """Both names state a kind of legal form, and no kind is shared ("AG" is not "GmbH")."""
    return bool(left and right) and set(left).isdisjoint(right)


def canonical_tokens(name: str) -> tuple[str, ...]:
    """Tokens of a Latin-script (or transliterated) name with legal forms dropped."""
    return _canonical(name)[0]


def _canonical(name: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    if not name.istitle() and _CAMEL.search(name) and _GLUED_FORM.search(name):
        name = _GLUED_FORM.sub(_unglue, name)
    ascii_name = name.isascii()
    text = (name if ascii_name else unicodedata.normalize("NFKC", name)).casefold()
    if not ascii_name or "  " in text or not text.isprintable():
        text = " ".join(text.split())  # one space between words, whatever was filed
    if "(" in text or " and " in text:
        text = _ANNOTATIONS.sub(" ", text)
    if "'" in text or "`" in text or not ascii_name:  # the ASCII ones of _APOSTROPHES
        text = _APOSTROPHES.sub("", _POSSESSIVE.sub(" ", text))
    # Legal forms before transliteration: rigour knows "Gesellschaft mit beschränkter Haftung"
    # and "Акционерное общество" in their own spelling.
    forms: list[str] = []
    for matched, kind in extract_org_types(text, generic=True):
        if matched not in ROMAN_NUMERALS:  # "II" is a series, not a legal form
            text = text.replace(matched, " ")
            forms.append(kind)
    if not ascii_name:
        text = _to_latin(text).casefold()
    # Whitespace is punctuation too: the words of the text, one by one, give the same tokens.
    words = text.replace("&", " and ").split()
    kept = tuple(chain.from_iterable(map(_word_tokens, words)))
    if _SPECIAL_TOKENS.isdisjoint(kept) and _DIGIT.search(text) is None:
        return kept, _kinds(forms), ""  # the common case: no letter alone, no number
    if len(kept) > 1 and not _SINGLE_LETTERS.isdisjoint(kept):
        kept = _acronyms(kept, forms)
        kept = tuple([token for token in kept if token not in LEGAL_FORM_WORDS])
    numbered = _numbers(kept)
    spelled = "".join(kept) if numbered != kept else ""
    return numbered, _kinds(forms), spelled


def _kinds(forms: list[str]) -> tuple[str, ...]:
    kinds = tuple(forms) if len(forms) < 2 else tuple(sorted(set(forms)))
    return _KINDS.setdefault(kinds, kinds)  # one tuple per combination: listings hold them


_KINDS: dict[tuple[str, ...], tuple[str, ...]] = {}


def _unglue(found: re.Match[str]) -> str:
    """ "SiemensAG" is "Siemens AG": a capitalised legal form glued to the word before it."""
    form = found.group(1)
    return f" {form}" if _legal_form_kind(form.casefold()) is not None else form


def _to_latin(name: str) -> str:
    name = unicodedata.normalize("NFKC", name)
    if _CJK.search(name):
        return name  # Chinese names are matched in their own script (see native_key)
    latin = ascii_text(name)
    if "?" in latin and "?" not in name:
        # No transliteration (Khmer): keep the letters whole, marks included, spaces between words.
        return "".join(ch if _is_letter(ch) else " " for ch in name)
    return latin


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM"


@lru_cache(maxsize=65_536)  # pure; the same words ("Co.,", "Ltd.", cities, trades) recur
def _word_tokens(word: str) -> tuple[str, ...]:
    canonical = _CANONICAL.get
    if word.isascii():
        parts = _NON_WORD.sub(" ", word).split()
    else:
        parts = "".join(ch if _is_letter(ch) else " " for ch in word).split()
    if "-" in word and len(parts) > 1 and any(p in LEGAL_FORM_WORDS for p in parts):
        # "Yuan-an": a syllable hyphenated on, not the article "an" to drop.
        parts = ["".join(parts)]
    # Legal-form words go here, once per word; single letters wait for acronyms ("a b c").
    return tuple(
        [
            _TENS_MISSPELT.get(part) or canonical(part, part)
            for part in parts
            if len(part) == 1 or not _is_legal_form_word(part)
        ]
    )


def _is_legal_form_word(token: str) -> bool:  # two set look-ups: `_word_tokens` caches words
    """A legal-form word of our list ("co", "ltd", "group", "the"), or a misspelling of one of
    five letters or more ("compan", "joynt", "limted"): a misspelt legal form is one still."""
    if token in LEGAL_FORM_WORDS:
        return True
    return token in _LEGAL_SPELLINGS


def _acronyms(tokens: tuple[str, ...], forms: list[str]) -> tuple[str, ...]:
    """Runs of single letters, one word: "a b c" (from "A.B.C." or "A B C") is "abc"; a run
    that spells a legal form ("o.o.o.") is a legal form: its kind goes to `forms`."""
    if sum(1 for token in tokens if len(token) == 1) < 2:
        return tokens
    joined: list[str] = []
    run = ""
    for token in (*tokens, ""):
        if len(token) == 1 and token.isalpha():
            run += token
            continue
        if len(run) > 1 and (kind := _legal_form_kind(run)) is not None:
            forms.append(kind)
        elif run:
            joined.append(run)
        run = ""
        if token:
            joined.append(token)
    return tuple(joined)


@lru_cache(maxsize=4_096)
def _legal_form_kind(word: str) -> str | None:
    found = extract_org_types(word, generic=True)
    return found[0][1] if len(found) == 1 and found[0][0] == word else None


def _numbers(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Number words, ordinals and Roman numerals as digits; "forty four" is "44"."""
    out: list[str] = []
    for token in tokens:
        value = _number_value(token)
        if value is None:
            out.append(token)
        elif out and value < 10 and out[-1].isdigit() and out[-1].endswith("0") and out[-1] != "0":
            out[-1] = str(int(out[-1]) + value)  # tens then units
        else:
            out.append(str(value))
    return tuple(out)


@lru_cache(maxsize=4_096)
def _number_value(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    value = NUMBER_WORDS.get(token) or ROMAN_NUMERALS.get(token)
    if value is not None:
        return value
    ordinal = _ORDINAL.match(token)
    if ordinal is not None:
        return int(ordinal.group(1))
    return None


# Pure, and asked again for the same names: by the open shipments' index (the names screening
# keyed a moment before), after the match memo is emptied by an order update, by exemptions.
# ~600 bytes a key (bench names): ~20 MB when full.
@lru_cache(maxsize=32_768)
def name_key(name: str) -> NameKey:
    tokens, forms, spelled = _canonical(name)
    # _plainly_generic, inlined: this runs for every new name screened.
    lookup = [t for t in tokens if t not in GENERIC_WORDS and len(t) > 2 and t.isalpha()]
    return NameKey(" ".join(tokens), frozenset(lookup), forms, spelled)


def _plainly_generic(token: str) -> bool:
    return len(token) < 3 or not token.isalpha() or token in GENERIC_WORDS


@lru_cache(maxsize=262_144)  # pure; the same words recur in thousands of names
def is_distinctive(token: str) -> bool:
    """Long enough, not a number, and not a generic word (nor a misspelling of one)."""
    if _plainly_generic(token):
        return False
    if _misspells(token, _TRADE_SPELLINGS):
        return False
    if len(token) >= _PLACE_SPELLING_MIN and _misspells(token, _PLACE_SPELLINGS):
        return False
    # Countries and continents are common words, misspelt from five letters ("Chima").
    return token not in _WIDE_SPELLINGS


def _misspells(token: str, words: TokenIndex) -> bool:
    return any(within_one_edit(token, word) for word in words.near(token))


def has_native_script(name: str) -> bool:
    return _CJK.search(name) is not None


def native_key(name: str) -> str:
    """Native-script name without spaces, punctuation or a trailing legal form."""
    text = _NON_WORD.sub("", unicodedata.normalize("NFKC", name).casefold())
    changed = True
    while changed:
        changed = False
        for suffix in NATIVE_LEGAL_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                changed = True
    return text


def normalise_mid(mid: str) -> str:
    return mid.replace(" ", "").upper()
