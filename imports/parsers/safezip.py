"""Reading DOCX and EPUB containers without trusting them: zip bombs and hostile XML are refused."""

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext
from lxml import etree

from imports.parsed import ImportRefused

# Text compresses about 3–10 times; far beyond that is a bomb, not a book.
MAX_RATIO = 100
MAX_ENTRIES = 10_000


class SafeZip:
    def __init__(self, data: bytes, kind: str) -> None:
        self.kind = kind
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
            raise ImportRefused(gettext("This file is damaged or is not a %(kind)s file.") % {"kind": kind}) from None
        limit = settings.IMPORT_MAX_UNPACKED_BYTES
        if len(infos) > MAX_ENTRIES:
            raise ImportRefused(
                gettext("This %(kind)s file holds %(count)s files, which no %(kind)s needs: refused.")
                % {"kind": kind, "count": f"{len(infos):,}"}
            )
        total = sum(info.file_size for info in infos)
        if total > limit:
            raise ImportRefused(
                gettext(
                    "This %(kind)s file unpacks to %(total)s MB, more than the %(limit)s "
                    "MB allowed (it may be a zip bomb): refused."
                )
                % {"kind": kind, "total": f"{total / 2**20:,.0f}", "limit": f"{limit / 2**20:,.0f}"}
            )
        for info in infos:
            if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ImportRefused(
                    gettext("This %(kind)s file is compressed %(ratio)s to 1 (a zip bomb, most likely): refused.")
                    % {"kind": kind, "ratio": f"{info.file_size // max(info.compress_size, 1):,}"}
                )
        self.names = {info.filename for info in infos}
        self._remaining = limit

    def read(self, name: str) -> bytes | None:
        """The member's bytes, or None if it is missing. Sizes in the directory may lie, so reads are capped."""
        if name not in self.names:
            return None
        try:
            with self.zip.open(name) as member:
                data = member.read(self._remaining + 1)
        except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError):
            raise ImportRefused(
                gettext("This %(kind)s file is damaged (%(name)s can't be read).") % {"kind": self.kind, "name": name}
            ) from None
        if len(data) > self._remaining:
            raise ImportRefused(
                gettext("This %(kind)s file unpacks to more than allowed (a zip bomb, most likely): refused.")
                % {"kind": self.kind}
            )
        self._remaining -= len(data)
        return data

    def xml(self, name: str) -> etree._Element | None:
        data = self.read(name)
        return None if data is None else parse_xml(data, f"{self.kind} ({name})")


def parse_xml(data: bytes, what: str) -> etree._Element:
    # No entity expansion (billion laughs), no DTDs, no network: XML from a stranger.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        raise ImportRefused(gettext("This %(what)s isn't well-formed XML.") % {"what": what}) from None
