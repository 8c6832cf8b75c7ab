from django.db import migrations


def backfill(apps, schema_editor):
    # Before wrangling existed every tag filtered as itself: copy the taggings.
    Tagging = apps.get_model("works", "Tagging")
    FilterTagging = apps.get_model("works", "FilterTagging")
    rows = Tagging.objects.values_list("work_id", "tag_id").iterator(chunk_size=5000)
    batch = []
    for work_id, tag_id in rows:
        batch.append(FilterTagging(work_id=work_id, tag_id=tag_id, inherited=False))
        if len(batch) >= 5000:
            FilterTagging.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    FilterTagging.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("works", "0003_filterchange_work_bookmarks_count_and_more")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
