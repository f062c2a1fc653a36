from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [("shipping", "0007_shipment_created_by_product_clock")]

    operations = [
        migrations.AddField(
            model_name="shipment",
            name="redelivery_of",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="redeliveries",
                to="shipping.shipment",
            ),
        ),
    ]
