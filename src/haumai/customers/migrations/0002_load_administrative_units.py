"""Load the 34 provinces and 3,321 wards of the 2025 two-level system from vietnam-provinces."""

from django.db import migrations


def load_units(apps, schema_editor):
    import vietnam_provinces as vp

    from haumai.core.text import search_key

    Province = apps.get_model("customers", "Province")
    Ward = apps.get_model("customers", "Ward")
    provinces = [
        Province(code=int(p.code), name=p.name, codename=p.codename, search_key=search_key(p.name))
        for p in vp.Province.iter_all()
    ]
    Province.objects.bulk_create(provinces, ignore_conflicts=True)
    wards = [
        Ward(code=int(w.code), name=w.name, province_id=int(w.province_code), search_key=search_key(w.name))
        for w in vp.Ward.iter_all()
    ]
    Ward.objects.bulk_create(wards, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]
    operations = [migrations.RunPython(load_units, migrations.RunPython.noop)]
