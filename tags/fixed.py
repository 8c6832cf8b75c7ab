"""The tags every archive has from the start (seeded by a migration)."""

# (name, symbol letter shown on blurbs, adult)
RATINGS = [
    ("Not Rated", "NR", True),
    ("General Audiences", "G", False),
    ("Teen And Up Audiences", "T", False),
    ("Mature", "M", True),
    ("Explicit", "E", True),
]
WARNINGS = [
    "Creator Chose Not To Use Archive Warnings",
    "No Archive Warnings Apply",
    "Graphic Depictions Of Violence",
    "Major Character Death",
    "Rape/Non-Con",
    "Underage Sex",
]
CATEGORIES = ["F/F", "F/M", "Gen", "M/M", "Multi", "Other"]
MEDIA = [
    "Anime & Manga",
    "Books & Literature",
    "Cartoons & Comics & Graphic Novels",
    "Celebrities & Real People",
    "Movies",
    "Music & Bands",
    "Other Media",
    "Theater",
    "TV Shows",
    "Video Games",
    "Uncategorized Fandoms",
]
UNCATEGORIZED_MEDIA = "Uncategorized Fandoms"
CHOSE_NOT_TO_WARN = WARNINGS[0]
NO_WARNINGS_APPLY = WARNINGS[1]

RATING_SYMBOLS = {name: symbol for name, symbol, _adult in RATINGS}
