"""Normalising what people type: full-width forms, odd spaces, command prefixes.

Normalisation here keeps length, character for character, so an offset into the
normalised text is an offset into the text as typed.
"""

from __future__ import annotations

_SPACES = {"\u3000", "\u00a0", "\u2002", "\u2003", "\u2009", "\u200b", "\t"}
_EXTRA = {"。": ".", "、": ",", "「": '"', "」": '"', "【": "[", "】": "]", "《": "<", "》": ">"}


def fold_char(ch: str) -> str:
    """One character in its half-width ASCII form where one exists."""
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if ch in _SPACES:
        return " "
    return ch


# One translation table (C speed) for what fold_char does character by character.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {ord(c): " " for c in _SPACES}
_FOLD_PUNCT = _FOLD | {ord(k): v for k, v in _EXTRA.items()}


def fold(text: str) -> str:
    """Full-width letters, digits and punctuation to ASCII; odd spaces to plain spaces.

    Same length as the input.
    """
    return text.translate(_FOLD)


def fold_punct(text: str) -> str:
    """Like :func:`fold`, and CJK punctuation (。、「」【】《》) to ASCII too; same length."""
    return text.translate(_FOLD_PUNCT)


COMMAND_PREFIXES = ("/", "!")


def split_prefix(text: str) -> tuple[int, str]:
    """Skip leading spaces and one command prefix (``/`` or ``!``, full-width too).

    Returns the offset where the command starts and the folded rest.
    """
    folded = fold(text)
    i = 0
    while i < len(folded) and folded[i].isspace():
        i += 1
    if i < len(folded) and folded[i] in COMMAND_PREFIXES:
        i += 1
        while i < len(folded) and folded[i].isspace():
            i += 1
    return i, folded[i:]
