"""Word counts that are right for scripts written without spaces.

As AO3 does, each Han, Hiragana, Katakana and Thai character counts as one
word; everything else is counted by whitespace-separated runs that contain at
least one letter or digit.
"""

import re

from lib.html import strip_html

CHARACTER_COUNTED = (
    "\u0e00-\u0e7f"  # Thai
    "\u3040-\u309f"  # Hiragana
    "\u30a0-\u30ff\u31f0-\u31ff"  # Katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\U00020000-\U0002fa1f"  # Han extensions
)
_CHARACTER_COUNTED_RE = re.compile(f"[{CHARACTER_COUNTED}]")
_WORD_RE = re.compile(r"[^\s]*\w[^\s]*")


def count_words_in_text(text: str) -> int:
    characters = len(_CHARACTER_COUNTED_RE.findall(text))
    rest = _CHARACTER_COUNTED_RE.sub(" ", text)
    return characters + len(_WORD_RE.findall(rest))


def count_words(html_fragment: str) -> int:
    return count_words_in_text(strip_html(html_fragment))
