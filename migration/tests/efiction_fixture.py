"""An eFiction 3.5 archive as its admin would hand it over: a mysqldump file and the stories/ folder.

The tables are eFiction's own (the CREATE TABLE statements of docs/tables.sql and
modules/challenges/install.php in e107-eFiction/efiction-3.5.x, as MariaDB's dump
prints them); the rows are made up. Variants: a table prefix, the older DATETIME
date columns instead of unix timestamps, latin1 tables holding double-encoded
UTF-8 (mojibake), chapter text in files or in `storytext`, MariaDB's sandbox line.
`write_archive(..., stories=N)` adds N generated stories for benchmarks.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

TABLES: dict[str, str] = {
    "authors": """  `uid` int(11) NOT NULL AUTO_INCREMENT,
  `penname` varchar(200) NOT NULL DEFAULT '',
  `realname` varchar(200) NOT NULL DEFAULT '',
  `email` varchar(200) NOT NULL DEFAULT '',
  `website` varchar(200) NOT NULL DEFAULT '',
  `bio` text NOT NULL,
  `image` varchar(200) NOT NULL DEFAULT '',
  `date` {date},
  `admincreated` int(11) NOT NULL DEFAULT 0,
  `password` varchar(40) NOT NULL DEFAULT '0',
  PRIMARY KEY (`uid`),
  KEY `penname` (`penname`),
  KEY `admincreated` (`admincreated`)""",
    "categories": """  `catid` int(11) NOT NULL AUTO_INCREMENT,
  `parentcatid` int(11) NOT NULL DEFAULT -1,
  `category` varchar(60) NOT NULL DEFAULT '',
  `description` text NOT NULL,
  `image` varchar(100) NOT NULL DEFAULT '',
  `locked` tinyint(4) NOT NULL DEFAULT 0,
  `leveldown` tinyint(4) NOT NULL DEFAULT 0,
  `displayorder` int(4) NOT NULL DEFAULT 0,
  `numitems` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`catid`),
  KEY `byparent` (`parentcatid`,`displayorder`)""",
    "chapters": """  `chapid` int(11) NOT NULL AUTO_INCREMENT,
  `title` varchar(250) NOT NULL DEFAULT '',
  `inorder` int(11) NOT NULL DEFAULT 0,
  `notes` text NOT NULL,
  `storytext` text NOT NULL,
  `endnotes` text DEFAULT NULL,
  `validated` tinyint(4) NOT NULL DEFAULT 0,
  `wordcount` int(11) NOT NULL DEFAULT 0,
  `rating` tinyint(4) NOT NULL DEFAULT 0,
  `reviews` smallint(6) NOT NULL DEFAULT 0,
  `sid` int(11) NOT NULL DEFAULT 0,
  `uid` int(11) NOT NULL DEFAULT 0,
  `count` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`chapid`),
  KEY `sid` (`sid`),
  KEY `forstoryblock` (`sid`,`validated`)""",
    "characters": """  `charid` int(11) NOT NULL AUTO_INCREMENT,
  `catid` int(11) NOT NULL DEFAULT 0,
  `charname` varchar(60) NOT NULL DEFAULT '',
  `bio` text NOT NULL,
  `image` varchar(200) NOT NULL DEFAULT '',
  PRIMARY KEY (`charid`),
  KEY `catid` (`catid`)""",
    "classes": """  `class_id` int(11) NOT NULL AUTO_INCREMENT,
  `class_type` int(11) NOT NULL DEFAULT 0,
  `class_name` varchar(100) NOT NULL DEFAULT '',
  PRIMARY KEY (`class_id`),
  KEY `byname` (`class_type`,`class_name`,`class_id`)""",
    "classtypes": """  `classtype_id` int(11) NOT NULL AUTO_INCREMENT,
  `classtype_name` varchar(50) NOT NULL DEFAULT '',
  `classtype_title` varchar(50) NOT NULL DEFAULT '',
  PRIMARY KEY (`classtype_id`),
  UNIQUE KEY `classtype_name` (`classtype_name`)""",
    "coauthors": """  `sid` int(11) NOT NULL DEFAULT 0,
  `uid` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`sid`,`uid`)""",
    "favorites": """  `uid` int(11) NOT NULL DEFAULT 0,
  `item` int(11) NOT NULL DEFAULT 0,
  `type` char(2) NOT NULL DEFAULT '',
  `comments` text DEFAULT NULL,
  UNIQUE KEY `byitem` (`item`,`type`,`uid`)""",
    "inseries": """  `seriesid` int(11) NOT NULL DEFAULT 0,
  `sid` int(11) NOT NULL DEFAULT 0,
  `subseriesid` int(11) NOT NULL DEFAULT 0,
  `confirmed` int(11) NOT NULL DEFAULT 0,
  `inorder` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`sid`,`seriesid`),
  KEY `seriesid` (`seriesid`,`inorder`)""",
    "ratings": """  `rid` int(11) NOT NULL AUTO_INCREMENT,
  `rating` varchar(60) NOT NULL DEFAULT '',
  `ratingwarning` int(11) NOT NULL DEFAULT 0,
  `warningtext` text NOT NULL,
  PRIMARY KEY (`rid`)""",
    "reviews": """  `reviewid` int(11) NOT NULL AUTO_INCREMENT,
  `item` int(11) NOT NULL DEFAULT 0,
  `chapid` int(11) NOT NULL DEFAULT 0,
  `reviewer` varchar(60) NOT NULL DEFAULT '0',
  `uid` int(11) NOT NULL DEFAULT 0,
  `review` text NOT NULL,
  `date` {date},
  `rating` int(11) NOT NULL DEFAULT 0,
  `respond` char(1) NOT NULL DEFAULT '0',
  `type` char(2) NOT NULL DEFAULT 'ST',
  PRIMARY KEY (`reviewid`),
  KEY `psid` (`chapid`)""",
    "series": """  `seriesid` int(11) NOT NULL AUTO_INCREMENT,
  `title` varchar(200) NOT NULL DEFAULT '',
  `summary` text DEFAULT NULL,
  `uid` int(11) NOT NULL DEFAULT 0,
  `isopen` tinyint(4) NOT NULL DEFAULT 0,
  `catid` varchar(200) NOT NULL DEFAULT '0',
  `rating` tinyint(4) NOT NULL DEFAULT 0,
  `classes` varchar(200) DEFAULT NULL,
  `characters` varchar(250) NOT NULL DEFAULT '',
  `reviews` smallint(6) NOT NULL DEFAULT 0,
  `numstories` int(11) NOT NULL DEFAULT 0,
  `challenges` varchar(200) NOT NULL DEFAULT '',
  PRIMARY KEY (`seriesid`),
  KEY `owner` (`uid`,`title`)""",
    "stories": """  `sid` int(11) NOT NULL AUTO_INCREMENT,
  `title` varchar(200) NOT NULL DEFAULT '',
  `summary` text DEFAULT NULL,
  `storynotes` text DEFAULT NULL,
  `catid` varchar(100) NOT NULL DEFAULT '0',
  `classes` varchar(200) DEFAULT NULL,
  `charid` varchar(250) NOT NULL DEFAULT '0',
  `rid` varchar(25) NOT NULL DEFAULT '0',
  `date` {date},
  `updated` {date},
  `uid` int(11) NOT NULL DEFAULT 0,
  `coauthors` varchar(200) DEFAULT NULL,
  `featured` tinyint(4) NOT NULL DEFAULT 0,
  `validated` tinyint(4) NOT NULL DEFAULT 0,
  `completed` tinyint(4) NOT NULL DEFAULT 0,
  `rr` tinyint(4) NOT NULL DEFAULT 0,
  `wordcount` int(11) NOT NULL DEFAULT 0,
  `rating` tinyint(4) NOT NULL DEFAULT 0,
  `reviews` smallint(6) NOT NULL DEFAULT 0,
  `count` int(11) NOT NULL DEFAULT 0,
  `challenges` varchar(200) NOT NULL DEFAULT '0',
  PRIMARY KEY (`sid`),
  KEY `recent` (`updated`,`validated`)""",
    "challenges": """  `chalid` int(11) NOT NULL AUTO_INCREMENT,
  `challenger` varchar(200) NOT NULL DEFAULT '',
  `uid` int(11) NOT NULL DEFAULT 0,
  `title` varchar(250) NOT NULL DEFAULT '',
  `catid` varchar(200) NOT NULL DEFAULT '',
  `characters` varchar(200) NOT NULL DEFAULT '',
  `summary` text NOT NULL,
  `responses` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`chalid`)""",
}
UNIX_DATE = "int(10) unsigned NOT NULL DEFAULT 0"
DATETIME_DATE = "datetime NOT NULL DEFAULT '0000-00-00 00:00:00'"

# 2006-01-01, 2006-03-01, 2007-06-15 12:30 UTC
JAN_2006, MAR_2006, JUN_2007 = 1136073600, 1141171200, 1181910600
RESPONSE = "<br><br><i>Author's Response: "


@dataclass
class Archive:
    """The rows of an eFiction archive, table by table; chapter texts separately."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)  # chapid -> raw chapter text


