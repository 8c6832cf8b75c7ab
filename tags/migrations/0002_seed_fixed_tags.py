from django.db import migrations

# Copied rather than imported: a migration must keep working when the code moves on.
RATINGS = [
    ("Not Rated", True),
    ("General Audiences", False),
    ("Teen And Up Audiences", False),
    ("Mature", True),
    ("Explicit", True),
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


def seed(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    rows = [(name, "rating", i, adult) for i, (name, adult) in enumerate(RATINGS)]
    rows += [(name, "warning", i, False) for i, name in enumerate(WARNINGS)]
    rows += [(name, "category", i, False) for i, name in enumerate(CATEGORIES)]
    rows += [(name, "media", i, False) for i, name in enumerate(MEDIA)]
    for name, tag_type, order, adult in rows:
        Tag.objects.update_or_create(
            name_key=name.casefold(),
            defaults={"name": name, "type": tag_type, "sort_order": order, "adult": adult, "canonical": True},
        )


class Migration(migrations.Migration):
    dependencies = [("tags", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
