"""Tag names in URLs.

Tag names may hold characters that break paths ("Harry/Draco", "Tom & Jerry",
"Dr. Who?"), so they are escaped the way AO3 does: "/" -> "*s*", "&" -> "*a*",
"." -> "*d*", "?" -> "*q*", "#" -> "*h*". "*" itself is not allowed in tag
names, so the codes cannot collide with a real name. Django percent-encodes the rest.
"""

_ESCAPES = [("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*")]


def tag_to_url_part(name: str) -> str:
    for char, code in _ESCAPES:
        name = name.replace(char, code)
    return name


def url_part_to_tag(part: str) -> str:
    for char, code in _ESCAPES:
        part = part.replace(code, char)
    return part


class TagNameConverter:
    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return url_part_to_tag(value)

    def to_url(self, value: str) -> str:
        return tag_to_url_part(value)