def sample_archive() -> Archive:
    """A small archive using every feature the importer reads."""
    rows: dict[str, list[dict[str, Any]]] = {
        "authors": [
            {
                "uid": 1,
                "penname": "Zoë Ashford",
                "email": "zoe@example.org",
                "bio": "Writes <b>werewolves</b>.",
                "date": JAN_2006,
            },
            {"uid": 2, "penname": "小林さくら", "email": "sakura@example.jp", "bio": "", "date": JAN_2006},
            {"uid": 3, "penname": "Þórunn Ævarsdóttir", "email": "thorunn@example.is", "bio": "", "date": MAR_2006},
            {"uid": 4, "penname": "Marcus O'Brien", "email": "marcus@example.com", "bio": "", "date": MAR_2006},
            {"uid": 5, "penname": "quietreader", "email": "quiet@example.net", "bio": "", "date": MAR_2006},
        ],
        "categories": [
            {"catid": 1, "parentcatid": -1, "category": "Harry Potter", "displayorder": 1},
            {"catid": 2, "parentcatid": 1, "category": "Marauders Era", "displayorder": 1},
            {"catid": 3, "parentcatid": -1, "category": "Sherlock (TV)", "displayorder": 2},
            {"catid": 4, "parentcatid": -1, "category": "Sagas & Eddas", "displayorder": 3},
        ],
        "characters": [
            {"charid": 1, "catid": 1, "charname": "Remus Lupin"},
            {"charid": 2, "catid": 1, "charname": "Sirius Black"},
            {"charid": 3, "catid": 3, "charname": "John Watson"},
            {"charid": 4, "catid": 3, "charname": "Sherlock Holmes"},
            {"charid": 5, "catid": 4, "charname": "Guðrún Ósvífursdóttir"},
        ],
        "classtypes": [
            {"classtype_id": 1, "classtype_name": "genres", "classtype_title": "Genres"},
            {"classtype_id": 2, "classtype_name": "warnings", "classtype_title": "Warnings"},
            {"classtype_id": 3, "classtype_name": "couple", "classtype_title": "Pairings"},
        ],
        "classes": [
            {"class_id": 1, "class_type": 1, "class_name": "Angst"},
            {"class_id": 2, "class_type": 1, "class_name": "Romance"},
            {"class_id": 3, "class_type": 2, "class_name": "Character Death"},
            {"class_id": 4, "class_type": 2, "class_name": "Violence"},
            {"class_id": 5, "class_type": 2, "class_name": "Mild Language"},
            {"class_id": 6, "class_type": 3, "class_name": "Remus/Sirius"},
            {"class_id": 7, "class_type": 3, "class_name": "John/Sherlock"},
        ],
        "ratings": [
            {"rid": 1, "rating": "G"},
            {"rid": 2, "rating": "PG-13"},
            {"rid": 3, "rating": "R", "ratingwarning": 1, "warningtext": "Adults only."},
            {"rid": 4, "rating": "NC-17", "ratingwarning": 1, "warningtext": "Adults only."},
        ],
        "challenges": [
            {
                "chalid": 1,
                "challenger": "Zoë Ashford",
                "uid": 1,
                "title": "Winter Solstice Challenge 2006",
                "summary": "Write a long night.",
            },
        ],
        "series": [
            {"seriesid": 1, "title": "The Wolf Cycle", "summary": "Moons, in order.", "uid": 1, "isopen": 0},
            {"seriesid": 2, "title": "Ink & Bone", "summary": "Baker Street, <i>inked</i>.", "uid": 2},
        ],
        "inseries": [
            {"seriesid": 1, "sid": 1, "confirmed": 1, "inorder": 1},
            {"seriesid": 1, "sid": 3, "confirmed": 1, "inorder": 2},
            {"seriesid": 2, "sid": 2, "confirmed": 1, "inorder": 1},
        ],
        "stories": [
            {
                "sid": 1,
                "title": "Moony's Lament",
                "summary": "Three full moons, one long winter.",
                "storynotes": "For the solstice challenge.",
                "catid": "2",
                "classes": "1,3,6",
                "charid": "1,2",
                "rid": "3",
                "date": JAN_2006,
                "updated": MAR_2006,
                "uid": 1,
                "validated": 1,
                "completed": 1,
                "count": 4321,
                "challenges": "1",
            },
            {
                "sid": 2,
                "title": "A Study in Ink",
                "summary": "Café au lait and a cold case — “elementary”.",
                "storynotes": "",
                "catid": "3",
                "classes": "2,7",
                "charid": "3,4",
                "rid": "2",
                "date": MAR_2006,
                "updated": JUN_2007,
                "uid": 2,
                "coauthors": "1",
                "validated": 1,
                "completed": 0,
                "count": 12,
            },
            {
                "sid": 3,
                "title": "Full Moon Rising",
                "summary": "A short one.",
                "storynotes": None,
                "catid": "1",
                "classes": "",
                "charid": "1",
                "rid": "1",
                "date": MAR_2006,
                "updated": MAR_2006,
                "uid": 1,
                "validated": 1,
                "completed": 1,
            },
            {
                "sid": 4,
                "title": "Still in the queue",
                "summary": "",
                "catid": "1",
                "classes": "",
                "charid": "",
                "rid": "1",
                "date": JUN_2007,
                "updated": JUN_2007,
                "uid": 4,
                "validated": 0,
                "completed": 0,
            },
            {
                "sid": 5,
                "title": "Lost Chapter",
                "summary": "Its text file is gone.",
                "catid": "1",
                "classes": "",
                "charid": "",
                "rid": "1",
                "date": JUN_2007,
                "updated": JUN_2007,
                "uid": 4,
                "validated": 1,
            },
            {
                "sid": 6,
                "title": "Saga of the Long Night",
                "summary": "Þórunn retells Laxdæla.",
                "catid": "4",
                "classes": "4,5",
                "charid": "5",
                "rid": "4",
                "date": JUN_2007,
                "updated": JUN_2007,
                "uid": 3,
                "validated": 1,
                "completed": 1,
            },
        ],
        "coauthors": [{"sid": 2, "uid": 1}],
        "chapters": [
            {
                "chapid": 1,
                "sid": 1,
                "uid": 1,
                "inorder": 1,
                "title": "First Moon",
                "notes": "Set in 1977.",
                "endnotes": "Thanks to my beta!",
                "validated": 1,
            },
            {"chapid": 2, "sid": 1, "uid": 1, "inorder": 2, "title": "Second Moon", "notes": "", "validated": 1},
            {"chapid": 3, "sid": 1, "uid": 1, "inorder": 3, "title": "Third Moon", "notes": "", "validated": 1},
            {"chapid": 4, "sid": 2, "uid": 2, "inorder": 1, "title": "Blue Ink", "notes": "", "validated": 1},
            {"chapid": 5, "sid": 2, "uid": 2, "inorder": 2, "title": "Red Ink", "notes": "", "validated": 1},
            {"chapid": 6, "sid": 3, "uid": 1, "inorder": 1, "title": "", "notes": "", "validated": 1},
            {"chapid": 7, "sid": 4, "uid": 4, "inorder": 1, "title": "", "notes": "", "validated": 0},
            {"chapid": 8, "sid": 5, "uid": 4, "inorder": 1, "title": "", "notes": "", "validated": 1},
            {"chapid": 9, "sid": 6, "uid": 3, "inorder": 1, "title": "Kveld", "notes": "", "validated": 1},
            {"chapid": 10, "sid": 1, "uid": 1, "inorder": 4, "title": "Unfinished", "notes": "", "validated": 0},
        ],
        "reviews": [
            {
                "reviewid": 1,
                "item": 1,
                "chapid": 1,
                "reviewer": "quietreader",
                "uid": 5,
                "review": "This made me cry. Remus deserved better.",
                "date": MAR_2006,
                "rating": 10,
                "type": "ST",
            },
            {
                "reviewid": 2,
                "item": 1,
                "chapid": 2,
                "reviewer": "Anonymous Owl",
                "uid": 0,
                "review": "Loved the snow scene!" + RESPONSE + "Thank you so much, Owl!</i>",
                "date": MAR_2006,
                "respond": "1",
                "type": "ST",
            },
            {
                "reviewid": 3,
                "item": 2,
                "chapid": 5,
                "reviewer": "Zoë Ashford",
                "uid": 1,
                "review": "Můj oblíbený příběh — more please.",
                "date": JUN_2007,
                "type": "ST",
            },
            {
                "reviewid": 4,
                "item": 1,
                "chapid": 0,
                "reviewer": "quietreader",
                "uid": 5,
                "review": "The whole series is lovely.",
                "date": JUN_2007,
                "type": "SE",
            },
        ],
        "favorites": [{"uid": 5, "item": 1, "type": "ST", "comments": "Comfort read."}],
    }
    texts = {
        1: 'The moon rose over the Forbidden Forest.\r\n\r\nRemus counted the hours \\"until dawn\\" and '
        "didn\\'t sleep.\r\nSirius stayed.\r\n\r\nA path of C:\\\\Windows ran nowhere.",
        2: "<p>Snow fell on <i>Hogsmeade</i>.</p><p>They walked home slowly.</p>",
        3: "Spring came late that year.<br><br>Nobody minded.<script>alert(1)</script>",
        4: "Baker Street smelled of ink.\r\n\r\nJohn wrote; Sherlock didn't read it.",
        5: "The second bottle was red.\r\n\r\n“Elementary,” said nobody.",
        6: "A quiet night, for once.\n\nThe moon was new.",
        7: "Not validated yet.",
        9: "Guðrún sat by the fire; the long night had begun.\r\n\r\n"
        "Þá mælti hon: „Þeim var ek verst er ek unna mest.“",
        10: "Half-written and never validated.",
    }
    return Archive(rows=rows, texts=texts)


def generated_archive(stories: int, seed: int = 15) -> Archive:
    """`stories` made-up stories of 1–5 chapters by stories/5 authors, with reviews, for benchmarks."""
    rng = random.Random(seed)
    archive = sample_archive()
    rows, texts = archive.rows, archive.texts
    authors = max(1, stories // 5)
    base_uid, base_sid, base_chapid = 100, 100, 100
    for index in range(authors):
        rows["authors"].append(
            {
                "uid": base_uid + index,
                "penname": f"Writer {index} ÿ",
                "email": f"w{index}@example.org",
                "bio": "",
                "date": JAN_2006 + index,
            }
        )
    chapid = base_chapid
    words = "moon night wolf ink street snow quiet long path fire tea rain letter door".split()
    for index in range(stories):
        sid = base_sid + index
        uid = base_uid + rng.randrange(authors)
        rows["stories"].append(
            {
                "sid": sid,
                "title": f"Generated Story {index}",
                "summary": "A generated summary.",
                "catid": "2",
                "classes": "1,6",
                "charid": "1,2",
                "rid": str(rng.randint(1, 4)),
                "date": JAN_2006 + index * 60,
                "updated": JAN_2006 + index * 60 + 3600,
                "uid": uid,
                "validated": 1,
                "completed": rng.randint(0, 1),
            }
        )
        for position in range(1, rng.randint(1, 5) + 1):
            chapid += 1
            rows["chapters"].append(
                {
                    "chapid": chapid,
                    "sid": sid,
                    "uid": uid,
                    "inorder": position,
                    "title": f"Part {position}",
                    "notes": "",
                    "validated": 1,
                }
            )
            texts[chapid] = "\r\n\r\n".join(
                " ".join(rng.choice(words) for _ in range(80)) + "." for _ in range(rng.randint(5, 30))
            )
            if rng.random() < 0.3:
                rows["reviews"].append(
                    {
                        "reviewid": 1000 + chapid,
                        "item": sid,
                        "chapid": chapid,
                        "reviewer": "Guest",
                        "uid": 0,
                        "review": "Nice!",
                        "date": JAN_2006 + index * 60 + 7200,
                        "type": "ST",
                    }
                )
    return archive


def _sql_value(value: Any, *, latin1: bool) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if latin1:
        # What an eFiction on a latin1 connection stored: UTF-8 bytes read as cp1252 characters.
        text = mojibake(text)
    escaped = (
        text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r").replace("\x00", "\\0")
    )
    return f"'{escaped}'"


def mojibake(text: str) -> str:
    """UTF-8 bytes read as MySQL's latin1 (cp1252, with its five undefined bytes kept as C1 controls)."""
    return "".join(bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in text.encode("utf-8"))


def _column_names(definition: str) -> list[tuple[str, str]]:
    names = []
    for line in definition.splitlines():
        line = line.strip()
        if line.startswith("`"):
            name = line.split("`")[1]
            kind = line.split()[1]
            names.append((name, kind))
    return names


def _datetime(value: int) -> str:
    return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%d %H:%M:%S")


def write_archive(
    folder: Path,
    archive: Archive | None = None,
    *,
    prefix: str = "",
    datetime_dates: bool = False,
    latin1: bool = False,
    texts_in_database: bool = False,
    sandbox_line: bool = True,
) -> Path:
    """Write `folder`/efiction.sql (and `folder`/stories/<uid>/<chapid>.txt); return the dump's path."""
    archive = archive or sample_archive()
    folder.mkdir(parents=True, exist_ok=True)
    date_type = DATETIME_DATE if datetime_dates else UNIX_DATE
    charset = "latin1 COLLATE=latin1_swedish_ci" if latin1 else "utf8mb4 COLLATE=utf8mb4_general_ci"
    out: list[str] = []
    if sandbox_line:
        out.append("/*M!999999\\- enable the sandbox mode */ ")
    out += [
        "-- MariaDB dump 10.19  Distrib 10.11.11-MariaDB, for debian-linux-gnu (x86_64)",
        "--",
        "-- Host: localhost    Database: efiction",
        "-- ------------------------------------------------------",
        "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;",
        "/*!40101 SET NAMES utf8mb4 */;",
        "/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;",
        "",
    ]
    chapters_by_id = {row["chapid"]: row for row in archive.rows.get("chapters", [])}
    for short, definition in TABLES.items():
        table = f"{prefix}fanfiction_{short}"
        definition = definition.format(date=date_type)
        columns = _column_names(definition)
        out += [
            "--",
            f"-- Table structure for table `{table}`",
            "--",
            "",
            f"DROP TABLE IF EXISTS `{table}`;",
            "/*!40101 SET @saved_cs_client     = @@character_set_client */;",
            "/*!40101 SET character_set_client = utf8mb4 */;",
            f"CREATE TABLE `{table}` (",
            definition,
            f") ENGINE=MyISAM DEFAULT CHARSET={charset};",
            "/*!40101 SET character_set_client = @saved_cs_client */;",
            "",
        ]
        rows = archive.rows.get(short, [])
        if not rows:
            continue
        values = []
        for row in rows:
            row = dict(row)
            if short == "chapters":
                row["storytext"] = archive.texts.get(row["chapid"], "") if texts_in_database else ""
            cells = []
            for name, kind in columns:
                value = row.get(name)
                if value is None and not (kind == "text" and name in row):
                    value = 0 if kind.startswith(("int", "tinyint", "smallint")) else ""
                if name in ("date", "updated") and datetime_dates:
                    value = _datetime(int(value)) if value else "0000-00-00 00:00:00"
                cells.append(_sql_value(value, latin1=latin1))
            values.append("(" + ",".join(cells) + ")")
        out += [
            f"LOCK TABLES `{table}` WRITE;",
            f"/*!40000 ALTER TABLE `{table}` DISABLE KEYS */;",
            # mysqldump's extended inserts: about a megabyte of rows per statement, one statement a line.
            *_extended_inserts(table, values),
            f"/*!40000 ALTER TABLE `{table}` ENABLE KEYS */;",
            "UNLOCK TABLES;",
            "",
        ]
    out.append("-- Dump completed on 2026-12-03 13:00:00")
    dump = folder / "efiction.sql"
    dump.write_text("\n".join(out) + "\n", encoding="utf-8")
    if not texts_in_database:
        for chapid, text in archive.texts.items():
            chapter = chapters_by_id.get(chapid)
            if chapter is None:
                continue
            path = folder / "stories" / str(chapter["uid"]) / f"{chapid}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            # Old eFiction sites wrote files in the site's charset: cp1252 for latin1 ones.
            path.write_bytes(text.encode("cp1252", errors="replace") if latin1 else text.encode("utf-8"))
    return dump


def _extended_inserts(table: str, values: list[str], limit: int = 1_000_000) -> list[str]:
    statements: list[str] = []
    batch: list[str] = []
    size = 0
    for value in values:
        if batch and size + len(value) > limit:
            statements.append(f"INSERT INTO `{table}` VALUES {','.join(batch)};")  # noqa: S608
            batch, size = [], 0
        batch.append(value)
        size += len(value)
    if batch:
        statements.append(f"INSERT INTO `{table}` VALUES {','.join(batch)};")  # noqa: S608
    return statements
